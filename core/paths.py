"""Where the program keeps its files: data, cache, logs and backups.

A folder that cannot be created raises ``DataFolderError`` (one Chinese line), never an OSError.
Everything comes from platformdirs, with two overrides:
- ``ZGTZ_HOME``: one folder that holds data/, cache/, logs/ and backups/ (tests and portable use);
- ``ZGTZ_DB``: the database file itself (the command line's ``--db`` wins over both).
"""
from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from core.errors import DataFolderError

APP_NAME = "ZhenggaiTaizhang"
APP_AUTHOR = "ZhenggaiTaizhang"
DB_FILENAME = "taizhang.sqlite3"


def _home_override() -> Path | None:
    home = os.environ.get("ZGTZ_HOME")
    return Path(home).expanduser() if home else None


def _dirs():
    import platformdirs

    return platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR, roaming=False)


def ensure_dir(path: Path) -> Path:
    """Create the folder if needed; a folder that cannot be made is one clear line, naming why.

    An existing folder that is read-only is returned as it is: reading still works there, and
    whatever writes says why when it does."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise DataFolderError(f"无法创建文件夹：{_blocker(path)}是一个文件，不是文件夹{_hint()}",
                              path=str(path)) from None
    except OSError as exc:
        raise DataFolderError(f"无法创建文件夹：{os_reason(exc)}{_hint()}", path=str(path)) from None
    return path


def writable_dir(path: Path) -> Path:
    """``ensure_dir``, then prove a file can be made there (a read-only folder or disk, no
    permission): else ``DataFolderError`` naming the folder and why."""
    import tempfile

    ensure_dir(path)
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise DataFolderError(f"无法在文件夹中写入文件：{os_reason(exc)}{_hint()}", path=str(path)) from None
    return path


def check_window_folders() -> None:
    """The folders the window writes to from its first moment: the data folder (its settings,
    the default database) and the log folder. Raises ``DataFolderError``."""
    writable_dir(data_dir())
    writable_dir(log_dir())


def os_reason(exc: OSError) -> str:
    """A Chinese reason for the common ways a file operation fails."""
    reasons = {errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.EROFS: "所在磁盘是只读的",
               errno.ENOSPC: "磁盘空间已满", errno.EDQUOT: "磁盘配额已用完",
               errno.ENOENT: "文件或文件夹不存在", errno.EISDIR: "这是一个文件夹",
               errno.ENOTDIR: "路径中有一部分不是文件夹"}
    return reasons.get(exc.errno) or f"系统错误（{exc.strerror or exc}）"


def _hint() -> str:
    return "（请检查环境变量 ZGTZ_HOME）" if os.environ.get("ZGTZ_HOME") else ""


def _blocker(path: Path) -> str:
    """The first part of ``path`` that exists and is not a folder (what stops mkdir)."""
    for part in (path, *path.parents):
        if part.exists() and not part.is_dir():
            return f"“{part}”"
    return "路径中的某一部分"


def data_dir() -> Path:
    home = _home_override()
    return ensure_dir(home / "data" if home else Path(_dirs().user_data_dir))


def cache_dir() -> Path:
    home = _home_override()
    return ensure_dir(home / "cache" if home else Path(_dirs().user_cache_dir))


def log_dir() -> Path:
    home = _home_override()
    return ensure_dir(home / "logs" if home else Path(_dirs().user_log_dir))


def backup_dir() -> Path:
    return ensure_dir(data_dir() / "backups")


def evidence_dir() -> Path:
    """Files a reviewer attaches to a problem (佐证材料) are copied here."""
    return ensure_dir(data_dir() / "evidence")


def default_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: ``explicit`` (``--db``), else ``ZGTZ_DB``, else the data folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("ZGTZ_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``, both from a source checkout and in a PyInstaller build."""
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parent.parent
    return root.joinpath("resources", *parts)


def sample_notice_path() -> Path:
    return resource_path("sample", "sample_notice.txt")
