"""Drills on opening and writing the database: foreign, broken and read-only files, locks held by
other processes, races between imports, a full disk — through the command line and the store API."""
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core import dbfile
from core.errors import (DatabaseBusyError, DiskFullError, ReadOnlyDatabaseError, StoreError)
from core.importer import import_text
from core.store import Store
from core.store_schema import known_migrations
from tests.drills.support import (cli, digest, fill, flip_middle, integrity, make_db, notice_count,
                                  notice_text, one_line, popen, read_only, tmpfs, write_notices)

FIXTURE_V1 = Path(__file__).resolve().parents[1] / "fixtures" / "db" / "store_v1.sqlite3"


def _foreign(path: Path, *, notices_table: bool) -> Path:
    con = sqlite3.connect(path)
    if notices_table:
        con.execute("CREATE TABLE notices (id INTEGER PRIMARY KEY, subject TEXT, sent TEXT)")
        con.execute("INSERT INTO notices (subject, sent) VALUES ('周会', '2024-01-01')")
    else:
        con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT)")
        con.execute("INSERT INTO photos (file) VALUES ('a.jpg')")
    con.commit()
    con.close()
    return path


def _siblings(path: Path) -> list[str]:
    """Files SQLite would create beside the database (-wal, -shm, -journal, .lock)."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name) and p != path)


@pytest.mark.parametrize("notices_table", [False, True], ids=["photos app", "own notices table"])
def test_another_applications_database(drill, tmp_path, notices_table):
    what = "with its own `notices` table" if notices_table else "(a photo catalogue)"
    drill.case(f"another application's SQLite file {what} given as --db to `list`, `import`, `backup`",
               expected="refused with one line each; not a byte written, no -wal/-shm created")
    other = _foreign(tmp_path / "other.sqlite3", notices_table=notices_table)
    before, files_before = digest(other), _siblings(other)
    notice = write_notices(tmp_path / "in", 1)[0]
    results = [cli(*args, "--db", other, home=tmp_path / "home")
               for args in (["list"], ["import", notice], ["backup"])]
    lines = [one_line(r.stderr) for r in results]
    drill.observed(f"exit codes {[r.returncode for r in results]}; “{lines[0]}”; file unchanged: "
                   f"{digest(other) == before}; files beside it: {_siblings(other)}")
    assert [r.returncode for r in results] == [2, 2, 2] and all("其他程序" in line for line in lines)
    assert digest(other) == before and _siblings(other) == files_before
    drill.lost_data(False)


@pytest.mark.parametrize("kind", ["text file", "truncated", "4 KB flipped"])
def test_broken_database_files(drill, tmp_path, kind):
    drill.case(f"--db names a {kind} database; `list`, `import`, `backup`",
               expected="one line each saying it is damaged / not a database; the file untouched")
    db = tmp_path / "t.sqlite3"
    if kind == "text file":
        db.write_text("会议纪要\n" * 2000, encoding="utf-8")
    else:
        make_db(db, count=30)
        con = sqlite3.connect(db)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode = DELETE")
        con.close()
        if kind == "truncated":
            db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
        else:
            flip_middle(db)
    before = digest(db)
    notice = write_notices(tmp_path / "in", 1)[0]
    results = [cli(*args, "--db", db, home=tmp_path / "home")
               for args in (["list"], ["import", notice], ["backup"])]
    lines = [one_line(r.stderr) for r in results]
    drill.observed(f"exit codes {[r.returncode for r in results]}; “{lines[0]}”; unchanged: {digest(db) == before}")
    assert [r.returncode for r in results] == [2, 2, 2] and digest(db) == before
    assert all("损坏" in line or "不是数据库" in line for line in lines)
    drill.lost_data(False)


@pytest.mark.parametrize("kind", ["0-byte file", "empty SQLite file"])
def test_empty_database_file_becomes_a_new_database(drill, tmp_path, kind):
    drill.case(f"--db names a {kind}", expected="treated as a new database: import works")
    db = tmp_path / "t.sqlite3"
    if kind == "0-byte file":
        db.write_bytes(b"")
    else:
        sqlite3.connect(db).close()
        con = sqlite3.connect(db)
        con.execute("PRAGMA user_version = 0")
        con.close()
    notice = write_notices(tmp_path / "in", 1)[0]
    res = cli("import", notice, "--db", db, home=tmp_path / "home")
    drill.observed(f"exit {res.returncode}; {res.stdout.strip().splitlines()[-1]}")
    assert res.returncode == 0 and notice_count(db) == 1
    drill.lost_data(False)


def _app_id(path):
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA application_id").fetchone()[0]
    finally:
        con.close()


def test_old_databases_of_ours_still_open(drill, tmp_path):
    drill.case("the stored schema-v1 database (no application_id, written before the mark existed)",
               expected="recognised as ours, migrated with a backup first, marked with the application_id")
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE_V1, db)
    before_id = _app_id(db)
    with Store.open(db) as store:
        titles = [p["title"] for p in store.get_notice(store.notice_ids()[0])["problems"]]
    drill.observed(f"application_id before {before_id:#x}, after {_app_id(db):#x}; problems {len(titles)}")
    assert before_id == 0 and _app_id(db) == dbfile.APPLICATION_ID and titles
    assert dbfile.inspect(db).applied == known_migrations()
    drill.lost_data(False)


def test_newer_schema_database_via_cli(drill, tmp_path):
    drill.case("`list` and `import` on a database written by a newer version",
               expected="one line asking to upgrade; not a byte written")
    db = make_db(tmp_path / "t.sqlite3")
    con = sqlite3.connect(db)
    con.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                "VALUES ('zhenggai_taizhang', 'm999_future', 'x')")
    con.commit()
    con.close()
    before = digest(db)
    notice = write_notices(tmp_path / "in", 1)[0]
    results = [cli(*a, "--db", db, home=tmp_path / "home") for a in (["list"], ["import", notice])]
    lines = [one_line(r.stderr) for r in results]
    drill.observed(f"exit codes {[r.returncode for r in results]}; “{lines[1]}”")
    assert [r.returncode for r in results] == [2, 2] and all("更新版本" in x for x in lines)
    assert digest(db) == before
    drill.lost_data(False)


def test_healthy_database_in_a_read_only_folder(drill, tmp_path):
    drill.case("a healthy database in a read-only folder: `list`, `search`, `import`, `backup`",
               expected="list and search work; import says the database is read-only (not corrupt); "
                        "backup works; the database unchanged")
    folder = tmp_path / "ro"
    folder.mkdir()
    db = make_db(folder / "t.sqlite3", count=2)
    before = digest(db)
    notice = write_notices(tmp_path / "in", 1)[0]
    home = tmp_path / "home"
    with read_only(folder):
        listing = cli("list", "--db", db, home=home)
        search = cli("search", "充电桩", "--db", db, home=home)
        imp = cli("import", notice, "--db", db, home=home)
        back = cli("backup", "--db", db, home=home)
        after = digest(db)
    line = one_line(imp.stderr)
    drill.observed(f"list exit {listing.returncode} ({len(listing.stdout.splitlines()) - 1} rows); search exit "
                   f"{search.returncode}; import exit {imp.returncode} “{line}”; backup exit {back.returncode}")
    assert listing.returncode == 0 and len(listing.stdout.splitlines()) == 3
    assert search.returncode == 0 and "共 " in search.stdout
    assert imp.returncode == 2 and "只读" in line and "损坏" not in line
    assert back.returncode == 0 and after == before
    drill.lost_data(False)


def test_read_only_database_file(drill, tmp_path):
    drill.case("the database file itself is read-only (its folder writable)",
               expected="`list` works; `import` one line saying read-only; file unchanged")
    db = make_db(tmp_path / "t.sqlite3", count=1)
    with Store.open(db):
        pass
    before = digest(db)
    notice = write_notices(tmp_path / "in", 1)[0]
    with read_only(db):
        listing = cli("list", "--db", db, home=tmp_path / "home")
        imp = cli("import", notice, "--db", db, home=tmp_path / "home")
    line = one_line(imp.stderr)
    drill.observed(f"list exit {listing.returncode}; import exit {imp.returncode} “{line}”")
    assert listing.returncode == 0 and imp.returncode == 2 and "只读" in line and digest(db) == before
    drill.lost_data(False)


@pytest.mark.parametrize("kind", ["needs a migration", "does not exist yet"])
def test_read_only_folder_that_needs_writing(drill, tmp_path, kind):
    drill.case(f"read-only folder where the database {kind}", expected="one line saying why; nothing written")
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "t.sqlite3"
    if kind == "needs a migration":
        shutil.copy(FIXTURE_V1, db)
    with read_only(folder):
        res = cli("list", "--db", db, home=tmp_path / "home")
    line = one_line(res.stderr)
    drill.observed(f"exit {res.returncode}; “{line}”")
    assert res.returncode == 2 and "只读" in line
    drill.lost_data(False)


def test_store_api_on_a_read_only_database(drill, tmp_path):
    drill.case("store API: update_field and import_text on a store opened from a read-only folder",
               expected="ReadOnlyDatabaseError (a StoreError with a Chinese message); reading works")
    folder = tmp_path / "ro"
    folder.mkdir()
    db = make_db(folder / "t.sqlite3")
    with read_only(folder):
        with Store.open(db) as store:
            nid = store.notice_ids()[0]
            pid = store.get_notice(nid)["problems"][0]["id"]
            with pytest.raises(ReadOnlyDatabaseError) as edit:
                store.update_field("problem", pid, "remark", "只读测试")
            with pytest.raises(ReadOnlyDatabaseError):
                import_text(store, notice_text(77))
            title = store.get_notice(nid)["title"]
    drill.observed(f"read_only={store.read_only}; update_field: {type(edit.value).__name__} “{edit.value.message}”; "
                   f"title still read: {bool(title)}")
    assert isinstance(edit.value, StoreError) and title
    drill.lost_data(False)


HOLDER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
con.execute("UPDATE settings SET value = value")
print("locked", flush=True)
sys.stdin.readline()  # held until the test says so
con.execute("COMMIT")
"""


def _hold_lock(db: Path) -> subprocess.Popen:
    """Another process holding BEGIN EXCLUSIVE on ``db`` until ``_release``."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def _release(proc):
    proc.stdin.write("\n")
    proc.stdin.close()
    proc.wait(timeout=120)
    proc.stdout.close()


def test_lock_held_briefly_import_waits(drill, tmp_path):
    drill.case("another process holds BEGIN EXCLUSIVE while `import` starts, and lets go once the "
               "import says it is waiting", expected="import waits, saying so on stderr, then imports; exit 0")
    db = make_db(tmp_path / "t.sqlite3")
    notice = write_notices(tmp_path / "in", 1)[0]
    holder = _hold_lock(db)
    proc = popen("import", notice, "--db", db, home=tmp_path / "home", env={"ZGTZ_BUSY_WAIT": "120"},
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    err = []
    for line in proc.stderr:  # the import reaches its first write and waits
        err.append(line)
        if "占用" in line:
            break
    _release(holder)
    out, rest = proc.communicate(timeout=300)
    err = "".join(err) + rest
    waits = [line for line in err.splitlines() if "占用" in line]
    drill.observed(f"exit {proc.returncode}; waiting lines e.g. {waits[:1]}; notices {notice_count(db)}")
    assert proc.returncode == 0 and waits and notice_count(db) == 2 and "Traceback" not in err
    drill.lost_data(False)


def test_lock_held_too_long(drill, tmp_path):
    drill.case("another process holds BEGIN EXCLUSIVE longer than the wait (ZGTZ_BUSY_WAIT=3)",
               expected="waiting lines, then one line saying another program holds the database; "
                        "exit 2; nothing half-written")
    db = make_db(tmp_path / "t.sqlite3")
    notice = write_notices(tmp_path / "in", 1)[0]
    holder = _hold_lock(db)
    res = cli("import", notice, "--db", db, home=tmp_path / "home", env={"ZGTZ_BUSY_WAIT": "3"})
    _release(holder)
    lines = [x for x in res.stderr.splitlines() if x.startswith("错误")]
    drill.observed(f"exit {res.returncode}; “{lines[-1] if lines else res.stderr[-200:]}”; integrity {integrity(db)}")
    assert res.returncode == 2 and lines and "占用" in lines[-1] and "Traceback" not in res.stderr
    assert integrity(db) == "ok" and notice_count(db) == 1
    drill.lost_data(False)


def test_store_api_busy_is_a_store_error(drill, tmp_path, monkeypatch):
    drill.case("store API: update_field while another process holds the write lock past the wait",
               expected="on_wait called while waiting; then DatabaseBusyError (a StoreError); value unchanged")
    monkeypatch.setenv("ZGTZ_BUSY_WAIT", "2.5")
    db = make_db(tmp_path / "t.sqlite3")
    waits = []
    with Store.open(db, on_wait=lambda w, limit: waits.append(round(w, 1))) as store:
        nid = store.notice_ids()[0]
        pid = store.get_notice(nid)["problems"][0]["id"]
        holder = _hold_lock(db)
        with pytest.raises(DatabaseBusyError) as info:
            store.update_field("problem", pid, "remark", "等待测试")
        _release(holder)
        remark = store.get_notice(nid)["problems"][0]["remark"]
        store.update_field("problem", pid, "remark", "锁释放后")
    drill.observed(f"on_wait calls {waits}; {type(info.value).__name__} “{info.value.message}”; "
                   f"remark afterwards {remark!r}; an edit after the release worked")
    assert waits and remark is None and isinstance(info.value, StoreError)
    drill.lost_data(False)


def _two_imports(db, folders, home, env=None):
    procs = [popen("import", folder, "--db", db, home=home, env=env,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in folders]
    outs = [p.communicate(timeout=600) for p in procs]
    return [(p.returncode, out, err) for p, (out, err) in zip(procs, outs)]


def test_two_imports_of_the_same_folder_at_once(drill, tmp_path):
    drill.case("two `import FOLDER` processes of the same 12 files into one database at the same time",
               expected="no IntegrityError; each notice stored once; both exit 0")
    db = make_db(tmp_path / "t.sqlite3")
    folder = tmp_path / "in"
    write_notices(folder, 12)
    results = _two_imports(db, [folder, folder], tmp_path / "home")
    dup = sum(out.count("重复") for _, out, _ in results) - 2  # minus the two summary lines
    drill.observed(f"exit codes {[r[0] for r in results]}; stored {notice_count(db) - 1}; "
                   f"reported duplicate {dup}; tracebacks {sum('Traceback' in e for _, _, e in results)}")
    assert [r[0] for r in results] == [0, 0], [e[-300:] for _, _, e in results]
    assert notice_count(db) == 13
    assert not any("Traceback" in e or "IntegrityError" in e for _, _, e in results)
    drill.lost_data(False)


def test_two_imports_into_a_new_database(drill, tmp_path):
    drill.case("two `import` processes create the same new database at once",
               expected="migrations run once (serialised); both imports land; exit 0 twice")
    db = tmp_path / "new.sqlite3"
    a, b = tmp_path / "a", tmp_path / "b"
    write_notices(a, 3)
    write_notices(b, 3, start=10)
    results = _two_imports(db, [a, b], tmp_path / "home")
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute("SELECT name FROM _sqlite_migrations")]
    con.close()
    drill.observed(f"exit codes {[r[0] for r in results]}; notices {notice_count(db)}; "
                   f"migration rows {len(names)} for {len(known_migrations())} migrations; "
                   f"stderr {[e.strip()[-80:] for _, _, e in results if 'Traceback' in e]}")
    assert [r[0] for r in results] == [0, 0] and notice_count(db) == 6
    assert sorted(names) == sorted(known_migrations())
    drill.lost_data(False)


def test_store_api_disk_full_during_edits(drill, tmp_path):
    drill.case("store API: edits of 200 KB remarks into a database on a 2 MB tmpfs until the disk is full",
               expected="DiskFullError (a StoreError); every acknowledged edit readable after reopening; "
                        "integrity ok; edits work again once space is freed")
    mnt = tmp_path / "disk"
    with tmpfs(mnt):
        db = make_db(mnt / "t.sqlite3")
        acked = {}
        with Store.open(db) as store:
            nid = store.notice_ids()[0]
            pids = [p["id"] for p in store.get_notice(nid)["problems"]]
            with pytest.raises(DiskFullError) as info:
                for i in range(100):
                    pid = pids[i % len(pids)]
                    store.update_field("problem", pid, "remark", f"{i}" + "备" * 100_000)
                    acked[pid] = i
        with Store.open(db) as store:
            kept = {p["id"]: int(p["remark"].rstrip("备")) for p in store.get_notice(nid)["problems"]
                    if p["remark"]}
        ok = integrity(db)
        with Store.open(db) as store:
            store.update_field("problem", pids[0], "remark", None)  # smaller: fits again
            cleared = store.get_notice(nid)["problems"][0]["remark"] is None
    drill.observed(f"{len(acked)} problems edited before “{info.value.message}”; kept {kept == acked}; "
                   f"integrity {ok}; an edit afterwards worked: {cleared}")
    assert isinstance(info.value, StoreError) and kept == acked and ok == "ok" and cleared
    drill.lost_data(False)


def test_store_api_disk_full_during_add(drill, tmp_path):
    drill.case("store API: import_text into a database on a full tmpfs",
               expected="DiskFullError; no half notice; the earlier notices intact")
    mnt = tmp_path / "disk"
    with tmpfs(mnt):
        db = make_db(mnt / "t.sqlite3", count=2)
        with Store.open(db) as store:  # open before the disk fills: SQLite's -shm file exists
            fill(mnt)
            with pytest.raises(DiskFullError) as info:
                for i in range(50):
                    import_text(store, notice_text(500 + i) + "补充" * 20_000)
            ids = store.notice_ids()
            whole = all(store.get_notice(i)["problems"] for i in ids)
        ok = integrity(db)
    drill.observed(f"“{info.value.message}”; notices {len(ids)} all whole: {whole}; integrity {ok}")
    assert len(ids) >= 2 and whole and ok == "ok"
    drill.lost_data(False)


def test_list_filter_is_literal(drill, tmp_path):
    drill.case("`list --filter %` and `--filter _`", expected="% and _ match themselves, not everything")
    db = make_db(tmp_path / "t.sqlite3", count=3)
    home = tmp_path / "home"
    pct = cli("list", "--filter", "%", "--db", db, home=home)
    und = cli("list", "--filter", "_", "--db", db, home=home)
    everything = cli("list", "--db", db, home=home)
    drill.observed(f"%: {len(pct.stdout.splitlines())} lines, _: {len(und.stdout.splitlines())} lines, "
                   f"no filter: {len(everything.stdout.splitlines()) - 1} notices")
    assert pct.stdout == "" and und.stdout == "" and len(everything.stdout.splitlines()) == 4
    drill.lost_data(False)


def test_kill_during_migration(drill, tmp_path):
    drill.case("SIGKILL of the process migrating the v1 database (at a random moment in the first second)",
               expected="the next open finds a sound database, old or fully migrated, with its notice")
    import signal
    import time
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE_V1, db)
    proc = popen("list", "--db", db, home=tmp_path / "home",
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.6)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    res = cli("list", "--db", db, home=tmp_path / "home")
    drill.observed(f"killed: {proc.returncode == -signal.SIGKILL}; then list exit {res.returncode}, "
                   f"{len(res.stdout.splitlines()) - 1} notice(s); integrity {integrity(db)}")
    assert res.returncode == 0 and len(res.stdout.splitlines()) == 2 and integrity(db) == "ok"
    drill.lost_data(False)


def test_concurrent_edit_and_import_threads(drill, tmp_path):
    drill.case("store API: one thread edits while another imports, each with its own Store",
               expected="both finish; no locked error; all edits and notices present")
    db = make_db(tmp_path / "t.sqlite3")
    errors = []

    def edits():
        try:
            with Store.open(db) as store:
                nid = store.notice_ids()[0]
                pid = store.get_notice(nid)["problems"][0]["id"]
                for i in range(30):
                    store.update_field("problem", pid, "remark", f"备注{i}")
        except Exception as exc:  # recorded for the assertion below
            errors.append(exc)

    def imports():
        try:
            with Store.open(db) as store:
                for i in range(5):
                    import_text(store, notice_text(300 + i))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=edits), threading.Thread(target=imports)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    with Store.open(db) as store:
        remark = store.get_notice(store.notice_ids()[0])["problems"][0]["remark"]
    drill.observed(f"errors {errors!r}; notices {notice_count(db)}; last remark {remark!r}")
    assert errors == [] and notice_count(db) == 6 and remark == "备注29"
    drill.lost_data(False)
