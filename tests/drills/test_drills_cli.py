"""Drills on the command line as a user drives it: pipes, redirected output, a broken home,
odd arguments, interrupts."""
import re
import signal
import subprocess
import time

import pytest
from openpyxl import load_workbook

from tests.drills.support import (cli, make_db, notice_count, one_line, popen, read_only,
                                  write_notices)


def test_search_into_a_closed_pipe(drill, tmp_path):
    drill.case("`main.py search … | head -1` (the reader closes the pipe early)",
               expected="no BrokenPipeError traceback; stderr empty; exit 0")
    db = make_db(tmp_path / "t.sqlite3", count=3)
    proc = popen("search", "充电桩", "--db", db, home=tmp_path / "home",
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like head -1 after its line: every write now meets a closed pipe
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    proc.wait(timeout=120)
    drill.observed(f"exit {proc.returncode}; stderr {err.strip()[:120]!r}")
    assert proc.returncode == 0 and err.strip() == ""
    drill.lost_data(False)


def test_search_piped_to_head_in_a_shell(drill, tmp_path):
    drill.case("`main.py list | head -1` through a real shell pipe with many notices",
               expected="the first line printed, nothing on stderr")
    db = make_db(tmp_path / "t.sqlite3", count=40)
    import os
    import sys
    from tests.drills.support import ROOT
    env = {**os.environ, "ZGTZ_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    res = subprocess.run(f"'{sys.executable}' main.py list --db '{db}' | head -1", shell=True,
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    drill.observed(f"stdout {res.stdout.strip()[:40]!r}; stderr {res.stderr.strip()[:120]!r}")
    assert res.stdout.startswith("id") and res.stderr.strip() == ""
    drill.lost_data(False)


def test_progress_lines_when_stderr_is_a_file(drill, tmp_path):
    drill.case("`export 1 -o x.xlsx 2>log` and `import DIR 2>log` (stderr is not a terminal)",
               expected="each progress report on a line of its own (no `导出 0/1导出 1/1`)")
    home = tmp_path / "home"
    db = tmp_path / "t.sqlite3"
    folder = tmp_path / "in"
    write_notices(folder, 2)
    imp = cli("import", folder, "--db", db, home=home)
    exp = cli("export", "1", "-o", tmp_path / "x.xlsx", "--db", db, home=home)
    drill.observed(f"import stderr {imp.stderr!r}; export stderr {exp.stderr!r}")
    assert imp.returncode == 0 and exp.returncode == 0
    assert imp.stderr.splitlines()[0] == "进度 0/2" and imp.stderr.splitlines()[-1] == "进度 2/2"
    assert exp.stderr.splitlines() == ["导出 0/1", "导出 1/1"]
    assert "\r" not in imp.stderr + exp.stderr
    drill.lost_data(False)


def test_export_the_same_id_three_times(drill, tmp_path):
    drill.case("`export 1 1 1 -o x.xlsx`", expected="notice 1 written once")
    db = make_db(tmp_path / "t.sqlite3", count=2)
    res = cli("export", "1", "1", "1", "-o", tmp_path / "x.xlsx", "--db", db, home=tmp_path / "home")
    once = cli("export", "1", "-o", tmp_path / "y.xlsx", "--db", db, home=tmp_path / "home")
    rows3 = load_workbook(tmp_path / "x.xlsx").active.max_row
    rows1 = load_workbook(tmp_path / "y.xlsx").active.max_row
    drill.observed(f"{res.stdout.strip()}; rows {rows3} (one export of notice 1: {rows1})")
    assert res.returncode == 0 and "已导出 1 份通报" in res.stdout and rows3 == rows1
    drill.lost_data(False)


@pytest.mark.parametrize("verb", ["list", "import", "backup", "search"])
def test_home_is_a_file(drill, tmp_path, verb):
    drill.case(f"ZGTZ_HOME names a file, then `{verb}`", expected="one Chinese line naming it; exit 2")
    home = tmp_path / "home"
    home.write_text("not a folder")
    args = {"list": ["list"], "import": ["import", *write_notices(tmp_path / "in", 1)],
            "backup": ["backup"], "search": ["search", "充电桩"]}[verb]
    res = cli(*args, home=home)
    line = one_line(res.stderr)
    drill.observed(f"exit {res.returncode}; “{line}”")
    assert res.returncode == 2 and str(home) in line and "ZGTZ_HOME" in line
    drill.lost_data(False)


def test_extract_with_a_broken_home(drill, tmp_path):
    drill.case("ZGTZ_HOME names a file, then `extract NOTICE.txt` (needs no data folder)",
               expected="works: the outline on stdout, nothing on stderr, exit 0")
    home = tmp_path / "home"
    home.write_text("not a folder")
    notice = write_notices(tmp_path / "in", 1)[0]
    res = cli("extract", notice, home=home)
    drill.observed(f"exit {res.returncode}; first line {res.stdout.splitlines()[0] if res.stdout else ''!r}; "
                   f"stderr {res.stderr.strip()[:100]!r}")
    assert res.returncode == 0 and res.stdout.startswith("标题：") and res.stderr.strip() == ""
    drill.lost_data(False)


def test_home_is_read_only(drill, tmp_path):
    drill.case("ZGTZ_HOME is an empty read-only folder: `list`, then `extract`",
               expected="`list` one line (cannot create the data folder); `extract` works")
    home = tmp_path / "home"
    home.mkdir()
    notice = write_notices(tmp_path / "in", 1)[0]
    with read_only(home):
        listing = cli("list", home=home)
        extracted = cli("extract", notice, home=home)
    line = one_line(listing.stderr)
    drill.observed(f"list: exit {listing.returncode} “{line}”; extract: exit {extracted.returncode}, "
                   f"stderr {extracted.stderr.strip()[:80]!r}")
    assert listing.returncode == 2 and "只读" in line
    assert extracted.returncode == 0 and extracted.stdout.startswith("标题：") and not extracted.stderr.strip()
    drill.lost_data(False)


def test_db_is_a_folder(drill, tmp_path):
    drill.case("`list --db FOLDER` and `import … --db FOLDER`", expected="one line each; exit 2")
    folder = tmp_path / "adir"
    folder.mkdir()
    notice = write_notices(tmp_path / "in", 1)[0]
    lines = []
    for args in (["list"], ["import", notice]):
        res = cli(*args, "--db", folder, home=tmp_path / "home")
        lines.append((res.returncode, one_line(res.stderr)))
    drill.observed("; ".join(f"exit {c} “{line}”" for c, line in lines))
    assert [c for c, _ in lines] == [2, 2]
    drill.lost_data(False)


def test_db_under_a_file(drill, tmp_path):
    drill.case("`import N.txt --db FILE/sub/t.sqlite3` (a file where a folder should be)",
               expected="one line; exit 2")
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    notice = write_notices(tmp_path / "in", 1)[0]
    res = cli("import", notice, "--db", blocker / "sub" / "t.sqlite3", home=tmp_path / "home")
    line = one_line(res.stderr)
    drill.observed(f"exit {res.returncode}; “{line}”")
    assert res.returncode == 2 and blocker.read_text() == "x"
    drill.lost_data(False)


def test_import_of_missing_and_odd_paths(drill, tmp_path):
    drill.case("`import` of a missing file, a .exe, an empty folder and a good file at once",
               expected="the good file imported, each other one named in a 失败 line; exit 1")
    good = write_notices(tmp_path / "in", 1)[0]
    odd = tmp_path / "tool.exe"
    odd.write_bytes(b"MZ\x90\x00" * 100)
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "t.sqlite3"
    res = cli("import", tmp_path / "missing.txt", odd, empty, good, "--db", db, home=tmp_path / "home")
    failed = [line for line in res.stdout.splitlines() if line.startswith("失败")]
    drill.observed(f"exit {res.returncode}; {res.stdout.splitlines()[-1]}; stderr traceback: "
                   f"{'Traceback' in res.stderr}")
    assert res.returncode == 1 and notice_count(db) == 1 and len(failed) == 2
    assert "Traceback" not in res.stderr
    drill.lost_data(False)


def test_interrupt_during_import(drill, tmp_path):
    drill.case("Ctrl+C (SIGINT) in the middle of a 120-file import",
               expected="“已取消”, exit 130; the database holds only whole notices, integrity ok")
    folder = tmp_path / "in"
    write_notices(folder, 120)
    db = tmp_path / "t.sqlite3"
    proc = popen("import", folder, "--db", db, home=tmp_path / "home",
                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = b""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and max(map(int, re.findall(rb"(\d+)/120", seen)), default=0) < 3:
        chunk = proc.stderr.read1(4096) if hasattr(proc.stderr, "read1") else proc.stderr.read(64)
        if not chunk:
            break
        seen += chunk
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    proc.stderr.close()
    proc.wait(timeout=120)
    err = (seen + rest).decode("utf-8", "replace")
    from core.store import Store
    from core.extract import extract
    with Store.open(db) as store:
        ids = store.notice_ids()
        whole = all(len(store.get_notice(i)["problems"]) == len(extract(store.get_notice(i)["text"])["problems"])
                    for i in ids)
    from tests.drills.support import integrity
    drill.observed(f"exit {proc.returncode}; last stderr line {err.strip().splitlines()[-1]!r}; "
                   f"{len(ids)} whole notices: {whole}; integrity {integrity(db)}")
    assert proc.returncode == 130 and err.strip().endswith("已取消") and "Traceback" not in err
    assert 3 <= len(ids) < 120 and whole and integrity(db) == "ok"
    drill.lost_data(False)
