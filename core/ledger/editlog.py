"""The 修改记录 sheet: the same rows as the window's 修改记录 tab (core.log_rows)."""
from __future__ import annotations

from core.ledger.columns import Column
from core.ledger.sheet import _Sheet
from core.log_rows import edit_log_rows

LOG_SHEET = "修改记录"


def _write_log(book, notices, edit_logs):
    columns = [Column("notice", "通报", 30), Column("at", "时间", 16), Column("reviewer", "审核人", 9),
               Column("action", "操作", 12), Column("target", "对象", 24), Column("change", "修改内容", 60),
               Column("undone", "已撤销", 7)]
    records = {n.get("id"): n for n in notices}
    sheet = _Sheet(book, LOG_SHEET, columns, header_row=1)
    sheet.header()
    for notice_id, log in edit_logs.items():
        for row in edit_log_rows(log, records.get(notice_id) or {"id": notice_id}):
            sheet.data_row(row | {"undone": "是" if row["undone"] else "否"})
    sheet.finish()
