"""Backups of the database with SQLite's online backup API, and restoring one.

A backup is ``backup_dir()/<db stem>-YYYYmmdd-HHMMSS.sqlite3``; the backup API copies a
consistent snapshot even while another connection is writing (WAL included).
"""
from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

from core import paths
from core.errors import StoreError

# Tables every database written by core/store.py has; a file without them is not ours.
REQUIRED_TABLES = frozenset({"notices", "problems", "measures"})


def _pattern(db_path: Path) -> re.Pattern:
    return re.compile(re.escape(db_path.stem) + r"-(\d{8})-(\d{6})(?:_(\d+))?\.sqlite3")


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup_now(db_path) -> Path:
    """Copy the database into the backup folder now; returns the backup's path."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise StoreError("数据库文件不存在，无法备份", path=str(db_path))
    name = f"{db_path.stem}-{datetime.now():%Y%m%d-%H%M%S}"
    target = paths.backup_dir() / f"{name}.sqlite3"
    n = 1
    while target.exists():  # two backups within one second
        n += 1
        target = target.with_name(f"{name}_{n}.sqlite3")
    _copy(db_path, target)
    return target


def list_backups(db_path) -> list[Path]:
    """The backups of this database, newest first."""
    pattern = _pattern(Path(db_path))
    found = []
    for path in paths.backup_dir().iterdir():
        match = pattern.fullmatch(path.name)
        if match:
            found.append(((match[1], match[2], int(match[3] or 1)), path))
    return [path for _, path in sorted(found, reverse=True)]


def rolling_backup(db_path, keep: int = 7) -> Path | None:
    """At most one backup a day, keeping the newest ``keep``; None when nothing was written."""
    db_path = Path(db_path)
    if not db_path.is_file():
        return None
    today = f"{db_path.stem}-{datetime.now():%Y%m%d}-"
    if any(p.name.startswith(today) for p in list_backups(db_path)):
        return None
    made = backup_now(db_path)
    for old in list_backups(db_path)[keep:]:
        old.unlink()
    return made


def _check_ours(path: Path) -> None:
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in con.execute("select name from sqlite_master where type = 'table'")}
            ok = con.execute("pragma quick_check").fetchone()[0] == "ok"
        finally:
            con.close()
    except sqlite3.DatabaseError:
        tables, ok = set(), False
    if not ok or not REQUIRED_TABLES <= tables:
        raise StoreError("不是本程序的数据库备份，或文件已损坏，未恢复", path=str(path))


def restore(backup_path, db_path) -> Path | None:
    """Replace the database with a backup; the current database is backed up first.

    Returns the backup of the replaced database (None when there was none). The caller
    closes its own connections before calling this.
    """
    backup_path, db_path = Path(backup_path), Path(db_path)
    if not backup_path.is_file():
        raise StoreError("备份文件不存在", path=str(backup_path))
    _check_ours(backup_path)
    saved = backup_now(db_path) if db_path.is_file() else None
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup_path, db_path)
    return saved
