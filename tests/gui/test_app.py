"""``gui.app.run``: first start with the sample and a hint, a locked database, files to import,
``--self-test`` and the start-up probe; heavy modules wait until after the first paint."""
import logging
import os
import subprocess
import sys
import threading
from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from core import backup, paths
from core.errors import StoreError
from core.store import Store
from gui import app as gui_app
from gui.main_window import MainWindow
from tests.conftest import ROOT
from tests.gui.notices import notice_text


@pytest.fixture(autouse=True)
def _restore_hooks(monkeypatch):
    """run() installs the crash dialog's hooks and the log handlers: undo that after each test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def _run_until(argv, ready):
    """run(argv); once ``ready(window)`` holds, note what the window shows and close it."""
    seen = {}

    def poll():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible() and widget.store and ready(widget):
                seen.update(
                    notices=[widget.notice_model.index(r, 0).data() for r in range(widget.notice_model.rowCount())],
                    notice=widget.notice, hint=widget.hint_banner.isVisible() and widget.hint_banner.label.text(),
                    yes=QApplication.translate("QPlatformTheme", "&Yes"),
                )
                widget.close()

    def give_up():   # a start that never gets ready fails the test instead of hanging it
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.close()

    timer = QTimer(interval=20)
    timer.timeout.connect(poll)
    timer.start()
    deadline = QTimer(singleShot=True, interval=60000)
    deadline.timeout.connect(give_up)
    deadline.start()
    try:
        code = gui_app.run(argv)
    finally:
        timer.stop()
        deadline.stop()
    return code, seen


def test_first_run_imports_the_sample_and_says_what_to_do(qtbot, tmp_path):
    db = tmp_path / "first.sqlite3"
    code, seen = _run_until(["--db", str(db)], lambda w: w.notice is not None)
    assert code == 0
    assert len(seen["notices"]) == 1 and seen["notice"]["problems"]
    assert seen["hint"].startswith("已载入示例通报：")
    assert seen["yes"] == "是(&Y)"       # Qt's standard buttons speak Chinese
    with Store.open(db) as store:        # the window closed its store, so it opens again
        assert len(store.notice_ids()) == 1
    # the second start finds notices: no second sample, no hint
    code, seen = _run_until(["--db", str(db)], lambda w: w.notice is not None)
    assert code == 0 and len(seen["notices"]) == 1 and seen["hint"] is False


def test_qt_standard_texts_are_chinese(qtbot):
    """Standard buttons of message boxes and dialogs were English (Yes/No/Close)."""
    app = QApplication.instance()
    translator = gui_app.install_qt_translations(app)
    try:
        buttons = QDialogButtonBox(QDialogButtonBox.Close | QDialogButtonBox.Yes | QDialogButtonBox.No)
        qtbot.addWidget(buttons)
        assert [buttons.button(b).text() for b in (QDialogButtonBox.Close, QDialogButtonBox.Yes, QDialogButtonBox.No)] \
            == ["关闭", "是(&Y)", "否(&N)"]
    finally:
        app.removeTranslator(translator)
        app.removeTranslator(translator.missing)


def test_each_start_takes_the_days_backup_once(qtbot, tmp_path):
    db = tmp_path / "backed.sqlite3"
    code, _seen = _run_until(["--db", str(db)], lambda w: w.notice is not None and not w.workers)
    assert code == 0
    [first] = backup.list_backups(db)
    assert first.name.startswith(f"backed-{date.today():%Y%m%d}-")
    code, seen = _run_until(["--db", str(db)], lambda w: w.notice is not None and not w.workers)
    assert code == 0 and backup.list_backups(db) == [first]


def test_a_failed_backup_is_said_in_the_status_bar(qtbot, tmp_path, monkeypatch):
    def fail(db_path):
        raise StoreError("磁盘已满")

    monkeypatch.setattr(backup, "rolling_backup", fail)
    messages = []
    code, _seen = _run_until(["--db", str(tmp_path / "full.sqlite3")], lambda w: not w.workers and (
        messages.append(w.statusBar().currentMessage()) or w.notice is not None))
    assert code == 0
    assert any(m.startswith("自动备份数据库失败：") and "磁盘已满" in m for m in messages)


def test_a_second_window_on_the_same_database_is_refused(qtbot, tmp_path, monkeypatch):
    db = tmp_path / "locked.sqlite3"
    messages = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: messages.append((box.windowTitle(), box.text())))
    with Store.open(db, exclusive=True):
        code = gui_app.run(["--db", str(db)])
    assert code == 2
    assert len(messages) == 1
    title, text = messages[0]
    assert title == "无法打开台账数据库" and "正被另一个" in text and str(db) in text


def test_files_on_the_command_line_are_imported(qtbot, tmp_path):
    db = tmp_path / "files.sqlite3"
    notice = tmp_path / "通报.txt"
    notice.write_text(notice_text("戊"), encoding="utf-8")
    code, seen = _run_until(["--db", str(db), str(notice)],
                            lambda w: w.notice_model.rowCount() == 2 and not w.workers)
    assert code == 0
    assert "中共戊区委关于巡察整改进展情况的通报" in seen["notices"]
    assert seen["notice"]["issuer"] == "中共戊区委"        # the imported notice is shown


def test_self_test_opens_the_database_and_exits(qtbot):
    assert gui_app.run(["--self-test"]) == 0
    assert paths.default_db_path().is_file()


def test_startup_probe_reports_the_first_paint_before_opening_the_database(qtbot, monkeypatch, capsys):
    monkeypatch.setenv(gui_app.PROBE_ENV, "1")
    assert gui_app.run([]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("first-paint ")]
    assert len(lines) == 1 and float(lines[0].split()[1]) > 0
    assert not paths.default_db_path().exists()


def test_heavy_modules_load_after_the_first_paint(tmp_path):
    """Up to the first paint the program imports Qt and its own window modules only."""
    code = "import sys, gui.app; gui.app.run([]); print(' '.join(sys.modules))"
    env = dict(os.environ, ZGTZ_HOME=str(tmp_path), ZGTZ_STARTUP_PROBE="1")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    modules = set(result.stdout.split())
    assert "gui.main_window" in modules
    for heavy in ("jieba", "openpyxl", "pdfplumber", "docx", "sqlite_utils", "core.store", "core.extract"):
        assert heavy not in modules, heavy


def test_a_normal_run_writes_the_log_file(qtbot, tmp_path):
    """关于 → 日志文件夹 offered a folder without app.log: nothing was logged in a normal run."""
    db = tmp_path / "log.sqlite3"
    code, _seen = _run_until(["--db", str(db)], lambda w: w.notice is not None and not w.workers)
    assert code == 0
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (paths.log_dir() / "app.log").read_text(encoding="utf-8")
    assert "started (Python" in text and str(db) in text


def test_the_window_opens_the_database_in_the_folder_of_the_preferences(qtbot, tmp_path):
    from gui.settings import Settings

    folder = tmp_path / "单位台账"
    settings = Settings()
    settings.data_folder = str(folder)
    settings.reviewer = "李四"
    seen = {}
    code, _seen = _run_until([], lambda w: w.notice is not None and not w.workers
                             and not seen.update(path=w.store.path, reviewer=w.store.reviewer))
    assert code == 0
    assert seen["path"] == folder / paths.DB_FILENAME and seen["reviewer"] == "李四"


def _start_with_home(home, monkeypatch, capsys):
    """run([]) with ZGTZ_HOME=home; returns (exit code, the stderr lines, the message boxes)."""
    monkeypatch.setenv("ZGTZ_HOME", str(home))
    boxes = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append((box.windowTitle(), box.text())))
    code = gui_app.run([])
    lines = [line for line in capsys.readouterr().err.splitlines()
             if line.strip() and "propagateSizeHints" not in line]   # the offscreen platform's own note
    return code, lines, boxes


def test_a_home_that_is_a_file_gives_one_chinese_line(qtbot, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    home.write_text("不是文件夹")
    code, lines, boxes = _start_with_home(home, monkeypatch, capsys)
    assert code == 2
    [line] = lines
    assert "Traceback" not in line and str(home) in line and "不是文件夹" in line and "ZGTZ_HOME" in line
    assert boxes == [("无法启动整改台账助手", line)]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


@pytest.mark.parametrize("made", [False, True], ids=["empty", "with-its-folders"])
def test_a_read_only_home_gives_one_chinese_line(qtbot, tmp_path, monkeypatch, capsys, made):
    from tests.drills.support import read_only

    home = tmp_path / "home"
    home.mkdir()
    if made:   # the folders exist (an earlier run made them): creating them is no test of writing
        for name in ("data", "logs", "cache"):
            (home / name).mkdir()
    with read_only(home):
        code, lines, boxes = _start_with_home(home, monkeypatch, capsys)
    assert code == 2
    [line] = lines
    assert "Traceback" not in line and str(home / "data") in line and "只读" in line
    assert boxes == [("无法启动整改台账助手", line)]


def test_a_folder_without_permission_gives_one_chinese_line(qtbot, tmp_path, monkeypatch, capsys):
    """Where the test cannot take the permission away (root), the operating system's refusal is
    simulated at the one place the window first writes."""
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)
    code, lines, boxes = _start_with_home(tmp_path / "home", monkeypatch, capsys)
    assert code == 2
    [line] = lines
    assert str(tmp_path / "home" / "data") in line and "没有权限" in line and "ZGTZ_HOME" in line
    assert len(boxes) == 1
