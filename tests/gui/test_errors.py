"""One error path: expected failures in a message box titled by the action with the exception's
own message; bugs in a worker go to sys.excepthook (the log and the crash dialog), not a box."""
import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from core.errors import ExpectedError, InvalidEditError
from core.store import Store
from gui import messages
from tests.gui.notices import add_notice, notice_text, open_window


def _window(qtbot, tmp_path):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        add_notice(store, tag="甲")
    return open_window(qtbot, path)


def _boxes(window):
    return [(b.windowTitle(), b.text()) for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_a_failed_paste_is_titled_as_a_paste(qtbot, tmp_path, monkeypatch):
    import core.importer

    def refuse(store, text, name="剪贴板"):
        raise ExpectedError("剪贴板中的文字不像一份通报")

    monkeypatch.setattr(core.importer, "import_text", refuse)
    window = _window(qtbot, tmp_path)
    QGuiApplication.clipboard().setText(notice_text("乙"))
    window.actions["paste"].trigger()
    qtbot.waitUntil(lambda: not window.workers and bool(_boxes(window)), timeout=30000)
    assert _boxes(window) == [("粘贴失败", "剪贴板中的文字不像一份通报")]


def test_a_bug_in_a_worker_goes_to_the_excepthook_not_a_message_box(qtbot, tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc_info: seen.append(exc_info[1]))
    window = _window(qtbot, tmp_path)

    def job(store, progress, cancelled):
        raise KeyError("bug")

    done = []
    window.runner.run(job, done.append, failure_title="导入失败")
    qtbot.waitUntil(lambda: not window.workers, timeout=30000)
    assert len(seen) == 1 and isinstance(seen[0], KeyError)
    assert not done and not _boxes(window)


def test_a_refused_correction_shows_the_store_reason_under_the_action_title(qtbot, tmp_path, monkeypatch):
    window = _window(qtbot, tmp_path)
    last = window.notice["problems"][-1]["measures"][-1]
    window.select_item("measure", last["id"])

    def merge_with_next(entity, row_id):   # the name picks the title
        raise InvalidEditError("这是本问题的最后一条措施，没有下一条可以合并。")

    monkeypatch.setattr(window.store, "merge_with_next", merge_with_next)
    window.actions["merge"].trigger()
    assert _boxes(window) == [("无法合并", "这是本问题的最后一条措施，没有下一条可以合并。")]


def test_show_error_names_the_file_the_error_names(qtbot):
    box = messages.show_error(None, "导入失败", ExpectedError("不是通报文件", path="/tmp/甲.docx"))
    qtbot.addWidget(box)
    assert box.windowTitle() == "导入失败" and box.text() == "/tmp/甲.docx: 不是通报文件"
    assert box.icon() == QMessageBox.Warning
