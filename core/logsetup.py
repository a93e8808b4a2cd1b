"""The program's log: a rotating file in the log folder, and warnings on stderr.

``setup_logging()`` is called once at start-up by the window (and may be called again: it
never adds a second set of handlers). It returns the log file's path for the crash dialog.
"""
from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from core import paths

LOG_FILENAME = "app.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

# Marks the handlers this module installed, so a second call can recognise them.
_MARK = "_zgtz_handler"


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to ``log_dir()/app.log`` (1 MB × 5 files) and WARNING and above to stderr."""
    log_path = paths.log_dir() / LOG_FILENAME
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == log_path:
            return log_path
        # The log folder moved (another ZGTZ_HOME): replace our handlers.
        root.removeHandler(handler)
        handler.close()

    formatter = logging.Formatter(FORMAT)
    file_handler = RotatingFileHandler(
        log_path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    file_handler.setFormatter(formatter)
    file_handler.setLevel(level)
    handlers = [file_handler]
    if sys.stderr is not None:  # a windowed build on Windows has no stderr
        stderr_handler = logging.StreamHandler(sys.stderr)
        stderr_handler.setFormatter(formatter)
        stderr_handler.setLevel(logging.WARNING)
        handlers.append(stderr_handler)
    for handler in handlers:
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(level)
    return log_path
