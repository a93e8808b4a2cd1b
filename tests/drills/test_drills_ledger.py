"""Failure drills of the ledger export (issue 11: items 8, 10, 11, 18)."""
import errno
import os
import shutil
import subprocess
import time

import openpyxl
import pytest

from core import ledger
from core.cli import main
from core.errors import ExportError
from core.store import Store
from tests.gui.notices import make_extraction
from tests.ledger_records import make_notice


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "d.sqlite3"
    with Store.open(path) as store:
        store.add_extraction(make_extraction(problems=3, measures=2, tag="甲"))
    return path


def _one_line(err):
    lines = [l for l in err.strip().splitlines() if l.strip() and not l.startswith("\r导出")]
    return lines[-1] if lines else ""


def _mount_tmpfs(folder, size="2m"):
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True)
    return done.returncode == 0


def test_disk_full_during_export_on_a_real_tmpfs(drill, tmp_path, capsys):
    drill.case("export of 200 notices into a 2 MB tmpfs that already holds last week's ledger",
               expected="one Chinese line (磁盘空间不足), the old workbook byte-for-byte intact, no temporary file left")
    folder = tmp_path / "small"
    if not _mount_tmpfs(folder):
        drill.observed("tmpfs could not be mounted here (not root): covered by the injected ENOSPC drill")
        pytest.skip("cannot mount a tmpfs here")
    try:
        target = folder / "台账.xlsx"
        ledger.export_workbook([make_notice(1)], target)
        old = target.read_bytes()
        filler = folder / "filler"
        filler.write_bytes(b"\0" * (2 * 2**20 - len(old) - 60 * 1024))  # leave ~60 KB free
        notices = [make_notice(i, problems=30, measures=3) for i in range(1, 201)]
        with pytest.raises(ExportError) as info:
            ledger.export_workbook(notices, target)
        message = str(info.value)
        intact = target.read_bytes() == old
        leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".~zgtz-")]
        drill.observed(f"ExportError: {message}; old workbook intact: {intact}; temporary files left: {leftovers}")
        assert "磁盘空间不足" in message and intact and not leftovers
        drill.lost_data(not intact)
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_disk_full_injected(drill, tmp_path, monkeypatch, capsys, db, fmt):
    drill.case(f"ENOSPC while writing the {fmt} export through the command line (injected)",
               expected="exit 2, one line 磁盘空间不足, the previous file unchanged, no temporary file")
    target = tmp_path / f"台账.{fmt}"
    target.write_bytes(b"previous export")
    real_open = open

    def full(*args, **kwargs):
        path = str(args[0]) if args else ""
        if ".~zgtz-" in path and any(m in str(args[1:2]) + str(kwargs.get("mode", "")) for m in ("w", "a")):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(*args, **kwargs)

    monkeypatch.setattr("builtins.open", full)
    code = main(["export", "1", "-o", str(target), "--db", str(db)])
    monkeypatch.undo()
    line = _one_line(capsys.readouterr().err)
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".~zgtz-")]
    drill.observed(f"exit {code}; stderr: {line}; previous file intact: {target.read_bytes() == b'previous export'}; "
                   f"temporary files: {left}")
    assert code == 2 and "磁盘空间不足" in line and target.read_bytes() == b"previous export" and not left
    drill.lost_data(False)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_noncharacters_and_controls_in_every_writer(drill, tmp_path, fmt):
    drill.case(f"U+FFFE, U+FFFF, NUL, a lone surrogate and control characters in a notice and an edit, exported as {fmt}",
               expected="the file is written and readable; the forbidden characters are gone, the rest kept")
    notice = make_notice(1, problems=2)
    notice["title"] = "通报\ufffe标题\uffff"
    notice["problems"][0]["title"] = "问题\x00一\x07"
    notice["problems"][1]["remark"] = "备注\ud800二\x1b"
    logs = {1: [{"id": 1, "at": "2026-01-02T09:00:00", "reviewer": "王\ufffe五", "entity": "problem", "row_id": 1001,
                 "field": "title", "old": "旧\uffff", "new": "新\x00", "action": "update_field", "undone": False}]}
    target = ledger.export([notice], tmp_path / f"x.{fmt}", profile="工作版", edit_logs=logs)
    raw = target.read_bytes()
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(target)
        text = "".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    else:
        text = raw.decode("utf-8-sig")
    bad = [ch for ch in ("\ufffe", "\uffff", "\x00", "\x07", "\x1b") if ch in text]
    drill.observed(f"written {len(raw)} bytes; forbidden characters left: {bad!r}; 问题一 kept: {'问题一' in text}")
    assert not bad and "问题一" in text and "备注二" in text
    assert fmt == "xlsx" or bytes(1) not in raw
    drill.lost_data(False)


def test_export_to_a_folder_path(drill, tmp_path, capsys, db):
    drill.case("export -o pointing at an existing folder", expected="exit 2, one line naming it a folder")
    folder = tmp_path / "台账.xlsx"
    folder.mkdir()
    code = main(["export", "1", "-o", str(folder), "--db", str(db)])
    line = _one_line(capsys.readouterr().err)
    drill.observed(f"exit {code}; stderr: {line}")
    assert code == 2 and "文件夹" in line and line.startswith("错误：")
    drill.lost_data(False)


def test_export_into_a_read_only_folder(drill, tmp_path, capsys, db, monkeypatch):
    drill.case("export into a folder the user may not write (chmod 555; refused mkstemp when run as root)",
               expected="exit 2, one line about permission, not 'open in Excel'")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: the refusal is injected
        import tempfile

        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        code = main(["export", "1", "-o", str(folder / "台账.xlsx"), "--db", str(db)])
    finally:
        folder.chmod(0o755)
    line = _one_line(capsys.readouterr().err)
    drill.observed(f"exit {code}; stderr: {line}")
    assert code == 2 and "权限" in line and "打开" not in line
    drill.lost_data(False)


def test_read_only_target_file_is_not_reported_as_open(drill, tmp_path, capsys, db):
    drill.case("export over a read-only 台账.xlsx (not open anywhere)",
               expected="exit 2, one line saying the file is read-only; the file unchanged")
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o444)
    code = main(["export", "1", "-o", str(target), "--db", str(db)])
    line = _one_line(capsys.readouterr().err)
    drill.observed(f"exit {code}; stderr: {line}")
    target.chmod(0o644)
    assert code == 2 and "只读" in line and "打开" not in line and target.read_bytes() == b"old"
    drill.lost_data(False)


def test_stale_temporary_files_of_a_killed_export_are_cleaned(drill, tmp_path, db):
    drill.case("a hidden .~zgtz-*.xlsx left by an export killed yesterday, and one of an export running now",
               expected="the next export removes yesterday's file and leaves the running one")
    stale = tmp_path / ".~zgtz-abc123.xlsx"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 86400, time.time() - 86400))
    fresh = tmp_path / ".~zgtz-def456.xlsx"
    fresh.write_bytes(b"running")
    assert main(["export", "1", "-o", str(tmp_path / "台账.xlsx"), "--db", str(db)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".~zgtz-"))
    drill.observed(f"temporary files after the export: {names}")
    assert names == [fresh.name]
    drill.lost_data(False)


def test_killed_export_leaves_the_old_file_and_a_temp_the_next_export_removes(drill, tmp_path, db):
    drill.case("kill -9 of `export --all` while it writes, then a second export an hour later",
               expected="the old workbook intact after the kill; the second export cleans the leftover")
    target = tmp_path / "台账.xlsx"
    assert main(["export", "1", "-o", str(target), "--db", str(db)]) == 0
    old = target.read_bytes()
    code = ("import sys, time; sys.path.insert(0, %r)\n"
            "from core.ledger import files\n"
            "from tests.ledger_records import make_notice\n"
            "from core import ledger\n"
            "real = files.os.replace\n"
            "def slow(a, b):\n    print('ready', flush=True); time.sleep(60)\n"
            "files.os.replace = slow\n"
            "ledger.export_workbook([make_notice(1)], %r)\n") % (os.getcwd(), str(target))
    proc = subprocess.Popen([os.sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    proc.kill()
    proc.wait()
    proc.stdout.close()
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".~zgtz-")]
    intact = target.read_bytes() == old
    for p in left:
        os.utime(p, (time.time() - 7200, time.time() - 7200))
    assert main(["export", "1", "-o", str(target), "--db", str(db)]) == 0
    after = [p.name for p in tmp_path.iterdir() if p.name.startswith(".~zgtz-")]
    drill.observed(f"after the kill: old file intact {intact}, leftovers {[p.name for p in left]}; "
                   f"after the next export: {after}")
    assert intact and len(left) == 1 and after == []
    drill.lost_data(not intact)


def test_csv_has_no_nul_bytes(drill, tmp_path):
    drill.case("a NUL byte inside a problem title, exported as CSV", expected="no NUL byte in the file")
    notice = make_notice(1, problems=1)
    notice["problems"][0]["title"] = "标题\x00内容"
    raw = ledger.export_csv([notice], tmp_path / "a.csv").read_bytes()
    nuls = raw.count(bytes(1))
    drill.observed(f"NUL bytes in the CSV: {nuls}")
    assert b"\x00" not in raw and "标题内容".encode() in raw
    drill.lost_data(False)


def test_repeated_ids_export_a_notice_once(drill, tmp_path, capsys, db):
    drill.case("export 1 1 1 -o 台账.xlsx", expected="notice 1 exported once")
    assert main(["export", "1", "1", "1", "-o", str(tmp_path / "a.xlsx"), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    sheets = openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames
    drill.observed(f"stdout: {out.strip()}; sheets: {sheets}")
    assert "已导出 1 份通报" in out and sheets == ["中共甲区委", "台账标识"]
    drill.lost_data(False)
