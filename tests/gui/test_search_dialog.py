"""Ctrl+Shift+F: search every notice from the window and open a hit."""
from PySide6.QtCore import Qt

from core.store import Store
from tests.gui.notices import add_notice, open_window


def test_search_all_opens_the_hit_in_its_notice(qtbot, tmp_path):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        first = add_notice(store, tag="甲")
        second = add_notice(store, tag="乙")
    window = open_window(qtbot, path, first)
    window.actions["search_all"].trigger()
    dialog = window.search_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "在全部通报中搜索"
    dialog.query.setText("乙单位召开第2-1次专题会议")
    dialog.run_search()
    assert dialog.summary.text().startswith("找到")
    hits = [dialog.results.item(i).data(Qt.UserRole) for i in range(dialog.results.count())]
    measure_hit = next(h for h in hits if h["kind"] == "measure")
    assert measure_hit["notice_id"] == second
    item = next(dialog.results.item(i) for i in range(dialog.results.count())
                if dialog.results.item(i).data(Qt.UserRole) is not None
                and dialog.results.item(i).data(Qt.UserRole)["measure_id"] == measure_hit["measure_id"])
    dialog.results.itemActivated.emit(item)
    assert window.notice["id"] == second
    entity, row = window.current_item()
    assert (entity, row["id"]) == ("measure", measure_hit["measure_id"])
    assert "乙单位" in row["text"]


def test_a_search_without_hits_says_so(qtbot, tmp_path):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        add_notice(store)
    window = open_window(qtbot, path)
    window.search_all()
    window.search_dialog.query.setText("量子计算机")
    window.search_dialog.run_search()
    assert window.search_dialog.summary.text() == "没有找到"
    assert window.search_dialog.results.count() == 0
