"""Writing a ledger file into place: a temporary name beside the target, moved in when whole."""
from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from core.errors import Cancelled, ExportError, TargetInUseError


def _checked_list(notices, cancelled):
    notices = list(notices)
    if not notices:
        raise ExportError("没有要导出的通报")
    if cancelled and cancelled():
        raise Cancelled()
    return notices


def _report(progress, done, total):
    if progress:
        progress(done, total)


# ---------------------------------------------------------------- writing into place
TEMP_PREFIX = ".~zgtz-"
STALE_SECONDS = 3600  # a temporary file this old was left by an export that was killed
IN_USE = "文件正被其他程序（如 Excel、WPS、LibreOffice）打开，请关闭后再导出"
DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def _check_target(target: Path) -> None:
    if target.is_dir():
        raise ExportError("这是一个文件夹，请给出要导出的文件名（如 整改台账.xlsx）", path=str(target))
    if not target.parent.is_dir():
        raise ExportError("目标文件夹不存在", path=str(target.parent))
    # LibreOffice and Excel leave lock files beside a document they have open.
    if (target.parent / f".~lock.{target.name}#").exists() or (target.parent / f"~${target.name}").exists():
        raise TargetInUseError(IN_USE, path=str(target))
    if target.exists():
        if not target.stat().st_mode & stat.S_IWUSR:
            raise ExportError("目标文件是只读的，请另选文件名，或先去掉它的只读属性", path=str(target))
        try:  # Windows refuses to open a file another program holds
            with open(target, "r+b"):
                pass
        except PermissionError as exc:
            raise TargetInUseError(IN_USE, path=str(target)) from exc


def clean_stale_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files that killed exports left in ``folder`` (older than an hour,
    so an export running at the same time keeps its own)."""
    now = time.time() if now is None else now
    removed = []
    try:
        candidates = list(folder.glob(TEMP_PREFIX + "*"))
    except OSError:
        return removed
    for path in candidates:
        try:
            if path.is_file() and now - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def _write_error(exc: OSError, target: Path) -> ExportError:
    if exc.errno in DISK_FULL:
        return ExportError("磁盘空间不足，台账没有写完；原有的文件没有改动，请腾出空间后再导出", path=str(target))
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError("没有在这个文件夹里写文件的权限，请换一个文件夹", path=str(target.parent))
    return ExportError(f"无法写入文件（{exc.strerror or exc}）", path=str(target))


@contextmanager
def _replacing(target):
    """Yields a temporary path beside ``target``; moves it into place only if the block succeeds.
    A failed write (disk full, no permission) is an ExportError and leaves the old file as it was."""
    target = Path(target)
    _check_target(target)
    clean_stale_temporaries(target.parent)
    try:
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise _write_error(exc, target) from exc
    tmp = Path(name)
    try:
        try:
            yield tmp
        except OSError as exc:
            raise _write_error(exc, target) from exc
        # mkstemp makes the file private (0600); a ledger gets the permissions of any new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise TargetInUseError("文件正被其他程序打开，请关闭后再导出", path=str(target)) from exc
        except OSError as exc:
            raise _write_error(exc, target) from exc
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
