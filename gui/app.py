"""Start the window: ``run(argv)`` is what ``main.py`` calls without a verb.

Start-up stays light: the window is shown first, then the notices are loaded (and the first-run
sample or the files named on the command line imported) from the event loop.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

APP_NAME = "整改台账助手"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description=f"{APP_NAME}：打开窗口")
    parser.add_argument("files", nargs="*", help="启动后导入的通报文件或文件夹")
    parser.add_argument("--db", help="使用指定的台账数据库文件")
    parser.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_known_args(argv)[0]   # Qt's own options (-platform …) pass through


def _application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("ZhenggaiTaizhang")
    from core.paths import resource_path

    icon = resource_path("icon.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def _install_logging() -> None:
    from core.logsetup import setup_logging

    log_path = setup_logging()
    try:
        from gui.crash_dialog import install_excepthook
    except ImportError:
        return
    install_excepthook(log_path)


def open_store(db: str | None):
    """The window's Store, or None after telling the user why it cannot be opened."""
    from core.errors import DatabaseLockedError, NewerSchemaError, StoreError
    from core.paths import default_db_path
    from core.store import Store

    path = default_db_path(db)
    try:
        return Store.open(path, exclusive=True)
    except DatabaseLockedError:
        QMessageBox.critical(None, APP_NAME, f"台账数据库正被另一个“{APP_NAME}”窗口使用：\n{path}\n\n请切换到那个窗口，或关闭它后再打开。")
    except NewerSchemaError:
        QMessageBox.critical(None, APP_NAME, f"台账数据库由更新版本的程序创建，本版本无法打开：\n{path}\n\n请升级程序。数据库未作任何改动。")
    except StoreError as exc:
        QMessageBox.critical(None, APP_NAME, f"无法打开台账数据库：\n{exc}")
    return None


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    app = _application(argv)
    _install_logging()
    store = open_store(args.db)
    if store is None:
        return 2
    from gui.main_window import MainWindow

    window = MainWindow(store)
    window.show()

    def load() -> None:
        from core.importer import ensure_sample

        sample_id = ensure_sample(store)
        window.load(sample_id)
        if args.files:
            window.start_import(args.files)

    QTimer.singleShot(0, load)
    _startup_hooks(app, window, args.self_test)
    return app.exec()


# --- Hooks for the packaging test and the start-up benchmark; both off unless asked for. ---

class _FirstPaintProbe(QObject):
    """Prints "first-paint <time.monotonic()>" at the first paint event, then quits."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            print(f"first-paint {time.monotonic():.6f}", flush=True)
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, QApplication.instance().quit)
        return False


def _startup_hooks(app: QApplication, window, self_test: bool) -> None:
    """ZGTZ_STARTUP_PROBE=1 (bench/startup_bench.py): report the first paint and quit.

    --self-test (tests/test_packaging.py): exit 0 once the window is shown and its first
    load() has run, 1 if anything raised; errors go to stderr instead of the crash dialog.
    """
    if os.environ.get("ZGTZ_STARTUP_PROBE"):
        app.installEventFilter(_FirstPaintProbe(app))
    if self_test:
        errors = []

        def record(*exc_info) -> None:
            errors.append(exc_info)
            sys.__excepthook__(*exc_info)

        sys.excepthook = record
        # Queued after load(), so it runs once the first load has.
        QTimer.singleShot(0, lambda: app.exit(1 if errors or not window.isVisible() else 0))
