"""Structural corrections (issue 12): one call, one undoable log group, also after a restart."""
import pytest

from core.errors import InvalidEditError
from core.extract import extract
from core.store import Store

HEAD = "中共某某县某某镇委员会关于县委巡察整改进展情况的通报\n\n根据县委统一部署，县委第一巡察组对镇党委开展了巡察，并反馈了意见。现将整改进展情况通报如下。\n\n"
TAIL = "\n中共某某县某某镇委员会\n2024年11月5日\n"
BLOCK = "整改任务：{t}\n整改目标：全面完成。\n整改完成情况：\n1、排查{n}处。\n2、建立机制。\n3、约谈负责人。\n\n"
BLOCKS = HEAD + "一、贯彻落实决策部署方面\n\n" + BLOCK.format(t="项目谋划储备不足", n=3) \
    + BLOCK.format(t="储备粮轮换不及时", n=4) + "特此公示。\n" + TAIL
FLAT = HEAD + "二、巡察反馈问题整改情况\n" \
    "（一）政治建设方面\n一是修订学习制度。二是开展研讨4次。\n" \
    "（二）学习不够深入的问题\n一是制定计划；二是开展专题学习；三是纳入考核。\n" \
    "（三）民主集中制执行不严格的问题\n修订议事规则。\n" + TAIL


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "t.sqlite3")
    yield s
    s.close()


def titles(store, notice_id):
    return [(p["title"], len(p["measures"]), p["category"]) for p in store.get_notice(notice_id)["problems"]]


def test_relevel_reads_the_other_layout_keeps_touched_and_undoes_after_a_restart(tmp_path):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as s:
        nid, _ = s.add_extraction(extract(BLOCKS))
        before = titles(s, nid)
        assert [t for t, _, _ in before] == ["项目谋划储备不足", "储备粮轮换不及时"]
        change = s.relevel(nid, "rules")
        assert change["action"] == "relevel" and change["counts"]["removed"] == 2
        after = titles(s, nid)
        assert len(after) == 6 and after != before
        with pytest.raises(InvalidEditError):
            s.relevel(nid, "no-such-reading")
    with Store.open(path) as s:  # a restart: the log still knows
        assert s.can_undo(nid)
        assert s.undo(nid)["of"] == "relevel"
        assert titles(s, nid) == before
        assert s.redo(nid)["of"] == "relevel"
        assert len(titles(s, nid)) == 6
        assert [e["action"] for e in s.edit_log(nid)][-1] == "relevel"


def test_relevel_keeps_a_problem_the_reviewer_edited(store):
    nid, _ = store.add_extraction(extract(BLOCKS))
    first = store.get_notice(nid)["problems"][0]
    store.update_field("problem", first["id"], "title", "项目谋划储备不足（已核实）")
    store.relevel(nid, "rules")
    problems = store.get_notice(nid)["problems"]
    assert problems[0]["title"] == "项目谋划储备不足（已核实）"
    assert len(problems) == 7  # the edited one kept, six from the other reading


def test_make_heading_turns_a_problem_into_the_category_of_the_next(store):
    nid, _ = store.add_extraction(extract(FLAT))
    problems = store.get_notice(nid)["problems"]
    assert [p["title"] for p in problems][0] == "政治建设方面"
    change = store.make_heading(problems[0]["id"])
    assert change["action"] == "make_heading"
    assert titles(store, nid) == [("学习不够深入", 3, "政治建设方面"), ("民主集中制执行不严格", 1, "政治建设方面")]
    store.undo(nid)
    assert [t for t, _, _ in titles(store, nid)] == ["政治建设方面", "学习不够深入", "民主集中制执行不严格"]
    last = store.get_notice(nid)["problems"][-1]
    with pytest.raises(InvalidEditError):
        store.make_heading(last["id"])


def test_set_many_sets_one_category_in_one_action(store):
    nid, _ = store.add_extraction(extract(FLAT))
    ids = [p["id"] for p in store.get_notice(nid)["problems"]][1:]
    store.set_many(ids, "category", "思想建设方面")
    assert [c for _, _, c in titles(store, nid)] == [None, "思想建设方面", "思想建设方面"]
    store.undo(nid)
    assert [c for _, _, c in titles(store, nid)] == [None, None, None]
    with pytest.raises(InvalidEditError):
        store.set_many(ids, "title", "x")


def test_split_measure_runs_splits_at_every_mark_in_one_action(store):
    text = HEAD + "二、巡察反馈问题整改情况\n1.学习不够深入\n整改措施：①制定计划，完成3次；②开展专题学习；③纳入考核。\n" \
        "2.财务管理不严格\n修订办法；清退款项2.3万元；建立台账。\n" + TAIL
    result = extract(text)
    nid, _ = store.add_extraction(result)
    problems = store.get_notice(nid)["problems"]
    # the reader found ①②③ itself; a measure the reader left whole is split in one go
    assert len(problems[0]["measures"]) == 3
    whole = problems[1]["measures"]
    assert len(whole) == 1
    change = store.split_measure_runs(whole[0]["id"])
    measures = store.get_notice(nid)["problems"][1]["measures"]
    assert [m["text"] for m in measures] == ["修订办法；", "清退款项2.3万元；", "建立台账。"]
    assert len(change["new_ids"]) == 2
    notice_text = store.get_notice(nid)["text"]
    for m in measures:
        assert notice_text[m["span"][0]:m["span"][1]].rstrip() == m["text"]
    store.undo(nid)
    assert len(store.get_notice(nid)["problems"][1]["measures"]) == 1
    with pytest.raises(InvalidEditError):
        store.split_measure_runs(problems[0]["measures"][1]["id"])
