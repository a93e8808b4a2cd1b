"""The search index: a contentless FTS5 table over the character-pair tokens of ``store_tokens``.

One index row per notice text (rowid ``search_rowid("notice", id)``); a problem title or measure
text gets its own row only when it is not part of its notice's text (added or edited by the
reviewer), since the notice's row already finds everything else. A search finds notices through
the index, then the problems and measures in them whose current text holds every part of the
query. Contentless: the index keeps no copy of the text, and an index row is removed by giving
the tokens of the text it was made from (the rows keep that text; the tokens are a pure function).
"""
from __future__ import annotations

from core.store_schema import search_rowid
from core.store_tokens import contains_all, index_tokens, match_expression, query_parts

SNIPPET_BEFORE, SNIPPET_AFTER = 20, 40
SEARCH_KINDS = {"problem": ("problems", "title"), "measure": ("measures", "text")}
KIND_OF_CODE = {0: "notice", 1: "problem", 2: "measure"}


class SearchMixin:
    """Keeps the index in step with the rows, and answers ``search()``."""

    _notice_text_cache: tuple[int, str] | None = None

    # --- keeping the index -----------------------------------------------------------------
    def _notice_text(self, notice_id: int) -> str:
        """A notice's text (never changes after import, so one is cached)."""
        cached = self._notice_text_cache
        if cached is None or cached[0] != notice_id:
            row = self.db.execute("SELECT text FROM notices WHERE id = ?", [notice_id]).fetchone()
            cached = (notice_id, row[0] if row else "")
            self._notice_text_cache = cached
        return cached[1]

    def _fts_insert(self, rowid: int, text: str) -> None:
        self.db.execute("INSERT INTO search_index (rowid, tokens) VALUES (?, ?)",
                        [rowid, index_tokens(text)])

    def _fts_delete(self, rowid: int, text: str) -> None:
        self.db.execute("INSERT INTO search_index (search_index, rowid, tokens) "
                        "VALUES ('delete', ?, ?)", [rowid, index_tokens(text)])

    def _index_notice(self, notice_id: int, text: str) -> None:
        self._fts_insert(search_rowid("notice", notice_id), text)

    def _index(self, entity: str, row_id: int, old_text: str | None = None) -> None:
        """After a problem's title or a measure's text was written (``old_text``: what it was,
        None for a new row): its own index row follows whether it is outside the notice text."""
        table, column = SEARCH_KINDS[entity]
        notice_id, text = self.db.execute(
            f"SELECT notice_id, {column} FROM {table} WHERE id = ?", [row_id]).fetchone()
        self._reindex_item(entity, row_id, notice_id, old_text, text)

    def _reindex_item(self, entity, row_id, notice_id, old_text, new_text) -> None:
        notice_text = self._notice_text(notice_id)
        rowid = search_rowid(entity, row_id)
        if old_text and old_text not in notice_text:
            self._fts_delete(rowid, old_text)
        if new_text and new_text not in notice_text:
            self._fts_insert(rowid, new_text)

    def _item_text(self, entity: str, row_id: int) -> str | None:
        table, column = SEARCH_KINDS[entity]
        row = self.db.execute(f"SELECT {column} FROM {table} WHERE id = ?", [row_id]).fetchone()
        return row[0] if row else None

    def _unindex(self, where: str, params: list) -> None:
        """Drop the index rows of the problems matching ``where`` and of their measures."""
        rows = [("problem", r) for r in self.db.execute(
            f"SELECT id, notice_id, title FROM problems WHERE {where}", params).fetchall()]
        rows += [("measure", r) for r in self.db.execute(
            f"SELECT id, notice_id, text FROM measures WHERE problem_id IN "
            f"(SELECT id FROM problems WHERE {where})", params).fetchall()]
        for entity, (row_id, notice_id, text) in rows:
            self._reindex_item(entity, row_id, notice_id, text, None)

    def _unindex_notice(self, notice_id: int) -> None:
        self._unindex("notice_id = ?", [notice_id])
        self._fts_delete(search_rowid("notice", notice_id), self._notice_text(notice_id))
        self._notice_text_cache = None

    # --- searching -------------------------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[dict]:
        """Problems, measures and notices whose text holds every part of ``query`` (parts are
        the runs of Chinese characters or of letters/digits; a run matches as it is written).
        Notices in the index's rank order, each with its matching problems and measures first."""
        parts = query_parts(query)
        if not parts or limit <= 0:
            return []
        cur = self.db.execute("SELECT rowid FROM search_index WHERE search_index MATCH ? "
                              "ORDER BY rank", [match_expression(parts)])
        results: list[dict] = []
        seen: set[int] = set()
        for (rowid,) in cur:
            kind, row_id = KIND_OF_CODE[rowid % 3], rowid // 3
            notice_id = row_id if kind == "notice" else self._scalar(
                f"SELECT notice_id FROM {SEARCH_KINDS[kind][0]} WHERE id = ?", [row_id])
            if notice_id is None or notice_id in seen:
                continue
            seen.add(notice_id)
            results += self._hits_in(notice_id, parts)
            if len(results) >= limit:
                break
        cur.close()
        return results[:limit]

    def _hits_in(self, notice_id: int, parts: list[str]) -> list[dict]:
        title, text = self.db.execute("SELECT title, text FROM notices WHERE id = ?",
                                      [notice_id]).fetchone()
        base = {"notice_id": notice_id, "notice_title": title}
        hits = []
        measures: dict[int, list] = {}
        for mid, pid, mtext in self.db.execute(
                "SELECT id, problem_id, text FROM measures WHERE notice_id = ? AND NOT deleted "
                "ORDER BY position, id", [notice_id]):
            measures.setdefault(pid, []).append((mid, mtext))
        for pid, ptitle in self.db.execute(
                "SELECT id, title FROM problems WHERE notice_id = ? AND NOT deleted "
                "ORDER BY position, id", [notice_id]):
            if contains_all(ptitle, parts):
                hits.append({**base, "problem_id": pid, "measure_id": None, "kind": "problem",
                             "snippet": _snippet(ptitle, parts)})
            for mid, mtext in measures.get(pid, []):
                if contains_all(mtext, parts):
                    hits.append({**base, "problem_id": pid, "measure_id": mid, "kind": "measure",
                                 "snippet": _snippet(mtext, parts)})
        if contains_all(text, parts):
            hits.append({**base, "problem_id": None, "measure_id": None, "kind": "notice",
                         "snippet": _snippet(text, parts)})
        return hits


def _snippet(text: str, parts: list[str]) -> str:
    """The original text around the first match."""
    folded = text.lower()
    hits = [i for i in (folded.find(p) for p in parts) if i >= 0]
    if not hits:
        return text[:SNIPPET_BEFORE + SNIPPET_AFTER]
    start = max(0, min(hits) - SNIPPET_BEFORE)
    end = min(len(text), min(hits) + SNIPPET_AFTER)
    body = " ".join(text[start:end].split())
    return ("…" if start else "") + body + ("…" if end < len(text) else "")
