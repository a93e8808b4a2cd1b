"""The search index: FTS5 over jieba tokens of notice texts, problem titles and measure texts.

Each index row is keyed by ``search_rowid(kind, id)``, so replacing one is a rowid lookup.
"""
from __future__ import annotations

from core.store_schema import search_rowid

SNIPPET_BEFORE, SNIPPET_AFTER = 20, 40
SEARCH_KINDS = {"problem": ("problems", "title"), "measure": ("measures", "text")}


def _union(items) -> list:
    return list(dict.fromkeys(i for i in items if i))


class SearchMixin:
    """Keeps the index in step with the rows, and answers ``search()``."""

    def _index(self, entity: str, row_id: int) -> None:
        table, column = SEARCH_KINDS[entity]
        self.db.execute("DELETE FROM search_index WHERE rowid = ?", [search_rowid(entity, row_id)])
        if entity == "problem":
            sql = f"SELECT notice_id, id, NULL, {column} FROM {table} WHERE id = ?"
        else:
            sql = f"SELECT notice_id, problem_id, id, {column} FROM {table} WHERE id = ?"
        notice_id, problem_id, measure_id, text = self.db.execute(sql, [row_id]).fetchone()
        self._index_text(entity, notice_id, problem_id, measure_id, text)

    def _index_text(self, kind, notice_id, problem_id, measure_id, text) -> None:
        from core.textutil import search_text

        row_id = {"notice": notice_id, "problem": problem_id, "measure": measure_id}[kind]
        self.db.execute(
            "INSERT INTO search_index (rowid, tokens, kind, notice_id, problem_id, measure_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [search_rowid(kind, row_id), search_text(text or ""), kind, notice_id, problem_id,
             measure_id],
        )

    def _unindex(self, where: str, params: list) -> None:
        """Drop the index rows of the problems matching ``where`` and of their measures.

        Deleting by rowid: a WHERE on the FTS table's other columns would scan the whole index."""
        rowids = [search_rowid("problem", r[0]) for r in
                  self.db.execute(f"SELECT id FROM problems WHERE {where}", params)]
        rowids += [search_rowid("measure", r[0]) for r in self.db.execute(
            f"SELECT id FROM measures WHERE problem_id IN (SELECT id FROM problems WHERE {where})",
            params)]
        for rowid in rowids:
            self.db.execute("DELETE FROM search_index WHERE rowid = ?", [rowid])

    def search(self, query: str, limit: int = 50) -> list[dict]:
        """Notices, problems and measures whose jieba tokens contain every token of ``query``."""
        from core.textutil import search_tokens

        tokens = _union(search_tokens(query))
        if not tokens:
            return []
        match = " ".join('"' + t.replace('"', '""') + '"' for t in tokens)
        rows = self.db.execute(
            """SELECT s.kind, s.notice_id, coalesce(m.problem_id, s.problem_id), s.measure_id,
                 n.title, CASE s.kind WHEN 'notice' THEN n.text WHEN 'problem' THEN p.title
                 ELSE m.text END
               FROM search_index s JOIN notices n ON n.id = s.notice_id
               LEFT JOIN measures m ON m.id = s.measure_id
               LEFT JOIN problems p ON p.id = coalesce(m.problem_id, s.problem_id)
               WHERE search_index MATCH ? AND NOT coalesce(p.deleted, 0)
                 AND NOT coalesce(m.deleted, 0)
               ORDER BY rank LIMIT ?""",
            [match, limit],
        ).fetchall()
        return [{"notice_id": r[1], "notice_title": r[4], "problem_id": r[2], "measure_id": r[3],
                 "kind": r[0], "snippet": _snippet(r[5] or "", tokens)} for r in rows]


def _snippet(text: str, tokens: list[str]) -> str:
    """The original text around the first match (FTS5's snippet() would show jieba tokens)."""
    hits = [i for i in (text.find(t) for t in tokens) if i >= 0]
    if not hits:
        return text[:SNIPPET_BEFORE + SNIPPET_AFTER]
    start = max(0, min(hits) - SNIPPET_BEFORE)
    end = min(len(text), min(hits) + SNIPPET_AFTER)
    body = " ".join(text[start:end].split())
    return ("…" if start else "") + body + ("…" if end < len(text) else "")
