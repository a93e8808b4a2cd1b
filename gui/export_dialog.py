"""导出台账: choose notices, layout and columns, pick a file, export in a worker with progress.

``run_export_dialog(parent, db_path, current_ids, all_ids)`` returns the written file, or None
when the user cancelled or the export failed (the failure is shown in a message box).
``current_ids`` are the notices selected in the window: one is 当前通报, several 选中的通报.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QSettings, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core import ledger, paths
from gui.worker import Worker

FILTERS = {"xlsx": "Excel 工作簿 (*.xlsx)", "csv": "CSV 文件（UTF-8） (*.csv)", "json": "JSON 文件 (*.json)"}


def _settings() -> QSettings:
    # The choices are remembered next to the window state, in the data folder's ini file.
    return QSettings(str(paths.data_dir() / "window.ini"), QSettings.Format.IniFormat)


class ExportDialog(QDialog):
    """The choices of one export; ``ids()``, ``layout()``, ``hidden_columns()``, ``with_edit_log()``."""

    def __init__(self, parent: QWidget | None, current_ids, all_ids):
        super().__init__(parent)
        self.current_ids = list(current_ids)
        self.all_ids = list(all_ids)
        self.setWindowTitle("导出台账")
        self._build()
        self._restore()

    def _build(self) -> None:
        layout = QVBoxLayout(self)

        scope_box = QGroupBox("导出范围")
        scope_layout = QVBoxLayout(scope_box)
        self.scope_current = QRadioButton("当前通报")
        self.scope_selected = QRadioButton(f"选中的通报（{len(self.current_ids)} 份）")
        self.scope_all = QRadioButton(f"全部通报（{len(self.all_ids)} 份）")
        self.scope_current.setEnabled(len(self.current_ids) >= 1)
        self.scope_selected.setEnabled(len(self.current_ids) > 1)
        self.scope_all.setEnabled(bool(self.all_ids))
        self.scope_group = QButtonGroup(self)
        for button in (self.scope_current, self.scope_selected, self.scope_all):
            self.scope_group.addButton(button)
            scope_layout.addWidget(button)
        (self.scope_selected if len(self.current_ids) > 1 else
         self.scope_current if self.current_ids else self.scope_all).setChecked(True)
        layout.addWidget(scope_box)

        layout_box = QGroupBox("排列方式")
        layout_row = QHBoxLayout(layout_box)
        self.layout_problem = QRadioButton("每个问题一行")
        self.layout_measure = QRadioButton("每项措施一行（问题单元格合并）")
        self.layout_problem.setChecked(True)
        layout_row.addWidget(self.layout_problem)
        layout_row.addWidget(self.layout_measure)
        layout.addWidget(layout_box)

        columns_box = QGroupBox("导出的列")
        columns_layout = QVBoxLayout(columns_box)
        self.columns = QListWidget()
        self.columns.setObjectName("exportColumns")
        for column in ledger.COLUMNS:
            item = QListWidgetItem(column.header)
            item.setData(Qt.UserRole, column.key)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked)
            self.columns.addItem(item)
        columns_layout.addWidget(self.columns)
        layout.addWidget(columns_box)

        self.edit_log = QCheckBox("附上修改记录工作表（仅 Excel）")
        layout.addWidget(self.edit_log)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("导出…")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _restore(self) -> None:
        s = _settings()
        hidden = set(s.value("export/hidden_columns", [], type=list))
        for i in range(self.columns.count()):
            item = self.columns.item(i)
            item.setCheckState(Qt.Unchecked if item.data(Qt.UserRole) in hidden else Qt.Checked)
        self.layout_measure.setChecked(s.value("export/layout", "problem") == "measure")
        self.edit_log.setChecked(s.value("export/edit_log", False, type=bool))

    def _save(self) -> None:
        s = _settings()
        s.setValue("export/hidden_columns", list(self.hidden_columns()))
        s.setValue("export/layout", self.layout())
        s.setValue("export/edit_log", self.with_edit_log())
        s.sync()

    def _accept(self) -> None:
        if len(self.hidden_columns()) == len(ledger.COLUMNS):
            QMessageBox.information(self, "导出台账", "请至少选择一列。")
            return
        self._save()
        self.accept()

    def ids(self) -> list[int]:
        if self.scope_all.isChecked():
            return self.all_ids
        return self.current_ids if self.scope_selected.isChecked() else self.current_ids[:1]

    def layout(self) -> str:
        return "measure" if self.layout_measure.isChecked() else "problem"

    def hidden_columns(self) -> tuple[str, ...]:
        items = (self.columns.item(i) for i in range(self.columns.count()))
        return tuple(item.data(Qt.UserRole) for item in items if item.checkState() != Qt.Checked)

    def with_edit_log(self) -> bool:
        return self.edit_log.isChecked()


def ask_target(parent: QWidget | None) -> Path | None:
    """The file to write, from the save dialog; the suffix follows the chosen type."""
    s = _settings()
    folder = Path(s.value("export/folder", str(Path.home())))
    suggested = folder / f"整改台账_{date.today():%Y%m%d}.xlsx"
    name, chosen = QFileDialog.getSaveFileName(parent, "导出台账", str(suggested), ";;".join(FILTERS.values()))
    if not name:
        return None
    target = Path(name)
    if ledger.format_of(target) is None:
        fmt = next((f for f, label in FILTERS.items() if label == chosen), "xlsx")
        target = target.with_name(f"{target.name}.{fmt}")
    s.setValue("export/folder", str(target.parent))
    return target


class _Run(QObject):
    """One export in a worker thread, with a progress dialog whose 取消 stops it."""

    def __init__(self, parent: QWidget | None, db_path, ids, target: Path, options: dict):
        super().__init__(parent)
        self.result: Path | None = None
        self.error: str | None = None
        self.loop = QEventLoop(self)
        self.dialog = QProgressDialog("正在导出台账…", "取消", 0, len(ids) * 2, parent)
        self.dialog.setWindowTitle("导出台账")
        self.dialog.setWindowModality(Qt.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)

        def job(store, progress, cancelled):
            from core.errors import Cancelled

            total = len(ids) * 2
            notices = []
            for i, notice_id in enumerate(ids, 1):
                if cancelled():
                    return None
                notices.append(store.get_notice(notice_id))
                progress(i, total)
            logs = {i: store.edit_log(i) for i in ids} if options.pop("edit_log") else None
            try:
                return ledger.export(notices, target, edit_logs=logs, cancelled=cancelled,
                                     progress=lambda done, _: progress(len(ids) + done, total), **options)
            except Cancelled:
                return None

        self.worker = Worker(db_path, job)
        self.worker.signals.progress.connect(self._progress)
        self.worker.signals.finished.connect(self._finished)
        self.worker.signals.failed.connect(self._failed)
        self.dialog.canceled.connect(self._cancel)

    def exec(self) -> Path | None:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().start(self.worker)
        self.loop.exec()
        self.dialog.close()
        self.dialog.deleteLater()
        return self.result

    def _progress(self, done: int, total: int) -> None:
        self.dialog.setValue(done)

    def _cancel(self) -> None:
        self.dialog.setLabelText("正在取消…")
        self.worker.cancel()

    def _finished(self, result) -> None:
        self.result = result
        self.loop.quit()

    def _failed(self, message: str) -> None:
        self.error = message
        self.loop.quit()


def run_export_dialog(parent, db_path, current_ids, all_ids) -> Path | None:
    dialog = ExportDialog(parent, current_ids, all_ids)
    try:
        if dialog.exec() != QDialog.Accepted:
            return None
        ids = dialog.ids()
        options = {"layout": dialog.layout(), "hidden_columns": dialog.hidden_columns(),
                   "edit_log": dialog.with_edit_log()}
    finally:
        dialog.deleteLater()
    target = ask_target(parent)
    if target is None:
        return None
    run = _Run(parent, db_path, ids, target, options)
    result, error = run.exec(), run.error
    run.deleteLater()
    if error:
        box = QMessageBox(QMessageBox.Warning, "导出失败", error, QMessageBox.Ok, parent)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()
    return result
