"""The Chinese words shown about the data: entities, fields, actions, warnings, values, notice names.

Shared by the window (``gui/labels.py`` re-exports them), the ledger and the command line, so
a field or an action reads the same everywhere. The stored values themselves are in
``core/vocab.py``.
"""
from __future__ import annotations

import re

from core.vocab import WARNING_GREEN, WARNING_RED, WARNING_YELLOW

ENTITY = {"notice": "通报", "problem": "问题", "measure": "措施", "evidence": "佐证材料"}

FIELD = {
    # notice
    "title": "标题", "kind": "类型", "issuer": "发布单位", "inspector": "巡视（巡察）组", "round": "轮次",
    "inspection_start": "巡视开始", "inspection_end": "巡视结束", "feedback_date": "反馈日期",
    "published": "发布日期", "disclosure": "公示期", "contact": "联系方式", "review_status": "审核状态",
    "reviewed_at": "审核完成时间",
    # problem
    "number": "编号", "category": "类别", "group": "问题组", "status": "整改状态",
    "rectify_type": "整改类型", "deadline": "整改时限", "leader": "责任领导", "units": "责任单位",
    "person": "责任人", "effect": "整改成效", "closed": "是否销号", "closed_at": "销号时间",
    "remark": "备注", "checked": "已核对", "checked_at": "核对时间", "span": "原文位置",
    "title_span": "标题位置", "evidence": "佐证材料",
    # measure
    "text": "措施内容", "dates": "时间", "quantities": "数量", "progress": "完成情况",
    # bookkeeping
    "seq": "顺序", "position": "顺序", "problem_id": "所属问题", "deleted": "已删除", "*": "整项",
}
# where one key means something else on one entity
ENTITY_FIELD = {"evidence": {"name": "文件名"}}

ACTION = {
    "update_field": "修改", "revert_field": "恢复提取值", "revert_item": "恢复提取结果",
    "set_checked": "核对", "finish_review": "完成审核", "add_problem": "新增问题",
    "add_measure": "新增措施", "delete": "删除", "move": "移动", "reanchor": "重新定位",
    "split_measure": "拆分措施", "split_problem": "拆分问题", "merge_with_next": "与下一项合并",
    "add_evidence": "添加佐证材料", "remove_evidence": "移除佐证材料", "reextract": "重新提取",
    "set_category": "设置类别/分组", "split_measure_runs": "按编号拆分措施",
    "make_heading": "设为类别标题", "restore_heading": "类别标题恢复为问题",
    "drop_problems": "删除非问题的标题", "relevel": "调整层级",
    "undo": "撤销", "redo": "重做",
}

WARNING_TEXT = {WARNING_RED: "红色预警：已超过整改时限仍未完成",
                WARNING_YELLOW: "黄色预警：临近整改时限",
                WARNING_GREEN: "绿色：按期推进或已完成"}

EMPTY = "（空）"

# the warning of a notice read with its 发布单位's remembered 调整层级 choice (core/store_structure.py);
# the window shows it in the hint line
LAYOUT_NOTE = "已按此前对“{issuer}”通报选定的层级读法“{label}”识别（可在“结构 → 调整层级”中改回）"
_LAYOUT_NOTE_RE = re.compile("^" + re.escape(LAYOUT_NOTE).replace(r"\{issuer\}", ".+?")
                             .replace(r"\{label\}", ".+?") + "$")


def is_layout_note(warning: str | None) -> bool:
    return bool(_LAYOUT_NOTE_RE.match(warning or ""))
SPAN_FIELDS = {"span", "title_span"}


def field_label(field: str | None, entity: str | None = None) -> str:
    """The Chinese name of a field (of ``entity`` when the same key means different things)."""
    field = field or ""
    return ENTITY_FIELD.get(entity or "", {}).get(field) or FIELD.get(field, field)


def action_label(action: str | None) -> str:
    return ACTION.get(action or "", action or "")


def span_text(span) -> str:
    """A character span of the notice text as a person counts it: 第 1–12 字."""
    start, end = int(span[0]) + 1, int(span[1])
    return f"第 {start}–{end} 字" if end > start else f"第 {start} 字"


def value_text(value, field: str | None = None) -> str:
    """A stored value as a reviewer reads it: 是/否, lists joined with 、, never a Python repr."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if field in SPAN_FIELDS and isinstance(value, (list, tuple)) and len(value) == 2:
        return span_text(value)
    if field == "position" and isinstance(value, (int, float)):
        return f"第 {int(value) + 1} 位"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        for key in ("title", "text", "name"):   # a created item's snapshot, a quantity, a file
            if value.get(key):
                return str(value[key])
        if "start" in value or "end" in value:  # 公示期
            return f"{value.get('start') or '？'} 至 {value.get('end') or '？'}"
        parts = [value_text(v) for v in value.values() if v not in (None, "", [], {})]
        return "；".join(parts) or EMPTY
    if isinstance(value, (list, tuple)):
        return "、".join(value_text(v) for v in value)
    return str(value)


def notice_name(notice: dict) -> str:
    """What a person calls a notice: its title; for one without a title line the 发布单位 and
    date (中共甲区委 2024-07-18); else 通报 N. Never a file name (the title itself stays None)."""
    if notice.get("title"):
        return notice["title"]
    if notice.get("issuer"):
        return " ".join(p for p in (notice["issuer"], notice.get("published")) if p)
    return f"通报 {notice.get('id') or ''}".strip()
