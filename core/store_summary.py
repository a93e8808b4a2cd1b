"""The notice list: one summary row per notice (names, date, status, counts), refreshed in the
transaction of every change to the notice, listed and filtered in SQL and paged."""
from __future__ import annotations

from core.store_schema import SUMMARY_COLUMNS, SUMMARY_SELECT

LIST_KEYS = ("id",) + SUMMARY_COLUMNS


class SummaryMixin:
    def _refresh_summary(self, notice_id: int) -> None:
        """Recount one notice's list row (call inside the change's transaction)."""
        self.db.execute(
            f"INSERT OR REPLACE INTO notice_summary (notice_id, {', '.join(SUMMARY_COLUMNS)}) "
            f"{SUMMARY_SELECT} WHERE n.id = ?", [notice_id])

    @staticmethod
    def _list_where(filter_text="", *, kind=None, review_status=None, issuer=None,
                    published_from=None, published_to=None) -> tuple[str, list]:
        clauses, params = [], []
        text = (filter_text or "").strip()
        if text:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append("(coalesce(title, '') LIKE ? ESCAPE '\\' OR coalesce(issuer, '') LIKE ? "
                           "ESCAPE '\\' OR coalesce(source_name, '') LIKE ? ESCAPE '\\')")
            params += [like, like, like]
        for column, value in (("kind", kind), ("review_status", review_status), ("issuer", issuer)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if published_from:
            clauses.append("published >= ?")
            params.append(published_from)
        if published_to:   # "2024-07" is within a range ending 2024-07-31
            clauses.append("published <= ?")
            params.append(published_to + "\uffff")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def list_notices(self, filter_text: str = "", *, kind=None, review_status=None, issuer=None,
                     published_from=None, published_to=None, limit: int | None = None,
                     offset: int = 0) -> list[dict]:
        """Notices in import order, filtered: ``filter_text`` in the title, issuer or file name;
        ``kind``, ``review_status``, ``issuer`` exactly; ``published`` within the dates given.
        ``limit``/``offset`` page through them."""
        where, params = self._list_where(
            filter_text, kind=kind, review_status=review_status, issuer=issuer,
            published_from=published_from, published_to=published_to)
        page = ""
        if limit is not None:
            page = " LIMIT ? OFFSET ?"
            params += [int(limit), int(offset)]
        cur = self.db.execute(
            f"SELECT notice_id, {', '.join(SUMMARY_COLUMNS)} FROM notice_summary{where} "
            f"ORDER BY notice_id{page}", params)
        return [dict(zip(LIST_KEYS, r)) for r in cur.fetchall()]

    def count_notices(self, filter_text: str = "", **filters) -> int:
        """How many notices ``list_notices`` would give with these filters and no limit."""
        where, params = self._list_where(filter_text, **filters)
        return self.db.execute(f"SELECT count(*) FROM notice_summary{where}", params).fetchone()[0]

    def notice_summary(self, notice_id: int) -> dict | None:
        """One notice's list row (the shape of ``list_notices`` items), or None if it is gone;
        the window refreshes that one row after a change."""
        row = self.db.execute(
            f"SELECT notice_id, {', '.join(SUMMARY_COLUMNS)} FROM notice_summary "
            "WHERE notice_id = ?", [notice_id]).fetchone()
        return dict(zip(LIST_KEYS, row)) if row else None

    def notice_kinds(self) -> list[str]:
        """The kinds (巡视, 巡察, …) present, for a filter's choices."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT kind FROM notice_summary WHERE kind IS NOT NULL ORDER BY kind")]
