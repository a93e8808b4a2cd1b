"""A correction refreshes the one notice row it touched: the notice list is not read again."""
from core.store import Store
from gui import notice_list_model
from tests.gui.notices import add_notice, open_window


def _counting(window, monkeypatch):
    """Count the store's list reads and the list model's resets."""
    calls = {"list_notices": 0, "count_notices": 0, "reset": 0}
    store = window.store
    for name in ("list_notices", "count_notices"):
        original = getattr(store, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(store, name, counted)
    window.notice_model.modelReset.connect(lambda: calls.__setitem__("reset", calls["reset"] + 1))
    return calls


def test_edit_undo_check_and_reextract_refresh_one_row(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        ids = [add_notice(store, tag=tag) for tag in ("甲", "乙", "丙")]
    window = open_window(qtbot, path, ids[1])
    calls = _counting(window, monkeypatch)
    model, row = window.notice_model, window.notice_model.row_of(ids[1])
    problem = window.notice["problems"][0]
    c = window.corrections

    c.field_edited("problem", problem["id"], "leader", "张三")
    assert model.index(row, 5).data() == "审核中"
    window.select_item("problem", problem["id"])
    c.check_and_next()
    assert model.index(row, 4).data() == "1/3"
    c.undo()
    assert model.index(row, 4).data() == "0/3"
    c.redo()
    c.call(window.store.delete, "problem", problem["id"])
    assert model.index(row, 3).data() == "2"
    c.call(window.store.reextract, ids[1])
    assert calls == {"list_notices": 0, "count_notices": 0, "reset": 0}
    assert model.index(row, 3).data() == str(len(window.store.get_notice(ids[1])["problems"]))
    # typing a filter does re-read the list, a page at a time
    window.notice_panel.filter.setText("乙")
    qtbot.waitUntil(lambda: calls["list_notices"] == 1)
    assert window.notice_model.ids() == [ids[1]] and calls["count_notices"] == 1


def test_the_list_loads_a_page_and_the_shown_notice_is_revealed(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(notice_list_model, "PAGE", 2)
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        ids = [add_notice(store, tag=tag) for tag in "甲乙丙丁戊"]
    window = open_window(qtbot, path, ids[3])
    assert window.notice["id"] == ids[3]
    assert window.notice_model.total() == 5 and window.notice_model.rowCount() >= 4  # the view may fetch more
    assert window.notice_panel.table.currentIndex().row() == 3
