"""Drills on backups: damaged databases, failed and killed backups, hostile restores."""
import shutil
import sqlite3
from datetime import datetime, timedelta

import pytest

from core import backup, paths
from core.cli import main
from tests.drills.support import (digest, fill, flip_middle, integrity, make_db, notice_count,
                                  one_line, tmpfs, write_notices)


def _good_backups(db, days=7):
    """``days`` good backups dated the days before today, oldest first."""
    made = backup.backup_now(db)
    olds = []
    for d in range(days, 0, -1):
        day = datetime.now() - timedelta(days=d)
        target = paths.backup_dir() / f"{db.stem}-{day:%Y%m%d}-120000.sqlite3"
        shutil.copyfile(made, target)
        olds.append(target)
    made.unlink()
    return olds


class _Clock:
    """Stands in for ``datetime`` in core.backup: ``now()`` is a chosen day."""

    def __init__(self, when):
        self.when = when

    def now(self):
        return self.when


def test_import_on_a_corrupt_database_keeps_every_good_backup(drill, tmp_path, capsys, monkeypatch):
    drill.case("7 good backups, 4 KB flipped in the middle of the database, `import` on 7 "
               "following days", expected="each attempt refused with one line; the 7 good backups "
               "stay, no damaged copy is added")
    db = make_db(tmp_path / "taizhang.sqlite3", count=30)
    olds = _good_backups(db)
    hashes = {p: digest(p) for p in olds}
    flip_middle(db)
    notice = write_notices(tmp_path / "in", 1)[0]
    codes, lines = [], []
    for d in range(7):
        monkeypatch.setattr(backup, "datetime", _Clock(datetime.now() + timedelta(days=d)))
        codes.append(main(["import", str(notice), "--db", str(db)]))
        lines.append(one_line(capsys.readouterr().err))
    kept = backup.list_backups(db)
    drill.observed(f"exit codes {sorted(set(codes))}; “{lines[0]}”; backups after 7 days: "
                   f"{len(kept)}, all unchanged: {all(digest(p) == h for p, h in hashes.items())}")
    assert codes == [2] * 7 and "损坏" in lines[0]
    assert sorted(kept) == sorted(olds) and all(digest(p) == h for p, h in hashes.items())
    drill.lost_data(False)


def test_backup_verb_on_a_corrupt_database(drill, tmp_path, capsys):
    drill.case("`backup` of a database with 4 KB flipped", expected="refused with one line, "
               "never 已备份; no file added to the backup folder")
    db = make_db(tmp_path / "taizhang.sqlite3", count=30)
    flip_middle(db)
    code = main(["backup", "--db", str(db)])
    out, err = capsys.readouterr()
    line = one_line(err)
    files = list(paths.backup_dir().iterdir())
    drill.observed(f"exit {code}; “{line}”; stdout {out!r}; files in the backup folder: {len(files)}")
    assert code == 2 and "已备份" not in out and files == []
    drill.lost_data(False)


def test_backup_on_a_full_disk_leaves_nothing(drill, tmp_path, capsys):
    drill.case("`backup` with the backup folder on a full 2 MB tmpfs", expected="one line naming the "
               "full disk; no 0-byte or partial file; the existing backups are listed unchanged")
    db = make_db(tmp_path / "taizhang.sqlite3", count=8)
    with tmpfs(paths.backup_dir()):
        first = backup.backup_now(db)
        fill(paths.backup_dir())
        code = main(["backup", "--db", str(db)])
        line = one_line(capsys.readouterr().err)
        left = sorted(p.name for p in paths.backup_dir().iterdir() if p.name != "filler.bin")
        listed = backup.list_backups(db)
        drill.observed(f"exit {code}; “{line}”; files left: {left}")
        assert code == 2 and "磁盘空间已满" in line
        assert left == [first.name] and listed == [first]
        assert integrity(first) == "ok"
    drill.lost_data(False)


def test_rolling_backup_on_a_full_disk_does_not_count_as_the_days(drill, tmp_path, capsys):
    drill.case("the day's backup fails (full disk) before an import, then space is freed",
               expected="the import is refused with one line; the next import makes the day's backup")
    db = make_db(tmp_path / "taizhang.sqlite3", count=8)
    notices = write_notices(tmp_path / "in", 2)
    with tmpfs(paths.backup_dir()):
        fill(paths.backup_dir())
        code1 = main(["import", str(notices[0]), "--db", str(db)])
        line = one_line(capsys.readouterr().err)
        (paths.backup_dir() / "filler.bin").unlink()
        code2 = main(["import", str(notices[1]), "--db", str(db)])
        capsys.readouterr()
        listed = backup.list_backups(db)
        drill.observed(f"first import exit {code1} “{line}”; after freeing space exit {code2}, "
                       f"backups: {len(listed)}")
        assert code1 == 2 and code2 == 0 and len(listed) == 1 and integrity(listed[0]) == "ok"
    drill.lost_data(False)


def test_empty_backup_files_of_old_versions(drill, tmp_path):
    drill.case("0-byte backup files (left by an older version) dated today and earlier",
               expected="not listed, not counted as today's backup, removed by the rotation")
    db = make_db(tmp_path / "taizhang.sqlite3")
    today = paths.backup_dir() / f"taizhang-{datetime.now():%Y%m%d}-000001.sqlite3"
    older = paths.backup_dir() / "taizhang-20200101-000001.sqlite3"
    today.write_bytes(b"")
    older.write_bytes(b"")
    listed_before = backup.list_backups(db)
    made = backup.rolling_backup(db)
    drill.observed(f"listed before: {len(listed_before)}; rolling backup made: {made is not None}; "
                   f"empty files left: {today.exists() + older.exists()}")
    assert listed_before == [] and made is not None and backup.list_backups(db) == [made]
    assert not today.exists() and not older.exists()
    drill.lost_data(False)


def test_killed_backup_leaves_no_backup_that_counts(drill, tmp_path):
    drill.case("a backup killed mid-write (its hidden .partial file stays behind)",
               expected="the partial file is never listed nor counted; it is cleaned once stale")
    db = make_db(tmp_path / "taizhang.sqlite3")
    name = f"taizhang-{datetime.now():%Y%m%d}-000002.sqlite3"
    partial = paths.backup_dir() / f".{name}{backup.PARTIAL_SUFFIX}"
    partial.write_bytes(db.read_bytes()[:5000])
    import os
    os.utime(partial, (0, 0))
    listed = backup.list_backups(db)
    made = backup.rolling_backup(db)
    drill.observed(f"listed before: {len(listed)}; today's backup made: {made is not None}; "
                   f"partial left: {partial.exists()}")
    assert listed == [] and made is not None and not partial.exists()
    drill.lost_data(False)


def test_rotation_keeps_the_newest_good_backups(drill, tmp_path):
    drill.case("rolling backup with 9 good old backups (keep 7)", expected="the new verified backup "
               "and the 6 newest old ones remain; all pass integrity_check")
    db = make_db(tmp_path / "taizhang.sqlite3")
    olds = _good_backups(db, days=9)
    made = backup.rolling_backup(db, keep=7)
    kept = backup.list_backups(db)
    drill.observed(f"kept {len(kept)}; newest is today's: {kept[0] == made}; "
                   f"integrity: {sorted({integrity(p) for p in kept})}")
    assert kept == [made, *reversed(olds[-6:])] and {integrity(p) for p in kept} == {"ok"}
    drill.lost_data(False)


def _newer_schema_copy(db, target):
    shutil.copyfile(db, target)
    con = sqlite3.connect(target)
    con.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                "VALUES ('zhenggai_taizhang', 'm999_from_the_future', '2030-01-01')")
    con.commit()
    con.close()
    return target


def test_restore_of_a_newer_schema_backup(drill, tmp_path, capsys):
    drill.case("`backup --restore` of a backup written by a newer version",
               expected="refused with one line before anything is replaced; the database opens as before")
    db = make_db(tmp_path / "taizhang.sqlite3", count=2)
    newer = _newer_schema_copy(db, tmp_path / "newer.sqlite3")
    make_db(db, count=3)  # one more notice since
    before = digest(db)
    code = main(["backup", "--restore", str(newer), "--db", str(db)])
    line = one_line(capsys.readouterr().err)
    drill.observed(f"exit {code}; “{line}”; database unchanged: {digest(db) == before}")
    assert code == 2 and "更新版本" in line and digest(db) == before and notice_count(db) == 3
    drill.lost_data(False)


@pytest.mark.parametrize("kind", ["truncated", "not SQLite", "foreign SQLite", "empty"])
def test_restore_of_a_bad_backup(drill, tmp_path, capsys, kind):
    drill.case(f"`backup --restore` of a {kind} backup file",
               expected="refused with one line; the database is untouched and nothing is set aside")
    db = make_db(tmp_path / "taizhang.sqlite3", count=5)
    bad = tmp_path / "bad.sqlite3"
    if kind == "truncated":
        made = backup.backup_now(db)
        bad.write_bytes(made.read_bytes()[: made.stat().st_size // 2])
        made.unlink()
    elif kind == "not SQLite":
        bad.write_text("这不是数据库" * 500, encoding="utf-8")
    elif kind == "foreign SQLite":
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE notices (id INTEGER PRIMARY KEY, body TEXT)")
        con.commit()
        con.close()
    else:
        bad.write_bytes(b"")
    before = digest(db)
    code = main(["backup", "--restore", str(bad), "--db", str(db)])
    line = one_line(capsys.readouterr().err)
    drill.observed(f"exit {code}; “{line}”; database unchanged: {digest(db) == before}")
    assert code == 2 and digest(db) == before and backup.list_backups(db) == []
    drill.lost_data(False)


def test_restore_over_a_damaged_database(drill, tmp_path, capsys):
    drill.case("`backup --restore` of a good backup over a database with 4 KB flipped",
               expected="restored; the damaged file's bytes are kept aside, not rotated")
    db = make_db(tmp_path / "taizhang.sqlite3", count=30)
    good = backup.backup_now(db)
    flip_middle(db)
    damaged = digest(db)
    code = main(["backup", "--restore", str(good), "--db", str(db)])
    out = capsys.readouterr().out
    aside = [p for p in paths.backup_dir().iterdir() if "-damaged-" in p.name]
    drill.observed(f"exit {code}; integrity after: {integrity(db)}; notices: {notice_count(db)}; "
                   f"damaged copy kept: {len(aside) == 1 and digest(aside[0]) == damaged}")
    assert code == 0 and integrity(db) == "ok" and notice_count(db) == 30
    assert len(aside) == 1 and digest(aside[0]) == damaged and str(aside[0]) in out
    drill.lost_data(False)


def test_restore_onto_another_applications_database(drill, tmp_path, capsys):
    drill.case("`backup --restore GOOD --db other.sqlite3` where other.sqlite3 belongs to another "
               "application", expected="refused with one line; the other file is untouched")
    db = make_db(tmp_path / "taizhang.sqlite3")
    good = backup.backup_now(db)
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.execute("INSERT INTO contacts VALUES ('张三')")
    con.commit()
    con.close()
    before = digest(other)
    code = main(["backup", "--restore", str(good), "--db", str(other)])
    line = one_line(capsys.readouterr().err)
    drill.observed(f"exit {code}; “{line}”; other file unchanged: {digest(other) == before}")
    assert code == 2 and digest(other) == before
    drill.lost_data(False)


def test_backup_folder_is_a_file(drill, tmp_path, capsys, _isolated_home):
    drill.case("the backup folder's place is taken by a file", expected="`backup` refused with one "
               "line naming it; the database is untouched")
    db = make_db(tmp_path / "taizhang.sqlite3")
    shutil.rmtree(_isolated_home / "data" / "backups", ignore_errors=True)
    (_isolated_home / "data").mkdir(exist_ok=True)
    (_isolated_home / "data" / "backups").write_text("x")
    before = digest(db)
    code = main(["backup", "--db", str(db)])
    line = one_line(capsys.readouterr().err)
    drill.observed(f"exit {code}; “{line}”")
    assert code == 2 and "backups" in line and digest(db) == before
    drill.lost_data(False)
