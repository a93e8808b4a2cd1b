"""调整层级 (issue 12): the notice read with another layout of its levels, one undoable correction."""
import pytest

from core.errors import InvalidEditError
from core.extract import extract
from core.store import Store

HEAD = "中共某某县某某镇委员会关于县委巡察整改进展情况的通报\n\n根据县委统一部署，县委第一巡察组对镇党委开展了巡察，并反馈了意见。现将整改进展情况通报如下。\n\n"
TAIL = "\n中共某某县某某镇委员会\n2024年11月5日\n"
BLOCK = "整改任务：{t}\n整改目标：全面完成。\n整改完成情况：\n1、排查{n}处。\n2、建立机制。\n3、约谈负责人。\n\n"
BLOCKS = HEAD + "一、贯彻落实决策部署方面\n\n" + BLOCK.format(t="项目谋划储备不足", n=3) \
    + BLOCK.format(t="储备粮轮换不及时", n=4) + "特此公示。\n" + TAIL


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
