"""The main window's actions as one table (name, text, slot, shortcuts, tip), its menus and the
problem tree's context menu. A slot is a method name on the window (dotted for its parts, e.g.
``corrections.undo``) or a callable taking the window."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence


def _merge_ledger(window) -> None:
    from gui.merge_dialog import open_from_window   # loaded on first use

    open_from_window(window)


# name, text, slot, shortcut(s) or None, status tip or None
ACTIONS = [
    ("open", "打开文件…", "runner.open_files", QKeySequence.Open, "导入一个或多个通报文件"),
    ("import_folder", "导入文件夹…", "runner.import_folder", None, "导入文件夹中的全部通报"),
    ("paste", "粘贴通报", "runner.paste", "Ctrl+Shift+V", "把剪贴板中的通报全文作为新通报导入"),
    ("export", "导出台账…", "export_ledger", "Ctrl+E", "把通报导出为 Excel 台账"),
    ("merge_ledger", "合并回填台账…", _merge_ledger, None, "把各单位填好的台账合并回程序：先预览修改和冲突，确认后应用，可撤销"),
    ("preferences", "首选项…", "show_preferences", "Ctrl+,", "审核人、台账数据库文件夹、默认导出版式"),
    ("delete_notice", "删除通报…", "delete_notice", None, "从台账中删除当前通报（不能撤销）"),
    ("quit", "退出", "close", QKeySequence.Quit, None),
    ("undo", "撤销", "corrections.undo", QKeySequence.Undo, None),
    ("redo", "重做", "corrections.redo", ["Ctrl+Shift+Z", "Ctrl+Y"], None),
    ("edit_cell", "编辑单元格", "corrections.edit_current_cell", ["Return", "Enter"], None),
    ("check_next", "标记已核对并转到下一项", "corrections.check_and_next", ["Ctrl+Return", "Ctrl+Enter"], None),
    ("add_problem", "新增问题", "corrections.add_problem", "Ctrl+Shift+N", None),
    ("add_measure", "新增措施", "corrections.add_measure", "Ctrl+N", None),
    ("delete", "删除所选项", "corrections.delete_item", QKeySequence.Delete, None),
    ("split", "在光标处拆分措施", "corrections.split_at_cursor", "Ctrl+Shift+S", None),
    ("split_problem", "从此措施起拆为新问题", "corrections.split_problem", None, None),
    ("merge", "与下一项合并", "corrections.merge_with_next", "Ctrl+Shift+M", None),
    ("move_up", "上移", lambda w: w.corrections.move_item(-1), "Alt+Up", None),
    ("move_down", "下移", lambda w: w.corrections.move_item(1), "Alt+Down", None),
    ("as_problem", "设为新问题", "corrections.selection_as_problem", None, "把原文中选中的文字设为一个新问题"),
    ("as_measure", "添加为措施", "corrections.selection_as_measure", None, "把原文中选中的文字添加为当前问题的措施"),
    ("reanchor", "重新定位到所选文字", "corrections.reanchor_to_selection", None, "把当前项在原文中的位置改为选中的文字"),
    ("revert_field", "恢复提取值", "corrections.revert_field", None, "撤回对当前单元格的修改，恢复提取出的值"),
    ("revert_item", "恢复提取结果", "corrections.revert_item", None, "撤回对当前项的全部修改"),
    ("find", "在本通报中查找", "start_find", QKeySequence.Find, None),
    ("search_all", "在全部通报中搜索…", "search_all", "Ctrl+Shift+F", None),
    ("reextract", "重新提取…", "corrections.reextract", "F5", "用当前的提取程序重新识别本通报，保留人工修改"),
    ("finish_review", "完成审核", "corrections.finish_review", None, "把当前通报标为已审核"),
    ("clear_filters", "显示全部问题", "clear_filters", None, None),
    ("usage", "使用说明", lambda w: w.show_help("show_usage"), QKeySequence.HelpContents, None),
    ("shortcuts", "快捷键", lambda w: w.show_help("show_shortcuts"), None, None),
    ("about", "关于", lambda w: w.show_help("show_about"), None, None),
]

# menu title -> action names (None: a separator)
MENUS = {
    "文件(&F)": ["open", "import_folder", "paste", None, "export", "merge_ledger", None, "preferences", None, "quit"],
    "编辑(&E)": ["undo", "redo", None, "edit_cell", "check_next", None, "add_problem", "add_measure",
               "delete", None, "split", "split_problem", "merge", "move_up", "move_down", None,
               "as_problem", "as_measure", "reanchor", None, "revert_field", "revert_item"],
    "查找(&S)": ["find", "search_all", None, "clear_filters"],
    "通报(&N)": ["reextract", "finish_review", None, "delete_notice"],
    "帮助(&H)": ["usage", "shortcuts", None, "about"],
}

TREE_MENU = ["edit_cell", "check_next", None, "revert_field", "revert_item", None, "add_problem",
             "add_measure", "delete", None, "split", "split_problem", "merge", "move_up", "move_down"]

# the actions the original text's context menu offers for a selection
SOURCE_MENU = ["as_problem", "as_measure", "reanchor", "split"]


def _slot(window, slot):
    if callable(slot):
        return lambda _checked=False: slot(window)

    def call(_checked=False):
        target = window
        for part in slot.split("."):
            target = getattr(target, part)
        target()
    return call


def build_actions(window) -> dict[str, QAction]:
    actions = {}
    for name, text, slot, shortcut, tip in ACTIONS:
        action = QAction(text, window)
        if shortcut:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(_slot(window, slot))
        actions[name] = action
    return actions


def build_menus(window, actions: dict[str, QAction]) -> None:
    for title, names in MENUS.items():
        menu = window.menuBar().addMenu(title)
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(actions[name])


def listed(actions: dict[str, QAction], names: list) -> list:
    """The actions of ``names`` in order, None kept as a separator."""
    return [None if name is None else actions[name] for name in names]
