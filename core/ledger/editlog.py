"""The 修改记录 sheet."""
from __future__ import annotations

from core.ledger.columns import COLUMNS, Column, notice_name
from core.ledger.sheet import _Sheet

LOG_SHEET = "修改记录"

FIELD_NAMES = {c.key: c.header for c in COLUMNS} | {
    "text": "措施内容", "span": "原文位置", "issuer": "被巡视巡察单位", "inspector": "巡视巡察组",
    "kind": "类型", "published": "通报日期", "feedback_date": "反馈时间", "review_status": "审核状态",
    "inspection_start": "开始时间", "inspection_end": "结束时间", "round": "轮次",
}
ENTITY_NAMES = {"notice": "通报", "problem": "问题", "measure": "措施"}


def _write_log(book, notices, edit_logs):
    columns = [Column("notice", "通报", 30), Column("at", "时间", 19), Column("reviewer", "审核人", 9),
               Column("entity", "对象", 6), Column("row_id", "编号", 7), Column("field", "字段", 12),
               Column("old", "原值", 36), Column("new", "新值", 36), Column("action", "操作", 10),
               Column("undone", "已撤销", 7)]
    names = {n.get("id"): notice_name(n) for n in notices}
    sheet = _Sheet(book, LOG_SHEET, columns, header_row=1)
    sheet.header()
    for notice_id, rows in edit_logs.items():
        for log in rows:
            values = {
                **{k: "" if log.get(k) is None else str(log.get(k)) for k in ("at", "reviewer", "old", "new", "action")},
                "notice": names.get(notice_id, str(notice_id)),
                "entity": ENTITY_NAMES.get(log.get("entity"), log.get("entity") or ""),
                "row_id": log.get("row_id"),
                "field": FIELD_NAMES.get(log.get("field"), log.get("field") or ""),
                "undone": "是" if log.get("undone") else "否",
            }
            sheet.data_row(values)
    sheet.finish()

