"""The Help menu's dialogs: usage (resources/help.md), keyboard shortcuts, and About.

Each ``show_*`` opens a non-modal dialog and returns it; a dialog is a child of ``parent``
and is kept when closed, so asking again shows the same one.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core import paths

APP_TITLE = "整改台账助手"
DISTRIBUTION = "zhenggai-taizhang"

def app_version() -> str:
    """The version in pyproject.toml (bundled by the spec), else the installed package's."""
    import tomllib  # both imported here: together they cost ~60 ms of start-up
    from importlib import metadata

    pyproject = paths.resource_path().parent / "pyproject.toml"
    try:
        with pyproject.open("rb") as fh:
            return tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "未知"


def open_path(path: Path) -> bool:
    """Open a folder in the file manager, or a file with the program the system assigns to it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_usage(parent: QWidget | None) -> QDialog:
    def build(dialog: QDialog) -> None:
        browser = QTextBrowser(dialog)
        browser.setObjectName("usageText")
        browser.setOpenExternalLinks(True)
        browser.setMarkdown(paths.resource_path("help.md").read_text(encoding="utf-8"))
        dialog.layout().addWidget(browser)
        dialog.resize(720, 640)

    return _open(parent, "usageDialog", "使用说明", build)


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(keys, what they do) for every action of ``window`` that has a shortcut, in creation order.

    Read from the window's own actions, so the table cannot drift from what the keys do.
    """
    native = QKeySequence.SequenceFormat.NativeText
    rows = []
    for action in window.findChildren(QAction):
        keys = " / ".join(k.toString(native) for k in action.shortcuts())
        if keys:
            rows.append((keys, action.text().replace("&", "").rstrip("…").strip()))
    return rows


def show_shortcuts(parent: QWidget) -> QDialog:
    """The shortcuts of ``parent``'s actions (the main window's)."""
    def build(dialog: QDialog) -> None:
        rows = shortcut_rows(parent)
        table = QTableWidget(len(rows), 2, dialog)
        table.setObjectName("shortcutTable")
        table.setHorizontalHeaderLabels(["快捷键", "功能"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, (keys, action) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(action))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        dialog.layout().addWidget(table)
        dialog.resize(420, 560)

    return _open(parent, "shortcutsDialog", "快捷键", build)


def show_about(parent: QWidget | None) -> QDialog:
    def build(dialog: QDialog) -> None:
        heading = QLabel(f"<h2>{APP_TITLE}</h2><p>版本 {app_version()}</p>"
                         "<p>从巡视、巡察整改进展情况的通报中提取反馈问题和整改措施，"
                         "核对后导出整改台账。</p>", dialog)
        heading.setWordWrap(True)
        dialog.layout().addWidget(heading)
        grid = QGridLayout()
        folders = (
            ("data", "数据文件夹", paths.data_dir()),
            ("backups", "备份文件夹", paths.backup_dir()),
            ("logs", "日志文件夹", paths.log_dir()),
        )
        for row, (key, label, folder) in enumerate(folders):
            grid.addWidget(QLabel(label + "：", dialog), row, 0)
            shown = QLabel(str(folder), dialog)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(shown, row, 1)
            button = QPushButton("打开", dialog)
            button.setObjectName(f"open_{key}")
            button.setToolTip(f"在文件管理器中打开{label}")
            button.clicked.connect(lambda _checked=False, f=folder: open_path(f))
            grid.addWidget(button, row, 2)
        grid.setColumnStretch(1, 1)
        dialog.layout().addLayout(grid)

    return _open(parent, "aboutDialog", f"关于{APP_TITLE}", build)


def _open(parent: QWidget | None, name: str, title: str, build) -> QDialog:
    """Show ``parent``'s dialog ``name``, building it the first time."""
    dialog = parent.findChild(QDialog, name) if parent is not None else None
    if dialog is None:
        dialog = QDialog(parent)
        dialog.setObjectName(name)
        dialog.setWindowTitle(title)
        QVBoxLayout(dialog)
        build(dialog)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.close)
        dialog.layout().addWidget(buttons)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
