"""The 修改记录 sheet: the rows of ``core.log_rows.edit_log_rows()`` (the window's 修改记录 tab
shows the same), in Chinese, with the time as a date-time cell."""
from __future__ import annotations

import datetime as dt

from core.ledger.columns import Column
from core.ledger.sheet import _Sheet
from core.log_rows import edit_log_rows

LOG_SHEET = "修改记录"
COLUMNS = [Column("notice", "通报", 30), Column("at", "时间", 17), Column("reviewer", "审核人", 12),
           Column("action", "操作", 12), Column("target", "对象", 24), Column("change", "修改内容", 60),
           Column("undone", "已撤销", 7)]


def _write_log(book, notices, edit_logs):
    records = {n.get("id"): n for n in notices}
    sheet = _Sheet(book, LOG_SHEET, COLUMNS, header_row=1)
    sheet.header()
    for notice_id, log in edit_logs.items():
        for row in edit_log_rows(log, records.get(notice_id) or {"id": notice_id}):
            sheet.data_row(row | {"undone": "是" if row["undone"] else "否", "at": _time(row.get("at"))})
    sheet.finish()


def _time(text):
    """The log's "2026-01-02 09:00" as a date-time cell value (text if it is not one)."""
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M") if text else None
    except ValueError:
        return text
