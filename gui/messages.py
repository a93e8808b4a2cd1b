"""The one place the window shows an expected failure (``core.errors.ExpectedError``) or a result.

The title names the action that failed (导入失败, 粘贴失败, 无法修改…); the text is the
exception's own message, which already says what happened and names the file. Bugs never come
here: they go to the log and the crash dialog (``gui/crash_dialog.py``).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.errors import ExpectedError

# what a correction service may refuse with (the store's InvalidEditError among them); anything
# else it raises is a bug for the crash dialog
REFUSALS = (ExpectedError,)

# the title of the message when a store correction service refuses, by service
FAILURE_TITLES = {
    "update_field": "无法修改", "revert_field": "无法恢复提取值", "revert_item": "无法恢复提取结果",
    "set_checked": "无法标记已核对", "add_problem": "无法新增问题", "add_measure": "无法新增措施",
    "delete": "无法删除", "split_measure": "无法拆分措施", "split_problem": "无法拆为新问题",
    "merge_with_next": "无法合并", "move": "无法移动", "reanchor": "无法重新定位",
    "finish_review": "无法完成审核", "add_evidence": "无法添加佐证材料",
    "remove_evidence": "无法移除佐证材料", "undo": "无法撤销", "redo": "无法重做",
    "set_category": "无法设置类别", "split_measure_runs": "无法按编号拆分措施",
    "make_heading": "无法设为类别标题", "restore_heading": "无法恢复为问题",
    "drop_problems": "无法删除这些标题",
}


def failure_title(service_name: str) -> str:
    return FAILURE_TITLES.get(service_name, "无法完成操作")


def error_text(error: BaseException | str) -> str:
    return str(error)


def show_error(parent, title: str, error: BaseException | str, *, wait: bool = False) -> QMessageBox | None:
    """A warning box titled ``title`` with the error's message, returned. Window-modal and
    non-blocking (the event loop keeps running); ``wait`` blocks until it is closed and returns
    None (start-up failures, after which the program ends)."""
    return _box(parent, QMessageBox.Warning, title, error_text(error), wait)


def show_info(parent, title: str, text: str) -> QMessageBox:
    """A non-blocking information box: what a long action did."""
    return _box(parent, QMessageBox.Information, title, text, False)


def show_exported(parent, path) -> QMessageBox:
    """The export is written: say where, and offer to open the file or its folder."""
    from pathlib import Path

    from gui.help_dialogs import open_path

    path = Path(path)
    box = QMessageBox(QMessageBox.Information, "导出完成", f"台账已导出：\n{path}", QMessageBox.NoButton, parent)
    open_file = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    open_file.setObjectName("openFile")
    open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    open_folder.setObjectName("openFolder")
    box.setDefaultButton(box.addButton("关闭", QMessageBox.ButtonRole.RejectRole))
    open_file.clicked.connect(lambda: open_path(path))
    open_folder.clicked.connect(lambda: open_path(path.parent))
    box.setAttribute(Qt.WA_DeleteOnClose)
    box.open()
    return box


def _box(parent, icon, title: str, text: str, wait: bool) -> QMessageBox | None:
    box = QMessageBox(icon, title, text, QMessageBox.Ok, parent)
    if wait:
        box.exec()
        box.deleteLater()
        return None
    box.setAttribute(Qt.WA_DeleteOnClose)
    box.open()
    return box
