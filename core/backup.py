"""Backups of the database with SQLite's online backup API, and restoring one.

A backup is ``backup_dir()/<db stem>-YYYYmmdd-HHMMSS.sqlite3``; the backup API copies a
consistent snapshot even while another connection is writing (WAL included).

A backup is only ever taken of a database that passes the check (``core.dbfile.inspect``),
is written under a hidden ``.partial`` name, checked again, and only then given its name; a
failed one leaves nothing behind. So every listed backup is a good one, and the daily rotation
(which deletes only after the new backup is in place) never removes the last good one.
"""
from __future__ import annotations

import errno
import logging
import os
import re
import secrets
import shutil
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from core import dbfile, paths
from core.errors import (DatabaseCorruptError, DiskFullError, NewerSchemaError,
                         NotOurDatabaseError, StoreError)

log = logging.getLogger(__name__)
PARTIAL_SUFFIX = ".partial"
STALE_PARTIAL_SECONDS = 3600


def _pattern(db_path: Path) -> re.Pattern:
    return re.compile(re.escape(db_path.stem) + r"-(\d{8})-(\d{6})(?:_(\d+))?\.sqlite3")


def _copy(source: Path, target: Path) -> None:
    src = dbfile.connect_readonly(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # a standalone file, no -wal beside it
    finally:
        dst.close()
        src.close()


def _failed(exc: Exception, what: str) -> StoreError:
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text:
        return DiskFullError(f"磁盘空间已满，{what}未完成（已有的备份和数据库未改动）")
    if isinstance(exc, OSError):
        return StoreError(f"{what}失败：{paths.os_reason(exc)}（已有的备份和数据库未改动）")
    return StoreError(f"{what}失败（{exc}），已有的备份和数据库未改动")


def backup_now(db_path) -> Path:
    """Copy the database into the backup folder now; returns the backup's path.

    Refuses (``DatabaseCorruptError``, ``NotOurDatabaseError``) a database that fails the check:
    a damaged copy must never take the place of a good backup."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise StoreError("数据库文件不存在，无法备份", path=str(db_path))
    try:
        if not dbfile.inspect(db_path).exists:
            raise StoreError("数据库还是空的，没有需要备份的内容", path=str(db_path))
    except DatabaseCorruptError:
        raise DatabaseCorruptError("数据库文件已损坏，未备份（已有的备份保持不变），请从备份恢复",
                                   path=str(db_path)) from None
    name = f"{db_path.stem}-{datetime.now():%Y%m%d-%H%M%S}"
    folder = paths.backup_dir()
    # private to this call: two processes backing up in the same second never share a file
    partial = folder / f".{name}-{os.getpid()}-{secrets.token_hex(3)}{PARTIAL_SUFFIX}"
    try:
        _copy(db_path, partial)
        dbfile.inspect(partial)  # verified before it may count as a backup
        return _publish(partial, folder, name)
    except (sqlite3.Error, OSError, StoreError) as exc:
        log.warning("backup of %s failed: %s", db_path, exc)
        raise _failed(exc, "备份") from None
    finally:
        partial.unlink(missing_ok=True)


def _publish(partial: Path, folder: Path, name: str) -> Path:
    """Give the verified copy the first free name (``name.sqlite3``, ``name_2.sqlite3``, …),
    never replacing a backup another process published in the same second."""
    n = 1
    while True:
        target = folder / (f"{name}.sqlite3" if n == 1 else f"{name}_{n}.sqlite3")
        try:
            os.link(partial, target)
            return target
        except FileExistsError:
            n += 1
        except OSError:  # no hard links on this file system
            if not target.exists():
                os.replace(partial, target)
                return target
            n += 1


def list_backups(db_path) -> list[Path]:
    """The backups of this database, newest first (empty files left by old versions are not backups)."""
    pattern = _pattern(Path(db_path))
    found = []
    for path in paths.backup_dir().iterdir():
        match = pattern.fullmatch(path.name)
        if match and path.is_file() and path.stat().st_size > 0:
            found.append(((match[1], match[2], int(match[3] or 1)), path))
    return [path for _, path in sorted(found, reverse=True)]


def rolling_backup(db_path, keep: int = 7) -> Path | None:
    """At most one backup a day, keeping the newest ``keep`` (at least one); None when nothing
    was written. Old backups are deleted only after the new one was written and verified."""
    db_path = Path(db_path)
    if not db_path.is_file() or not dbfile.inspect(db_path, check=False).exists:
        return None  # nothing stored yet (missing, 0 bytes, or an SQLite file without tables)
    today = f"{db_path.stem}-{datetime.now():%Y%m%d}-"
    if any(p.name.startswith(today) for p in list_backups(db_path)):
        return None
    made = backup_now(db_path)
    for old in list_backups(db_path)[max(keep, 1):]:
        old.unlink()
    _clean_leftovers(db_path)
    return made


def _clean_leftovers(db_path: Path) -> None:
    """Empty backups of old versions, and ``.partial`` files of backups killed long ago."""
    pattern = _pattern(db_path)
    now = time.time()
    for path in paths.backup_dir().iterdir():
        try:
            if pattern.fullmatch(path.name) and path.is_file() and path.stat().st_size == 0:
                path.unlink()
            elif (path.name.startswith(f".{db_path.stem}-") and path.name.endswith(PARTIAL_SUFFIX)
                  and now - path.stat().st_mtime > STALE_PARTIAL_SECONDS):
                path.unlink()
        except OSError:
            pass


def _check_backup(path: Path) -> None:
    from core.store_schema import known_migrations

    try:
        info = dbfile.inspect(path)
    except NotOurDatabaseError:
        raise NotOurDatabaseError("不是整改台账助手的数据库备份，未恢复", path=str(path)) from None
    except DatabaseCorruptError:
        raise DatabaseCorruptError("备份文件已损坏或不完整，未恢复", path=str(path)) from None
    if not info.exists:
        raise StoreError("备份文件是空的，未恢复", path=str(path))
    if info.newer(known_migrations()):
        raise NewerSchemaError("这个备份由更新版本的整改台账助手创建，恢复后当前版本将无法打开，未恢复",
                               path=str(path))


def _set_aside(db_path: Path) -> Path | None:
    """Keep the database that is about to be replaced: a checked backup when it is sound,
    else its raw bytes (``<stem>-damaged-….sqlite3``, never rotated). None when there is none."""
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    try:
        return backup_now(db_path)
    except DatabaseCorruptError:
        target = paths.backup_dir() / f"{db_path.stem}-damaged-{datetime.now():%Y%m%d-%H%M%S-%f}.sqlite3"
        try:
            shutil.copyfile(db_path, target)
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise _failed(exc, "保存损坏的数据库") from None
        return target


def restore(backup_path, db_path) -> Path | None:
    """Replace the database with a backup; the current database is kept first.

    Refuses a backup that is not ours, damaged or from a newer version, and a target that is
    another application's database. Returns where the replaced database was kept (None when
    there was none). The caller closes its own connections before calling this."""
    backup_path, db_path = Path(backup_path), Path(db_path)
    if not backup_path.is_file():
        raise StoreError("备份文件不存在", path=str(backup_path))
    _check_backup(backup_path)
    damaged = False
    try:
        dbfile.inspect(db_path)
    except NotOurDatabaseError:
        raise NotOurDatabaseError("要替换的文件不是整改台账助手的数据库，未恢复", path=str(db_path)) from None
    except DatabaseCorruptError:
        damaged = True  # a damaged database is what restoring is for; its bytes are set aside
    saved = _set_aside(db_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        if damaged:
            _replace(backup_path, db_path)
        else:
            _copy(backup_path, db_path)  # through SQLite: a transaction, WAL readers stay consistent
    except (sqlite3.Error, OSError) as exc:
        raise _failed(exc, "恢复") from None
    return saved


def _replace(backup_path: Path, db_path: Path) -> None:
    """Put a copy of the backup in place of a damaged file (SQLite may not open it at all)."""
    temp = db_path.with_name(f".{db_path.name}.restoring")
    try:
        _copy(backup_path, temp)
        for extra in ("-wal", "-shm", "-journal"):  # the damaged file's, never to be replayed
            Path(f"{db_path}{extra}").unlink(missing_ok=True)
        os.replace(temp, db_path)
    finally:
        temp.unlink(missing_ok=True)
