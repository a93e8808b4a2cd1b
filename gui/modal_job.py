"""One piece of long work behind a window-modal progress dialog: the work runs in a ``Worker``
on a pool of its own while a local event loop keeps the window painting; ``run()`` returns the
job's result (None when it failed or was cancelled) and ``error`` holds an expected error's
message ("" after a bug, which the worker already sent to the crash dialog).

Used by 导出台账 and 合并回填台账; the import has its own runner (per-file progress and a
result summary).
"""
from __future__ import annotations

from PySide6.QtCore import QEventLoop, QObject, Qt, QThreadPool
from PySide6.QtWidgets import QProgressDialog, QWidget

from gui.worker import Worker


class ModalJob(QObject):
    def __init__(self, parent: QWidget | None, db_path, job, *, title: str, label: str,
                 cancel_text: str | None = None, total: int = 0):
        super().__init__(parent)
        self.result = None
        self.error: str | None = None
        self.loop = QEventLoop(self)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.dialog = QProgressDialog(label, cancel_text, 0, total, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.worker = Worker(db_path, job)
        self.worker.signals.progress.connect(self._progress)
        self.worker.signals.finished.connect(self._finished)
        self.worker.signals.failed.connect(self._failed)
        if cancel_text:
            self.dialog.canceled.connect(self._cancel)

    def run(self):
        self.pool.start(self.worker)
        self.loop.exec()
        self.pool.waitForDone()
        self.dialog.close()
        self.dialog.deleteLater()
        return self.result

    def _progress(self, done: int, total: int) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)

    def _cancel(self) -> None:
        self.dialog.setLabelText("正在取消…")
        self.worker.cancel()

    def _finished(self, result) -> None:
        self.result = result
        self.loop.quit()

    def _failed(self, message: str) -> None:
        self.error = message
        self.loop.quit()
