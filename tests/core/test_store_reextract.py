"""重新提取 keeps the reviewer's order edits (issue 10 item 11): a problem moved, a measure moved
within its problem or to another problem stay where the reviewer put them; what differs from
the new extraction is listed item by item."""
import pytest

from core.extract import extract_file
from core.store import Store
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def extraction():
    return extract_file(SAMPLE)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "r.sqlite3", reviewer="审核人")
    yield s
    s.close()


def shape(store, nid):
    """Problems and measures by id, in the order shown."""
    return [(p["id"], [m["id"] for m in p["measures"]]) for p in store.get_notice(nid)["problems"]]


def test_moves_of_problems_and_measures_survive_reextraction(store, extraction):
    nid = store.add_extraction(extraction)[0]
    problems = store.get_notice(nid)["problems"]
    store.move("problem", problems[0]["id"], 2)                       # first problem down two places
    store.move("measure", problems[3]["measures"][2]["id"], -2)       # last measure of problem 4 first
    store.split_problem(problems[5]["id"], 1)                          # problem 6's second measure: a problem of its own
    split_off = store.get_notice(nid)["problems"][6]
    store.move("problem", split_off["id"], -6)                         # … moved to the top
    store.merge_with_next("problem", problems[7]["id"])                # problem 9's measures into problem 8
    before = shape(store, nid)
    assert before[0][0] == split_off["id"] and before[3][0] == problems[0]["id"]

    counts = store.reextract(nid)

    assert shape(store, nid) == before
    # moves are no change of the extraction: nothing to report, nothing replaced
    assert counts["conflicts"] == 0 and counts["details"] == [] and counts["updated"] == 0
    assert counts["removed"] == 0 and counts["added"] == 0


def test_a_new_problem_comes_after_its_predecessor_wherever_the_reviewer_moved_it(store, extraction):
    import sys
    import types

    fewer = {**extraction, "problems": extraction["problems"][:3] + extraction["problems"][4:]}
    nid = store.add_extraction(fewer)[0]
    first, second = store.get_notice(nid)["problems"][:2]
    store.move("problem", first["id"], 4)                              # 1 now stands after the old 5
    module = types.ModuleType("core.extract")
    module.extract = lambda text, **kwargs: extraction                # the extractor now finds problem 4
    saved = sys.modules["core.extract"]
    sys.modules["core.extract"] = module
    try:
        counts = store.reextract(nid)
    finally:
        sys.modules["core.extract"] = saved
    titles = [p["title"] for p in store.get_notice(nid)["problems"]]
    assert counts["added"] == 1 and counts["conflicts"] == 0
    # extracted order 1 2 3 4 5 6 …; the reviewer's 2 3 5 6 1 …; the new 4 follows 3
    assert titles == [extraction["problems"][i]["title"] for i in (1, 2, 3, 4, 5, 0, *range(6, len(titles)))]
    assert first["title"] == titles[5] and second["title"] == titles[0]


def test_conflicts_are_listed_item_by_item(store, extraction, monkeypatch):
    import copy
    import sys
    import types

    nid = store.add_extraction(extraction)[0]
    problems = store.get_notice(nid)["problems"]
    store.update_field("problem", problems[1]["id"], "leader", "王五")
    store.move("problem", problems[1]["id"], 2)                        # the 4th; the 5th after the new one
    store.delete("problem", problems[4]["id"])
    store.update_field("notice", nid, "issuer", "人工改的发布单位")
    new = copy.deepcopy(extraction)
    new["problems"][1]["category"] = "新的类别"
    new["problems"][1]["measures"][0]["text"] = "新的措施文字。"
    new["problems"][4]["title"] = "改了标题的问题"                      # the deleted one: gone from the new reading
    new["meta"]["issuer"] = "另一个发布单位"
    module = types.ModuleType("core.extract")
    module.extract = lambda text, **kwargs: new
    monkeypatch.setitem(sys.modules, "core.extract", module)

    counts = store.reextract(nid)

    details = {(d["entity"], d["row_id"]): d for d in counts["details"]}
    assert counts["conflicts"] == len(details) == 3
    moved = details["problem", problems[1]["id"]]
    assert moved["place"] == 5 and moved["title"] == problems[1]["title"] and not moved["gone"]
    assert moved["fields"] == ["category"] and moved["extracted"] == {"category": "新的类别"}
    assert moved["measures_changed"] and moved["kept"]
    deleted = details["problem", problems[4]["id"]]
    assert deleted["deleted"] and deleted["gone"] and deleted["place"] is None
    issuer = details["notice", nid]
    assert (issuer["field"], issuer["mine"], issuer["extracted"]) == ("issuer", "人工改的发布单位", "另一个发布单位")
    shown = store.get_notice(nid)
    assert shown["issuer"] == "人工改的发布单位"
    assert shown["problems"][4]["id"] == problems[1]["id"] and shown["problems"][4]["leader"] == "王五"
    assert shown["problems"][4]["category"] == problems[1]["category"]   # the reviewer's item kept whole


def test_the_reading_chosen_in_relevel_stands(store):
    from core.extract import extract
    from core.store_structure import LAYOUT_SETTING
    from tests.core.test_store_relevel import BLOCKS, titles

    nid = store.add_extraction(extract(BLOCKS))[0]
    store.relevel(nid, "rules")
    chosen = titles(store, nid)
    assert len(chosen) == 6
    counts = store.reextract(nid)
    assert titles(store, nid) == chosen                                # not read back the default way
    assert (counts["removed"], counts["added"], counts["details"]) == (0, 0, [])
    # the choice cannot be found any more (no 发布单位 to remember it by): said, not hidden
    issuer = store.get_notice(nid)["issuer"]
    store.set_setting(LAYOUT_SETTING + issuer, None)
    counts = store.reextract(nid)
    assert {"entity": "notice", "row_id": nid, "field": "layout", "kept": False} in counts["details"]
    assert store.get_notice(nid)["problems"]                            # never an empty notice
