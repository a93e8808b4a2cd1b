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
from core.store_tokens import index_tokens, match_expression, query_parts

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
        notice_id, text = self._current_text(entity, row_id)
        self._reindex_item(entity, row_id, notice_id, old_text, text)

    def _current_text(self, entity: str, row_id: int) -> tuple[int, str] | None:
        """(notice id, the problem's title or the measure's text) of a row, or None."""
        table, column = SEARCH_KINDS[entity]
        row = self.db.execute(f"SELECT notice_id, {column}, span FROM {table} WHERE id = ?",
                              [row_id]).fetchone()
        if row is None:
            return None
        filled = self._filled(entity, {"notice_id": row[0], "text": row[1], "span": row[2]})
        return row[0], filled["text"] if entity == "measure" else row[1]

    def _reindex_item(self, entity, row_id, notice_id, old_text, new_text) -> None:
        notice_text = self._notice_text(notice_id)
        rowid = search_rowid(entity, row_id)
        if old_text and old_text not in notice_text:
            self._fts_delete(rowid, old_text)
        if new_text and new_text not in notice_text:
            self._fts_insert(rowid, new_text)

    def _item_text(self, entity: str, row_id: int) -> str | None:
        found = self._current_text(entity, row_id)
        return found[1] if found else None

    def _unindex(self, where: str, params: list) -> None:
        """Drop the index rows of the problems matching ``where`` and of their measures."""
        rows = [("problem", r) for r in self.db.execute(
            f"SELECT id, notice_id, title FROM problems WHERE {where}", params).fetchall()]
        # a measure with no text of its own (m010) is part of the notice text: no index row
        rows += [("measure", r) for r in self.db.execute(
            f"SELECT id, notice_id, text FROM measures WHERE text IS NOT NULL AND problem_id IN "
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
        Newest notices first, each with its matching problems and measures before itself."""
        parts = query_parts(query)
        if not parts or limit <= 0:
            return []
        # newest notices first: the index streams in rowid order and stops when enough are
        # found; ORDER BY rank would score every match first (40 ms CPU at 10,000 notices)
        cur = self.db.execute("SELECT rowid FROM search_index WHERE search_index MATCH ? "
                              "ORDER BY rowid DESC", [match_expression(parts)])
        results: list[dict] = []
        seen: set[int] = set()
        batch: list[int] = []
        for (rowid,) in cur:
            kind, row_id = KIND_OF_CODE[rowid % 3], rowid // 3
            notice_id = row_id if kind == "notice" else self._scalar(
                f"SELECT notice_id FROM {SEARCH_KINDS[kind][0]} WHERE id = ?", [row_id])
            if notice_id is None or notice_id in seen:
                continue
            seen.add(notice_id)
            batch.append(notice_id)
            if len(batch) >= limit - len(results):   # each notice found gives at least one hit
                results += self._hits_in(batch, parts)
                batch = []
                if len(results) >= limit:
                    break
        cur.close()
        if batch:
            results += self._hits_in(batch, parts)
        return results[:limit]

    def _hits_in(self, notice_ids: list[int], parts: list[str]) -> list[dict]:
        """Per notice (in the order given): its problems and measures holding every part, in
        order, then the notice itself. Titles and measure texts of their own are tested in SQL,
        so none travels unless it is a hit; the notice texts come once, and a measure without a
        text of its own (m010: the notice's text at its span) is cut from them."""
        folded = any(part.isascii() and not part.isdigit() for part in parts)

        def fold(column):   # latin parts are lowercased; lower() is skipped when none is latin
            return f"lower({column})" if folded else column

        def holds(column):
            return " AND ".join(f"instr({fold(column)}, ?) > 0" for _ in parts)

        def held(text: str) -> bool:
            text = text.translate(_ASCII_LOWER) if folded else text   # as SQL's lower()
            return all(part in text for part in parts)

        marks = ", ".join("?" * len(notice_ids))
        notices = {nid: (title, text) for nid, title, text in self.db.execute(
            f"SELECT id, title, text FROM notices WHERE id IN ({marks})", notice_ids)}
        # only a notice whose text holds every part can have such a measure among its hits
        found = [nid for nid in notice_ids if held(notices[nid][1])]
        items: dict[int, list] = {}
        for nid, pid, pos, ptitle in self.db.execute(
                f"SELECT notice_id, id, position, title FROM problems WHERE notice_id IN ({marks}) "
                f"AND NOT deleted AND {holds('title')}", [*notice_ids, *parts]):
            items.setdefault(nid, []).append(((pos, pid, 0, 0, 0), pid, None, "problem", ptitle))
        for nid, mid, pid, ppos, mpos, mtext, start, end in self.db.execute(
                "SELECT m.notice_id, m.id, m.problem_id, p.position, m.position, m.text, "
                "CASE WHEN m.text IS NULL THEN json_extract(m.span, '$[0]') END, "
                "CASE WHEN m.text IS NULL THEN json_extract(m.span, '$[1]') END "
                f"FROM measures m JOIN problems p ON p.id = m.problem_id WHERE m.notice_id IN ({marks}) "
                f"AND NOT m.deleted AND NOT p.deleted AND (m.text IS NULL AND m.notice_id IN "
                f"({', '.join('?' * len(found))}) OR {holds('m.text')})", [*notice_ids, *found, *parts]):
            if mtext is None:
                mtext = notices[nid][1][start:end]
                if not held(mtext):
                    continue
            items.setdefault(nid, []).append(((ppos, pid, 1, mpos, mid), pid, mid, "measure", mtext))
        hits = []
        shown = set(found)
        for notice_id in notice_ids:
            title, text = notices[notice_id]
            base = {"notice_id": notice_id, "notice_title": title}
            for _, pid, mid, kind, item in sorted(items.get(notice_id, []), key=lambda i: i[0]):
                hits.append({**base, "problem_id": pid, "measure_id": mid, "kind": kind,
                             "snippet": _snippet(item, parts)})
            if notice_id in shown:
                hits.append({**base, "problem_id": None, "measure_id": None, "kind": "notice",
                             "snippet": _window(text, parts[0], folded)})
        return hits


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _window(text: str, first: str, folded: bool) -> str:
    """The notice text around the first match of the query's first part."""
    at = (text.translate(_ASCII_LOWER) if folded else text).find(first)
    start = max(0, at - SNIPPET_BEFORE)
    end = min(len(text), start + SNIPPET_BEFORE + SNIPPET_AFTER)
    body = " ".join(text[start:end].split())
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


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
