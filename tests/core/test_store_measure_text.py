"""A measure's text is stored only where it is not the notice's text at its span (m010).

``tests/fixtures/db/store_v9.sqlite3`` (schema up to m009, every measure text stored in full)
was made by ``build_v9_fixture`` with the store of commit 9d86bfc, the last before m010; run
this module as a script to make it again (the store then stores every text in full, as before).
"""
import json
import shutil
import sqlite3
import sys
from pathlib import Path

from sqlite_utils import Database

from core.store import Store
from core.store_schema import MIGRATIONS, known_migrations
from tests.core.test_store import NOTICE_TEXT, _span_of, sample_extraction
from tests.gui.notices import make_extraction

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "db" / "store_v9.sqlite3"
EDITED = "一是加快充电桩布点建设，年内新建充电桩150个。"
ADDED = "新增：建立执法台账，每月通报一次。"


def build_v9_fixture(target: Path) -> None:
    """Two notices at schema m009 with corrections of measure texts and spans: an edited text,
    a measure pointed at another stretch of the text, a split, an added measure, a checked one,
    a deleted one and an undone edit."""
    target.unlink(missing_ok=True)
    db = Database(target)
    db.execute("PRAGMA foreign_keys = ON")
    MIGRATIONS.apply(db, stop_before="m010_measure_text_at_span")
    store = Store(db, target, "迁移测试", None)
    store._text_stored = lambda notice_id, text, span: text   # before m010: every text in full
    nid = store.add_extraction(sample_extraction())[0]
    other = store.add_extraction(make_extraction(problems=3, measures=2, tag="乙"))[0]
    first, second = store.get_notice(nid)["problems"]
    m1, m2 = first["measures"]
    [m3] = second["measures"]
    store.update_field("measure", m1["id"], "text", EDITED)
    store.reanchor("measure", m2["id"], _span_of(NOTICE_TEXT, "由区城管局牵头"))
    store.split_measure(m3["id"], 9)
    store.add_measure(second["id"], text=ADDED)
    store.set_checked("measure", m2["id"], True)
    problems = store.get_notice(other)["problems"]
    store.delete("measure", problems[0]["measures"][1]["id"])
    store.update_field("measure", problems[1]["measures"][0]["id"], "status", "推进中")
    store.undo(other)
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()


def _applied(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()


def _raw(path, sql: str) -> list:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_fixture_is_schema_m009_with_every_text_stored():
    assert _applied(FIXTURE) == [m for m in known_migrations() if m < "m010"]
    assert _raw(FIXTURE, "SELECT count(*) FROM measures WHERE text IS NULL") == [(0,)]


def test_migration_keeps_every_measure_text_and_stores_only_the_changed_ones(tmp_path):
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, db)
    before = dict(_raw(db, "SELECT id, text FROM measures"))
    extracted_before = {i: json.loads(e) for i, e in _raw(db, "SELECT id, extracted FROM measures")}
    with Store.open(db) as store:
        assert _applied(db) == known_migrations()
        nid, other = store.notice_ids()
        after = {}
        for notice_id in (nid, other):
            for m in store._rows("measure", "notice_id = ?", [notice_id]):
                after[m["id"]] = m["text"]
        assert after == before
        stored = dict(store.db.execute("SELECT id, text FROM measures").fetchall())
        # stored in full: the edited text, the text of an added measure without a span
        assert {before[i] for i, text in stored.items() if text is not None} >= {EDITED, ADDED}
        assert sum(text is None for text in stored.values()) >= len(stored) - 3
        # the extracted values kept for 恢复提取结果 are the same dicts
        assert {i: json.loads(e) for i, e in store.db.execute("SELECT id, extracted FROM measures")} == extracted_before
        m1 = store.get_notice(nid)["problems"][0]["measures"][0]
        assert m1["text"] == EDITED and m1["extracted"]["text"] == "一是加快充电桩布点建设，新建充电桩120个。"
        # search: the edited, the added and the original texts
        assert [r["measure_id"] for r in store.search("150个")] == [m1["id"]]
        assert [r["kind"] for r in store.search("执法台账")] == ["measure"]
        assert {r["kind"] for r in store.search("完善运维机制")} == {"notice"}   # reanchored away
        assert {r["kind"] for r in store.search("由区城管局牵头")} == {"measure", "notice"}
        # the edit log names the measures by their texts
        items = [e["item"] for e in store.edit_log(nid) if e["entity"] == "measure"]
        assert all(item["text"] == after[item_id] for item, item_id in
                   ((e["item"], e["row_id"]) for e in store.edit_log(nid) if e["entity"] == "measure"))
        assert items
        # 恢复提取结果 and undo/redo work on the migrated rows
        store.revert_item("measure", m1["id"])
        assert store.get_problem(m1["problem_id"])["measures"][0]["text"] == m1["extracted"]["text"]
        assert store.db.execute("SELECT text FROM measures WHERE id = ?", [m1["id"]]).fetchone() == (None,)
        store.undo(nid)
        assert store.get_problem(m1["problem_id"])["measures"][0]["text"] == EDITED
        assert store.can_redo(other)
        store.redo(other)


def _stored_text(store, measure_id):
    return store.db.execute("SELECT text FROM measures WHERE id = ?", [measure_id]).fetchone()[0]


def test_a_text_is_stored_while_it_differs_from_the_notice_text_at_its_span(tmp_path):
    with Store.open(tmp_path / "t.sqlite3") as store:
        nid = store.add_extraction(sample_extraction())[0]
        first, second = store.get_notice(nid)["problems"]
        m1, m2 = first["measures"]
        assert _stored_text(store, m1["id"]) is None and _stored_text(store, m2["id"]) is None
        original = m1["text"]

        store.update_field("measure", m1["id"], "text", EDITED)
        assert _stored_text(store, m1["id"]) == EDITED
        store.undo(nid)
        assert _stored_text(store, m1["id"]) is None
        assert store.get_notice(nid)["problems"][0]["measures"][0]["text"] == original

        # a new span with a stored text: the text is kept, not cut from the new place
        store.update_field("measure", m1["id"], "text", EDITED)
        store.reanchor("measure", m2["id"], _span_of(NOTICE_TEXT, "由区城管局牵头"))
        assert store.get_problem(first["id"])["measures"][1]["text"] == "由区城管局牵头"
        assert _stored_text(store, m2["id"]) is None
        store.undo(nid)
        assert store.get_problem(first["id"])["measures"][1]["text"] == m2["text"]
        assert store.get_problem(first["id"])["measures"][0]["text"] == EDITED

        # split: both parts cut from the notice text; merged again: one text
        change = store.split_measure(m2["id"], 4)
        assert _stored_text(store, m2["id"]) is None and _stored_text(store, change["new_id"]) is None
        assert [m["text"] for m in store.get_problem(first["id"])["measures"]][1:] == [m2["text"][:4], m2["text"][4:]]
        store.merge_with_next("measure", m2["id"])
        assert store.get_problem(first["id"])["measures"][1]["text"] == m2["text"]

        # a merge over a gap keeps its own text: the notice text at the merged span differs
        store.revert_item("measure", m1["id"])
        store.merge_with_next("measure", m1["id"])
        merged = store.get_problem(first["id"])["measures"][0]
        assert merged["text"] == original + m2["text"]
        assert _stored_text(store, m1["id"]) == (None if NOTICE_TEXT[slice(*merged["span"])] == merged["text"]
                                                  else merged["text"])
        # an added measure without a span
        added = store.add_measure(second["id"], text=ADDED)["new_id"]
        assert _stored_text(store, added) == ADDED
        assert store.search("执法台账")[0]["measure_id"] == added


def test_measures_found_by_search_come_from_the_notice_text(tmp_path):
    with Store.open(tmp_path / "t.sqlite3") as store:
        nid = store.add_extraction(sample_extraction())[0]
        m = store.get_notice(nid)["problems"][0]["measures"][1]
        assert _stored_text(store, m["id"]) is None
        hits = store.search("运维机制")
        assert [(h["kind"], h["measure_id"]) for h in hits] == [("measure", m["id"]), ("notice", None)]
        assert "运维机制" in hits[0]["snippet"]
        assert [h["kind"] for h in store.search("运维机制 充电桩")] == ["notice"]   # not one measure


if __name__ == "__main__":  # make the fixture again: python -m tests.core.test_store_measure_text
    build_v9_fixture(FIXTURE)
    sys.exit(0)
