"""Long work off the UI thread: a QRunnable that opens its own Store and reports through signals.

``job(store, progress, cancelled)`` is any core function shaped like ``importer.import_paths``;
the worker never touches widgets.
"""
from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QRunnable, Signal

log = logging.getLogger(__name__)


class WorkerSignals(QObject):
    progress = Signal(int, int)    # done, total
    finished = Signal(object)      # the job's return value
    failed = Signal(str)           # a Chinese message


class Worker(QRunnable):
    def __init__(self, db_path, job):
        super().__init__()
        self.db_path = db_path
        self.job = job
        self.signals = WorkerSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        from core.errors import ExpectedError
        from core.store import Store

        try:
            store = Store.open(self.db_path)
            try:
                result = self.job(store, self.signals.progress.emit, self.cancelled)
            finally:
                store.close()
        except ExpectedError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a bug: log it and tell the window instead of dying silently
            log.exception("background job failed")
            self.signals.failed.emit(f"后台任务出错：{exc}")
        else:
            self.signals.finished.emit(result)
