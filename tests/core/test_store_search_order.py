"""Search hits come newest notice first (no relevance ranking: the index streams matches in
rowid order and stops at the limit); within a notice its problems and measures in order, then
the notice text itself. The search dialog and the ``search`` verb keep this order."""
from core.store import Store
from tests.gui.notices import make_extraction


def test_newest_notice_first_then_items_in_order_then_the_notice(tmp_path):
    with Store.open(tmp_path / "t.sqlite3") as store:
        older = store.add_extraction(make_extraction(problems=2, measures=2, tag="甲"))[0]
        newer = store.add_extraction(make_extraction(problems=2, measures=2, tag="乙"))[0]
        hits = store.search("专题会议")
        assert [h["notice_id"] for h in hits] == [newer] * 5 + [older] * 5
        notice = store.get_notice(newer)
        measures = [m["id"] for p in notice["problems"] for m in p["measures"]]
        assert [h["measure_id"] for h in hits[:4]] == measures
        assert hits[4]["kind"] == "notice"
        assert [h["notice_id"] for h in store.search("专题会议", limit=3)] == [newer] * 3
