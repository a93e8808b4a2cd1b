"""Opening the store's database: the read-only check, the instance lock, the connection, the
migrations (serialised between processes), and SQLite's failures turned into ``StoreError``s.

- ``core.dbfile.inspect`` looks at the file first without writing: another application's SQLite
  file, a file that is not a database, a damaged or truncated one, a newer schema are refused
  untouched.
- A database that cannot be written (read-only file, folder or disk) opens read-only when it
  needs no migration: reading works, every change raises ``ReadOnlyDatabaseError`` saying why.
- Every write transaction is ``BEGIN IMMEDIATE`` (``StoreDatabase.atomic``): while another
  process holds the write lock it waits, reporting ``on_wait(waited, limit)`` about once a
  second, up to ``ZGTZ_BUSY_WAIT`` seconds (default 30), then raises ``DatabaseBusyError``.
  Migrations run inside one such transaction, so two processes opening a new database take
  turns, and the second finds nothing left to do.
- SQLite's "locked", "disk is full", "read-only" and "malformed" errors become
  ``DatabaseBusyError``, ``DiskFullError``, ``ReadOnlyDatabaseError`` and
  ``DatabaseCorruptError`` wherever the store meets them, so callers show a message, never a
  crash. The transaction is rolled back: nothing half-written stays.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from pathlib import Path

from sqlite_utils import Database

from core import dbfile, paths
from core.dbfile import READ_ONLY, _is_busy, translate, translated  # noqa: F401  (public here too)
from core.errors import DatabaseLockedError, ReadOnlyDatabaseError, StoreError
from core.store_schema import MIGRATIONS, known_migrations

BUSY_WAIT_ENV = "ZGTZ_BUSY_WAIT"
DEFAULT_BUSY_WAIT = 30.0
BUSY_STEP_MS = 1000  # SQLite's own wait per attempt; between attempts on_wait is called

def busy_wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(BUSY_WAIT_ENV, DEFAULT_BUSY_WAIT)))
    except ValueError:
        return DEFAULT_BUSY_WAIT


class StoreDatabase(Database):
    """sqlite-utils' Database with waiting write transactions and translated errors."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False):
        self.path = path  # before Database.__init__, which already executes
        self.read_only = read_only
        super().__init__(conn)
        self.busy_wait = busy_wait_seconds()
        self.on_wait = None  # on_wait(waited_seconds, limit_seconds) while another process writes

    def execute(self, sql, parameters=None):
        try:  # a plain try, not a context manager: this runs for every statement
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            mapped = translate(exc, self.path)
            if mapped is None:
                raise
            raise mapped from exc

    @contextlib.contextmanager
    def atomic(self):
        if self.conn.in_transaction:  # nested: a savepoint, as in sqlite-utils
            with translated(self.path), super().atomic():
                yield self
            return
        if self.read_only:
            raise ReadOnlyDatabaseError(READ_ONLY, path=str(self.path))
        with translated(self.path):
            self._begin()
            try:
                yield self
            except BaseException:
                self.rollback()
                raise
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise

    def _begin(self) -> None:
        """BEGIN IMMEDIATE: take the write lock now, waiting for another writer to finish."""
        self.retry(lambda: self.conn.execute("BEGIN IMMEDIATE"))

    def retry(self, action):
        start = time.monotonic()
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - start
                if not _is_busy(exc) or waited >= self.busy_wait:
                    raise
                if self.on_wait:
                    self.on_wait(waited, self.busy_wait)


class _InstanceLock:
    """An OS lock on ``<db>.lock``, held while the window has the database open."""

    def __init__(self, db_path: Path):
        try:
            self._file = open(str(db_path) + ".lock", "a+b")
        except OSError as exc:
            raise StoreError(f"无法在数据库旁创建锁文件：{paths.os_reason(exc)}", path=str(db_path)) from None
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


def _backup_before_migration(path: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = paths.backup_dir() / f"{path.stem}-pre-migration-{stamp}{path.suffix or '.sqlite3'}"
    src = dbfile.connect_readonly(path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()
    return target


def _migrate(db: StoreDatabase, path: Path) -> None:
    """Apply pending migrations and mark the file as ours, in one write transaction: a second
    process opening the same new database waits here, then finds nothing to do."""
    with db.atomic():
        applied = {m.name for m in MIGRATIONS.applied(db)}
        if applied and set(known_migrations()) - applied:
            _backup_before_migration(path)  # an existing database of ours, about to change
        MIGRATIONS.apply(db)
        if db.execute("PRAGMA application_id").fetchone()[0] != dbfile.APPLICATION_ID:
            db.execute(f"PRAGMA application_id = {dbfile.APPLICATION_ID}")


def _enable_wal(db: StoreDatabase) -> None:
    if db.retry(lambda: db.conn.execute("PRAGMA journal_mode").fetchone()[0]) != "wal":
        db.retry(lambda: db.conn.execute("PRAGMA journal_mode = wal").fetchone())


def _connect(path: Path, *, read_only: bool) -> StoreDatabase:
    conn = dbfile.connect_readonly(path) if read_only else sqlite3.connect(str(path))
    db = StoreDatabase(conn, path, read_only=read_only)
    db.execute(f"PRAGMA busy_timeout = {BUSY_STEP_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def open_database(path: Path, *, exclusive: bool, on_wait=None) -> tuple[StoreDatabase, _InstanceLock | None]:
    """Check, connect and migrate ``path``; ``exclusive`` takes the instance lock first.

    ``on_wait(waited, limit)`` is called while another process holds the write lock."""
    if not path.parent.exists():
        paths.ensure_dir(path.parent)
    info = dbfile.inspect(path)
    known = known_migrations()
    dbfile.refuse_newer(info, known)
    if not info.writable:
        if not info.exists:
            raise ReadOnlyDatabaseError("数据库所在的文件夹或磁盘是只读的，无法在这里创建数据库", path=str(path))
        if info.pending(known):
            raise ReadOnlyDatabaseError("这个数据库需要升级才能打开，但它是只读的：请把它复制到可写的位置再打开",
                                        path=str(path))
        db = _connect(path, read_only=True)
        db.on_wait = on_wait
        return db, None
    lock = _InstanceLock(path) if exclusive else None
    db = None
    try:
        with translated(path):
            db = _connect(path, read_only=False)
        db.on_wait = on_wait
        with translated(path):
            _enable_wal(db)
        if not info.exists or info.pending(known) or info.application_id != dbfile.APPLICATION_ID:
            _migrate(db, path)
    except BaseException:
        if db is not None:
            db.close()
        if lock:
            lock.release()
        raise
    return db, lock
