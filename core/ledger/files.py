"""Writing a ledger file into place: a temporary name beside the target, moved in when whole."""
from __future__ import annotations

import os
import tempfile
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
def _check_not_in_use(target: Path) -> None:
    if not target.parent.is_dir():
        raise ExportError("目标文件夹不存在", path=str(target.parent))
    in_use = TargetInUseError("文件正被其他程序（如 Excel、WPS、LibreOffice）打开，请关闭后再导出", path=str(target))
    # LibreOffice and Excel leave lock files beside a document they have open.
    if (target.parent / f".~lock.{target.name}#").exists() or (target.parent / f"~${target.name}").exists():
        raise in_use
    if target.exists():
        try:  # Windows refuses to open a file another program holds
            with open(target, "r+b"):
                pass
        except PermissionError as exc:
            raise in_use from exc


@contextmanager
def _replacing(target):
    """Yields a temporary path beside ``target``; moves it into place only if the block succeeds."""
    target = Path(target)
    _check_not_in_use(target)
    fd, name = tempfile.mkstemp(prefix=".~zgtz-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp makes the file private (0600); a ledger gets the permissions of any new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise TargetInUseError("文件正被其他程序打开，请关闭后再导出", path=str(target)) from exc
    finally:
        tmp.unlink(missing_ok=True)

