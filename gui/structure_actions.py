"""The structural corrections of issue 12 in the window: each fixes one structural mistake of
the extractor with one store call through ``Corrections.call``, so one undoable entry of 修改记录.

- 调整层级…: the notice's numbering levels with an example each and the other readings of them,
  best first with their scores; picking one reads the notice that way (``Store.relevel``).
- 设置类别… / 设置分组…: one value for all problems selected in the tree (multi-select with
  Ctrl/Shift-click; a selected measure stands for its problem) (``set_category``).
- 按编号拆分措施: the current measure cut at every 一是/①/（1） item, else every ；
  (``split_measure_runs``).
- 设为类别标题 / 类别标题恢复为问题: the current problem becomes the 类别 of the problems under
  it, and back (``make_heading``, ``restore_heading``).
- 删除非问题的标题: the selected problems (an organisational 1.–5. item) go with their measures
  (``drop_problems``).
- A notice read with its 发布单位's remembered 调整层级 choice (``Store.remembered_layout``)
  says so in the hint line when it is shown (``notice_shown``).

``StructureActions(window)`` adds the actions to ``window.actions`` and a 结构 menu before 帮助,
and makes the tree multi-select; ``tree_menu()`` lists them for the tree's context menu and
``update_actions(found)`` enables them. The store services are ``core/store_structure.py`` and
``core/store_relevel.py``.
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QInputDialog, QMenu

from core.labels import is_layout_note

STATUS_MS = 5000

# name, text, method of StructureActions, shortcut or None, status tip
ACTIONS = [
    ("relevel", "调整层级…", "relevel", "Ctrl+Shift+L", "按另一种层级读法重新识别本通报（可撤销）"),
    ("set_category", "设置类别…", "set_category", "Ctrl+Shift+C", "为所选的全部问题设置同一个类别"),
    ("set_group", "设置分组…", "set_group", "Ctrl+Shift+G", "为所选的全部问题设置同一个分组（问题组）"),
    ("split_runs", "按编号拆分措施", "split_runs", "Ctrl+Alt+S",
     "在措施中每个“一是、二是”“①②”“（1）（2）”处拆开；没有编号时在每个分号处拆开"),
    ("make_heading", "设为类别标题", "make_heading", "Ctrl+Shift+H",
     "这一项不是问题而是类别标题：把它的标题作为其后问题的类别（到下一个同级标题为止）"),
    ("restore_heading", "类别标题恢复为问题", "restore_heading", None,
     "撤回“设为类别标题”：把当前问题所属的类别标题恢复为问题"),
    ("drop_problems", "删除非问题的标题", "drop_problems", "Ctrl+Shift+Delete",
     "所选的项不是问题（如“组织领导”下的条目）：连同其措施一起删除"),
]
MENU_TITLE = "结构(&T)"
MENU = ["relevel", None, "set_category", "set_group", None, "make_heading", "restore_heading",
        "drop_problems", None, "split_runs"]
TREE_MENU = [None, "set_category", "set_group", "make_heading", "restore_heading",
             "drop_problems", "split_runs"]
BEFORE_MENU = "帮助(&H)"   # the 结构 menu goes before it
FIELD_WORD = {"category": "类别", "group": "分组"}


def ask_value(parent, title: str, label: str, choices: list[str], current: str) -> str | None:
    """The value typed or picked (may be empty: clears the field), or None when cancelled."""
    items = list(dict.fromkeys([current, *choices]))
    text, ok = QInputDialog.getItem(parent, title, label, items, 0, True)
    return text if ok else None


def describe_layout(layout: dict) -> str:
    """The levels of a notice as the reviewer reads them: 类别：（一）政治建设方面（共3项）…"""
    lines = [f"{lv['name']}：{lv['example']}（共{lv['count']}项）" for lv in layout.get("levels") or []]
    return "\n".join(lines) or "未识别出编号层级。"


class StructureActions(QObject):
    """Works on ``window``'s shown notice and the problems selected in its tree."""

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.actions: dict[str, QAction] = {}
        for name, text, method, shortcut, tip in ACTIONS:
            action = QAction(text, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setStatusTip(tip)
            action.setToolTip(tip)
            action.triggered.connect(lambda _checked=False, m=method: getattr(self, m)())
            self.actions[name] = action
        window.actions.update(self.actions)
        bar = window.menuBar()
        before = next((a for a in bar.actions() if a.text() == BEFORE_MENU), None)
        menu = QMenu(MENU_TITLE, bar)
        if before is not None:
            bar.insertMenu(before, menu)
        else:
            bar.addMenu(menu)
        for name in MENU:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions[name])
        window.problem_panel.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self._hinting: str | None = None   # the layout note the hint line shows

    def notice_shown(self, notice: dict | None) -> None:
        """A notice read with its 发布单位's remembered 调整层级 choice says so in the hint line
        (the note is also the first of its warnings under 通报信息)."""
        note = next((w for w in (notice or {}).get("warnings") or [] if is_layout_note(w)), None)
        banner = self.w.hint_banner
        if note:
            banner.show_hint(note)
        elif self._hinting and banner.label.text() == self._hinting:
            banner.hide()
        self._hinting = note

    def tree_menu(self) -> list:
        """The structural actions for the tree's context menu (None for a separator)."""
        return [None if name is None else self.actions[name] for name in TREE_MENU]

    def update_actions(self, found) -> None:
        """Enable the actions for the current item ``found`` (an ``Item`` or None)."""
        entity = found.entity if found else None
        enabled = {"relevel": self.w.notice is not None,
                   "set_category": found is not None, "set_group": found is not None,
                   "split_runs": entity == "measure", "make_heading": entity == "problem",
                   "restore_heading": found is not None, "drop_problems": found is not None}
        for name, on in enabled.items():
            self.actions[name].setEnabled(bool(on))

    def _status(self, text: str) -> None:
        self.w.statusBar().showMessage(text, STATUS_MS)

    def selected_problems(self) -> list[dict]:
        """The problems selected in the tree (a selected measure stands for its problem), in
        the notice's order; the current problem when nothing is selected."""
        panel = self.w.problem_panel
        chosen = set()
        for index in panel.tree.selectionModel().selectedRows(0):
            found = panel.model.item(panel.proxy.mapToSource(index))
            if found:
                chosen.add(found.row["id"] if found.entity == "problem" else found.row["problem_id"])
        if not chosen:
            current = panel.current_problem()
            return [current] if current else []
        return [p for p in panel.model.problems() if p["id"] in chosen]

    # --- 调整层级 -------------------------------------------------------------------------------
    def relevel(self) -> None:
        notice = self.w.notice
        if not notice:
            return
        from core.extract import extract  # after the first paint (tests/gui/test_app.py)

        layout = extract(notice["text"], title_hint=notice.get("title"))["layout"]
        choices = layout.get("alternatives") or []
        if not choices:
            self._status("本通报只有一种层级读法。")
            return
        items = [f"{c['label']}（{c['problems']}个问题，得分{c['score']:g}）" for c in choices]
        prompt = f"当前识别的层级：\n{describe_layout(layout)}\n\n选择另一种读法："
        chosen, ok = QInputDialog.getItem(self.w, "调整层级", prompt, items, 0, False)
        if not ok:
            return
        choice = choices[items.index(chosen)]
        change = self.w.corrections.call(self.w.store.relevel, notice["id"], choice["name"])
        if change:
            counts = change["counts"]
            self.w.statusBar().showMessage(
                f"已按“{choice['label']}”重新识别：保留人工修改过的{counts['kept']}个问题，"
                f"移除{counts['removed']}个，新增{counts['added']}个（可撤销）；"
                "同一发布单位以后导入的编号相同的通报也将按此读法识别", 8000)

    # --- 类别/分组 of the selected problems ------------------------------------------------------
    def set_category(self) -> None:
        self._set_grouping("category")

    def set_group(self) -> None:
        self._set_grouping("group")

    def _set_grouping(self, field: str) -> None:
        problems = self.selected_problems()
        if not problems or not self.w.notice:
            return
        word = FIELD_WORD[field]
        choices = sorted({p[field] for p in self.w.notice["problems"] if p.get(field)})
        value = ask_value(self.w, f"设置{word}", f"所选 {len(problems)} 个问题的{word}（留空则清除）：",
                          choices, problems[0].get(field) or "")
        if value is None:
            return
        if self.w.corrections.call(self.w.store.set_category, [p["id"] for p in problems], value,
                                   field=field):
            self._status(f"已设置 {len(problems)} 个问题的{word}")

    # --- a measure split at its run ----------------------------------------------------------
    def split_runs(self) -> None:
        found = self.w.current_item()
        if not found or found.entity != "measure":
            return
        change = self.w.corrections.call(self.w.store.split_measure_runs, found.row["id"], select=True)
        if change:
            self._status(f"已拆为 {len(change['new_ids']) + 1} 条措施")

    # --- headings --------------------------------------------------------------------------------
    def make_heading(self) -> None:
        found = self.w.current_item()
        if not found or found.entity != "problem":
            return
        change = self.w.corrections.call(self.w.store.make_heading, found.row["id"])
        if change:
            self.w.select_item("problem", change["row_ids"][0])
            self._status(f"“{found.row['title']}”已改作类别，其后 {len(change['row_ids'])} 个问题归入此类别")

    def restore_heading(self) -> None:
        problem = self.w.problem_panel.current_problem()
        if problem:
            self.w.corrections.call(self.w.store.restore_heading, problem["id"], select=True)

    def drop_problems(self) -> None:
        problems = self.selected_problems()
        if not problems:
            return
        notice = self.w.notice
        at = min(notice["problems"].index(p) for p in problems) if notice else 0
        if self.w.corrections.call(self.w.store.drop_problems, [p["id"] for p in problems]):
            left = self.w.notice["problems"]
            if left:
                self.w.select_item("problem", left[min(at, len(left) - 1)]["id"])
            self._status(f"已删除 {len(problems)} 项（连同其措施），可以撤销")
