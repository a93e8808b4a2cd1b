"""Reading notices and problems back as the records of docs/architecture.md; settings."""
from __future__ import annotations

import datetime as dt
import json

from core.deadline import deadline_warning
from core.store_schema import MEASURE_EXTRACTED, MEASURE_LEDGER, NOTICE_META, PROBLEM_EXTRACTED, PROBLEM_LEDGER


class ReadsMixin:
    def notice_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM notices ORDER BY id")]

    def get_notice(self, notice_id: int, *, today: dt.date | None = None) -> dict:
        n = self._row("notice", notice_id)
        self._notice_text_cache = (notice_id, n["text"])   # its measures' texts are cut from it
        record = {"id": n["id"], **{f: n[f] for f in NOTICE_META}, "text": n["text"],
                  "source": {"path": n["source_path"], "name": n["source_name"],
                             "sha256": n["sha256"], "encoding": n["encoding"],
                             "format": n["format"]},
                  "imported_at": n["imported_at"], "reviewed_at": n["reviewed_at"],
                  "review_status": n["review_status"], "warnings": n["warnings"],
                  "uncertain": n["uncertain"] or [],   # OCR's low-confidence spans
                  **_edited(n, NOTICE_META)}
        record["outcomes"] = [
            {"id": r[0], "text": r[1], "quantity": r[2], "unit": r[3],
             "span": [r[4], r[5]] if r[4] is not None else None}
            for r in self.db.execute(
                "SELECT id, text, quantity, unit, span_start, span_end FROM outcomes "
                "WHERE notice_id = ? ORDER BY position", [notice_id])
        ]
        record["problems"] = self._problem_records(notice_id, today=today)
        return record

    def get_problem(self, problem_id: int, *, today: dt.date | None = None) -> dict:
        """One problem record, in the shape of ``get_notice()["problems"]`` items (with its
        current ``seq``), so a window can refresh the problem an edit touched."""
        notice_id = self._notice_of("problem", problem_id)
        return self._problem_records(notice_id, problem_id=problem_id, today=today)[0]

    def _problem_records(self, notice_id: int, *, problem_id: int | None = None,
                         today: dt.date | None = None) -> list[dict]:
        """The notice's problem records in order, or only ``problem_id``'s."""
        only = "" if problem_id is None else " AND problem_id = ?"
        params = [notice_id] if problem_id is None else [notice_id, problem_id]
        evidence: dict[int, list] = {}
        for e in self._rows("evidence", f"notice_id = ? AND NOT deleted{only} ORDER BY id", params):
            evidence.setdefault(e["problem_id"], []).append(
                {k: e[k] for k in ("id", "name", "path", "added_at")})
        measures: dict[int, list] = {}
        for m in self._rows("measure", f"notice_id = ? AND NOT deleted{only} ORDER BY position, id",
                            params):
            group = measures.setdefault(m["problem_id"], [])
            group.append({"id": m["id"], "problem_id": m["problem_id"], "seq": len(group) + 1,
                          **{f: m[f] for f in MEASURE_EXTRACTED}, **{f: m[f] for f in MEASURE_LEDGER},
                          "checked": m["checked"],
                          "checked_at": m["checked_at"], "origin": m["origin"],
                          **_edited(m, MEASURE_EXTRACTED)})
        if problem_id is None:
            rows = enumerate(self._rows(
                "problem", "notice_id = ? AND NOT deleted ORDER BY position, id", [notice_id]), 1)
        else:
            p = self._row("problem", problem_id)
            seq = self._scalar(
                "SELECT count(*) FROM problems WHERE notice_id = ? AND NOT deleted "
                "AND (position < ? OR (position = ? AND id <= ?))",
                [notice_id, p["position"], p["position"], problem_id])
            rows = [(seq, p)]
        problems = []
        for seq, p in rows:
            problems.append({
                "id": p["id"], "notice_id": notice_id, "seq": seq,
                **{f: p[f] for f in ("number", "category", "group", "title", "span",
                                     "title_span", "confidence", *PROBLEM_LEDGER,
                                     "checked", "checked_at", "origin")},
                "warning": deadline_warning(p["deadline"], p["status"], p["closed"], today),
                "evidence": evidence.get(p["id"], []),
                **_edited(p, PROBLEM_EXTRACTED),
                "measures": measures.get(p["id"], []),
            })
        return problems

    def get_setting(self, key: str, default=None):
        """A value remembered in the database (any JSON value), or ``default``."""
        value = self._scalar("SELECT value FROM settings WHERE key = ?", [key])
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value) -> None:
        with self.db.atomic():
            self.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                            [key, json.dumps(value, ensure_ascii=False)])


def _edited(row: dict, fields) -> dict:
    extracted = row["extracted"]
    edited = [f for f in fields if f in extracted and row[f] != extracted[f]]
    return {"edited_fields": edited, "extracted": {f: extracted[f] for f in edited}}
