"""Importing from the window: drag-and-drop, a batch with progress, an unreadable file, pasting."""
import time

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QMessageBox

from core.store import Store
from tests.gui.notices import notice_text, open_window


def _write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def _drop(window, paths):
    """Drag the files over the window and drop them (handlers called as Qt's drag manager would)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    window.dragEnterEvent(enter)
    drop = QDropEvent(QPointF(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    window.dropEvent(drop)
    return enter.isAccepted() and drop.isAccepted()


def test_drag_and_drop_imports_the_files(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path / "t.sqlite3")
    files = [_write(tmp_path, "甲.txt", notice_text("甲")), _write(tmp_path, "乙.txt", notice_text("乙"), "gb18030")]
    assert _drop(window, files)
    qtbot.waitUntil(lambda: window.notice_model.rowCount() == 2 and not window.workers, timeout=30000)
    assert window.notice is not None and window.notice["problems"]
    assert {window.notice_model.index(r, 1).data() for r in range(2)} == {"中共甲区委", "中共乙区委"}


def test_the_first_run_hint_goes_once_the_user_imports_a_notice(qtbot, tmp_path):
    """The sample's hint ("导入自己的通报：…") stayed up after the user's own import."""
    window = open_window(qtbot, tmp_path / "t.sqlite3")
    window.runner.sample()
    qtbot.waitUntil(lambda: window.notice is not None and not window.workers, timeout=30000)
    assert window.hint_banner.isVisible()
    assert window.tree.hasFocus()
    window.start_import([str(_write(tmp_path, "甲.txt", notice_text("甲")))])
    qtbot.waitUntil(lambda: window.notice_model.rowCount() == 2 and not window.workers, timeout=30000)
    assert not window.hint_banner.isVisible()


def test_imports_run_one_at_a_time_in_the_order_started(qtbot, tmp_path, monkeypatch):
    """A first start with a file on the command line sometimes lost the sample: the file's import
    finished while the sample's worker was starting, so the database no longer looked empty."""
    import core.importer

    real = core.importer.ensure_sample

    def slow_sample(store):
        time.sleep(0.5)
        return real(store)

    monkeypatch.setattr(core.importer, "ensure_sample", slow_sample)
    window = open_window(qtbot, tmp_path / "t.sqlite3")
    window.runner.sample()
    window.start_import([str(_write(tmp_path, "甲.txt", notice_text("甲")))])
    qtbot.waitUntil(lambda: not window.workers, timeout=30000)
    sample, own = window.store.notice_ids()
    assert window.store.get_notice(own)["issuer"] == "中共甲区委"
    assert window.notice["id"] == own


def test_batch_import_reports_progress_and_names_unreadable_files(qtbot, tmp_path):
    folder = tmp_path / "notices"
    folder.mkdir()
    for tag in "丙丁戊己":
        _write(folder, f"{tag}.txt", notice_text(tag))
    _write(folder, "坏.docx", "这不是 Word 文件")
    window = open_window(qtbot, tmp_path / "t.sqlite3")
    seen = []
    worker = window.start_import([str(folder)])
    worker.signals.progress.connect(lambda done, total: seen.append((done, total)))
    qtbot.waitUntil(lambda: not window.workers, timeout=60000)
    assert seen and seen[-1] == (5, 5)
    assert window.runner.progress_dialog is None
    assert window.notice_model.rowCount() == 4
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "坏.docx" in boxes[0].text()
    with Store.open(tmp_path / "t.sqlite3") as store:
        assert len(store.notice_ids()) == 4


def test_paste_a_notice_from_the_clipboard(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path / "t.sqlite3")
    QGuiApplication.clipboard().setText(notice_text("庚"))
    window.actions["paste"].trigger()
    qtbot.waitUntil(lambda: window.notice is not None and not window.workers, timeout=30000)
    assert window.notice["issuer"] == "中共庚区委"
    assert window.source_view.toPlainText() == window.notice["text"]
