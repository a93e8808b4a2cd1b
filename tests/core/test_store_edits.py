"""Every correction service: its change, its edit-log rows, undo and redo."""
import json
from pathlib import Path

import pytest

from core.errors import ExpectedError, InvalidEditError
from core.store import Store
from tests.core.test_store import sample_extraction


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "edits.sqlite3"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path, reviewer="李四")
    yield s
    s.close()


@pytest.fixture
def nid(store):
    return store.add_extraction(sample_extraction())[0]


def problems(store, nid):
    return store.get_notice(nid)["problems"]


def assert_undo_redo(store, nid, change):
    """Undo brings back the state before ``change``; redo the state after it."""
    after = store.get_notice(nid)
    store.undo(nid)
    before = store.get_notice(nid)
    assert before != after
    assert store.redo(nid)["log_group"] == change["log_group"]
    assert store.get_notice(nid) == after
    assert store.undo(nid)["of"] == change["action"]
    assert store.get_notice(nid) == before
    store.redo(nid)
    return before, after


def test_update_field_logs_and_undoes(store, nid):
    pid = problems(store, nid)[0]["id"]
    change = store.update_field("problem", pid, "title", "充电桩建设滞后")
    assert change == {"action": "update_field", "entity": "problem", "row_id": pid,
                      "notice_id": nid, "log_group": change["log_group"]}
    [entry] = store.edit_log(nid)
    assert (entry["entity"], entry["row_id"], entry["field"], entry["old"], entry["new"]) == (
        "problem", pid, "title", "充电桩建设推进缓慢", "充电桩建设滞后")
    assert entry["reviewer"] == "李四" and entry["action"] == "update_field" and not entry["undone"]
    p = problems(store, nid)[0]
    assert p["edited_fields"] == ["title"] and p["extracted"] == {"title": "充电桩建设推进缓慢"}
    assert store.search("滞后")[0]["problem_id"] == pid
    store.undo(nid)
    assert problems(store, nid)[0]["title"] == "充电桩建设推进缓慢"
    assert store.edit_log(nid)[0]["undone"] and store.can_redo(nid) and not store.can_undo(nid)
    assert store.search("滞后") == []
    store.redo(nid)
    assert problems(store, nid)[0]["title"] == "充电桩建设滞后"
    assert store.undo(nid) and store.undo(nid) is None


def test_ledger_and_notice_fields(store, nid):
    pid = problems(store, nid)[0]["id"]
    store.update_field("problem", pid, "leader", "王五")
    store.update_field("problem", pid, "closed", True)
    store.update_field("notice", nid, "issuer", "区城市管理执法局党组")
    n = store.get_notice(nid)
    assert n["problems"][0]["leader"] == "王五" and n["problems"][0]["closed"] is True
    assert n["problems"][0]["warning"] is None
    assert n["edited_fields"] == ["issuer"] and n["extracted"] == {"issuer": "区城管局党组"}
    with pytest.raises(InvalidEditError):
        store.update_field("problem", pid, "deleted", True)
    store.revert_field("notice", nid, "issuer")
    assert store.get_notice(nid)["issuer"] == "区城管局党组"
    assert store.undo(nid)["of"] == "revert_field"
    assert store.get_notice(nid)["issuer"] == "区城市管理执法局党组"


def test_measure_update_and_revert_item(store, nid):
    mid = problems(store, nid)[0]["measures"][1]["id"]
    store.update_field("measure", mid, "units", ["区城管局"])
    store.update_field("measure", mid, "text", "二是完善运维机制。")
    m = problems(store, nid)[0]["measures"][1]
    assert m["edited_fields"] == ["text", "units"]
    change = store.revert_item("measure", mid)
    m = problems(store, nid)[0]["measures"][1]
    assert m["edited_fields"] == [] and m["units"] == ["区城管局", "区发改局"]
    assert_undo_redo(store, nid, change)


def test_set_checked_and_review_status(store, nid):
    pid = problems(store, nid)[0]["id"]
    change = store.set_checked("problem", pid)
    p = problems(store, nid)[0]
    assert p["checked"] is True and p["checked_at"]
    assert [e["field"] for e in store.edit_log(nid)] == ["checked", "checked_at"]
    assert store.get_notice(nid)["review_status"] == "审核中"
    store.undo(nid)
    assert problems(store, nid)[0]["checked"] is False
    assert store.get_notice(nid)["review_status"] == "待审核"
    store.redo(nid)
    done = store.finish_review(nid)
    assert store.get_notice(nid)["review_status"] == "已审核"
    assert done["action"] == "finish_review"
    store.undo(nid)
    assert store.get_notice(nid)["review_status"] == "审核中"
    assert change["log_group"] < done["log_group"]


def test_add_and_delete(store, nid):
    change = store.add_problem(nid, title="新增问题", index=1, category="方面一")
    ps = problems(store, nid)
    assert [p["title"] for p in ps] == ["充电桩建设推进缓慢", "新增问题", "执法监督不到位"]
    assert change["new_id"] == ps[1]["id"] and ps[1]["origin"] == "added"
    assert_undo_redo(store, nid, change)
    change = store.add_measure(ps[1]["id"], text="新增措施")
    assert problems(store, nid)[1]["measures"][0]["id"] == change["new_id"]
    assert_undo_redo(store, nid, change)
    change = store.delete("problem", ps[0]["id"])
    assert [p["title"] for p in problems(store, nid)] == ["新增问题", "执法监督不到位"]
    assert [r["kind"] for r in store.search("充电桩")] == ["notice"]
    assert_undo_redo(store, nid, change)
    store.undo(nid)
    assert problems(store, nid)[0]["title"] == "充电桩建设推进缓慢"


def test_move(store, nid):
    ps = problems(store, nid)
    change = store.move("problem", ps[1]["id"], -1)
    assert [p["id"] for p in problems(store, nid)] == [ps[1]["id"], ps[0]["id"]]
    assert [p["seq"] for p in problems(store, nid)] == [1, 2]
    assert_undo_redo(store, nid, change)
    mids = [m["id"] for m in ps[0]["measures"]]
    store.move("measure", mids[0], 5)
    assert [m["id"] for m in problems(store, nid)[1]["measures"]] == mids[::-1]


def test_split_and_merge_measure(store, nid):
    m = problems(store, nid)[0]["measures"][0]
    offset = m["text"].index("新建")
    change = store.split_measure(m["id"], offset)
    ms = problems(store, nid)[0]["measures"]
    text = store.get_notice(nid)["text"]
    assert [x["text"] for x in ms[:2]] == [m["text"][:offset], m["text"][offset:]]
    assert all(text[slice(*x["span"])] == x["text"] for x in ms[:2])
    assert ms[1]["id"] == change["new_id"] and ms[1]["quantities"][0]["text"] == "120个"
    assert len(ms) == 3
    assert_undo_redo(store, nid, change)
    change = store.merge_with_next("measure", m["id"])
    ms = problems(store, nid)[0]["measures"]
    assert ms[0]["text"] == m["text"] and ms[0]["span"] == m["span"] and len(ms) == 2
    assert_undo_redo(store, nid, change)
    with pytest.raises(InvalidEditError):
        store.split_measure(m["id"], 0)
    with pytest.raises(InvalidEditError):
        store.merge_with_next("measure", ms[-1]["id"])


def test_split_and_merge_problem(store, nid):
    p = problems(store, nid)[0]
    change = store.split_problem(p["id"], 1)
    ps = problems(store, nid)
    assert len(ps) == 3 and ps[1]["id"] == change["new_id"]
    assert [m["id"] for m in ps[1]["measures"]] == [p["measures"][1]["id"]]
    assert ps[1]["title"] == "二是完善运维机制" and ps[1]["measures"][0]["seq"] == 1
    assert ps[0]["span"][1] == ps[1]["span"][0]
    assert_undo_redo(store, nid, change)
    change = store.merge_with_next("problem", p["id"])
    ps = problems(store, nid)
    assert len(ps) == 2 and [m["id"] for m in ps[0]["measures"]] == [m["id"] for m in p["measures"]]
    assert ps[0]["span"] == p["span"]
    assert_undo_redo(store, nid, change)
    with pytest.raises(InvalidEditError):
        store.split_problem(ps[1]["id"], 1)


def test_reanchor(store, nid):
    text = store.get_notice(nid)["text"]
    m = problems(store, nid)[1]["measures"][0]
    start = text.index("制定")
    change = store.reanchor("measure", m["id"], [start, start + 8])
    m2 = problems(store, nid)[1]["measures"][0]
    assert m2["text"] == "制定执法监督办法" and m2["span"] == [start, start + 8]
    assert set(m2["edited_fields"]) == {"text", "span"}
    assert_undo_redo(store, nid, change)
    with pytest.raises(InvalidEditError):
        store.reanchor("measure", m["id"], [0, len(text) + 1])


def test_evidence(store, nid, tmp_path):
    pid = problems(store, nid)[0]["id"]
    f = tmp_path / "会议纪要.pdf"
    f.write_bytes(b"%PDF-1.4 minutes")
    change = store.add_evidence(pid, f)
    store.add_evidence(pid, f)
    ev = problems(store, nid)[0]["evidence"]
    assert [e["name"] for e in ev] == ["会议纪要.pdf", "会议纪要.pdf"]
    assert ev[0]["path"] != ev[1]["path"]
    assert all(Path(e["path"]).read_bytes() == b"%PDF-1.4 minutes" for e in ev)
    assert f"{nid}" in ev[0]["path"] and ev[0]["id"] == change["new_id"]
    removed = store.remove_evidence(ev[0]["id"])
    assert [e["id"] for e in problems(store, nid)[0]["evidence"]] == [ev[1]["id"]]
    assert Path(ev[0]["path"]).is_file()  # the file stays for undo
    assert_undo_redo(store, nid, removed)
    store.undo(nid)
    store.undo(nid)
    assert problems(store, nid)[0]["evidence"] == [ev[0]]


def test_new_edit_discards_redo_branch(store, nid):
    pid = problems(store, nid)[0]["id"]
    store.update_field("problem", pid, "remark", "一")
    store.update_field("problem", pid, "remark", "二")
    store.undo(nid)
    store.update_field("problem", pid, "remark", "三")
    assert not store.can_redo(nid)
    assert [e["new"] for e in store.edit_log(nid)] == ["一", "三"]
    store.undo(nid)
    assert problems(store, nid)[0]["remark"] == "一"


def test_undo_across_restart(db_path, nid, store):
    pid = problems(store, nid)[0]["id"]
    store.update_field("problem", pid, "person", "赵六")
    store.delete("measure", problems(store, nid)[0]["measures"][0]["id"])
    store.close()
    with Store.open(db_path) as again:
        assert again.can_undo(nid)
        again.undo(nid)
        again.undo(nid)
        p = problems(again, nid)[0]
        assert p["person"] is None and len(p["measures"]) == 2
    with Store.open(db_path) as third:
        assert third.can_redo(nid)
        third.redo(nid)
        assert problems(third, nid)[0]["person"] == "赵六"


def test_edits_are_per_notice(store, nid):
    other = store.add_extraction(sample_extraction(sha="cd" * 32))[0]
    store.update_field("problem", problems(store, nid)[0]["id"], "remark", "甲")
    assert not store.can_undo(other) and store.undo(other) is None
    assert store.edit_log(other) == []


@pytest.fixture
def fake_extract(monkeypatch):
    """Replace core.extract with a stand-in that returns the dict a test sets."""
    import sys
    import types

    module = types.ModuleType("core.extract")
    module.result = None
    calls = []

    def extract(text, *, source=None, title_hint=None):
        calls.append((text, source, title_hint))
        return module.result

    module.extract = extract
    module.calls = calls
    monkeypatch.setitem(sys.modules, "core.extract", module)
    return module


def test_reextract_keeps_corrections(store, nid, fake_extract):
    p1, p2 = problems(store, nid)
    store.update_field("problem", p1["id"], "leader", "王五")
    store.update_field("notice", nid, "issuer", "人工改的发布单位")
    added = store.add_problem(nid, title="人工新增的问题")["new_id"]
    new = sample_extraction()
    new["problems"][0]["measures"][0]["text"] = "一是加快布点。"   # changed under a touched problem
    new["problems"][1]["status"] = "推进中"                        # untouched: replaced
    new["meta"]["issuer"] = "另一个发布单位"                         # edited field: conflict
    new["meta"]["published"] = "2024-08-01"                        # untouched field: updated
    new["problems"].append({"title": "新识别的问题", "span": None, "measures": [
        {"text": "一是新措施。", "units": ["区水务局"]}]})
    fake_extract.result = new
    counts = store.reextract(nid)
    details = counts.pop("details")
    assert counts == {"updated": 1, "kept": 2, "conflicts": 2, "added": 1, "removed": 0}
    assert [(d["entity"], d.get("field"), d.get("place"), d.get("fields")) for d in details] == [
        ("notice", "issuer", None, None), ("problem", None, 1, [])]
    assert details[1]["measures_changed"] and details[1]["row_id"] == p1["id"]
    assert fake_extract.calls[0][0] == store.get_notice(nid)["text"]
    n = store.get_notice(nid)
    assert n["issuer"] == "人工改的发布单位" and n["published"] == "2024-08-01"
    assert [p["title"] for p in n["problems"]] == [
        "充电桩建设推进缓慢", "执法监督不到位", "人工新增的问题", "新识别的问题"]
    kept, replaced, mine, fresh = n["problems"]
    assert kept["id"] == p1["id"] and kept["leader"] == "王五"
    assert kept["measures"][0]["text"] == p1["measures"][0]["text"]
    assert replaced["status"] == "推进中" and mine["id"] == added
    assert fresh["units"] == "区水务局" and fresh["origin"] == "extracted"
    assert store.search("新措施")[0]["problem_id"] == fresh["id"]
    assert store.search("执法监督")[0]["problem_id"] == replaced["id"]
    assert not store.can_undo(nid)  # re-extraction is a barrier
    assert store.get_notice(nid)["review_status"] == "审核中"


def test_reextract_unchanged_and_removed(store, nid, fake_extract):
    fake_extract.result = sample_extraction()
    ids = [p["id"] for p in problems(store, nid)]
    assert store.reextract(nid) == {"updated": 0, "kept": 0, "conflicts": 0, "added": 0,
                                     "removed": 0, "details": []}
    assert [p["id"] for p in problems(store, nid)] == ids
    assert store.get_notice(nid)["review_status"] == "待审核"
    fewer = sample_extraction()
    del fewer["problems"][1]
    fake_extract.result = fewer
    assert store.reextract(nid)["removed"] == 1
    assert [p["id"] for p in problems(store, nid)] == ids[:1]
    assert [r["kind"] for r in store.search("执法监督办法")] == ["notice"]


def test_reextract_with_the_real_extractor(store):
    from core.extract import extract_file
    from tests.conftest import SAMPLE

    nid = store.add_extraction(extract_file(SAMPLE))[0]
    before = problems(store, nid)
    store.update_field("problem", before[0]["id"], "title", "人工修改的标题")
    store.delete("measure", before[1]["measures"][0]["id"])
    counts = store.reextract(nid)
    assert counts == {"updated": 0, "kept": 2, "conflicts": 0, "added": 0, "removed": 0, "details": []}
    after = problems(store, nid)
    assert [p["id"] for p in after] == [p["id"] for p in before]
    assert after[0]["title"] == "人工修改的标题"
    assert len(after[1]["measures"]) == len(before[1]["measures"]) - 1


def test_edits_are_logged_with_the_login_name_when_no_reviewer_is_named(tmp_path, monkeypatch):
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "wangwu")
    with Store.open(tmp_path / "who.sqlite3") as unnamed:
        notice_id = unnamed.add_extraction(sample_extraction())[0]
        pid = unnamed.get_notice(notice_id)["problems"][0]["id"]
        unnamed.update_field("problem", pid, "leader", "张三")
        assert [e["reviewer"] for e in unnamed.edit_log(notice_id)] == ["wangwu"]


def test_every_refusal_is_an_invalid_edit_error_with_a_chinese_reason(store, nid):
    """The eight refusals are one typed error the window shows as it is."""
    p = problems(store, nid)[0]
    m = p["measures"][-1]
    last = problems(store, nid)[-1]
    refusals = {
        "不能修改": lambda: store.update_field("problem", p["id"], "deleted", True),
        "没有提取值": lambda: store.revert_field("problem", p["id"], "leader"),
        "核对": lambda: store.set_checked("notice", nid),
        "删除": lambda: store.delete("notice", nid),
        "原文": lambda: store.reanchor("measure", m["id"], [5, 2]),
        "拆分位置": lambda: store.split_measure(m["id"], len(m["text"])),
        "没有下一项": lambda: store.merge_with_next("problem", last["id"]),
        "至少留下一条措施": lambda: store.split_problem(p["id"], 0),
    }
    for words, refuse in refusals.items():
        with pytest.raises(InvalidEditError) as caught:
            refuse()
        assert isinstance(caught.value, ExpectedError) and caught.value.code == "invalid_edit"
        assert words in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(InvalidEditError, match="^问题的“已删除”不能修改。$"):
        store.update_field("problem", p["id"], "deleted", True)
    assert not store.can_undo(nid)   # nothing was written


def test_extracted_values_are_stored_only_for_what_was_changed(store, nid):
    """恢复提取结果 needs the extracted values; rows store just those that differ from now."""
    def stored(entity, row_id):
        table = {"problem": "problems", "measure": "measures"}[entity]
        return store.db.execute(f"SELECT extracted FROM {table} WHERE id = ?", [row_id]).fetchone()[0]

    m = problems(store, nid)[0]["measures"][0]
    assert stored("measure", m["id"]) == "{}"
    store.update_field("measure", m["id"], "text", "改过的措施")
    store.update_field("measure", m["id"], "units", ["甲局"])
    assert json.loads(stored("measure", m["id"])) == {"text": m["text"], "units": m["units"]}
    record = problems(store, nid)[0]["measures"][0]
    assert record["extracted"] == {"text": m["text"], "units": m["units"]}
    store.update_field("measure", m["id"], "units", m["units"])    # back by hand: nothing to keep
    assert json.loads(stored("measure", m["id"])) == {"text": m["text"]}
    store.revert_item("measure", m["id"])
    assert stored("measure", m["id"]) == "{}" and problems(store, nid)[0]["measures"][0]["text"] == m["text"]
    store.undo(nid)
    assert json.loads(stored("measure", m["id"])) == {"text": m["text"]}
