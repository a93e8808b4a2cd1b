"""Opening the store's database: the instance lock, the read-only integrity and schema check,
the backup before a migration, then the connection with its pragmas and the migrations applied."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from core import paths
from core.errors import DatabaseCorruptError, DatabaseLockedError, NewerSchemaError
from core.store_schema import MIGRATION_SET, MIGRATIONS, known_migrations


class _InstanceLock:
    """An OS lock on ``<db>.lock``, held while the window has the database open."""

    def __init__(self, db_path: Path):
        self._file = open(str(db_path) + ".lock", "a+b")
        try:
            if os.name == "nt":
                import msvcrt

                self._file.seek(0)
                msvcrt.locking(self._file.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._file.close()
            raise DatabaseLockedError(
                "数据库正被另一个整改台账助手窗口使用，请先关闭那个窗口再打开。", path=str(db_path)
            ) from None

    def release(self) -> None:
        if os.name == "nt":
            import msvcrt

            self._file.seek(0)
            msvcrt.locking(self._file.fileno(), msvcrt.LK_UNLCK, 1)
        self._file.close()


def _pending_migrations(path: Path) -> list[str]:
    """Check an existing file read-only: integrity and schema version. Returns what is pending."""
    known = known_migrations()
    if not path.exists() or path.stat().st_size == 0:
        return known
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseCorruptError(f"无法打开数据库：{exc}", path=str(path)) from None
    try:
        if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            raise DatabaseCorruptError("数据库文件已损坏，请从备份恢复。", path=str(path))
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_sqlite_migrations'"
        ).fetchone()
        applied = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set=?", [MIGRATION_SET]
        )] if has_table else []
    except sqlite3.DatabaseError:
        raise DatabaseCorruptError("数据库文件已损坏或不是本程序的数据库。", path=str(path)) from None
    finally:
        conn.close()
    if set(applied) - set(known):
        raise NewerSchemaError(
            "这个数据库由更新版本的整改台账助手创建，当前版本无法打开，请升级程序。", path=str(path)
        )
    return [name for name in known if name not in applied]


def _backup_before_migration(path: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = paths.backup_dir() / f"{path.stem}-pre-migration-{stamp}{path.suffix or '.sqlite3'}"
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def open_database(path: Path, *, exclusive: bool) -> tuple[Database, _InstanceLock | None]:
    """Check, back up if a migration is pending, connect and migrate ``path``.

    ``exclusive`` takes the instance lock first (released again if anything fails)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = _InstanceLock(path) if exclusive else None
    try:
        pending = _pending_migrations(path)
        if pending and path.exists() and pending != known_migrations():
            _backup_before_migration(path)
        db = Database(path)
        db.execute("PRAGMA busy_timeout = 5000")
        db.execute("PRAGMA foreign_keys = ON")
        db.enable_wal()
        MIGRATIONS.apply(db)
    except BaseException:
        if lock:
            lock.release()
        raise
    return db, lock
