"""合并回填台账, driven as a reviewer would: the preview, a conflict chosen, apply, undo."""
import openpyxl
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox

from core.cli import main
from core.store import Store
from gui.merge_dialog import KEEP, MergeDialog, run_merge_dialog
from tests.gui.notices import notices_db


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.sqlite3"
    notices_db(path, "甲乙", problems=3, measures=2)
    return path


def _returned(db, tmp_path):
    """An exported ledger a unit filled in: two changes, one of them a conflict, one added row."""
    path = tmp_path / "发改局.xlsx"
    assert main(["export", "1", "-o", str(path), "--db", str(db), "--profile", "工作版"]) == 0
    with Store.open(db) as store:
        problems = store.get_notice(1)["problems"]
        store.update_field("problem", problems[1]["id"], "person", "程序中改的")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "序号")
    cols = {c.value: c.column for c in ws[header_row] if c.value}
    rows = {ws.cell(r, 1).value: r for r in range(header_row + 1, ws.max_row + 1)}
    ws.cell(rows[1], cols["责任单位"]).value = "区发改局"
    ws.cell(rows[2], cols["责任人"]).value = "文件中填的"
    ws.insert_rows(rows[3] + 1)
    ws.cell(rows[3] + 1, cols["整改措施"]).value = "加强督导检查"
    wb.save(path)
    return path, problems


def _when_shown(cls, action):
    def later():
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(10, later)
        else:
            action(dialog)
    QTimer.singleShot(0, later)


def test_preview_shows_changes_conflicts_and_new_rows_then_applies_the_choice(qtbot, db, parent, tmp_path):
    path, problems = _returned(db, tmp_path)
    seen = {}

    def review(dialog):
        seen["changes"] = [[dialog.changes.item(0, c).text() for c in range(1, 6)]]
        seen["conflict"] = [dialog.conflicts.item(0, c).text() for c in range(2, 6)]
        seen["combo"] = dialog.conflicts.cellWidget(0, 6).currentText()
        seen["tab"] = dialog.tabs.currentWidget() is dialog.conflicts
        seen["new"] = dialog.new_measures.item(0, 4).text()
        dialog.choose_file_value(0)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    _when_shown(MergeDialog, review)
    counts = run_merge_dialog(parent, db, [path])
    assert seen["changes"] == [["发改局.xlsx", "中共甲区委关于巡察整改进展情况的通报", "问题 1 的“责任单位”",
                                "甲区委办", "区发改局"]]
    assert seen["conflict"] == ["问题 2 的“责任人”", "（空）", "程序中改的", "文件中填的"]
    assert seen["combo"] == KEEP and seen["tab"]  # a conflict is shown first and kept by default
    assert seen["new"] == "加强督导检查"
    assert counts == {"changes": 2, "new_measures": 1, "steps": 1}
    with Store.open(db) as store:
        after = store.get_notice(1)["problems"]
        assert (after[0]["units"], after[1]["person"]) == ("区发改局", "文件中填的")
        assert after[2]["measures"][-1]["text"] == "加强督导检查"
        assert store.undo(1)["of"] in ("update_field", "add_measure")
        undone = store.get_notice(1)["problems"]
        assert (undone[0]["units"], undone[1]["person"]) == ("甲区委办", "程序中改的")
        assert len(undone[2]["measures"]) == 2
    infos = [b for b in parent.findChildren(QMessageBox) if b.isVisible()]
    assert infos and "已合并 2 处修改、1 项新措施" in infos[0].text()


def test_cancel_leaves_the_database_alone_and_a_bad_file_says_why(qtbot, db, parent, tmp_path, monkeypatch):
    path, _ = _returned(db, tmp_path)
    with Store.open(db) as store:
        before = store.get_notice(1)
    _when_shown(MergeDialog, lambda dialog: dialog.reject())
    assert run_merge_dialog(parent, db, [path]) is None
    with Store.open(db) as store:
        assert store.get_notice(1) == before

    old = tmp_path / "旧.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args: ([str(old)], ""))
    assert run_merge_dialog(parent, db) is None
    boxes = [b for b in parent.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and boxes[0].windowTitle() == "合并回填失败" and ".xlsx" in boxes[0].text()


def test_the_menu_entry_opens_the_merge(qtbot, db, tmp_path, monkeypatch):
    from tests.gui.notices import open_window

    window = open_window(qtbot, db)
    action = window.actions["merge_ledger"]
    # the menu as a child of the menu bar (QAction.menu() of PySide6 6.7 hands back a dead wrapper)
    file_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title().startswith("文件"))
    assert "合并回填台账…" in [a.text() for a in file_menu.actions()]
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args: (asked.append(args), ([], ""))[1])
    action.trigger()
    assert asked  # the file choice was offered; nothing chosen, nothing merged
