"""Migrating a stored schema-v1 database (before the search index) to the current schema.

``tests/fixtures/db/store_v1.sqlite3`` was made by ``build_v1_fixture`` (run this module as a
script to rebuild it): the store's own code with only migration m001 applied.
"""
import shutil
import sqlite3
import sys
from pathlib import Path

from sqlite_utils import Database

from core import paths
from core.store import Store
from core.store_schema import MIGRATIONS, SAMPLE_SETTING, known_migrations
from tests.core.test_store import sample_extraction

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "db" / "store_v1.sqlite3"


def build_v1_fixture(target: Path) -> None:
    """A v1 database with one notice, an edited title and an undone remark."""
    target.unlink(missing_ok=True)
    db = Database(target)
    db.execute("PRAGMA foreign_keys = ON")
    MIGRATIONS.apply(db, stop_before="m002_search_index")
    store = Store(db, target, "迁移测试", None)
    store._index = store._index_notice = lambda *args: None  # v1 has no search index
    store._refresh_summary = lambda *args: None          # nor a notice summary
    nid = store.add_extraction(sample_extraction())[0]
    pid = store.get_notice(nid)["problems"][0]["id"]
    store.update_field("problem", pid, "title", "充电桩建设滞后")
    store.update_field("problem", pid, "remark", "已撤销的备注")
    store.undo(nid)
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()


def _applied(path):
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()


def test_fixture_is_schema_v1():
    assert _applied(FIXTURE) == ["m001_initial"]


def test_migrates_v1_with_backup(tmp_path):
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, db)
    with Store.open(db) as store:
        assert _applied(db) == known_migrations()
        [nid] = store.notice_ids()
        p = store.get_notice(nid)["problems"][0]
        # the notice list's summary row was filled from the stored rows
        [row] = store.list_notices()
        assert (row["id"], row["problem_count"], row["measure_count"], row["checked_count"]) == (nid, 2, 3, 0)
        assert row["review_status"] == "审核中" and row == store.notice_summary(nid)
        # extracted values are kept only where they differ from the current ones
        stored = dict(store.db.execute("SELECT id, extracted FROM problems").fetchall())
        assert stored == {p["id"]: '{"title": "充电桩建设推进缓慢"}',
                          store.get_notice(nid)["problems"][1]["id"]: "{}"}
        assert p["title"] == "充电桩建设滞后" and p["extracted"] == {"title": "充电桩建设推进缓慢"}
        assert [r["problem_id"] for r in store.search("滞后")] == [p["id"]]
        assert {r["kind"] for r in store.search("充电桩")} == {"notice", "measure", "problem"}
        assert store.can_redo(nid)
        store.redo(nid)
        assert store.get_notice(nid)["problems"][0]["remark"] == "已撤销的备注"
        store.undo(nid)
        store.undo(nid)
        assert store.get_notice(nid)["problems"][0]["title"] == "充电桩建设推进缓慢"
        # the migrated index is keyed: the edit replaced the title's row instead of adding one
        assert store.search("滞后") == []
        assert [r["problem_id"] for r in store.search("推进缓慢") if r["kind"] == "problem"] == [p["id"]]
        # a database that held notices before the settings table has had its first run
        assert store.get_setting(SAMPLE_SETTING) is True
    [backup] = paths.backup_dir().iterdir()
    assert _applied(backup) == ["m001_initial"]
    # opening the migrated file again needs no further backup
    Store.open(db).close()
    assert len(list(paths.backup_dir().iterdir())) == 1


def test_an_empty_database_migrates_without_the_first_run_mark(tmp_path):
    db = tmp_path / "empty.sqlite3"
    sqlite_db = Database(db)
    MIGRATIONS.apply(sqlite_db, stop_before="m005_settings")
    sqlite_db.close()
    with Store.open(db) as store:
        assert store.get_setting(SAMPLE_SETTING) is None


if __name__ == "__main__":  # rebuild the fixture: python -m tests.core.test_store_migration
    build_v1_fixture(FIXTURE)
    sys.exit(0)
