"""The structural corrections of issue 12 in the window: each is one store call (one undoable
entry of 修改记录) through ``Corrections.call``, under a 结构 menu and in the problem tree's
multi-selection (Ctrl/Shift-click selects several problems).

- 调整层级…: the notice's numbering levels with an example each and the other readings of them,
  best first with their scores; picking one reads the notice that way (``Store.relevel``).
- 设为类别标题 / 类别标题恢复为问题: the current problem becomes the 类别 of the problems under
  it, and back (``make_heading``, ``restore_heading``).
- 删除非问题的标题: the selected problems (an organisational 1.–5. item) go with their measures
  (``drop_problems``).
- 设置类别… / 设置分组…: one value for all selected problems (``set_category``).
- 拆分全部措施: the current measure split at every 一是/①/（1）/；(``split_measure_runs``).

The store services are ``core/store_structure.py`` and ``core/store_relevel.py``.
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QInputDialog, QMenu


MENU_TITLE = "结构(&T)"

# name, text, method, shortcut, status tip
ACTIONS = [
    ("relevel", "调整层级…", "relevel", "Ctrl+Shift+L", "按另一种层级读法重新识别本通报（可撤销）"),
    ("make_heading", "设为类别标题", "make_heading", None, "把当前问题改为其后问题的类别标题"),
    ("restore_heading", "类别标题恢复为问题", "restore_heading", None, "把由“设为类别标题”得来的类别恢复为问题"),
    ("drop_problems", "删除非问题的标题", "drop_problems", None, "把所选的非问题标题（如组织领导情况的1.–5.）连同措施删除"),
    ("set_category", "设置所选问题的类别…", "set_category", None, "为所选的多个问题一次设置类别"),
    ("set_group", "设置所选问题的分组…", "set_group", None, "为所选的多个问题一次设置分组"),
    ("split_runs", "拆分全部措施", "split_runs", "Ctrl+Alt+S", "在一是、①、（1）或分号处把当前措施一次拆开"),
]


def describe_layout(layout: dict) -> str:
    """The levels of a notice as the reviewer reads them: 类别 （一）政治建设方面 ×3 …"""
    lines = [f"{lv['name']}：{lv['example']}（共{lv['count']}项）" for lv in layout.get("levels") or []]
    return "\n".join(lines) or "未识别出编号层级。"


class StructureActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.actions: dict[str, QAction] = {}
        for name, text, method, shortcut, tip in ACTIONS:
            action = QAction(text, window)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setStatusTip(tip)
            action.triggered.connect(lambda _checked=False, m=method: getattr(self, m)())
            self.actions[name] = action
        bar = window.menuBar()
        menu = QMenu(MENU_TITLE, bar)
        last = bar.actions()[-1] if bar.actions() else None  # before 帮助
        bar.insertMenu(last, menu) if last is not None else bar.addMenu(menu)
        for name in ("relevel", None, "make_heading", "restore_heading", "drop_problems", None,
                     "set_category", "set_group", None, "split_runs"):
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions[name])
        window.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)

    # --- what is selected -----------------------------------------------------------------
    def selected_problems(self) -> list[dict]:
        """The problems selected in the tree (a selected measure stands for its problem), in order."""
        panel = self.w.problem_panel
        ids = []
        for index in panel.tree.selectionModel().selectedRows():
            found = panel.model.item(panel.proxy.mapToSource(index))
            if found is None:
                continue
            pid = found.row["id"] if found.entity == "problem" else found.row["problem_id"]
            if pid not in ids:
                ids.append(pid)
        if not ids and panel.current_problem():
            ids = [panel.current_problem()["id"]]
        order = [p["id"] for p in (self.w.notice or {}).get("problems", [])]
        return [p for pid in sorted(ids, key=lambda i: order.index(i) if i in order else len(order))
                for p in self.w.notice["problems"] if p["id"] == pid]

    # --- the actions ----------------------------------------------------------------------
    def relevel(self) -> None:
        notice = self.w.notice
        if not notice:
            return
        from core.extract import extract  # after the first paint (tests/gui/test_app.py)

        layout = extract(notice["text"], title_hint=notice.get("title"))["layout"]
        choices = layout.get("alternatives") or []
        if not choices:
            self.w.statusBar().showMessage("本通报只有一种层级读法。", 5000)
            return
        items = [f"{c['label']}（{c['problems']}个问题，得分{c['score']:g}）" for c in choices]
        prompt = f"当前识别的层级：\n{describe_layout(layout)}\n\n选择另一种读法："
        chosen, ok = QInputDialog.getItem(self.w, "调整层级", prompt, items, 0, False)
        if not ok:
            return
        change = self.w.corrections.call(self.w.store.relevel, notice["id"], choices[items.index(chosen)]["name"])
        if change:
            counts = change["counts"]
            self.w.statusBar().showMessage(
                f"已按“{choices[items.index(chosen)]['label']}”重新识别：保留人工修改过的{counts['kept']}个问题，"
                f"移除{counts['removed']}个，新增{counts['added']}个（可撤销）", 8000)

    def make_heading(self) -> None:
        problem = self.w.problem_panel.current_problem()
        if problem:
            self.w.corrections.call(self.w.store.make_heading, problem["id"])

    def restore_heading(self) -> None:
        problem = self.w.problem_panel.current_problem()
        if problem:
            self.w.corrections.call(self.w.store.restore_heading, problem["id"])

    def drop_problems(self) -> None:
        problems = self.selected_problems()
        if problems:
            self.w.corrections.call(self.w.store.drop_problems, [p["id"] for p in problems])

    def set_category(self) -> None:
        self._set_many("category", "设置类别", "所选问题的类别（留空即清除）：")

    def set_group(self) -> None:
        self._set_many("group", "设置分组", "所选问题的分组（留空即清除）：")

    def _set_many(self, field: str, title: str, prompt: str) -> None:
        problems = self.selected_problems()
        if not problems:
            return
        value, ok = QInputDialog.getText(self.w, title, f"{len(problems)}个{prompt}", text=problems[0].get(field) or "")
        if ok:
            self.w.corrections.call(self.w.store.set_category, [p["id"] for p in problems], value.strip() or None,
                                    field=field)

    def split_runs(self) -> None:
        found = self.w.current_item()
        if found and found.entity == "measure":
            self.w.corrections.call(self.w.store.split_measure_runs, found.row["id"])
