"""Where the program keeps its files: data, cache, logs and backups.

Everything comes from platformdirs, with two overrides:
- ``ZGTZ_HOME``: one folder that holds data/, cache/, logs/ and backups/ (tests and portable use);
- ``ZGTZ_DB``: the database file itself (the command line's ``--db`` wins over both).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "ZhenggaiTaizhang"
APP_AUTHOR = "ZhenggaiTaizhang"
DB_FILENAME = "taizhang.sqlite3"


def _home_override() -> Path | None:
    home = os.environ.get("ZGTZ_HOME")
    return Path(home).expanduser() if home else None


def _dirs():
    import platformdirs

    return platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR, roaming=False)


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    home = _home_override()
    return _ensure(home / "data" if home else Path(_dirs().user_data_dir))


def cache_dir() -> Path:
    home = _home_override()
    return _ensure(home / "cache" if home else Path(_dirs().user_cache_dir))


def log_dir() -> Path:
    home = _home_override()
    return _ensure(home / "logs" if home else Path(_dirs().user_log_dir))


def backup_dir() -> Path:
    return _ensure(data_dir() / "backups")


def evidence_dir() -> Path:
    """Files a reviewer attaches to a problem (佐证材料) are copied here."""
    return _ensure(data_dir() / "evidence")


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
