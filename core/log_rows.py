"""The edit log as a person reads it: one row per correction, in Chinese.

``edit_log_rows(log, notice)`` turns ``Store.edit_log()`` steps into the rows both the window's
修改记录 tab and the exported 修改记录 sheet show: the action's Chinese name, the item by its
number (问题 3, 问题 3 措施 2) and field (问题 3 的“责任单位”), values as a person reads them,
and the store's bookkeeping steps (order, 核对时间, moved measures) folded into their correction.
"""
from __future__ import annotations

from core.labels import ENTITY, EMPTY, action_label, field_label, notice_name, value_text

# steps the store logs alongside the reviewer's change
BOOKKEEPING = {"checked_at", "position", "touched", "problem_id"}
STRUCTURE = {"add_problem", "add_measure", "split_measure", "split_problem", "merge_with_next",
             "delete", "move", "set_checked", "finish_review", "reextract", "add_evidence",
             "remove_evidence"}
STRUCTURAL = {"set_category", "split_measure_runs", "make_heading", "restore_heading",
              "drop_problems"}   # core/store_structure.py
LISTED = 5   # problems named one by one in a structural correction's row, the rest counted


def edit_log_rows(log: list[dict], notice: dict | None = None) -> list[dict]:
    """One row per correction (log group), oldest first:
    ``{"group", "at", "reviewer", "action", "target", "change", "undone", "entity", "row_id",
    "notice"}``. ``entity``/``row_id`` is the item to jump to; ``notice`` the notice's name.

    Steps from ``Store.edit_log()`` carry ``item`` (where the row stands now); for steps without
    it the items are found in ``notice`` (a ``get_notice()`` record) when given."""
    fallback = _places_in(notice or {})
    groups: dict = {}
    for entry in log:
        groups.setdefault(entry.get("group", entry.get("id")), []).append(entry)
    rows = []
    for group, entries in groups.items():
        first = entries[0]
        action = first.get("action")
        target, change, jump = _describe(action, entries, lambda e: _place(e, fallback))
        rows.append({
            "group": group, "at": (first.get("at") or "").replace("T", " ")[:16],
            "reviewer": first.get("reviewer") or "", "action": action_label(action),
            "target": target, "change": change, "undone": bool(first.get("undone")),
            "entity": jump[0], "row_id": jump[1],
            "notice": notice_name(notice) if notice else "",
        })
    return rows


def _places_in(notice: dict) -> dict:
    places = {}
    for p in notice.get("problems") or []:
        places["problem", p["id"]] = {"problem": p.get("seq"), "measure": None, "deleted": False,
                                      "text": p.get("title"), "problem_id": p["id"]}
        for m in p.get("measures") or []:
            places["measure", m["id"]] = {"problem": p.get("seq"), "measure": m.get("seq"),
                                          "deleted": False, "text": m.get("text"),
                                          "problem_id": p["id"]}
        for e in p.get("evidence") or []:
            places["evidence", e["id"]] = {"problem": p.get("seq"), "measure": None,
                                           "deleted": False, "name": e.get("name"),
                                           "text": e.get("name"), "problem_id": p["id"]}
    return places


def _place(entry: dict, fallback: dict) -> dict | None:
    if entry.get("entity") == "notice":
        return None
    return entry.get("item") or fallback.get((entry.get("entity"), entry.get("row_id")))


def _name(entity: str, place: dict | None, *, marked: bool = True) -> str:
    """问题 3, 问题 3 措施 2, 问题 3 的佐证材料; the notice is 通报."""
    if entity == "notice":
        return "通报"
    word = ENTITY.get(entity, entity)
    if not place or place.get("problem") is None:
        return f"{word}（已不在通报中）"
    name = f"问题 {place['problem']}"
    if entity == "measure":
        name += f" 措施 {place['measure']}"
    elif entity == "evidence":
        name = _of(name, "佐证材料")
    if marked and place.get("deleted"):
        name += "（已删除）"
    return name


def _of(name: str, what: str) -> str:
    """问题 3 的“责任单位”, 通报的“标题”."""
    return f"{name} 的{what}" if name[-1:].isdigit() else f"{name}的{what}"


def _fields_change(entries: list[dict]) -> str:
    """责任单位：甲局 → 乙局；标题：… → … for the reviewer-visible steps."""
    parts = []
    for e in entries:
        field = e.get("field")
        label = field_label(field, e.get("entity"))
        if field == "deleted":
            parts.append("删除" if e.get("new") else "恢复已删除的项")
        else:
            parts.append(f"{label}：{value_text(e.get('old'), field)} → "
                         f"{value_text(e.get('new'), field)}")
    return "；".join(parts)


def _describe(action: str, entries: list[dict], place_of) -> tuple[str, str, tuple]:
    """(对象, 修改内容, the item to jump to) of one correction."""
    subject = entries[0]
    entity, row_id = subject.get("entity"), subject.get("row_id")
    own = [e for e in entries if (e.get("entity"), e.get("row_id")) == (entity, row_id)]
    shown = [e for e in own if e.get("field") not in BOOKKEEPING]
    created = [e for e in entries if e.get("field") == "*"]
    name = _name(entity, place_of(subject), marked=action != "delete")
    jump = (entity, row_id)

    if action in STRUCTURAL:
        return _describe_structural(action, entries, place_of, jump)
    if action in ("update_field", "revert_field") and len(shown) == 1:
        e = shown[0]
        field = e.get("field")
        return (_of(name, f"“{field_label(field, entity)}”"),
                f"{value_text(e.get('old'), field)} → {value_text(e.get('new'), field)}", jump)
    if action == "reextract":
        return "通报", "用当前的提取程序重新识别了全文（审核人改过的内容保留）", jump
    if action == "finish_review":
        return "通报", "标为已审核", jump
    if action == "set_checked":
        checked = next((e.get("new") for e in own if e.get("field") == "checked"), None)
        return name, "已核对" if checked else "取消核对", jump
    if action in ("add_problem", "add_measure") and created:
        return name, f"新增：{value_text(created[0].get('new'))}", jump
    if action == "delete":
        text = (place_of(subject) or {}).get("text")
        return name, f"删除：{text}" if text else "删除", jump
    if action == "move":
        pos = next((e for e in own if e.get("field") == "position"), None)
        if pos and pos.get("old") is not None and pos.get("new") is not None:
            way = "上移" if pos["new"] < pos["old"] else "下移"
            return name, f"{way}到{value_text(pos['new'], 'position')}", jump
        return name, "移动", jump
    if action in ("split_measure", "split_problem"):
        new = next((e for e in created if e.get("entity") in ("problem", "measure")), None)
        if new is None:
            return name, _fields_change(shown) or action_label(action), jump
        new_name = _name(new["entity"], place_of(new))
        what = "后半段文字" if action == "split_measure" else "后面的措施"
        return name, f"{what}拆为{new_name}", jump
    if action == "merge_with_next":
        return name, "把下一项并入本项", jump
    if action in ("add_evidence", "remove_evidence"):
        place = place_of(subject) or {}
        file_name = place.get("name") or value_text((created[0].get("new") if created else None))
        owner = _name("problem", place, marked=False) if place else "问题（已不在通报中）"
        jump = ("problem", place.get("problem_id")) if place.get("problem_id") else jump
        verb = "添加" if action == "add_evidence" else "移除"
        return _of(owner, "佐证材料"), f"{verb}“{file_name}”", jump
    if action == "revert_item" and shown and all(e.get("field") == "deleted" for e in shown):
        return name, "删除（这一项是审核人新增的）" if shown[0].get("new") else "恢复已删除的项", jump
    # revert_item, reanchor and anything else: every field the correction changed
    change = _fields_change(shown) or (EMPTY if action not in STRUCTURE else action_label(action))
    return name, change, jump


def _problems_named(entries: list[dict], place_of) -> str:
    """问题 2、3、5 (or 问题 2、3、5、6、7 等 9 个问题) for the problems of ``entries``."""
    numbers = []
    for e in entries:
        number = (place_of(e) or {}).get("problem")
        if number is not None and number not in numbers:
            numbers.append(number)
    if not numbers:
        return "问题（已不在通报中）"
    shown = "、".join(str(n) for n in numbers[:LISTED])
    return f"问题 {shown}" + (f" 等 {len(numbers)} 个问题" if len(numbers) > LISTED else "")


def _describe_structural(action: str, entries: list[dict], place_of, jump) -> tuple[str, str, tuple]:
    """(对象, 修改内容, jump) of a structural correction (core/store_structure.py)."""
    subject = entries[0]
    grouping = [e for e in entries if e.get("entity") == "problem"
                and e.get("field") in ("category", "group")]
    dropped = [e for e in entries if e.get("field") == "deleted" and e.get("new")]
    measures = sum(e.get("entity") == "measure" for e in dropped)
    along = f"（连同措施 {measures} 条）" if measures else ""
    if action == "set_category":
        field = grouping[0]["field"] if grouping else "category"
        olds = "、".join(dict.fromkeys(value_text(e.get("old")) for e in grouping)) or EMPTY
        new = value_text(grouping[0].get("new")) if grouping else EMPTY
        return (_problems_named(grouping, place_of),
                f"{field_label(field, 'problem')}：{olds} → {new}", jump)
    name = _name(subject.get("entity"), place_of(subject), marked=False)
    if action == "split_measure_runs":
        pieces = 1 + sum(e.get("field") == "*" for e in entries)
        return name, f"按编号拆为 {pieces} 条措施", jump
    if action == "make_heading":
        title = value_text(grouping[0].get("new")) if grouping else EMPTY
        word = field_label(grouping[0]["field"] if grouping else "category", "problem")
        return (name, f"改作{word}标题“{title}”，{_problems_named(grouping, place_of)}归入此"
                      f"{word}{along}", jump)
    if action == "restore_heading":
        title = (place_of(subject) or {}).get("text") or EMPTY
        restored = sum(e.get("entity") == "measure" for e in entries if e.get("field") == "deleted")
        back = f"，{_problems_named(grouping, place_of)}的类别还原" if grouping else ""
        with_measures = f"（连同措施 {restored} 条）" if restored else ""
        return name, f"“{title}”恢复为问题{with_measures}{back}", jump
    # drop_problems
    titles = "；".join(str((place_of(e) or {}).get("text") or EMPTY)
                      for e in dropped if e.get("entity") == "problem")
    problems = [e for e in dropped if e.get("entity") == "problem"]
    # deleted problems are numbered where each alone would come back: name several by count
    target = name if len(problems) == 1 else f"{len(problems)} 个问题"
    return target, f"删除：{titles}{along}", jump
