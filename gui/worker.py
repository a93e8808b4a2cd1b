"""Long work off the UI thread: a QRunnable that opens its own Store and reports through signals.

``job(store, progress, cancelled)`` is any core function shaped like ``importer.import_paths``;
the worker never touches widgets. An expected error (``core.errors.ExpectedError``) comes back
as ``failed(message)`` for the window to show; anything else is a bug: it goes to
``sys.excepthook`` (the log and the crash dialog once ``gui/crash_dialog.py`` is installed) and
``failed("")`` tells the waiting window the job is over with nothing more to show.
"""
from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, QRunnable, Signal

from core.errors import ExpectedError


class WorkerSignals(QObject):
    progress = Signal(int, int)    # done, total
    finished = Signal(object)      # the job's return value
    failed = Signal(str)           # an expected error's Chinese message; "" after a bug


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
        from core.store import Store   # after the first paint: the store loads sqlite-utils

        try:
            store = Store.open(self.db_path)
            try:
                result = self.job(store, self.signals.progress.emit, self.cancelled)
            finally:
                store.close()
        except ExpectedError as exc:
            self.signals.failed.emit(str(exc))
        except Exception:  # a bug: the log and the crash dialog, never a message box
            sys.excepthook(*sys.exc_info())
            self.signals.failed.emit("")
        else:
            self.signals.finished.emit(result)
