"""The structural corrections (core/store_structure.py): each one call, one log group, one undo
step, read in 修改记录, and still undoable after the store is reopened."""
import pytest

from core.errors import InvalidEditError
from core.log_rows import edit_log_rows
from core.store import Store
from core.store_structure import number_mark, run_pieces
from tests.core.structure_notice import RUN, structure_extraction


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "structure.sqlite3"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path, reviewer="王五")
    yield s
    s.close()


@pytest.fixture
def nid(store):
    return store.add_extraction(structure_extraction())[0]


def problems(store, nid):
    return store.get_notice(nid)["problems"]


def pid_of(store, nid, title):
    return next(p["id"] for p in problems(store, nid) if p["title"] == title)


def groups(store, nid):
    return {e["group"] for e in store.edit_log(nid)}


def last_row(store, nid):
    return edit_log_rows(store.edit_log(nid), store.get_notice(nid))[-1]


def assert_one_undo_step(store, nid, change):
    """Undo brings back the state before ``change`` in one step; redo the state after it."""
    after = store.get_notice(nid)
    undone = store.undo(nid)
    assert undone["of"] == change["action"] and undone["log_group"] == change["log_group"]
    before = store.get_notice(nid)
    assert before != after
    assert store.redo(nid)["log_group"] == change["log_group"]
    assert store.get_notice(nid) == after
    return before, after


# --- helpers read with the extractor's numbering --------------------------------------------
@pytest.mark.parametrize("number, mark", [
    ("（二）", ("pcn", 2)), ("(二)", ("pcn", 2)), ("三", ("cn", 3)), ("十二", ("cn", 12)),
    ("1", ("ar", 1)), ("(3)", ("par", 3)), ("①", ("circ", 1)), ("第二项", ("di", 2)),
    ("问题1", ("wt", 1)), (None, None), ("", None), ("甲", None),
])
def test_number_mark_reads_printed_numbers(number, mark):
    assert number_mark(number) == mark


@pytest.mark.parametrize("text, pieces", [
    (RUN, ["一是召开专题会议3次；", "二是制定学习计划，由区委组织部牵头；", "三是开展专题培训2期。"]),
    ("采取以下措施：①清理台账；②建立制度。③开展督查。", ["采取以下措施：①清理台账；", "②建立制度。", "③开展督查。"]),
    ("（1）清理台账。\n（2）建立制度。", ["（1）清理台账。", "（2）建立制度。"]),
    ("修订制度5项；建立台账1本；开展检查。", ["修订制度5项；", "建立台账1本；", "开展检查。"]),
    ("修订制度5项。", ["修订制度5项。"]),
    ("修订制度5项；", ["修订制度5项；"]),
])
def test_run_pieces_cut_before_each_item_or_after_each_semicolon(text, pieces):
    assert [text[a:b] for a, b in run_pieces(text)] == pieces


# --- 类别/分组 of many problems -----------------------------------------------------------------
def test_set_category_of_many_problems_is_one_step(store, nid, db_path):
    ids = [p["id"] for p in problems(store, nid)]
    chosen = [ids[2], ids[3], ids[5]]
    change = store.set_category(chosen, " 党的建设方面 ")
    assert change["action"] == "set_category" and change["row_ids"] == chosen
    assert [p["category"] for p in problems(store, nid)] == [
        None, None, "党的建设方面", "党的建设方面", None, "党的建设方面"]
    assert groups(store, nid) == {change["log_group"]}
    row = last_row(store, nid)
    assert (row["action"], row["target"], row["change"]) == (
        "设置类别/分组", "问题 3、4、6", "类别：（空） → 党的建设方面")
    assert_one_undo_step(store, nid, change)

    group = store.set_category(chosen[:2], "学习教育", field="group")
    assert [p["group"] for p in problems(store, nid)][2:4] == ["学习教育", "学习教育"]
    assert last_row(store, nid)["change"] == "问题组：（空） → 学习教育"
    store.set_category(chosen[:1], "", field="group")          # empty clears
    assert problems(store, nid)[2]["group"] is None

    store.close()
    with Store.open(db_path) as again:                          # undo after a restart
        again.undo(nid)
        again.undo(nid)
        assert again.undo(nid)["log_group"] == change["log_group"]
        assert [p["category"] for p in problems(again, nid)] == [None] * 6
        assert group["log_group"] not in {e["group"] for e in again.edit_log(nid) if not e["undone"]}


def test_set_category_refusals(store, nid):
    ids = [p["id"] for p in problems(store, nid)]
    other = store.add_extraction(structure_extraction("丁"))[0]
    with pytest.raises(InvalidEditError, match="选择问题"):
        store.set_category([], "甲")
    with pytest.raises(InvalidEditError, match="责任单位"):
        store.set_category(ids[:2], "甲", field="units")
    with pytest.raises(InvalidEditError, match="同一个通报"):
        store.set_category([ids[0], problems(store, other)[0]["id"]], "甲")
    with pytest.raises(InvalidEditError, match="已经是"):
        store.set_category(ids[:2], "")
    store.delete("problem", ids[1])
    with pytest.raises(InvalidEditError, match="已删除"):
        store.set_category(ids[:2], "甲")
    assert store.edit_log(other) == []


# --- a measure split at every item of its run ----------------------------------------------------
def test_split_measure_runs_gives_one_measure_per_item_in_one_step(store, nid, db_path):
    text = store.get_notice(nid)["text"]
    pid = pid_of(store, nid, "理论学习不够深入")
    store.add_measure(pid, text="建立长效机制。")               # a measure after the run stays last
    problem = store.get_problem(pid)
    run = problem["measures"][0]
    change = store.split_measure_runs(run["id"])
    measures = store.get_problem(pid)["measures"]
    assert [m["text"] for m in measures] == [
        "一是召开专题会议3次；", "二是制定学习计划，由区委组织部牵头；", "三是开展专题培训2期。", "建立长效机制。"]
    assert measures[0]["id"] == run["id"] and change["new_ids"] == [m["id"] for m in measures[1:3]]
    for m in measures[:3]:                                        # exact spans into the notice
        assert text[m["span"][0]:m["span"][1]] == m["text"]
    assert measures[0]["quantities"][0]["quantity"] == 3
    assert measures[1]["quantities"] == [] and measures[2]["quantities"][0]["quantity"] == 2
    assert measures[1]["units"] == ["区委组织部"]
    assert all(m["status"] == "推进中" for m in measures[:3])
    row = last_row(store, nid)
    assert (row["action"], row["target"], row["change"]) == (
        "按编号拆分措施", "问题 3 措施 1", "按编号拆为 3 条措施")
    before, _after = assert_one_undo_step(store, nid, change)
    assert [m["text"] for m in before["problems"][2]["measures"]] == [RUN, "建立长效机制。"]

    store.close()
    with Store.open(db_path) as again:
        assert again.undo(nid)["of"] == "split_measure_runs"
        assert [m["text"] for m in again.get_problem(pid)["measures"]] == [RUN, "建立长效机制。"]
        again.redo(nid)
        assert len(again.get_problem(pid)["measures"]) == 4


def test_split_measure_runs_at_semicolons_and_refusal(store, nid):
    pid = pid_of(store, nid, "制度执行不严格")
    mid = store.get_problem(pid)["measures"][0]["id"]
    store.split_measure_runs(mid)
    assert [m["text"] for m in store.get_problem(pid)["measures"]] == ["修订制度5项；", "建立台账1本。"]
    with pytest.raises(InvalidEditError, match="没有找到"):
        store.split_measure_runs(mid)
    # a measure the reviewer typed (no span) splits too; an edited status is kept
    other = pid_of(store, nid, "监督执纪不到位")
    added = store.add_measure(other, text="①清理台账；②已建立制度。")["new_id"]
    store.update_field("measure", added, "status", "长期坚持")
    store.split_measure_runs(added)
    measures = store.get_problem(other)["measures"]
    assert [(m["text"], m["span"], m["status"]) for m in measures[1:]] == [
        ("①清理台账；", None, "长期坚持"), ("②已建立制度。", None, "长期坚持")]


# --- a problem made a category heading, and back ---------------------------------------------------
def test_make_heading_gives_its_title_to_the_problems_under_it(store, nid, db_path):
    before = store.get_notice(nid)
    ids = [p["id"] for p in before["problems"]]
    assert store.heading_range(ids[1]) == ids[2:4]              # up to （二）
    assert store.heading_range(ids[4]) == ids[5:]
    assert store.heading_range(ids[0]) == []                    # （一） after 1. is a higher level
    change = store.make_heading(ids[1])
    assert change["row_ids"] == ids[2:4] and groups(store, nid) == {change["log_group"]}
    after = problems(store, nid)
    assert [p["title"] for p in after] == ["加强组织领导", "理论学习不够深入", "制度执行不严格",
                                           "全面从严治党方面", "监督执纪不到位"]
    assert [p["category"] for p in after] == [None, "党的建设方面", "党的建设方面", None, None]
    listed = store.list_notices()[0]
    assert (listed["problem_count"], listed["measure_count"]) == (5, 4)
    row = last_row(store, nid)
    assert row["action"] == "设为类别标题" and row["target"] == "问题 2"
    assert row["change"] == "改作类别标题“党的建设方面”，问题 2、3归入此类别（连同措施 1 条）"
    assert_one_undo_step(store, nid, change)

    second = store.make_heading(ids[4])
    assert [p["category"] for p in problems(store, nid)] == [None, "党的建设方面", "党的建设方面", "全面从严治党方面"]

    store.close()
    with Store.open(db_path) as again:     # back, after a restart, from a problem under it
        back = again.restore_heading(ids[3])
        assert back["row_id"] == ids[1] and back["row_ids"] == ids[2:4]
        restored = again.get_notice(nid)["problems"]
        assert [p["title"] for p in restored][:4] == [p["title"] for p in before["problems"]][:4]
        assert restored[1]["measures"] == before["problems"][1]["measures"]
        assert [p["category"] for p in restored] == [None, None, None, None, "全面从严治党方面"]
        row = last_row(again, nid)
        assert row["action"] == "类别标题恢复为问题"
        assert row["change"] == "“党的建设方面”恢复为问题（连同措施 1 条），问题 3、4的类别还原"
        assert again.undo(nid)["of"] == "restore_heading"
        assert [p["category"] for p in problems(again, nid)] == [None, "党的建设方面", "党的建设方面", "全面从严治党方面"]
        again.redo(nid)
        with pytest.raises(InvalidEditError, match="没有可以恢复"):
            again.restore_heading(ids[3])                     # restored already
        # back from the heading itself (e.g. the 修改记录 row's item)
        again.restore_heading(ids[4])
        assert [p["title"] for p in again.get_notice(nid)["problems"]] == [p["title"] for p in before["problems"]]
        assert again.get_notice(nid)["problems"] == before["problems"]
        assert second["log_group"] in {e["group"] for e in again.edit_log(nid)}


def test_make_heading_keeps_a_category_edited_since_and_takes_an_explicit_count(store, nid):
    ids = [p["id"] for p in problems(store, nid)]
    store.make_heading(ids[1], count=1)
    assert [p["category"] for p in problems(store, nid)][1:3] == ["党的建设方面", None]
    store.undo(nid)
    store.make_heading(ids[1], field="group")
    assert [p["group"] for p in problems(store, nid)][1:3] == ["党的建设方面", "党的建设方面"]
    store.update_field("problem", ids[3], "group", "制度建设")   # the reviewer's later edit stays
    store.restore_heading(ids[2])
    assert [p["group"] for p in problems(store, nid)][2:4] == [None, "制度建设"]


def test_make_heading_refusals(store, nid):
    ids = [p["id"] for p in problems(store, nid)]
    with pytest.raises(InvalidEditError, match="后面没有"):
        store.make_heading(ids[0])
    with pytest.raises(InvalidEditError, match="后面没有"):
        store.make_heading(ids[5])                              # the last problem
    with pytest.raises(InvalidEditError, match="不能作"):
        store.make_heading(ids[1], field="title")
    with pytest.raises(InvalidEditError, match="没有可以恢复"):
        store.restore_heading(ids[2])
    assert store.edit_log(nid) == []


# --- headings that are not problems ------------------------------------------------------------
def test_drop_problems_deletes_them_with_their_measures_in_one_step(store, nid, db_path):
    ids = [p["id"] for p in problems(store, nid)]
    change = store.drop_problems([ids[0], ids[4]])
    assert [p["title"] for p in problems(store, nid)] == [
        "党的建设方面", "理论学习不够深入", "制度执行不严格", "监督执纪不到位"]
    assert store.list_notices()[0]["measure_count"] == 4
    assert groups(store, nid) == {change["log_group"]}
    row = last_row(store, nid)
    assert (row["action"], row["change"]) == ("删除非问题的标题", "删除：加强组织领导；全面从严治党方面（连同措施 1 条）")
    assert row["target"] == "2 个问题"
    store.undo(nid)
    store.drop_problems([ids[4]])
    assert last_row(store, nid)["target"] == "问题 5"
    assert_one_undo_step(store, nid, change)
    store.close()
    with Store.open(db_path) as again:
        again.undo(nid)
        assert len(problems(again, nid)) == 6 and problems(again, nid)[0]["measures"][0]["text"] == "成立整改工作领导小组。"
