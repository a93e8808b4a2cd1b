"""The structural corrections in the window (issue 12): each fixes one structural mistake of
the extractor with one store call (``core/store_structure.py``), so one undo step.

设置类别/设置问题组 for all problems selected in the tree (multi-select with Ctrl/Shift), 按编号拆分
措施 (every 一是/①/（1） item, else every ；), 设为类别标题 and back, 删除非问题的标题. ``install``
adds the actions to the window's action table and a 结构 menu, makes the tree multi-select and
returns the actions for the tree's context menu; ``update_actions`` enables them.
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QInputDialog, QMenu

STATUS_MS = 5000

# name, text, method of StructureCorrections, shortcut or None, status tip
ACTIONS = [
    ("set_category", "设置类别…", "set_category", "Ctrl+Shift+C", "为所选的全部问题设置同一个类别"),
    ("set_group", "设置问题组…", "set_group", "Ctrl+Shift+G", "为所选的全部问题设置同一个问题组"),
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
MENU = ["set_category", "set_group", None, "make_heading", "restore_heading", "drop_problems",
        None, "split_runs"]
TREE_MENU = [None, "set_category", "set_group", "make_heading", "restore_heading",
             "drop_problems", "split_runs"]
BEFORE_MENU = "帮助(&H)"   # the 结构 menu goes before it
FIELD_WORD = {"category": "类别", "group": "问题组"}


def ask_value(parent, title: str, label: str, choices: list[str], current: str) -> str | None:
    """The value typed or picked (may be empty: clears the field), or None when cancelled."""
    items = list(dict.fromkeys([current, *choices]))
    text, ok = QInputDialog.getItem(parent, title, label, items, 0, True)
    return text if ok else None


class StructureCorrections(QObject):
    """Works on ``window``'s shown notice and the problems selected in its tree."""

    def __init__(self, window):
        super().__init__(window)
        self.w = window

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

    # --- 类别/问题组 of the selected problems ----------------------------------------------------
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


def install(window) -> list:
    """Add the structural actions to ``window.actions`` and a 结构 menu; the tree selects many
    rows. Returns the actions for the tree's context menu (None for a separator)."""
    window.structure = StructureCorrections(window)
    window.problem_panel.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
    for name, text, method, shortcut, tip in ACTIONS:
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False, m=method: getattr(window.structure, m)())
        window.actions[name] = action
    menu_bar = window.menuBar()
    before = next((a for a in menu_bar.actions() if a.text() == BEFORE_MENU), None)
    menu = QMenu(MENU_TITLE, menu_bar)
    if before is not None:
        menu_bar.insertMenu(before, menu)
    else:
        menu_bar.addMenu(menu)
    for name in MENU:
        if name is None:
            menu.addSeparator()
        else:
            menu.addAction(window.actions[name])
    return [None if name is None else window.actions[name] for name in TREE_MENU]


def update_actions(window, found) -> None:
    """Enable the structural actions for the current item ``found`` (an ``Item`` or None)."""
    entity = found.entity if found else None
    enabled = {"set_category": found is not None, "set_group": found is not None,
               "split_runs": entity == "measure", "make_heading": entity == "problem",
               "restore_heading": found is not None, "drop_problems": found is not None}
    for name, on in enabled.items():
        window.actions[name].setEnabled(bool(on))
