"""Helpers for the failure drills: run main.py as a user would, build databases, mount a small
or read-only file system (tmpfs / bind mounts, where the machine allows it; else the drill
skips with the reason), damage files."""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from core import paths

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = paths.sample_notice_path().read_text(encoding="utf-8")
CJK = re.compile(r"[\u4e00-\u9fff]")


def notice_text(i: int) -> str:
    return SAMPLE + f"\n副本编号：{i}\n"


def write_notices(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(start, start + count):
        path = folder / f"n{i:03d}.txt"
        path.write_text(notice_text(i), encoding="utf-8")
        made.append(path)
    return made


def make_db(path: Path, count: int = 1) -> Path:
    from core.importer import import_text
    from core.store import Store

    store = Store.open(path)
    try:
        for i in range(count):
            import_text(store, notice_text(1000 + i))
    finally:
        store.close()
    return path


def cli(*args, home: Path, env: dict | None = None, timeout: float = 300, **kwargs):
    """``python main.py ARGS`` in a fresh process; returns the CompletedProcess (text)."""
    full_env = {**os.environ, "ZGTZ_HOME": str(home), "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("ZGTZ_DB", None)
    return subprocess.run([sys.executable, "main.py", *map(str, args)], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout, **kwargs)


def popen(*args, home: Path, env: dict | None = None, **kwargs):
    full_env = {**os.environ, "ZGTZ_HOME": str(home), "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("ZGTZ_DB", None)
    return subprocess.Popen([sys.executable, "main.py", *map(str, args)], cwd=ROOT, env=full_env, **kwargs)


def one_line(stderr: str) -> str:
    """The single Chinese error line a refusal must be; fails on a traceback or on silence."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert lines, "no message at all"
    assert len(lines) == 1, stderr
    assert CJK.search(lines[0]), lines[0]
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def integrity(path: Path) -> str:
    con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def notice_count(path: Path) -> int:
    con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM notices").fetchone()[0]
    finally:
        con.close()


def flip_middle(path: Path, size: int = 4096) -> None:
    """Overwrite ``size`` bytes in the middle of the file with garbage (a damaged disk block)."""
    data = bytearray(Path(path).read_bytes())
    mid = len(data) // 2
    data[mid:mid + size] = os.urandom(min(size, len(data) - mid))
    Path(path).write_bytes(bytes(data))


def _run(*cmd) -> bool:
    return subprocess.run(cmd, capture_output=True).returncode == 0


@contextlib.contextmanager
def tmpfs(folder: Path, size: str = "2m"):
    """A small tmpfs mounted on ``folder`` (a full disk on demand); skips where mounting fails."""
    folder.mkdir(parents=True, exist_ok=True)
    if not _run("mount", "-t", "tmpfs", "-o", f"size={size}", f"zgtz-{uuid.uuid4().hex[:6]}", str(folder)):
        pytest.skip("cannot mount a tmpfs here (needs root); the disk-full drill needs one")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@contextlib.contextmanager
def read_only(folder: Path):
    """``folder`` made read-only for everyone, root included (a read-only bind mount)."""
    if not (_run("mount", "--bind", str(folder), str(folder))
            and _run("mount", "-o", "remount,ro,bind", str(folder))):
        subprocess.run(["umount", str(folder)], capture_output=True)
        pytest.skip("cannot make a read-only bind mount here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path) -> None:
    """Fill the file system holding ``folder`` until it is full."""
    with open(folder / "filler.bin", "wb", buffering=0) as f:
        for chunk in (65536, 4096, 512, 1):
            try:
                while f.write(b"\0" * chunk):
                    pass
            except OSError:
                pass
