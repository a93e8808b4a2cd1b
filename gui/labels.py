"""Chinese words for the data the store returns: field names, entities, actions, warnings."""
from __future__ import annotations

ENTITY = {"notice": "通报", "problem": "问题", "measure": "措施"}

FIELD = {
    # notice
    "title": "标题", "kind": "类型", "issuer": "发布单位", "inspector": "巡视（巡察）组", "round": "轮次",
    "inspection_start": "巡视开始", "inspection_end": "巡视结束", "feedback_date": "反馈日期",
    "published": "发布日期", "review_status": "审核状态",
    # problem
    "category": "类别", "group": "问题组", "status": "整改状态", "rectify_type": "整改类型",
    "deadline": "整改时限", "leader": "责任领导", "units": "责任单位", "person": "责任人",
    "effect": "整改成效", "closed": "是否销号", "closed_at": "销号时间", "remark": "备注",
    "checked": "已核对", "span": "原文位置", "evidence": "佐证材料",
    # measure
    "text": "措施内容", "seq": "顺序", "position": "顺序", "problem_id": "所属问题", "deleted": "已删除",
    "reviewed_at": "审核完成时间", "dates": "时间", "quantities": "数量", "*": "整项",
}

ACTION = {
    "update": "修改", "update_field": "修改", "revert": "恢复提取值", "revert_field": "恢复提取值",
    "revert_item": "恢复提取结果", "check": "核对", "set_checked": "核对", "add": "新增",
    "add_problem": "新增问题", "add_measure": "新增措施", "delete": "删除", "split": "拆分",
    "split_measure": "拆分措施", "split_problem": "拆分问题", "merge": "合并", "merge_with_next": "与下一项合并",
    "move": "移动", "reanchor": "重新定位", "finish_review": "完成审核", "add_evidence": "添加佐证材料",
    "remove_evidence": "移除佐证材料", "reextract": "重新提取", "undo": "撤销", "redo": "重做",
}

STATUSES = ["已完成", "推进中", "长期坚持"]
RECTIFY_TYPES = ["立行立改", "限期整改", "长期坚持"]
REVIEW_STATUSES = ["待审核", "审核中", "已审核"]

WARNING_TEXT = {"红": "红色预警：已超过整改时限仍未完成", "黄": "黄色预警：临近整改时限",
                "绿": "绿色：按期推进或已完成"}


def warning_mark(warning: str | None) -> str:
    return f"● {warning}" if warning else ""


def field_label(field: str | None) -> str:
    return FIELD.get(field or "", field or "")


def action_label(action: str | None) -> str:
    return ACTION.get(action or "", action or "")


def value_text(value) -> str:
    """A stored value as a reviewer reads it in the edit log and tooltips."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):  # a created item's snapshot
        return str(value.get("title") or value.get("text") or value.get("name") or "（新建）")
    if isinstance(value, (list, tuple)):
        return "、".join(value_text(v) for v in value)
    return str(value)


def notice_name(notice: dict) -> str:
    """A notice's title, or for one without a title line a name the reviewer recognises:
    the issuer's notice, the source file's name, or its number (the title itself stays None)."""
    if notice.get("title"):
        return notice["title"]
    if notice.get("issuer"):
        return f"{notice['issuer']}通报"
    source = (notice.get("source") or {}).get("name") or notice.get("source_name")
    return source or f"通报 {notice['id']}"
