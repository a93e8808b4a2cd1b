"""What a database file is, found out read-only, before anything writes to it.

``inspect(path)`` tells a database of this program (marked with ``APPLICATION_ID`` in its header,
or — written before the mark existed — holding this program's migration records) from another
application's SQLite file (``NotOurDatabaseError``), a file that is not SQLite at all or is
truncated or damaged (``DatabaseCorruptError``: a wiped header looks like any other file) and
one written by a newer version. Used by the store before opening, and by backups before copying
and after writing. Every refusal is a ``StoreError`` subclass with one Chinese line.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import (DatabaseBusyError, DatabaseCorruptError, DiskFullError, NewerSchemaError,
                         NotOurDatabaseError, ReadOnlyDatabaseError, StoreError)
from core.store_schema import MIGRATION_SET

# PRAGMA application_id of every database this program writes: "ZGTZ" as a 32-bit integer.
APPLICATION_ID = 0x5A47545A
SQLITE_HEADER = b"SQLite format 3\x00"
READ_ONLY = "数据库是只读的（文件、所在文件夹或磁盘不可写），只能查看，不能修改"


def _is_busy(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def translate(exc: sqlite3.Error, path) -> StoreError | None:
    """The ``StoreError`` for an SQLite failure a user can act on; None for anything else (a bug)."""
    text = str(exc).lower()
    where = str(path) if path else None
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFullError("磁盘空间已满，这次修改没有保存（之前保存的内容完好），请腾出空间后再试",
                             path=where)
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(READ_ONLY, path=where)
    if _is_busy(exc):
        return DatabaseBusyError("数据库正被其他程序占用，等待后仍未释放，请关闭占用它的程序后再试",
                                 path=where)
    if "malformed" in text or "not a database" in text:
        return DatabaseCorruptError("数据库文件已损坏，请从备份恢复（backup --list 列出备份）", path=where)
    if "disk i/o error" in text or "unable to open" in text:
        return StoreError("读写数据库文件时出错（磁盘故障，或文件已被移走）", path=where)
    return None


@contextlib.contextmanager
def translated(path):
    try:
        yield
    except sqlite3.Error as exc:
        mapped = translate(exc, path)
        if mapped is None:
            raise
        raise mapped from exc


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

    Raises ``NotOurDatabaseError`` (another application's SQLite database or a folder),
    ``DatabaseCorruptError`` (not SQLite, damaged or truncated), ``DatabaseBusyError`` or
    ``StoreError`` (cannot be read)."""
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
    if not header.startswith(SQLITE_HEADER):  # another kind of file, or a header wiped out
        raise DatabaseCorruptError("不是数据库文件（或文件头已损坏），未作任何改动；"
                                   "如果它本是台账数据库，请从备份恢复", path=str(path))
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
        mapped = translate(exc, path)
        if isinstance(mapped, DatabaseCorruptError) or mapped is None and not isinstance(exc, sqlite3.OperationalError):
            raise DatabaseCorruptError("数据库文件已损坏或不完整，请从备份恢复（backup --list 列出备份）",
                                       path=str(path)) from None
        raise (mapped or StoreError(f"无法读取数据库（{exc}）", path=str(path))) from None
    finally:
        conn.close()
    if not tables:
        info.exists = False  # an empty SQLite file: a new database
    return info


def refuse_newer(info: DbInfo, known: list[str], what: str = "数据库") -> None:
    if info.newer(known):
        raise NewerSchemaError(
            f"这个{what}由更新版本的整改台账助手创建，当前版本无法使用，请升级程序", path=str(info.path))
