"""Notice-level actions of the window: delete (confirmed, not undoable), re-extract (F5) with its
summary, notice fields marked when corrected, the find bar built on first use."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QMenu, QMessageBox

from core.store import Store
from tests.gui.notices import add_notice, open_window


def _window(qtbot, tmp_path, notices=("甲",)):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        ids = [add_notice(store, tag=tag) for tag in notices]
    return open_window(qtbot, path, ids[0]), ids


def _answer(monkeypatch, answer):
    """QMessageBox.question answers ``answer``; returns the questions asked."""
    asked = []

    def question(parent, title, text, buttons, default):
        assert default == QMessageBox.No       # not undoable: Enter must not confirm
        asked.append((title, text))
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def _menu_action(window, menu_title, text):
    # found by title, not QAction.menu(): on PySide6 6.7 (the floor) that call can delete the menu
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == menu_title)
    return next(a for a in menu.actions() if a.text() == text)


def _shown_boxes(window):
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_delete_notice_from_the_notice_menu_names_it_and_says_it_cannot_be_undone(qtbot, tmp_path, monkeypatch):
    window, (first, second) = _window(qtbot, tmp_path, ("甲", "乙"))
    action = _menu_action(window, "通报(&N)", "删除通报…")
    asked = _answer(monkeypatch, QMessageBox.No)
    action.trigger()
    assert window.store.notice_ids() == [first, second]           # "No" keeps it
    [(title, text)] = asked
    assert "中共甲区委关于巡察整改进展情况的通报" in text and "不能撤销" in text

    _answer(monkeypatch, QMessageBox.Yes)
    action.trigger()
    assert window.store.notice_ids() == [second]
    assert window.notice["id"] == second and window.notice_model.ids() == [second]
    _answer(monkeypatch, QMessageBox.Yes)
    action.trigger()
    assert window.notice is None and window.notice_model.rowCount() == 0
    assert not action.isEnabled()


def test_reextract_asks_then_shows_its_summary_and_is_not_undoable(qtbot, tmp_path, monkeypatch):
    window, (notice_id,) = _window(qtbot, tmp_path)
    problem = window.notice["problems"][0]
    window.store.update_field("problem", problem["id"], "leader", "张三")
    window.show_notice(notice_id)
    assert window.actions["undo"].isEnabled()

    asked = _answer(monkeypatch, QMessageBox.No)
    window.actions["reextract"].trigger()
    assert window.actions["undo"].isEnabled() and not _shown_boxes(window)
    assert "不能撤销" in asked[0][1]

    _answer(monkeypatch, QMessageBox.Yes)
    window.actions["reextract"].trigger()
    [box] = _shown_boxes(window)
    assert box.windowTitle() == "重新提取完成"
    assert "保留人工修改过的 1 个" in box.text() and "此操作不能撤销" in box.text()
    assert not window.actions["undo"].isEnabled()
    kept = next(p for p in window.notice["problems"] if p["leader"] == "张三")
    assert kept["title"] == problem["title"]


def test_corrected_notice_fields_are_tinted_by_palette(qtbot, tmp_path):
    window, _ids = _window(qtbot, tmp_path)
    edit = window.meta_panel.edits["issuer"]
    plain = edit.palette().color(QPalette.ColorRole.Base)
    edit.setText("中共甲区委办公室")
    edit.editingFinished.emit()
    assert window.notice["issuer"] == "中共甲区委办公室"
    assert edit.palette().color(QPalette.ColorRole.Base) == QColor("#fff4c2")
    assert edit.styleSheet() == "" and "中共甲区委" in edit.toolTip()
    window.corrections.undo()
    assert edit.palette().color(QPalette.ColorRole.Base) == plain and edit.toolTip() == ""


def test_find_bar_is_built_on_first_use_and_finds(qtbot, tmp_path):
    window, _ids = _window(qtbot, tmp_path)
    assert window.find_bar is None
    window.actions["find"].trigger()
    bar = window.find_bar
    assert bar.isVisible()
    bar.edit.setText("专题会议")
    assert bar.find_next()
    assert window.source_view.textCursor().selectedText() == "专题会议"
    qtbot.keyClick(bar.edit, Qt.Key_Escape)
    assert not bar.isVisible()
    window.actions["find"].trigger()
    assert window.find_bar is bar and bar.isVisible()


def test_a_first_start_on_a_small_screen_is_maximized(qtbot, tmp_path):
    """The designed 1600×1000 window ran off a smaller screen (status bar and text cut off)."""
    from gui.main_window import MainWindow
    from gui.settings import Settings

    window = MainWindow(settings=Settings(tmp_path / "window.ini"))
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    assert available.width() < 1600 or available.height() < 1000   # offscreen's screen is smaller
    window.show()
    qtbot.waitExposed(window)
    assert window.isMaximized()
    assert window.width() <= available.width() and window.height() <= available.height()


def test_edit_log_is_listed_while_its_tab_is_shown(qtbot, tmp_path):
    """Every correction re-listed the whole edit log, shown or not: edits slowed as it grew."""
    window, _ids = _window(qtbot, tmp_path)
    log = window.edit_log_view
    problem = window.notice["problems"][0]
    window.store.update_field("problem", problem["id"], "leader", "张三")
    window.corrections.field_edited("problem", problem["id"], "person", "李四")
    assert log.topLevelItemCount() == 0                 # hidden: not read
    window.tabs.setCurrentWidget(log)
    assert log.topLevelItemCount() == 2
    window.corrections.field_edited("problem", problem["id"], "remark", "按期")
    assert log.topLevelItemCount() == 3                 # shown: kept up to date
    assert "按期" in log.topLevelItem(0).text(4)
    window.actions["undo"].trigger()
    assert log.topLevelItem(0).toolTip(2) == "已撤销"


def test_ctrl_click_selects_several_notices_for_the_export(qtbot, tmp_path, monkeypatch):
    """选中的通报 in the export dialog was unreachable: the list allowed one selection."""
    import gui.export_dialog

    window, (first, second, third) = _window(qtbot, tmp_path, ("甲", "乙", "丙"))
    calls = []
    monkeypatch.setattr(gui.export_dialog, "run_export_dialog",
                        lambda parent, db_path, chosen, all_ids: calls.append((chosen, all_ids)))
    table = window.notice_panel.table
    row_of = window.notice_model.row_of
    table.setFocus()
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualRect(table.model().index(row_of(first), 0)).center())
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, Qt.ControlModifier,
                     pos=table.visualRect(table.model().index(row_of(third), 0)).center())
    assert window.notice["id"] == third                      # the last clicked is shown
    window.actions["export"].trigger()
    [(chosen, all_ids)] = calls
    assert chosen == [third, first] and sorted(all_ids) == [first, second, third]
    # a plain click selects one again
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualRect(table.model().index(row_of(second), 0)).center())
    window.actions["export"].trigger()
    assert calls[-1][0] == [second]
