"""The window's open-file and choose-folder dialogs: Qt's own dialog where the platform has no
native one (a bare X server), in Chinese (``gui.app.install_qt_translations`` adds what Qt's
catalogue lacks) with dates in the Chinese format (``gui.app._application``), a Type column
wide enough for its names, a sidebar wide enough for its places, starting in the folder used
last (else Documents), which is remembered."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QHeaderView, QSplitter, QTreeView

NOTICE_FILE_FILTER = "通报文件 (*.txt *.htm *.html *.docx *.pdf);;所有文件 (*)"
DIALOG_SIZE = (960, 600)
# the detail view's columns: name, size, type, date modified
COLUMN_WIDTHS = (310, 80, 170, 150)   # fit beside the sidebar in DIALOG_SIZE
SIDEBAR_WIDTH = 150


def start_folder(settings) -> str:
    """The folder used last, if it still exists; else Documents; else home."""
    last = settings.last_folder
    if last and Path(last).is_dir():
        return last
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return documents if documents and Path(documents).is_dir() else str(Path.home())


def make_dialog(parent, settings, caption: str, *, folders: bool = False,
                name_filter: str = NOTICE_FILE_FILTER) -> QFileDialog:
    dialog = QFileDialog(parent, caption, start_folder(settings))
    if folders:
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilter(name_filter)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "选择" if folders else "打开")
    dialog.resize(*DIALOG_SIZE)
    view = dialog.findChild(QTreeView, "treeView")   # absent when the platform's own dialog is used
    if view is not None:
        header = view.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
    splitter = dialog.findChild(QSplitter, "splitter")
    if splitter is not None:
        splitter.setSizes([SIDEBAR_WIDTH, DIALOG_SIZE[0] - SIDEBAR_WIDTH])
    return dialog


def _run(dialog: QFileDialog, settings) -> list[str]:
    chosen = dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []
    if chosen:
        first = Path(chosen[0])
        settings.last_folder = str(first if first.is_dir() else first.parent)
    dialog.deleteLater()
    return chosen


def open_notice_files(parent, settings) -> list[str]:
    return _run(make_dialog(parent, settings, "打开通报文件"), settings)


def choose_notice_folder(parent, settings) -> str | None:
    chosen = _run(make_dialog(parent, settings, "选择包含通报的文件夹", folders=True), settings)
    return chosen[0] if chosen else None


def choose_evidence_file(parent, settings) -> str | None:
    chosen = _run(make_dialog(parent, settings, "选择佐证材料", name_filter="所有文件 (*)"), settings)
    return chosen[0] if chosen else None
