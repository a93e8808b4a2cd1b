"""The notice list: summary rows kept in step with every change, filters and paging in SQL."""
import pytest

from core.store import Store
from tests.core.test_store import sample_extraction


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "t.sqlite3", reviewer="张三")
    yield s
    s.close()


def _add(store, n, **meta):
    extraction = sample_extraction(sha=f"{n:064x}")
    extraction["meta"].update(meta)
    return store.add_extraction(extraction)[0]


def _recount(store, nid):
    """The counts as the notice record has them (the slow, obvious way)."""
    n = store.get_notice(nid)
    return (len(n["problems"]), sum(len(p["measures"]) for p in n["problems"]),
            sum(p["checked"] for p in n["problems"]), n["review_status"], n["title"])


def _listed(store, nid):
    row = store.notice_summary(nid)
    return (row["problem_count"], row["measure_count"], row["checked_count"], row["review_status"],
            row["title"])


def test_the_summary_row_follows_every_kind_of_change(store):
    nid = _add(store, 1)
    other = _add(store, 2)
    before_other = store.notice_summary(other)
    assert _listed(store, nid) == _recount(store, nid) == (2, 3, 0, "待审核", "关于巡察整改进展情况的通报")
    p1 = store.get_notice(nid)["problems"][0]
    steps = [
        lambda: store.set_checked("problem", p1["id"]),
        lambda: store.split_problem(p1["id"], 1),
        lambda: store.delete("measure", p1["measures"][0]["id"]),
        lambda: store.add_problem(nid, title="新问题"),
        lambda: store.delete("problem", p1["id"]),
        lambda: store.update_field("notice", nid, "title", "改过的标题"),
        lambda: store.undo(nid),
        lambda: store.undo(nid),
        lambda: store.redo(nid),
        lambda: store.finish_review(nid),
        lambda: store.reextract(nid),
    ]
    for step in steps:
        step()
        assert _listed(store, nid) == _recount(store, nid)
    assert store.notice_summary(other) == before_other
    assert [r["id"] for r in store.list_notices()] == [nid, other]
    store.delete_notice(nid)
    assert store.notice_summary(nid) is None and store.count_notices() == 1


def test_filters_and_paging(store):
    ids = [_add(store, i, kind="巡察" if i % 2 else "巡视", issuer=f"单位{i % 3}",
                published=f"2024-0{1 + i % 9}-15", title=f"第{i}号通报") for i in range(20)]
    assert store.count_notices() == 20
    assert [r["id"] for r in store.list_notices(limit=5, offset=5)] == ids[5:10]
    assert [r["id"] for r in store.list_notices(limit=5, offset=18)] == ids[18:]
    assert {r["kind"] for r in store.list_notices(kind="巡视")} == {"巡视"}
    assert store.count_notices(kind="巡视") == 10
    assert [r["title"] for r in store.list_notices("第1")] == ["第1号通报"] + [f"第1{i}号通报" for i in range(10)]
    assert store.count_notices("第1", kind="巡察") == 6
    assert {r["issuer"] for r in store.list_notices(issuer="单位2")} == {"单位2"}
    dated = store.list_notices(published_from="2024-03-01", published_to="2024-04")
    assert sorted({r["published"] for r in dated}) == ["2024-03-15", "2024-04-15"]
    store.finish_review(ids[3])
    assert [r["id"] for r in store.list_notices(review_status="已审核")] == [ids[3]]
    assert store.list_notices("%") == [] and store.list_notices("_") == []   # LIKE wildcards are text
    assert store.notice_kinds() == ["巡察", "巡视"]


def test_listing_uses_the_indexes(store):
    _add(store, 1)
    plans = {}
    for column, value in (("kind", "巡察"), ("review_status", "待审核"), ("issuer", "甲")):
        where, params = store._list_where(**{column: value})
        plan = store.db.execute(f"EXPLAIN QUERY PLAN SELECT * FROM notice_summary{where}", params).fetchall()
        plans[column] = " ".join(str(r[-1]) for r in plan)
    assert all(f"notice_summary_{c}" in plan for c, plan in plans.items()), plans
