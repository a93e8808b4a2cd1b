"""core.backup: snapshots with the backup API, one a day, pruning, restore and its refusals."""
import re
import sqlite3

import pytest

from core import backup, paths
from core.errors import StoreError
from core.importer import import_text
from core.store import Store

SAMPLE = paths.sample_notice_path().read_text(encoding="utf-8")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "taizhang.sqlite3"
    store = Store.open(path)
    import_text(store, SAMPLE + "\n副本编号：1\n")
    store.close()
    return path


def notice_texts(path):
    store = Store.open(path)
    try:
        return sorted(store.get_notice(i)["text"] for i in store.notice_ids())
    finally:
        store.close()


def test_backup_now_is_a_consistent_copy(db):
    made = backup.backup_now(db)
    assert made.parent == paths.backup_dir()
    assert re.fullmatch(r"taizhang-\d{8}-\d{6}\.sqlite3", made.name)
    con = sqlite3.connect(made)
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    con.close()
    assert notice_texts(made) == notice_texts(db)


def test_backups_in_the_same_second_do_not_collide(db):
    made = [backup.backup_now(db) for _ in range(3)]
    assert len(set(made)) == 3
    assert backup.list_backups(db)[0] == made[-1]  # newest first
    assert set(backup.list_backups(db)) == set(made)


def test_backup_of_a_missing_database_is_refused(tmp_path):
    with pytest.raises(StoreError):
        backup.backup_now(tmp_path / "none.sqlite3")
    assert backup.rolling_backup(tmp_path / "none.sqlite3") is None


def test_list_backups_keeps_databases_apart(db, tmp_path):
    other = tmp_path / "taizhang2.sqlite3"
    other.write_bytes(db.read_bytes())
    mine = backup.backup_now(db)
    theirs = backup.backup_now(other)
    assert backup.list_backups(db) == [mine]
    assert backup.list_backups(other) == [theirs]


def test_rolling_backup_once_a_day_keeping_the_last(db):
    good = backup.backup_now(db)
    old = [paths.backup_dir() / f"taizhang-202001{d:02d}-120000.sqlite3" for d in range(1, 10)]
    for path in old:
        path.write_bytes(good.read_bytes())
    good.unlink()
    made = backup.rolling_backup(db, keep=7)
    assert made is not None and made.exists()
    assert backup.rolling_backup(db, keep=7) is None  # already one today
    kept = backup.list_backups(db)
    assert kept == [made, *reversed(old[-6:])]
    assert not any(p.exists() for p in old[:3])


def test_restore_brings_back_the_backup_and_saves_the_current_state(db):
    before = notice_texts(db)
    made = backup.backup_now(db)
    store = Store.open(db)
    import_text(store, SAMPLE + "\n副本编号：2\n")
    store.close()
    changed = notice_texts(db)
    assert len(changed) == 2

    saved = backup.restore(made, db)

    assert notice_texts(db) == before
    assert saved is not None and notice_texts(saved) == changed


def test_restore_refuses_a_file_that_is_not_ours(db, tmp_path):
    before = db.read_bytes()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("create table t (x)")
    con.commit()
    con.close()
    for bad in (junk, foreign, tmp_path / "missing.sqlite3"):
        with pytest.raises(StoreError) as info:
            backup.restore(bad, db)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)
    assert db.read_bytes() == before
    assert backup.list_backups(db) == []
