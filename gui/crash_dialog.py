"""Unexpected errors: log the traceback, then tell the user in a dialog.

Expected errors (core.errors) are shown by the window where they happen; anything that
reaches ``sys.excepthook`` or ``threading.excepthook`` is a bug. Nothing is lost by
carrying on: the store commits every edit as it is made.
"""
from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.help_dialogs import APP_TITLE, open_path

log = logging.getLogger(__name__)

# The installed handler; kept here so it lives as long as the hooks that call it.
_handler: _CrashHandler | None = None


def install_excepthook(log_path: Path) -> None:
    """Route uncaught exceptions of every thread to the log and a crash dialog.

    Call on the GUI thread after the QApplication exists.
    """
    global _handler
    _handler = _CrashHandler(Path(log_path))
    sys.excepthook = _handler.handle
    threading.excepthook = _handler.handle_thread


def crash_box(log_path: Path, details: str) -> QMessageBox:
    """The message box shown for an unexpected error (not yet shown)."""
    box = QMessageBox(QMessageBox.Icon.Critical, f"{APP_TITLE} - 错误",
                      "程序发生意外错误，错误详情已记录到日志。\n"
                      "您的数据不会丢失：每一次修改都已立即保存。")
    box.setInformativeText(f"日志文件：{log_path}\n反馈问题时请附上这个日志文件。")
    box.setDetailedText(details)
    open_button = box.addButton("打开日志文件夹", QMessageBox.ButtonRole.ActionRole)
    open_button.setObjectName("openLogFolder")
    open_button.clicked.connect(lambda: open_path(log_path.parent))
    box.setDefaultButton(box.addButton("关闭", QMessageBox.ButtonRole.RejectRole))
    return box


class _CrashHandler(QObject):
    # Worker threads hand the traceback to the GUI thread, where the dialog may be shown.
    crashed = Signal(str)

    def __init__(self, log_path: Path):
        super().__init__()
        self.log_path = log_path
        self._showing = False
        self.crashed.connect(self._show)

    def handle(self, exc_type, exc_value, exc_tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc_value, exc_tb)
            return
        log.critical("未处理的异常", exc_info=(exc_type, exc_value, exc_tb))
        details = "".join(traceback.format_exception(exc_type, exc_value, exc_tb))
        self.crashed.emit(details)  # direct on the GUI thread, queued from any other

    def handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str)
    def _show(self, details: str) -> None:
        if QApplication.instance() is None or self._showing:
            return  # before the window exists, or while a crash dialog is open: the log has it
        self._showing = True
        try:
            crash_box(self.log_path, details).exec()
        finally:
            self._showing = False
