import logging
import sys
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from gui import crash_dialog


class _Boom(RuntimeError):
    pass


@pytest.fixture
def log_path(tmp_path):
    return tmp_path / "logs" / "app.log"


@pytest.fixture
def hooked(monkeypatch, qapp, log_path):
    """Install the hooks for one test; monkeypatch puts the previous ones back."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crash_dialog.install_excepthook(log_path)
    return log_path


@pytest.fixture
def boxes(qtbot):
    """Records each crash dialog when it shows and closes it on the next tick."""
    shown = []

    def tick():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        if box.property("seen"):
            box.reject()
            return
        box.setProperty("seen", True)
        shown.append((box.text(), box.informativeText(), box.detailedText()))
        on_show = getattr(tick, "on_show", None)
        if on_show:
            tick.on_show = None
            QTimer.singleShot(0, on_show)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    yield shown, tick
    timer.stop()


def _raise_boom():
    raise _Boom("测试用的意外错误")


def _exc_info():
    try:
        _raise_boom()
    except _Boom:
        return sys.exc_info()


def test_crash_box_says_what_happened(qapp, log_path, monkeypatch, qtbot):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    box = crash_dialog.crash_box(log_path, "Traceback: 细节")
    qtbot.addWidget(box)
    assert box.text().startswith("程序发生意外错误")
    assert "已立即保存" in box.text()
    assert str(log_path) in box.informativeText()
    assert box.detailedText() == "Traceback: 细节"
    qtbot.mouseClick(box.findChild(QPushButton, "openLogFolder"), Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened] == [str(log_path.parent)]


def test_main_thread_exception_is_logged_and_shown(hooked, boxes, caplog):
    shown, _ = boxes
    with caplog.at_level(logging.CRITICAL, logger="gui.crash_dialog"):
        sys.excepthook(*_exc_info())
    (record,) = caplog.records
    assert record.exc_info[0] is _Boom
    ((text, informative, details),) = shown
    assert "程序发生意外错误" in text
    assert str(hooked) in informative
    assert "_raise_boom" in details and "测试用的意外错误" in details


def test_worker_thread_exception_is_shown_on_gui_thread(hooked, boxes, qtbot, caplog):
    shown, _ = boxes
    with caplog.at_level(logging.CRITICAL, logger="gui.crash_dialog"):
        worker = threading.Thread(target=_raise_boom)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(shown) == 1)
    assert "_raise_boom" in shown[0][2]
    assert [r.exc_info[0] for r in caplog.records] == [_Boom]


def test_crash_while_dialog_open_is_logged_not_stacked(hooked, boxes, caplog):
    shown, tick = boxes
    tick.on_show = lambda: sys.excepthook(*_exc_info())
    with caplog.at_level(logging.CRITICAL, logger="gui.crash_dialog"):
        sys.excepthook(*_exc_info())
    assert len(caplog.records) == 2
    assert len(shown) == 1


def test_keyboard_interrupt_is_not_a_crash(hooked, boxes, capsys, caplog):
    shown, _ = boxes
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt:
        sys.excepthook(*sys.exc_info())
    assert shown == []
    assert not caplog.records
    assert "KeyboardInterrupt" in capsys.readouterr().err
