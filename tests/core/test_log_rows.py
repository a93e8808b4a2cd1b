"""The edit log as people read it (core/log_rows.py), from real corrections in a real store."""
import re

import pytest

from core import labels, vocab
from core.log_rows import edit_log_rows
from core.store import Store
from tests.core.test_store import sample_extraction

REPR = re.compile(r"[\[\]{}']|\bTrue\b|\bFalse\b|\bNone\b|'id'")


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "t.sqlite3", reviewer="张三")
    yield s
    s.close()


def _rows(store, notice_id):
    return edit_log_rows(store.edit_log(notice_id), store.get_notice(notice_id))


def _ids(store, notice_id):
    problems = store.get_notice(notice_id)["problems"]
    return [p["id"] for p in problems], [[m["id"] for m in p["measures"]] for p in problems]


def test_every_action_has_one_label_and_no_label_names_a_missing_action():
    assert set(labels.ACTION) == set(vocab.ACTIONS)


def test_field_edits_name_the_item_by_number_and_read_as_values(store):
    nid = store.add_extraction(sample_extraction())[0]
    (p1, p2), (m1, _) = _ids(store, nid)
    store.update_field("problem", p2, "units", "区城管局")
    store.update_field("measure", m1[1], "units", ["甲局", "乙局"])
    store.update_field("problem", p2, "closed", True)
    store.update_field("notice", nid, "issuer", "区城管局")
    rows = _rows(store, nid)
    assert [(r["action"], r["target"], r["change"]) for r in rows] == [
        ("修改", "问题 2 的“责任单位”", "区司法局 → 区城管局"),
        ("修改", "问题 1 措施 2 的“责任单位”", "区城管局、区发改局 → 甲局、乙局"),
        ("修改", "问题 2 的“是否销号”", "否 → 是"),
        ("修改", "通报的“发布单位”", "区城管局党组 → 区城管局"),
    ]
    assert rows[0]["reviewer"] == "张三" and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[0]["at"])
    assert (rows[1]["entity"], rows[1]["row_id"]) == ("measure", m1[1])
    assert rows[0]["notice"] == "关于巡察整改进展情况的通报"


def test_structure_changes_are_described_with_bookkeeping_folded_in(store, tmp_path):
    nid = store.add_extraction(sample_extraction())[0]
    (p1, p2), (m1, _) = _ids(store, nid)
    store.set_checked("problem", p1)
    store.move("problem", p2, -1)                       # problem 2 becomes problem 1
    added = store.add_measure(p1, text="三是建立台账。")["new_id"]
    store.split_measure(m1[0], 5)
    store.delete("measure", added)
    store.reanchor("problem", p1, [0, 4])
    evidence = tmp_path / "会议纪要.pdf"
    evidence.write_bytes(b"%PDF-1.4")
    ev = store.add_evidence(p1, evidence)["row_id"]
    store.remove_evidence(ev)
    store.finish_review(nid)
    rows = _rows(store, nid)
    assert [(r["action"], r["target"], r["change"]) for r in rows] == [
        ("核对", "问题 2", "已核对"),               # numbers as the items stand now
        ("移动", "问题 1", "上移到第 1 位"),
        ("新增措施", "问题 2 措施 4（已删除）", "新增：三是建立台账。"),
        ("拆分措施", "问题 2 措施 1", "后半段文字拆为问题 2 措施 2"),
        ("删除", "问题 2 措施 4", "删除：三是建立台账。"),
        ("重新定位", "问题 2", "原文位置：第 44–106 字 → 第 1–4 字"),
        ("添加佐证材料", "问题 2 的佐证材料", "添加“会议纪要.pdf”"),
        ("移除佐证材料", "问题 2 的佐证材料", "移除“会议纪要.pdf”"),
        ("完成审核", "通报", "标为已审核"),
    ]
    assert not any(REPR.search(r["target"] + r["change"]) for r in rows)
    assert (rows[6]["entity"], rows[6]["row_id"]) == ("problem", p1)   # evidence jumps to its problem
    assert not any("position" in r["change"] or "evidence" in r["change"] for r in rows)


def test_reextract_revert_and_undone_rows(store):
    nid = store.add_extraction(sample_extraction())[0]
    (p1, _), _ = _ids(store, nid)
    store.update_field("problem", p1, "title", "新标题")
    store.revert_item("problem", p1)
    store.update_field("problem", p1, "remark", "按期")
    store.undo(nid)
    store.reextract(nid)
    added = store.add_problem(nid, title="补充问题")["new_id"]
    store.revert_item("problem", added)
    rows = _rows(store, nid)
    assert [(r["action"], r["target"], r["change"], r["undone"]) for r in rows] == [
        ("修改", "问题 1 的“标题”", "充电桩建设推进缓慢 → 新标题", False),
        ("恢复提取结果", "问题 1", "标题：新标题 → 充电桩建设推进缓慢", False),
        ("重新提取", "通报", "用当前的提取程序重新识别了全文（审核人改过的内容保留）", False),
        ("新增问题", "问题 3（已删除）", "新增：补充问题", False),
        ("恢复提取结果", "问题 3（已删除）", "删除（这一项是审核人新增的）", False),
    ]
    # the undone step is gone from the log once a new correction discards the redo branch;
    # an undone step still listed is flagged
    store.update_field("problem", p1, "remark", "按期")
    store.undo(nid)
    assert _rows(store, nid)[-1]["undone"] is True


def test_rows_without_store_places_use_the_notice_record():
    notice = {"id": 4, "title": None, "issuer": "中共甲区委", "published": "2024-07-18",
              "problems": [{"id": 30, "seq": 1, "title": "甲", "measures": [
                  {"id": 31, "seq": 1, "text": "乙"}], "evidence": []}]}
    log = [{"id": 1, "at": "2026-01-02T09:00:00", "reviewer": None, "entity": "measure",
            "row_id": 31, "field": "quantities", "old": [],
            "new": [{"text": "120个", "quantity": 120, "unit": "个"}], "action": "update_field",
            "undone": False, "group": 1},
           {"id": 2, "at": "2026-01-02T09:01:00", "reviewer": None, "entity": "problem",
            "row_id": 99, "field": "deleted", "old": False, "new": True, "action": "delete",
            "undone": False, "group": 2}]
    rows = edit_log_rows(log, notice)
    assert [(r["target"], r["change"]) for r in rows] == [
        ("问题 1 措施 1 的“数量”", "（空） → 120个"), ("问题（已不在通报中）", "删除")]
    assert rows[0]["notice"] == "中共甲区委 2024-07-18"


@pytest.mark.parametrize("value, field, text", [
    (None, None, "（空）"), ("", None, "（空）"), ([], "units", "（空）"), (True, "closed", "是"),
    (False, "checked", "否"), (["甲", "乙"], "units", "甲、乙"), (2.0, "position", "第 3 位"),
    ([4, 10], "span", "第 5–10 字"), ({"start": "2024-07-18", "end": "2024-07-25"}, "disclosure",
                                      "2024-07-18 至 2024-07-25"),
    ({"phone": ["027-1"], "email": [], "address": None}, "contact", "027-1"),
    ({"id": 30, "title": "快照"}, "*", "快照"), (3.0, None, "3"),
])
def test_value_text(value, field, text):
    assert labels.value_text(value, field) == text


@pytest.mark.parametrize("notice, name", [
    ({"id": 3, "title": "关于…的通报", "issuer": "甲"}, "关于…的通报"),
    ({"id": 3, "title": None, "issuer": "中共甲区委", "published": "2024-07-18"}, "中共甲区委 2024-07-18"),
    ({"id": 3, "title": None, "issuer": "中共甲区委", "published": None}, "中共甲区委"),
    ({"id": 3, "title": None, "issuer": None, "source": {"name": "a.txt"}}, "通报 3"),
])
def test_notice_name_never_a_file_name(notice, name):
    assert labels.notice_name(notice) == name
