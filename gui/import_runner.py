"""Bringing notices in, off the UI thread: the file and folder dialogs, pasting, the first-run
sample, the day's backup; the thread pool, the running workers and the import's cancellable
progress dialog (file by file, and page by page for a file read by OCR).

One worker at a time, in the order started: the first-run sample is in before the files named
on the command line, and writers never wait on each other's locks.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog

from gui.file_dialogs import choose_notice_folder, open_notice_files
from gui.messages import show_error
from gui.worker import Worker

PROGRESS_DELAY_MS = 300   # the progress dialog appears only for imports that take longer
STATUS_MS = 5000          # a status-bar note
REPORT_MS = 8000          # an import report in the status bar

SAMPLE_HINT = ("已载入示例通报：在中间的表格中逐条核对问题和整改措施，右侧原文标出了所选项的位置。"
               "双击单元格可修改，Ctrl+Enter 标记已核对并转到下一项。"
               "导入自己的通报：把文件拖进窗口，或用“文件 → 打开文件”。")


def import_summary(report, is_sample=lambda notice_id: False) -> str:
    """The status-bar line after an import; a file that is the first-run sample is said to be."""
    parts = [f"导入 {len(report.imported)} 份通报"]
    samples = [Path(path).name for path, notice_id in report.duplicates if is_sample(notice_id)]
    if len(report.duplicates) > len(samples):
        parts.append(f"{len(report.duplicates) - len(samples)} 份已导入过")
    for name in samples:
        parts.append(f"{name} 就是启动时载入的示例通报，已打开它")
    if report.cancelled:
        parts.append("已取消，其余文件未导入")
    return "，".join(parts)


CANCELLING = "正在取消导入…（读完当前一页后停止，未读完的文件不保存）"
PAGE_STEPS = 100   # the progress bar's steps per file: a file read by OCR moves it page by page


def progress_text(done: int, total: int, page: tuple[str, int, int] | None = None) -> str:
    """The import dialog's label: files done, and the page OCR is reading in the current file."""
    text = f"正在导入通报…（{done}/{total}）"
    if page:
        name, read, pages = page
        text += f"\n正在识别（OCR）{name}：第 {min(read + 1, pages)}/{pages} 页"
    return text


class PageSignals(QObject):
    """The pages of a file read by OCR, from the worker thread to the window's."""
    page = Signal(str, int, int)   # path, pages read, pages


class ImportRunner(QObject):
    """Runs jobs for ``window`` (a MainWindow: it shows what came in and any failure)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.db_path = None            # set once the window's store is open
        self.workers: set[Worker] = set()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.progress_dialog: QProgressDialog | None = None   # while an import runs
        self.page_signals = PageSignals(self)
        self.page_signals.page.connect(self._page_progress)
        self._files = (0, 0)                             # files done, files
        self._page: tuple[str, int, int] | None = None   # the file OCR is reading: name, pages read, pages

    # --- running jobs -------------------------------------------------------------------
    def run(self, job, on_done, *, failure_title: str | None = None, on_failed=None) -> Worker:
        """Run ``job(store, progress, cancelled)`` in a worker with its own Store. An expected
        failure goes to ``on_failed(message)`` if given, else to a message box titled
        ``failure_title``; a bug goes to the log and the crash dialog (``gui/worker.py``)."""
        worker = Worker(self.db_path, job)
        self.workers.add(worker)

        def finished(result):
            self._done(worker)
            on_done(result)

        def failed(message):
            self._done(worker)
            if not message:   # a bug: the crash dialog has it
                return
            if on_failed:
                on_failed(message)
            else:
                show_error(self.window, failure_title, message)

        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        self.pool.start(worker)
        return worker

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

    # --- files and folders --------------------------------------------------------------
    def open_files(self) -> None:
        paths = open_notice_files(self.window, self.window.settings)
        if paths:
            self.import_paths(paths)

    def import_folder(self) -> None:
        folder = choose_notice_folder(self.window, self.window.settings)
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str]) -> Worker:
        """Import files/folders with a cancellable progress dialog."""
        from core.importer import import_paths   # after the first paint: it loads the extractor

        emit_page = self.page_signals.page.emit

        def job(store, progress, cancelled):
            return import_paths(store, paths, progress=progress, cancelled=cancelled,
                                page_progress=lambda path, page, pages: emit_page(str(path), page, pages))

        dialog = QProgressDialog("正在导入通报…", "取消", 0, 0, self.window)
        dialog.setWindowTitle("导入")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        self._files, self._page = (0, 0), None
        worker = self.run(job, self._imported, failure_title="导入失败")
        dialog.canceled.connect(worker.cancel)
        # the worker stops between pages (OCR) or files: nothing of the file it was reading is kept
        # (the dialog hides at once; the status bar says what happens until the report replaces it)
        dialog.canceled.connect(lambda: self.window.statusBar().showMessage(CANCELLING))
        worker.signals.progress.connect(self._progress)
        return worker

    def _progress(self, done: int, total: int) -> None:
        self._files, self._page = (done, total), None
        self._show_progress()

    def _page_progress(self, path: str, page: int, pages: int) -> None:
        self._page = (Path(path).name, page, pages)
        self._show_progress()

    def _show_progress(self) -> None:
        dialog = self.progress_dialog
        if dialog is None or dialog.wasCanceled():
            return
        (done, total), page = self._files, self._page
        dialog.setLabelText(progress_text(done, total, page))
        dialog.setMaximum(total * PAGE_STEPS)
        value = done * PAGE_STEPS + (page[1] * PAGE_STEPS // page[2] if page and page[2] else 0)
        # last: a window-modal dialog's setValue runs the event loop, where the import may
        # finish and close the dialog
        dialog.setValue(min(value, total * PAGE_STEPS))

    def _imported(self, report) -> None:
        window = self.window
        window.refresh_notices()
        if report.imported:
            window.hint_banner.hide()   # the first-run hint ends with the user's own first notice
        if report.imported or report.duplicates:
            window.show_notice((report.imported or report.duplicates)[-1][1])
        window.statusBar().showMessage(import_summary(report, self._is_sample), REPORT_MS)
        if report.failed:
            lines = "\n".join(f"{Path(path).name}：{message}" for path, message in report.failed)
            show_error(window, "部分文件无法导入", f"以下文件无法导入：\n{lines}")
        window.dialogs.offer_duplicates([notice_id for _path, notice_id in report.imported])

    def _is_sample(self, notice_id: int) -> bool:
        from core.paths import sample_notice_path

        source = (self.window.store.get_notice(notice_id) or {}).get("source") or {}
        return bool(source.get("path")) and Path(source["path"]).name == sample_notice_path().name

    # --- pasted text ----------------------------------------------------------------------
    def paste(self) -> Worker | None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            show_error(self.window, "无法粘贴", "剪贴板中没有文字。请先在网页或文档中复制通报全文。")
            return None
        from core.importer import import_text

        return self.run(lambda store, progress, cancelled: import_text(store, text), self._pasted,
                        failure_title="粘贴失败")

    def _pasted(self, result) -> None:
        notice_id, duplicate = result
        window = self.window
        window.hint_banner.hide()
        window.refresh_notices()
        window.show_notice(notice_id)
        window.statusBar().showMessage("该通报已导入过，已打开原记录" if duplicate else "已导入剪贴板中的通报", STATUS_MS)
        if not duplicate:
            window.dialogs.offer_duplicates([notice_id])

    # --- start-up jobs ------------------------------------------------------------------
    def backup(self) -> Worker:
        """The day's backup of the database (at most one a day); silent unless it fails."""
        from core.backup import rolling_backup

        return self.run(
            lambda store, progress, cancelled: rolling_backup(store.path), lambda _made: None,
            on_failed=lambda message: self.window.statusBar().showMessage(f"自动备份数据库失败：{message}"))

    def sample(self) -> Worker | None:
        """First run (no notices yet): import the sample notice (it loads jieba), then show it
        with a hint of what to do next."""
        if self.window.notice_model.ids():
            return None
        from core.importer import ensure_sample

        return self.run(lambda store, progress, cancelled: ensure_sample(store), self._sample_imported,
                        failure_title="无法导入示例通报")

    def _sample_imported(self, notice_id: int | None) -> None:
        if notice_id is None:
            return
        window = self.window
        window.refresh_notices()
        if window.notice is None:
            window.show_notice(notice_id)
        window.hint_banner.show_hint(SAMPLE_HINT)
