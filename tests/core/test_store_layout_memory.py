"""调整层级 remembered per 发布单位: the next notice of the same issuer whose numbering looks the
same is read with the reviewer's choice when it is added, and says so; not once that 调整层级 is
undone, not for another issuer or another numbering."""
from core.extract import extract
from core.store import Store
from core.store_structure import layout_signature
from tests.core.test_store_relevel import BLOCK, HEAD, TAIL


def blocks(first: str, second: str, head: str = HEAD, tail: str = TAIL) -> str:
    return head + "一、贯彻落实决策部署方面\n\n" + BLOCK.format(t=first, n=3) \
        + BLOCK.format(t=second, n=4) + "特此公示。\n" + tail


def shape(store, notice_id):
    return [len(p["measures"]) for p in store.get_notice(notice_id)["problems"]]


def test_the_choice_is_used_for_the_next_notice_of_the_issuer(tmp_path):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as s:
        first, _ = s.add_extraction(extract(blocks("项目谋划储备不足", "储备粮轮换不及时")))
        default = shape(s, first)
        assert len(default) == 2
        s.relevel(first, "rules")
        chosen = shape(s, first)
        assert len(chosen) == 6
    with Store.open(path) as s:                       # remembered in the database
        second, _ = s.add_extraction(extract(blocks("农村道路养护不到位", "集体资产台账不全")))
        assert shape(s, second) == chosen
        notice = s.get_notice(second)
        assert notice["warnings"][0] == ("已按此前对“中共某某县某某镇委员会”通报选定的层级读法“按编号层级识别”识别"
                                         "（可在“结构 → 调整层级”中改回）")
        assert not s.edit_log(second)                 # read so, not corrected so: nothing to undo
        # another issuer is read its own way
        other_head = HEAD.replace("某某镇", "某某乡")
        third, _ = s.add_extraction(extract(blocks("甲问题不够深入", "乙问题不到位", other_head,
                                                   TAIL.replace("某某镇", "某某乡"))))
        assert shape(s, third) == default and not any("已按此前" in w for w in s.get_notice(third)["warnings"])
        # once the 调整层级 is undone, the memory no longer counts
        s.undo(first)
        fourth, _ = s.add_extraction(extract(blocks("丙问题整改滞后", "丁问题不彻底")))
        assert shape(s, fourth) == default


def test_numbering_that_looks_different_is_not_read_with_the_choice(tmp_path):
    with Store.open(tmp_path / "t.sqlite3") as s:
        first, _ = s.add_extraction(extract(blocks("项目谋划储备不足", "储备粮轮换不及时")))
        s.relevel(first, "rules")
        flat = HEAD + "二、巡察反馈问题整改情况\n（一）学习不够深入的问题\n一是制定计划；二是开展专题学习。\n" \
            "（二）民主集中制执行不严格的问题\n修订议事规则；规范会议记录。\n" + TAIL
        extraction = extract(flat)
        assert layout_signature(extraction["layout"]) != layout_signature(extract(blocks("甲", "乙"))["layout"])
        assert s.remembered_layout("中共某某县某某镇委员会", extraction["layout"]) is None
        second, _ = s.add_extraction(extraction)
        assert [p["title"] for p in s.get_notice(second)["problems"]] == [p["title"] for p in extraction["problems"]]
