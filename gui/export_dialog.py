"""导出台账: choose notices, print profile, layout and columns, pick a file (or a folder for one
workbook per 责任单位), export in a worker with progress.

``run_export_dialog(parent, db_path, current_ids, all_ids)`` returns the written file (or the
folder of per-unit files), or None when the user cancelled or the export failed (the failure is
shown with ``gui.messages.show_error``). ``current_ids`` are the notices selected in the window:
one is 当前通报, several 选中的通报. The choices are remembered through ``gui.settings.Settings``;
the default profile is its key ``export/profile`` (上报版 unless the preferences say 工作版).

The export runs on a thread pool of its own (one thread), while a window-modal progress dialog
keeps the window's own workers and input out of the way; the call returns when it is done.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
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
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core import ledger
from core.errors import ExpectedError
from gui.messages import show_error
from gui.modal_job import ModalJob
from gui.settings import Settings

FILTERS = {"xlsx": "Excel 工作簿 (*.xlsx)", "csv": "CSV 文件（UTF-8） (*.csv)", "json": "JSON 文件 (*.json)"}
PROFILE_KEY = "export/profile"
PROFILE_HINTS = {"上报版": "上报版：领导阅看的列，A4 横向，五号字", "工作版": "工作版：全部列，A3 横向"}


def default_profile(settings: Settings) -> ledger.Profile:
    """The profile the preferences chose (export/profile: 上报版/工作版 or report/work), else 上报版."""
    value = settings.value(PROFILE_KEY, ledger.DEFAULT_PROFILE.name)
    try:
        return ledger.profile_of(str(value))
    except ExpectedError:  # an unknown word in the ini file: the default
        return ledger.DEFAULT_PROFILE


class ExportDialog(QDialog):
    """The choices of one export: ``ids()``, ``profile()``, ``layout()``, ``hidden_columns()``,
    ``shown_columns()``, ``with_edit_log()``, ``per_unit()``."""

    def __init__(self, parent: QWidget | None, current_ids, all_ids, settings: Settings | None = None):
        super().__init__(parent)
        self.current_ids = list(current_ids)
        self.all_ids = list(all_ids)
        self.settings = settings or Settings()
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

        profile_box = QGroupBox("版式")
        profile_row = QHBoxLayout(profile_box)
        self.profile_buttons = {}
        for name in ledger.PROFILE_NAMES:
            button = QRadioButton(PROFILE_HINTS[name])
            button.toggled.connect(self._fill_columns)
            self.profile_buttons[name] = button
            profile_row.addWidget(button)
        layout.addWidget(profile_box)

        layout_box = QGroupBox("排列方式")
        layout_row = QHBoxLayout(layout_box)
        self.layout_problem = QRadioButton("每个问题一行")
        self.layout_measure = QRadioButton("每项措施一行（问题单元格合并）")
        self.layout_problem.setChecked(True)
        layout_row.addWidget(self.layout_problem)
        layout_row.addWidget(self.layout_measure)
        layout.addWidget(layout_box)

        columns_box = QGroupBox("导出的列（上报版自动略去全空的列）")
        columns_layout = QVBoxLayout(columns_box)
        self.columns = QListWidget()
        self.columns.setObjectName("exportColumns")
        columns_layout.addWidget(self.columns)
        layout.addWidget(columns_box)

        self.edit_log = QCheckBox("附上修改记录工作表（仅 Excel）")
        layout.addWidget(self.edit_log)
        self.per_unit_box = QCheckBox("按责任单位分别导出（每个单位一个工作簿，供各单位填写后合并回填）")
        layout.addWidget(self.per_unit_box)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("导出…")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _fill_columns(self, checked: bool = True) -> None:
        """The columns of the chosen profile; 核对 and 原文位置 unchecked unless asked for."""
        if not checked:
            return
        hidden = set(self.hidden_columns()) if self.columns.count() else self._remembered_hidden
        shown = set(self.shown_columns()) if self.columns.count() else self._remembered_shown
        profile = self.profile()
        self.columns.clear()
        for column in ledger.COLUMNS:
            if column.key not in profile.keys and column.key not in ledger.ASKED_ONLY:
                continue
            item = QListWidgetItem(profile.headers.get(column.key, column.header))
            item.setData(Qt.UserRole, column.key)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            on = column.key in shown if column.key in ledger.ASKED_ONLY else column.key not in hidden
            item.setCheckState(Qt.Checked if on else Qt.Unchecked)
            self.columns.addItem(item)

    def _restore(self) -> None:
        s = self.settings
        known = set(ledger.COLUMN_KEYS)
        self._remembered_hidden = set(s.value("export/hidden_columns", [], type=list)) & known
        self._remembered_shown = set(s.value("export/shown_columns", [], type=list)) & set(ledger.ASKED_ONLY)
        self.profile_buttons[default_profile(s).name].setChecked(True)
        self.layout_measure.setChecked(s.value("export/layout", "problem") == "measure")
        self.edit_log.setChecked(s.value("export/edit_log", False, type=bool))

    def _save(self) -> None:
        s = self.settings
        s.set_value("export/hidden_columns", list(self.hidden_columns()))
        s.set_value("export/shown_columns", list(self.shown_columns()))
        s.set_value(PROFILE_KEY, self.profile().name)
        s.set_value("export/layout", self.layout())
        s.set_value("export/edit_log", self.with_edit_log())

    def _accept(self) -> None:
        if not any(self._items(Qt.Checked, asked=False)):
            QMessageBox.information(self, "导出台账", "请至少选择一列。")
            return
        self._save()
        self.accept()

    def _items(self, state, *, asked: bool):
        for i in range(self.columns.count()):
            item = self.columns.item(i)
            if (item.data(Qt.UserRole) in ledger.ASKED_ONLY) == asked and item.checkState() == state:
                yield item.data(Qt.UserRole)

    def ids(self) -> list[int]:
        if self.scope_all.isChecked():
            return self.all_ids
        return self.current_ids if self.scope_selected.isChecked() else self.current_ids[:1]

    def profile(self) -> ledger.Profile:
        name = next((n for n, b in self.profile_buttons.items() if b.isChecked()), ledger.DEFAULT_PROFILE.name)
        return ledger.profile_of(name)

    def layout(self) -> str:
        return "measure" if self.layout_measure.isChecked() else "problem"

    def hidden_columns(self) -> tuple[str, ...]:
        return tuple(self._items(Qt.Unchecked, asked=False))

    def shown_columns(self) -> tuple[str, ...]:
        return tuple(self._items(Qt.Checked, asked=True))

    def with_edit_log(self) -> bool:
        return self.edit_log.isChecked()

    def per_unit(self) -> bool:
        return self.per_unit_box.isChecked()


def ask_target(parent: QWidget | None, settings: Settings, per_unit: bool = False) -> Path | None:
    """The file to write, from the save dialog (the suffix follows the chosen type); for a
    per-unit export, the folder."""
    folder = Path(settings.value("export/folder", str(Path.home())))
    if per_unit:
        name = QFileDialog.getExistingDirectory(parent, "选择存放各单位台账的文件夹", str(folder))
        if not name:
            return None
        settings.set_value("export/folder", name)
        return Path(name)
    suggested = folder / f"整改台账_{date.today():%Y%m%d}.xlsx"
    name, chosen = QFileDialog.getSaveFileName(parent, "导出台账", str(suggested), ";;".join(FILTERS.values()))
    if not name:
        return None
    target = Path(name)
    if ledger.format_of(target) is None:
        fmt = next((f for f, label in FILTERS.items() if label == chosen), "xlsx")
        target = target.with_name(f"{target.name}.{fmt}")
    settings.set_value("export/folder", str(target.parent))
    return target


def _export_job(store, progress, cancelled, ids, target, options):
    """In the worker: read the notices, then write the ledger (or one per unit)."""
    from core.errors import Cancelled

    total = len(ids) * 2
    notices = []
    for i, notice_id in enumerate(ids, 1):
        if cancelled():
            return None
        notices.append(store.get_notice(notice_id))
        progress(i, total)
    logs = {i: store.edit_log(i) for i in ids} if options.pop("edit_log") else None
    per_unit = options.pop("per_unit")
    options["database_id"] = ledger.identity.database_id(store)
    try:
        if per_unit:
            ledger.export_per_unit(notices, target, cancelled=cancelled,
                                   progress=lambda done, n: progress(len(ids) + done * len(ids) // max(n, 1), total),
                                   **options)
            return target
        return ledger.export(notices, target, edit_logs=logs, cancelled=cancelled,
                             progress=lambda done, _: progress(len(ids) + done, total), **options)
    except Cancelled:
        return None


def run_export_dialog(parent, db_path, current_ids, all_ids) -> Path | None:
    settings = Settings()
    dialog = ExportDialog(parent, current_ids, all_ids, settings)
    try:
        if dialog.exec() != QDialog.Accepted:
            return None
        ids = dialog.ids()
        options = {"profile": dialog.profile().name, "layout": dialog.layout(),
                   "hidden_columns": dialog.hidden_columns(), "shown_columns": dialog.shown_columns(),
                   "edit_log": dialog.with_edit_log(), "per_unit": dialog.per_unit()}
    finally:
        dialog.deleteLater()
    target = ask_target(parent, settings, options["per_unit"])
    if target is None:
        return None
    run = ModalJob(parent, db_path, lambda store, progress, cancelled: _export_job(
        store, progress, cancelled, ids, target, dict(options)),
        title="导出台账", label="正在导出台账…", cancel_text="取消", total=len(ids) * 2)
    result, error = run.run(), run.error
    run.deleteLater()
    if error:
        show_error(parent, "导出失败", error)
    return result
