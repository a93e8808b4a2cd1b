import tomllib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QLabel, QMainWindow, QPushButton, QTableWidget, QTextBrowser,
)

from core import paths
from gui import help_dialogs
from tests.gui.notices import open_window


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def test_usage_renders_help_markdown(parent):
    dialog = help_dialogs.show_usage(parent)
    assert dialog.isVisible()
    assert dialog.windowTitle() == "使用说明"
    text = dialog.findChild(QTextBrowser, "usageText").toPlainText()
    assert "导入通报" in text and "导出台账" in text and "数据与备份" in text
    assert "# " not in text  # headings were rendered, not shown as markdown source
    assert "|" not in text   # so was the table


def test_usage_reuses_the_open_dialog(parent):
    first = help_dialogs.show_usage(parent)
    first.close()
    assert help_dialogs.show_usage(parent) is first
    assert first.isVisible()


def _table(dialog):
    table = dialog.findChild(QTableWidget, "shortcutTable")
    return [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]


def test_shortcuts_table_reads_the_window_actions(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    native = QKeySequence.SequenceFormat.NativeText
    for text, keys in (("打开文件…", ["Ctrl+O"]), ("导出(&E)", ["Ctrl+E"]), ("无快捷键", []),
                       ("重做", ["Ctrl+Shift+Z", "Ctrl+Y"])):
        action = QAction(text, window)
        action.setShortcuts([QKeySequence(k) for k in keys])
    dialog = help_dialogs.show_shortcuts(window)
    table = dialog.findChild(QTableWidget, "shortcutTable")
    assert _table(dialog) == [
        (QKeySequence("Ctrl+O").toString(native), "打开文件"),
        (QKeySequence("Ctrl+E").toString(native), "导出(E)"),
        (QKeySequence("Ctrl+Shift+Z").toString(native) + " / "
         + QKeySequence("Ctrl+Y").toString(native), "重做"),
    ]
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers


def test_shortcuts_of_the_main_window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path / "t.sqlite3")
    try:
        keys = " / ".join(k for k, _ in _table(help_dialogs.show_shortcuts(window))).split(" / ")
    finally:
        window.store.close()
    native = QKeySequence.SequenceFormat.NativeText
    for sequence in ("Ctrl+O", "Ctrl+Shift+V", "Ctrl+Return", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+F",
                     "Ctrl+Shift+F", "F5", "Ctrl+E", "Return", "Del", "F1"):
        assert QKeySequence(sequence).toString(native) in keys, sequence


def test_app_version_is_pyproject_version():
    with (paths.resource_path().parent / "pyproject.toml").open("rb") as fh:
        version = tomllib.load(fh)["project"]["version"]
    assert help_dialogs.app_version() == version


def test_about_shows_version_and_folders(parent):
    dialog = help_dialogs.show_about(parent)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert help_dialogs.app_version() in text
    for folder in (paths.data_dir(), paths.backup_dir(), paths.log_dir()):
        assert str(folder) in text


@pytest.mark.parametrize("key, folder", [
    ("data", paths.data_dir), ("backups", paths.backup_dir), ("logs", paths.log_dir),
])
def test_about_open_buttons_open_their_folder(parent, opened, qtbot, key, folder):
    dialog = help_dialogs.show_about(parent)
    qtbot.mouseClick(dialog.findChild(QPushButton, f"open_{key}"), Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened] == [str(folder())]
