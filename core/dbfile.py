"""What a database file is, found out read-only, before anything writes to it.

``inspect(path)`` tells a database of this program (marked with ``APPLICATION_ID`` in its header,
or — written before the mark existed — holding this program's migration records) from another
application's SQLite file, a file that is not SQLite at all, a truncated or damaged one and one
written by a newer version. Used by the store before opening, and by backups before copying
and after writing. Every refusal is a ``StoreError`` subclass with one Chinese line.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import (DatabaseBusyError, DatabaseCorruptError, NewerSchemaError,
                         NotOurDatabaseError, StoreError)
from core.store_schema import MIGRATION_SET

# PRAGMA application_id of every database this program writes: "ZGTZ" as a 32-bit integer.
APPLICATION_ID = 0x5A47545A
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass
class DbInfo:
    path: Path
    exists: bool                                  # holds a database (not missing, not 0 bytes)
    applied: list[str] = field(default_factory=list)
    application_id: int = 0
    writable: bool = True                         # the file and its folder can be written

    def pending(self, known: list[str]) -> list[str]:
        return [name for name in known if name not in self.applied]

    def newer(self, known: list[str]) -> list[str]:
        return [name for name in self.applied if name not in known]


def writable(path: Path) -> bool:
    """Whether SQLite can write ``path``: the file (if any) and its folder (journal, WAL)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that can never write ``path`` or create files beside it.

    ``mode=ro`` normally; in a folder that cannot be written (where a WAL database could not get
    its shared-memory file) ``immutable=1``, which reads the file as it is."""
    uri = path.resolve().as_uri()
    if writable(path):
        return sqlite3.connect(f"{uri}?mode=ro", uri=True)
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)


def inspect(path, *, check: bool = True) -> DbInfo:
    """Look at ``path`` without writing to it. ``check`` runs SQLite's quick_check.

    Raises ``NotOurDatabaseError`` (not SQLite, or another application's database),
    ``DatabaseCorruptError`` (damaged or truncated) or ``StoreError`` (cannot be read)."""
    path = Path(path)
    info = DbInfo(path, exists=False, writable=writable(path))
    try:
        if path.is_dir():
            raise NotOurDatabaseError("这是一个文件夹，不是数据库文件", path=str(path))
        if not path.exists() or path.stat().st_size == 0:
            return info
        with open(path, "rb") as f:
            header = f.read(100)
    except PermissionError:
        raise StoreError("没有读取数据库文件的权限", path=str(path)) from None
    except OSError as exc:
        raise StoreError(f"无法读取数据库文件（{exc.strerror or exc}）", path=str(path)) from None
    if not header.startswith(SQLITE_HEADER):
        raise NotOurDatabaseError("不是整改台账助手的数据库（不是 SQLite 数据库文件），未作任何改动",
                                  path=str(path))
    if len(header) < 100:
        raise DatabaseCorruptError("数据库文件不完整（被截断），请从备份恢复", path=str(path))
    info.exists = True
    try:
        conn = connect_readonly(path)
    except sqlite3.Error as exc:
        raise StoreError(f"无法打开数据库（{exc}）", path=str(path)) from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        info.application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if "_sqlite_migrations" in tables:
            info.applied = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                [MIGRATION_SET])]
        ours = info.application_id == APPLICATION_ID or (info.application_id == 0 and info.applied)
        if not ours and (tables or info.application_id):
            raise NotOurDatabaseError("这是其他程序的 SQLite 数据库，不是整改台账助手的数据库，未作任何改动",
                                      path=str(path))
        if check and conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            raise DatabaseCorruptError("数据库文件已损坏，请从备份恢复（backup --list 列出备份）",
                                       path=str(path))
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusyError("数据库正被其他程序占用，请稍后再试", path=str(path)) from None
        raise DatabaseCorruptError("数据库文件已损坏或不完整，请从备份恢复（backup --list 列出备份）",
                                   path=str(path)) from None
    finally:
        conn.close()
    if not tables:
        info.exists = False  # an empty SQLite file: a new database
    return info


def refuse_newer(info: DbInfo, known: list[str], what: str = "数据库") -> None:
    if info.newer(known):
        raise NewerSchemaError(
            f"这个{what}由更新版本的整改台账助手创建，当前版本无法使用，请升级程序", path=str(info.path))
