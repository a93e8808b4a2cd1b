"""The notice list model: paged fetching from the store and one-row refreshes."""
from core.store import Store
from gui import notice_list_model
from gui.notice_list_model import ID_ROLE, NoticeListModel
from tests.gui.notices import make_extraction


def _store_with(tmp_path, count):
    store = Store.open(tmp_path / "t.sqlite3")
    for i in range(count):
        store.add_extraction(make_extraction(problems=2, tag=f"第{i}"))
    return store


def _source(model, store, text=""):
    calls = []

    def fetch(offset, limit):
        calls.append((offset, limit))
        return store.list_notices(text, limit=limit, offset=offset)

    model.set_source(fetch, store.count_notices(text))
    return calls


def test_rows_come_a_page_at_a_time(qtmodeltester, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(notice_list_model, "PAGE", 4)
    store = _store_with(tmp_path, 10)
    model = NoticeListModel()
    calls = _source(model, store)
    assert model.rowCount() == 4 and model.total() == 10 and calls == [(0, 4)]
    assert model.canFetchMore()
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore()
    assert model.rowCount() == 8 and calls[-1] == (4, 4)
    model.fetchMore()
    assert model.rowCount() == 10 and not model.canFetchMore() and calls[-1] == (8, 2)
    assert model.ids() == store.notice_ids()
    qtmodeltester.check(model)
    store.close()


def test_reveal_fetches_until_the_notice_is_listed(tmp_path, monkeypatch):
    monkeypatch.setattr(notice_list_model, "PAGE", 3)
    store = _store_with(tmp_path, 8)
    model = NoticeListModel()
    _source(model, store)
    last = store.notice_ids()[-1]
    assert model.row_of(last) == -1
    assert model.reveal(last) == 7 and model.index(7, 0).data(ID_ROLE) == last
    assert model.reveal(10_000) == -1
    store.close()


def test_a_change_refreshes_its_row_in_place_without_a_reset(qtbot, tmp_path):
    store = _store_with(tmp_path, 3)
    model = NoticeListModel()
    calls = _source(model, store)
    nid = store.notice_ids()[1]
    problem = store.get_notice(nid)["problems"][0]
    resets, changed = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda top, bottom: changed.append((top.row(), bottom.row())))
    store.set_checked("problem", problem["id"])
    assert model.refresh_row(store.notice_summary(nid))
    assert changed == [(1, 1)] and resets == [] and calls == [(0, 3)]
    assert model.index(1, 4).data() == "1/2" and model.index(1, 5).data() == "审核中"
    assert model.refresh_row(store.notice_summary(nid)) and changed == [(1, 1)]  # unchanged: no signal
    assert model.refresh_row(None) is False
    store.close()
