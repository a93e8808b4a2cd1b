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


def _hits(dialog):
    return [dialog.results.item(i) for i in range(dialog.results.count())]


def test_search_marks_the_words_names_untitled_notices_lists_a_passage_once_and_takes_focus(qtbot, tmp_path):
    from tests.gui.notices import make_extraction

    path = tmp_path / "t.sqlite3"
    untitled = make_extraction(tag="丙")
    untitled["meta"]["title"] = None
    with Store.open(path) as store:
        add_notice(store, tag="甲")
        store.add_extraction(untitled)
    window = open_window(qtbot, path)
    window.actions["search_all"].trigger()
    dialog = window.search_dialog
    qtbot.waitUntil(dialog.query.hasFocus)                     # typing goes to the query
    dialog.query.setText("专题会议")
    dialog.run_search()
    items = _hits(dialog)
    assert items
    for item in items:
        html_text = item.data(Qt.UserRole + 1)
        assert "专题会议</span>" in html_text and "background-color:#ffd54f" in html_text
    passages = [(i.data(Qt.UserRole)["notice_id"], i.data(Qt.UserRole)["snippet"]) for i in items]
    kinds = {i.data(Qt.UserRole)["kind"] for i in items}
    assert "notice" not in kinds                                # each passage once, as its measure
    assert len(passages) == len(set(passages))
    untitled_lines = [i.text() for i in items if "丙" in i.text().split("\n")[0]]
    assert untitled_lines and all("—— 中共丙区委" in line for line in untitled_lines)


def test_a_notice_hit_is_dropped_only_for_a_passage_listed_as_its_item():
    from gui.search_dialog import distinct_hits

    hits = [{"kind": "measure", "notice_id": 1, "snippet": "一是甲单位召开第1-1次专题会议，完善制度1项。"},
            {"kind": "notice", "notice_id": 1, "snippet": "…整改情况：一是甲单位召开第1-1次专题会议，完善…"},
            {"kind": "notice", "notice_id": 1, "snippet": "…另外的专题会议安排在明年…"},
            {"kind": "notice", "notice_id": 2, "snippet": "…专题会议，完善制度1项"}]
    kept = distinct_hits(hits, ["专题会议", "专题", "会议"])
    assert kept == [hits[0], hits[2], hits[3]]
