"""Row identity for the way back: a hidden, protected sheet that maps each data row's key (in
the data sheet's hidden last column) to notice, problem and measure ids, with the values the
export wrote, so a merge can tell what the unit changed from what changed in the program since.

Sheet 台账标识: row 1 the format mark, the export's time, the database id, profile and layout;
row 2 the headers; then one row per data row: key, notice, problem, measure, and a JSON object
with the sheet, the row's parts (which cells continue a long item, 续) and, on an item's first
row, the exported values.
"""
from __future__ import annotations

import json

from core.ledger.sheet import _Rows, _value

IDENTITY_SHEET = "台账标识"
FORMAT_MARK = "zgtz-ledger/1"
HEADERS = ("行标识", "通报", "问题", "措施", "工作表、分段与导出时的值")
# What a unit may fill in and the merge brings back: column key -> (entity, field).
PROBLEM_FIELDS = ("rectify_type", "leader", "units", "person", "deadline", "status", "effect",
                  "closed", "closed_at", "remark")
MEASURE_FIELDS = {"measures": "text", "status": "status", "progress": "progress", "units": "units",
                  "person": "person", "deadline": "deadline"}
SHEET_PASSWORD = "zgtz"  # keeps the sheet from casual edits; not a secret


class Identity:
    """Collects the keys of one export and writes the sheet at the end."""

    def __init__(self, *, exported_at: str, database_id: str | None, profile: str, layout: str):
        self.meta = [FORMAT_MARK, exported_at, database_id or "", profile, layout]
        self.rows = []

    def key(self, sheet: str, notice_id, problem_id, measure_id, parts: dict, base: dict | None) -> str:
        key = f"R{len(self.rows) + 1}"
        info = {"sheet": sheet, "parts": parts}
        if base:
            info["base"] = base
        self.rows.append([key, notice_id, problem_id, measure_id, json.dumps(info, ensure_ascii=False, default=str)])
        return key

    def write(self, book) -> None:
        ws = book.wb.create_sheet(title=IDENTITY_SHEET)
        ws.sheet_state = "hidden"
        ws.protection.sheet = True
        ws.protection.password = SHEET_PASSWORD
        rows = _Rows(ws)
        # Unstyled cells; numbers as numbers, text always text (never read as a formula), XML-clean.
        for number, row in enumerate([self.meta, list(HEADERS), *self.rows], 1):
            rows.append(number, [None if v is None else (_value(v), None) for v in row])
        rows.close()


DATABASE_ID = "database_id"  # store setting: which database a returned ledger belongs to


def database_id(store) -> str:
    """The database's own id (made once and kept as a store setting), written into each ledger so
    a returned file is merged only into the database it came from."""
    value = store.get_setting(DATABASE_ID)
    if not value:
        import uuid

        value = uuid.uuid4().hex
        store.set_setting(DATABASE_ID, value)
    return value


def has_ids(notices) -> bool:
    """Only records that came from a database can go back into one."""
    return all(n.get("id") is not None for n in notices)
