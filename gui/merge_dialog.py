"""合并回填台账: bring back what the units filled into exported ledgers, after a preview.

``run_merge_dialog(parent, db_path, files=None) -> dict | None`` asks for the returned .xlsx
files (several at once: the per-unit files), reads and compares them in a worker
(``core.ledger.merge.preview``), shows every change (old → new, by notice and item, each with a
tick), the conflicts side by side (导出时 / 程序中 / 文件中, with a choice that keeps the
program's value until the reviewer picks the file's), the rows added as new measures and the
rows not merged. 应用 makes the chosen edits (``merge.apply``) and returns their counts; the
database is untouched until then. ``open_from_window(window)`` is the 文件 → 合并回填台账… slot.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.labels import value_text
from gui.messages import show_error, show_info
from gui.modal_job import ModalJob
from gui.settings import Settings

KEEP, TAKE = "保留程序中的值", "采用文件中的值"
CONFLICT_COLOUR = QColor("#FFF2CC")


def _text(value) -> str:
    return value_text(value)


def _item(text, *, check=None, tip=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
    if check is not None:
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Checked if check else Qt.Unchecked)
    if tip:
        item.setToolTip(tip)
    return item


def _table(headers) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(True)
    return table


class MergeDialog(QDialog):
    """The preview of one merge; ``accept()`` means apply the ticked changes and chosen values."""

    def __init__(self, parent: QWidget | None, preview):
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("合并回填台账")
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        plain = [c for c in preview.changes if not c.conflict]
        self.summary = QLabel(
            f"来自 {len(preview.files)} 个文件：修改 {len(plain)} 处，冲突 {len(preview.conflicts)} 处，"
            f"新增措施 {len(preview.new_measures)} 项，未合并的行 {len(preview.flags)} 处。"
            "应用前数据库不会改动；应用后每份通报可一步撤销。")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        for note in preview.notes:
            label = QLabel(f"注意：{note}")
            label.setWordWrap(True)
            layout.addWidget(label)

        self.tabs = QTabWidget()
        self.changes = _table(["应用", "文件", "通报", "修改的项", "原值（程序中）", "新值（文件中）", "说明"])
        self._plain = plain
        for change in plain:
            self._add_row(self.changes, [
                _item("", check=change.apply), _item(change.source), _item(change.notice),
                _item(change.label), _item(_text(change.old)), _item(_text(change.new)), _item(change.note)])
        self.tabs.addTab(self.changes, f"修改（{len(plain)}）")

        self.conflicts = _table(["文件", "通报", "修改的项", "导出时", "程序中（导出后改过）", "文件中", "采用"])
        self._choices = []
        for change in preview.conflicts:
            row = self._add_row(self.conflicts, [
                _item(change.source), _item(change.notice), _item(change.label), _item(_text(change.base)),
                _item(_text(change.old)), _item(_text(change.new))])
            for col in range(6):
                self.conflicts.item(row, col).setBackground(CONFLICT_COLOUR)
            choice = QComboBox()
            choice.addItems([KEEP, TAKE])
            choice.setCurrentIndex(1 if change.apply else 0)
            self.conflicts.setCellWidget(row, 6, choice)
            self._choices.append(choice)
        self.tabs.addTab(self.conflicts, f"冲突（{len(preview.conflicts)}）")

        self.new_measures = _table(["添加", "文件", "通报", "问题", "新措施"])
        for new in preview.new_measures:
            self._add_row(self.new_measures, [_item("", check=new.apply), _item(new.source), _item(new.notice),
                                              _item(new.item), _item(new.text)])
        self.tabs.addTab(self.new_measures, f"新增措施（{len(preview.new_measures)}）")

        self.flags = QListWidget()
        self.flags.addItems(preview.flags)
        self.tabs.addTab(self.flags, f"未合并（{len(preview.flags)}）")
        layout.addWidget(self.tabs)
        if preview.conflicts:
            self.tabs.setCurrentWidget(self.conflicts)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("应用")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(not preview.is_empty())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    @staticmethod
    def _add_row(table, items) -> int:
        row = table.rowCount()
        table.insertRow(row)
        for col, item in enumerate(items):
            table.setItem(row, col, item)
        return row

    def choose_file_value(self, index: int, take: bool = True) -> None:
        self._choices[index].setCurrentText(TAKE if take else KEEP)

    def chosen(self):
        """The preview with the reviewer's ticks and choices written into it."""
        for row, change in enumerate(self._plain):
            change.apply = self.changes.item(row, 0).checkState() == Qt.Checked
        for choice, change in zip(self._choices, self.preview.conflicts):
            change.apply = choice.currentText() == TAKE
        for row, new in enumerate(self.preview.new_measures):
            new.apply = self.new_measures.item(row, 0).checkState() == Qt.Checked
        return self.preview


def _in_worker(parent, db_path, job, label):
    step = ModalJob(parent, db_path, job, title="合并回填台账", label=label)
    result, error = step.run(), step.error
    step.deleteLater()
    if error:
        show_error(parent, "合并回填失败", error)
        return None
    return result


def ask_files(parent, settings: Settings) -> list[Path]:
    folder = settings.value("merge/folder", settings.value("export/folder", str(Path.home())))
    names, _ = QFileDialog.getOpenFileNames(parent, "选择各单位填好的台账（可多选）", str(folder),
                                            "Excel 工作簿 (*.xlsx);;所有文件 (*)")
    if names:
        settings.set_value("merge/folder", str(Path(names[0]).parent))
    return [Path(n) for n in names]


def run_merge_dialog(parent, db_path, files=None) -> dict | None:
    from core.ledger import merge

    files = files if files is not None else ask_files(parent, Settings())
    if not files:
        return None
    preview = _in_worker(parent, db_path, lambda store, progress, cancelled: merge.preview(
        store, list(files), progress=progress), "正在读取并比对台账…")
    if preview is None:
        return None
    dialog = MergeDialog(parent, preview)
    try:
        if dialog.exec() != QDialog.Accepted:
            return None
        chosen = dialog.chosen()
    finally:
        dialog.deleteLater()
    counts = _in_worker(parent, db_path, lambda store, progress, cancelled: merge.apply(store, chosen),
                        "正在合并…")
    if counts is not None:
        show_info(parent, "合并回填台账", f"已合并 {counts['changes']} 处修改、{counts['new_measures']} 项新措施。"
                                        "如需撤回，可在各通报中撤销（每份通报一步）。")
    return counts


def open_from_window(window) -> None:
    """文件 → 合并回填台账…: run the merge, then show the window's data afresh."""
    counts = run_merge_dialog(window, window.store.path)
    if counts:
        window.refresh_notices()
        window.show_notice(window.notice["id"] if window.notice else None)
