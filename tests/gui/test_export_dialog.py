"""The export dialog, driven as a user would: fields set, the save dialog answered, progress, cancel."""
import threading

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QPushButton

from core import ledger
from gui import export_dialog
from gui.export_dialog import ExportDialog, run_export_dialog
from tests.gui.notices import notices_db


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.sqlite3"
    notices_db(path, "甲乙丙", problems=3, measures=2)
    return path


@pytest.fixture
def save_as(monkeypatch):
    """Answer the save dialog with a given path; records the file type it offered."""
    answer = {}

    def fake(parent, caption, suggested, filters):
        answer["offered"] = filters
        return str(answer["path"]), answer.get("filter", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return answer


def _drive(action):
    """Run ``action(dialog)`` on the export dialog as soon as it is shown."""
    def later():
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, ExportDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(10, later)
        else:
            action(dialog)
    QTimer.singleShot(0, later)


def _uncheck(dialog, *keys):
    for i in range(dialog.columns.count()):
        item = dialog.columns.item(i)
        if item.data(Qt.UserRole) in keys:
            item.setCheckState(Qt.Unchecked)


def _choose_all_measure_layout_without_remark(dialog):
    dialog.scope_all.setChecked(True)
    dialog.profile_buttons["工作版"].setChecked(True)
    dialog.layout_measure.setChecked(True)
    _uncheck(dialog, "remark", "location")
    dialog.edit_log.setChecked(True)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()


def test_export_all_notices_to_a_workbook(qtbot, db, parent, save_as, tmp_path):
    save_as["path"] = tmp_path / "台账"
    save_as["filter"] = export_dialog.FILTERS["xlsx"]
    _drive(_choose_all_measure_layout_without_remark)
    result = run_export_dialog(parent, db, [2], [1, 2, 3])
    assert result == tmp_path / "台账.xlsx"
    assert "*.csv" in save_as["offered"]
    wb = openpyxl.load_workbook(result)
    assert wb.sheetnames[:2] == ["汇总", "全部问题"] and wb.sheetnames[-2:] == ["修改记录", "台账标识"]
    header = [c.value for c in wb["全部问题"][1]]
    assert "备注" not in header and "原文位置" not in header
    sheet = wb.worksheets[2]
    assert any(str(r).startswith("A") for r in sheet.merged_cells.ranges if r.min_row > 8)  # measure layout
    assert wb["全部问题"].max_row == 1 + 9


def test_choices_are_remembered(qtbot, db, parent, save_as, tmp_path):
    save_as["path"] = tmp_path / "a.xlsx"
    _drive(_choose_all_measure_layout_without_remark)
    assert run_export_dialog(parent, db, [1], [1, 2, 3])
    dialog = ExportDialog(parent, [1], [1, 2, 3])
    qtbot.addWidget(dialog)
    assert dialog.layout() == "measure" and dialog.with_edit_log()
    assert dialog.hidden_columns() == ("remark",) and dialog.shown_columns() == ()
    assert dialog.ids() == [1]  # the scope is not remembered: it depends on the selection


def test_scope_choices(qtbot, parent):
    dialog = ExportDialog(parent, [2, 3], [1, 2, 3])
    qtbot.addWidget(dialog)
    assert dialog.scope_selected.isChecked() and dialog.ids() == [2, 3]
    dialog.scope_current.setChecked(True)
    assert dialog.ids() == [2]
    lonely = ExportDialog(parent, [], [1])
    qtbot.addWidget(lonely)
    assert not lonely.scope_current.isEnabled() and lonely.ids() == [1]


def test_cancelling_the_dialog_or_the_file_choice_exports_nothing(qtbot, db, parent, save_as, tmp_path):
    _drive(lambda dialog: dialog.reject())
    assert run_export_dialog(parent, db, [1], [1, 2, 3]) is None
    save_as["path"] = ""
    _drive(lambda dialog: dialog.buttons.button(dialog.buttons.StandardButton.Ok).click())
    assert run_export_dialog(parent, db, [1], [1, 2, 3]) is None
    assert list(tmp_path.glob("*.xlsx")) == []


def test_target_in_use_shows_a_chinese_message(qtbot, db, parent, save_as, tmp_path):
    save_as["path"] = tmp_path / "台账.csv"
    (tmp_path / ".~lock.台账.csv#").write_text("x")
    _drive(lambda dialog: dialog.buttons.button(dialog.buttons.StandardButton.Ok).click())
    assert run_export_dialog(parent, db, [1], [1, 2, 3]) is None
    boxes = [b for b in parent.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "关闭" in boxes[0].text() and boxes[0].windowTitle() == "导出失败"
    assert not (tmp_path / "台账.csv").exists()


def test_cancel_in_the_progress_dialog_stops_the_export(qtbot, db, parent, save_as, tmp_path, monkeypatch):
    started = threading.Event()

    def slow_export(notices, target, *, cancelled, progress, **options):
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        from core.errors import Cancelled
        raise Cancelled()

    monkeypatch.setattr(ledger, "export", slow_export)
    save_as["path"] = tmp_path / "x.xlsx"

    def press_cancel():
        bars = parent.findChildren(QProgressDialog)
        if started.is_set() and bars:
            next(b for b in bars[0].findChildren(QPushButton) if b.text() == "取消").click()
        else:
            QTimer.singleShot(20, press_cancel)

    def accept(dialog):
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        QTimer.singleShot(0, press_cancel)

    _drive(accept)
    assert run_export_dialog(parent, db, [1], [1, 2, 3]) is None
    assert not (tmp_path / "x.xlsx").exists()
    assert not [b for b in parent.findChildren(QMessageBox) if b.isVisible()]


def test_profile_default_comes_from_the_preferences_and_changes_the_columns(qtbot, db, parent, save_as, tmp_path):
    from gui.settings import Settings

    Settings().set_value("export/profile", "工作版")  # what the preferences dialog writes
    dialog = ExportDialog(parent, [1], [1, 2, 3])
    qtbot.addWidget(dialog)
    assert dialog.profile().name == "工作版"
    keys = [dialog.columns.item(i).data(Qt.UserRole) for i in range(dialog.columns.count())]
    assert keys == list(ledger.COLUMN_KEYS)
    checked = {dialog.columns.item(i).data(Qt.UserRole) for i in range(dialog.columns.count())
               if dialog.columns.item(i).checkState() == Qt.Checked}
    assert "checked" not in checked and "location" not in checked  # printed only when asked for
    dialog.profile_buttons["上报版"].setChecked(True)
    headers = [dialog.columns.item(i).text() for i in range(dialog.columns.count())]
    assert "整改措施及进展" in headers and "佐证材料" not in headers

    save_as["path"] = tmp_path / "上报.xlsx"

    def choose_report(d):
        d.profile_buttons["上报版"].setChecked(True)
        d.buttons.button(d.buttons.StandardButton.Ok).click()

    _drive(choose_report)
    result = run_export_dialog(parent, db, [1], [1, 2, 3])
    ws = openpyxl.load_workbook(result).worksheets[0]
    assert int(ws.page_setup.paperSize) == 9 and Settings().value("export/profile") == "上报版"


def test_per_unit_export_writes_one_workbook_per_unit(qtbot, db, parent, monkeypatch, tmp_path):
    folder = tmp_path / "分发"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(folder))

    def per_unit(d):
        d.scope_all.setChecked(True)
        d.per_unit_box.setChecked(True)
        d.buttons.button(d.buttons.StandardButton.Ok).click()

    _drive(per_unit)
    assert run_export_dialog(parent, db, [1], [1, 2, 3]) == folder
    assert sorted(p.name for p in folder.iterdir()) == ["丙区委办.xlsx", "乙区委办.xlsx", "甲区委办.xlsx"]
