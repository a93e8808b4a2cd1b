import tomllib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QPushButton, QTableWidget, QTextBrowser, QWidget

from core import paths
from gui import help_dialogs


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


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


def test_shortcuts_table_lists_every_shortcut(parent):
    dialog = help_dialogs.show_shortcuts(parent)
    table = dialog.findChild(QTableWidget, "shortcutTable")
    rows = {
        table.item(r, 1).text(): table.item(r, 0).text() for r in range(table.rowCount())
    }
    native = QKeySequence.SequenceFormat.NativeText
    expected = {
        "打开文件": "Ctrl+O", "粘贴通报": "Ctrl+Shift+V", "核对并跳到下一条": "Ctrl+Enter",
        "撤销": "Ctrl+Z", "重做": "Ctrl+Shift+Z", "在通报中查找": "Ctrl+F",
        "搜索全部通报": "Ctrl+Shift+F", "重新提取": "F5", "导出台账": "Ctrl+E",
        "编辑": "Enter", "删除": "Delete",
    }
    for action, keys in expected.items():
        assert rows[action] == QKeySequence(keys).toString(native)
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers


def test_shortcuts_are_valid_and_distinct():
    keys = [QKeySequence(k) for k, _ in help_dialogs.SHORTCUTS]
    assert all(not k.isEmpty() for k in keys)
    assert len({k.toString() for k in keys}) == len(keys)


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
