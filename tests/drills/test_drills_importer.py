"""Drills on importing folders: unreadable parts, files that break the reader, files that vanish,
a full disk, a cache that cannot be written."""
import os
from pathlib import Path

import pytest

from core import importer
from core.cli import main
from core.store import Store
from tests.drills.support import cli, fill, integrity, notice_count, one_line, tmpfs, write_notices


def _deny(monkeypatch, folder: Path):
    """``folder`` cannot be listed: chmod 000, and (root ignores modes) a PermissionError injected."""
    folder.chmod(0)
    real = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and Path(os.fsdecode(path)).resolve() == folder.resolve():
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_subfolder_is_reported(drill, tmp_path, capsys, monkeypatch):
    drill.case("a folder import where one subfolder cannot be read (no permission)",
               expected="the other files imported; the subfolder named in a 失败 line; exit 1")
    root = tmp_path / "in"
    write_notices(root, 2)
    secret = root / "secret"
    write_notices(secret, 1, start=10)
    db = tmp_path / "t.sqlite3"
    _deny(monkeypatch, secret)
    try:
        code = main(["import", str(root), "--db", str(db)])
    finally:
        secret.chmod(0o755)
    out = capsys.readouterr().out
    failed = [line for line in out.splitlines() if line.startswith("失败")]
    drill.observed(f"exit {code}; {out.splitlines()[-1]}; {failed}")
    assert code == 1 and notice_count(db) == 2 and len(failed) == 1 and str(secret) in failed[0]
    assert "无法读取" in failed[0]
    drill.lost_data(False)


@pytest.mark.parametrize("fault", [RuntimeError("boom"), MemoryError(), RecursionError()])
def test_a_file_that_breaks_the_extractor(drill, tmp_path, monkeypatch, fault):
    name = type(fault).__name__
    drill.case(f"the 2nd of 3 files makes the extractor raise {name}",
               expected="files 1 and 3 imported; file 2 in report.failed with a Chinese reason")
    files = write_notices(tmp_path / "in", 3)
    real = importer.extract_ingested

    def extract(ingested):
        if ingested.text.rstrip().endswith("副本编号：1"):
            raise fault
        return real(ingested)

    monkeypatch.setattr(importer, "extract_ingested", extract)
    with Store.open(tmp_path / "t.sqlite3") as store:
        report = importer.import_paths(store, [tmp_path / "in"])
    drill.observed(f"imported {len(report.imported)}, failed {[(p.name, m) for p, m in report.failed]}")
    assert [p for p, _ in report.imported] == [files[0], files[2]]
    assert [p for p, _ in report.failed] == [files[1]] and "已跳过" in report.failed[0][1]
    drill.lost_data(False)


def test_file_vanishes_during_the_import(drill, tmp_path):
    drill.case("a file of the folder is deleted after the folder was listed, before it is read",
               expected="reported as failed; the others imported")
    files = write_notices(tmp_path / "in", 3)

    def progress(done, total):
        if done == 1:
            files[1].unlink()

    with Store.open(tmp_path / "t.sqlite3") as store:
        report = importer.import_paths(store, [tmp_path / "in"], progress=progress)
    drill.observed(f"imported {len(report.imported)}; failed {[(p.name, m) for p, m in report.failed]}")
    assert len(report.imported) == 2 and [p for p, _ in report.failed] == [files[1]]
    drill.lost_data(False)


def test_symlink_loop_and_odd_entries(drill, tmp_path):
    drill.case("a folder holding a symlink loop, a dangling .txt link, a folder named x.txt and a "
               "Word lock file ~$a.docx", expected="finishes; the one real notice imported")
    root = tmp_path / "in"
    write_notices(root, 1)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    (root / "x.txt").mkdir()
    (root / "~$a.docx").write_bytes(b"\0" * 162)
    with Store.open(tmp_path / "t.sqlite3") as store:
        report = importer.import_paths(store, [root])
    drill.observed(f"imported {len(report.imported)}, failed {len(report.failed)}")
    assert len(report.imported) == 1 and report.failed == []
    drill.lost_data(False)


def test_jieba_cache_on_a_full_disk(drill, tmp_path):
    drill.case("first run with the cache folder on a full 2 MB tmpfs (jieba cannot write its cache)",
               expected="`extract` works, nothing on stderr, no temporary file left in the cache folder")
    home = tmp_path / "home"
    notice = write_notices(tmp_path / "in", 1)[0]
    with tmpfs(home / "cache"):
        fill(home / "cache")
        res = cli("extract", notice, home=home)
        left = sorted(p.name for p in (home / "cache").iterdir() if p.name != "filler.bin")
    drill.observed(f"exit {res.returncode}; stderr {res.stderr.strip()[:100]!r}; left in cache: {left}")
    assert res.returncode == 0 and res.stdout.startswith("标题：") and res.stderr.strip() == ""
    assert left == []
    drill.lost_data(False)


def test_disk_full_during_import(drill, tmp_path):
    drill.case("`import` of 40 notices into a database on a 2 MB tmpfs (the disk fills up mid-way)",
               expected="one line naming the full disk after the finished files are listed; the "
                        "notices imported before stay whole; integrity ok")
    home = tmp_path / "home"
    folder = tmp_path / "in"
    write_notices(folder, 40)
    mnt = tmp_path / "disk"
    with tmpfs(mnt, size="2m"):
        db = mnt / "t.sqlite3"
        res = cli("import", folder, "--db", db, home=home)
        stored = notice_count(db)
        listed = sum(line.startswith("已导入") for line in res.stdout.splitlines())
        ok = integrity(db)
        with Store.open(db) as store:
            whole = all(store.get_notice(i)["problems"] for i in store.notice_ids())
        line = one_line("\n".join(x for x in res.stderr.splitlines() if not x.startswith("进度")))
    drill.observed(f"exit {res.returncode}; “{line}”; {listed} listed as imported, {stored} stored; "
                   f"integrity {ok}")
    assert res.returncode == 2 and "磁盘空间已满" in line
    assert 0 < stored == listed < 40 and ok == "ok" and whole
    drill.lost_data(False)
