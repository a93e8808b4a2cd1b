"""Start the window: ``run(argv)`` is what ``main.py`` calls without a verb.

Start-up stays light: the window is built from Qt and the GUI modules only and shown; after its
first paint the arguments are parsed, the icon, log and crash dialog set up, the database opened
and the day's backup taken, and the first-run sample or the files named on the command line are
imported in worker threads (jieba, openpyxl, pdfplumber and python-docx load on demand). ``--self-test`` opens the window (offscreen in a
check), loads, waits for those imports and exits 0; with ``ZGTZ_STARTUP_PROBE=1`` the first paint prints ``first-paint <time.monotonic()>`` and
the program quits (bench/startup_bench.py).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

APP_NAME = "整改台账助手"
PROBE_ENV = "ZGTZ_STARTUP_PROBE"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description=f"{APP_NAME}：打开窗口")
    parser.add_argument("files", nargs="*", help="启动后导入的通报文件或文件夹")
    parser.add_argument("--db", help="使用指定的台账数据库文件")
    parser.add_argument("--self-test", action="store_true", help="打开窗口、载入台账后立即退出（检查安装是否完整）")
    return parser.parse_known_args(argv)[0]   # Qt's own options (-platform …) pass through


def _application(argv: list[str]) -> QApplication:
    # dates and numbers as a Chinese reader writes them: the program's own (QLocale's default)
    # and, under a bare Linux's C locale, the file dialog's (Qt reads LC_TIME for the system
    # locale), which showed file dates as "1 12 2026 04:03"
    if sys.platform.startswith("linux") and _c_locale(os.environ) and QApplication.instance() is None:
        os.environ["LC_TIME"] = "zh_CN.UTF-8"   # before any QLocale: the system one is read once
    QLocale.setDefault(QLocale("zh_CN"))
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("ZhenggaiTaizhang")
    return app


class MissingQtTexts(QTranslator):
    """Texts Qt 6 shows that its zh_CN catalogue lacks (it has the older forms without the
    accelerator): the file dialog's labels and the type of a folder."""

    TEXTS = {
        ("QFileDialog", "&Look in:"): "查找范围(&L)：",
        ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
        ("QFileDialog", "File &name:"): "文件名(&N)：",
        ("QAbstractFileIconProvider", "Folder"): "文件夹",
        ("QAbstractFileIconProvider", "File"): "文件",
        ("QAbstractFileIconProvider", "Drive"): "驱动器",
    }

    def translate(self, context, source, disambiguation=None, n=-1):
        return self.TEXTS.get((context, source))   # None: not ours, the next catalogue answers

    def isEmpty(self) -> bool:
        return False


def _c_locale(env) -> bool:
    """No locale chosen for dates: LC_ALL, LC_TIME and LANG unset, C or POSIX."""
    for name in ("LC_ALL", "LC_TIME", "LANG"):
        value = env.get(name)
        if value:
            return value.split(".")[0] in ("C", "POSIX")
    return True


def install_qt_translations(app: QApplication) -> QTranslator:
    """Qt's own texts in Chinese: standard buttons (是/否/关闭), text-box context menus, file
    dialogs (with ``MissingQtTexts``, installed last so it is asked first)."""
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    translator.missing = MissingQtTexts(app)
    app.installTranslator(translator.missing)
    return translator


def _set_icon(app: QApplication) -> None:
    """The window icon; set after the first paint (the window manager picks it up then)."""
    from PySide6.QtGui import QIcon

    from core.paths import resource_path

    icon = resource_path("icon.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))


def _install_logging() -> None:
    """The log file and the crash dialog; the first line says what started, so app.log exists
    after every run (关于 → 日志文件夹 offers it) and a report names the versions."""
    import platform

    from PySide6 import __version__ as pyside_version

    from core.logsetup import setup_logging
    from gui.crash_dialog import install_excepthook
    from gui.help_dialogs import app_version

    install_excepthook(setup_logging())
    logging.getLogger(__name__).info("%s %s started (Python %s, PySide6 %s, %s)", APP_NAME, app_version(),
                                     platform.python_version(), pyside_version, platform.platform())


def database_path(db: str | None, settings) -> Path:
    """``--db``, else ``ZGTZ_DB``, else the folder chosen in 首选项, else the data folder."""
    from core.paths import DB_FILENAME, default_db_path

    if db or os.environ.get("ZGTZ_DB") or not settings.data_folder:
        return default_db_path(db)
    return Path(settings.data_folder) / DB_FILENAME


def open_store(db: str | None, parent=None, settings=None):
    """The window's Store, or None after telling the user why it cannot be opened (the
    error's own message: another window holds it, a newer version made it, it is damaged).
    The edit log records the 审核人 of 首选项, else the login name."""
    from core.errors import StoreError
    from core.store import Store
    from gui.messages import show_error
    from gui.settings import Settings

    settings = settings or Settings()
    path = database_path(db, settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return Store.open(path, exclusive=True, reviewer=settings.reviewer)
    except OSError as exc:   # the chosen folder is gone or read-only
        show_error(parent, "无法打开台账数据库", f"{path.parent}: 无法使用这个文件夹（{exc.strerror}）", wait=True)
    except StoreError as exc:
        show_error(parent, "无法打开台账数据库", exc, wait=True)
    return None


def _folders_usable(app: QApplication) -> bool:
    """The data and log folders can be written (``ZGTZ_HOME`` names a file, a read-only folder…):
    else say why in one Chinese line on stderr and in a message box, and False."""
    from core.errors import DataFolderError
    from core.paths import check_window_folders

    try:
        check_window_folders()
    except DataFolderError as exc:
        print(exc, file=sys.stderr)
        from gui.messages import show_error

        if not hasattr(app, "qt_translator"):
            app.qt_translator = install_qt_translations(app)
        show_error(None, "无法启动整改台账助手", exc, wait=True)
        return False
    return True


class _FirstPaint(QObject):
    """Calls ``then`` once, from the event loop, after the window's first paint."""

    def __init__(self, window, then, *, probe: bool):
        super().__init__(window)
        self._then = then
        self._probe = probe
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            if self._probe:
                print(f"first-paint {time.monotonic():.6f}", flush=True)
            QTimer.singleShot(0, self._then)
        return False


def run(argv: list[str]) -> int:
    from gui.platform_check import platform_problem

    problem = platform_problem() if QApplication.instance() is None else None
    if problem:   # instead of Qt's English about the xcb plugin, and its abort
        print(problem, file=sys.stderr)
        return 3
    app = _application(argv)
    if not _folders_usable(app):   # a bad ZGTZ_HOME: one line, not a traceback
        return 2
    from gui.main_window import MainWindow

    window = MainWindow()
    probe = os.environ.get(PROBE_ENV) == "1"

    def open_and_load() -> None:
        if probe:
            app.exit(0)
            return
        try:   # after the first paint: argparse's messages load gettext and locale
            args = parse_args(argv)
        except SystemExit as exc:   # a bad option: argparse has said why on stderr
            app.exit(exc.code if isinstance(exc.code, int) else 2)
            return
        _set_icon(app)
        if not hasattr(app, "qt_translator"):   # no dialog or standard button before this
            app.qt_translator = install_qt_translations(app)
        _install_logging()
        store = open_store(args.db, window, window.settings)
        if store is None:
            app.exit(2)
            return
        logging.getLogger(__name__).info("database %s", store.path)
        window.attach_store(store)
        window.load()
        window.runner.backup()
        window.runner.sample()
        if args.files:
            window.start_import(args.files)
        if args.self_test:
            exit_when_idle()

    def exit_when_idle() -> None:
        if window.workers:
            QTimer.singleShot(50, exit_when_idle)
        else:
            app.exit(0)

    _FirstPaint(window, open_and_load, probe=probe)
    window.show()
    code = app.exec()
    if window.isVisible():   # left by app.exit(): save the window's state, close the database
        window.close()
    return code
