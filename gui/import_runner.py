"""Background work for the window: the thread pool, the running workers and the import's
cancellable progress dialog.

One worker at a time, in the order started: the first-run sample is in before the files named
on the command line, and writers never wait on each other's locks.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QThreadPool
from PySide6.QtWidgets import QProgressDialog

from gui.worker import Worker

PROGRESS_DELAY_MS = 300   # the progress dialog appears only for imports that take longer


class ImportRunner(QObject):
    """``show_failure(title, message)`` shows a worker's expected failure when the caller
    passes no ``on_failed`` of its own; ``parent`` is the window the progress dialog sits on."""

    def __init__(self, parent, show_failure):
        super().__init__(parent)
        self._window = parent
        self._show_failure = show_failure
        self.db_path = None            # set once the window's store is open
        self.workers: set[Worker] = set()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.progress_dialog: QProgressDialog | None = None   # while an import runs

    def run(self, job, on_done, on_failed=None, *, failure_title: str = "导入失败") -> Worker:
        """Run ``job(store, progress, cancelled)`` in a worker with its own Store; a failure
        is shown under ``failure_title`` unless ``on_failed(message)`` takes it."""
        worker = Worker(self.db_path, job)
        self.workers.add(worker)

        def finished(result):
            self._done(worker)
            on_done(result)

        def failed(message):
            self._done(worker)
            if on_failed:
                on_failed(message)
            else:
                self._show_failure(failure_title, message)

        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        self.pool.start(worker)
        return worker

    def import_paths(self, paths: list[str], on_done) -> Worker:
        """Import files/folders with a cancellable progress dialog; ``on_done(report)``."""
        from core.importer import import_paths   # after the first paint: it loads the extractor

        def job(store, progress, cancelled):
            return import_paths(store, paths, progress=progress, cancelled=cancelled)

        dialog = QProgressDialog("正在导入通报…", "取消", 0, 0, self._window)
        dialog.setWindowTitle("导入")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        worker = self.run(job, on_done)
        dialog.canceled.connect(worker.cancel)
        worker.signals.progress.connect(self._progress)
        return worker

    def _progress(self, done: int, total: int) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setMaximum(total)
            self.progress_dialog.setValue(done)
            self.progress_dialog.setLabelText(f"正在导入通报…（{done}/{total}）")

    def _done(self, worker: Worker) -> None:
        self.workers.discard(worker)
        if self.progress_dialog is not None and not self.workers:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def shutdown(self) -> None:
        """Cancel every worker and wait for them (the window is closing)."""
        for worker in list(self.workers):
            worker.cancel()
        self.pool.waitForDone()
