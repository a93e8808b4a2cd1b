"""Importing a scan from the window: the import dialog follows OCR page by page, cancel stops
between pages and keeps nothing of the file, the window keeps handling events meanwhile.

The fast tests fake the OCR engine at ``core.ingest.ocr.page_lines`` (the scan is a real
image-only PDF, rendered page by page by PDFium); the slow one reads a real scan by OCR."""
import shutil
import threading
import time

import pytest
from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from core.ingest import ocr
from core.store import Store
from gui.import_runner import CANCELLING
from tests.format_files import GENRE
from tests.gui.notices import open_window

PAGES = 4
NOTICE = GENRE / "03_xuncha_guanyu_pcn.txt"   # six problems


def _scan(path, pages=PAGES):
    """An image-only PDF of blank pages: no text layer, so the PDF reader hands it to OCR."""
    images = [Image.new("RGB", (310, 438), "white") for _ in range(pages)]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=37.5)
    return path


def _fake_ocr(monkeypatch, *, seconds=0.0, gate=None, reading=None):
    """Page k of the scan reads as the k-th part of a notice; with ``gate``, pages after the
    first set ``reading`` and wait for the gate (the test cancels meanwhile)."""
    text = [line.strip() for line in NOTICE.read_text(encoding="utf-8").split("\n") if line.strip()]
    parts = [text[len(text) * k // PAGES:len(text) * (k + 1) // PAGES] for k in range(PAGES)]
    read = []

    def page_lines(image):
        k = len(read)
        read.append(image.shape)
        if gate is not None and k >= 1:
            reading.set()
            assert gate.wait(10)
        time.sleep(seconds)
        return [{"text": t, "x0": 100, "x1": 100 + 20 * len(t), "top": 100 + 40 * i, "bottom": 120 + 40 * i,
                 "chars": [{"x0": 100 + 20 * c, "x1": 120 + 20 * c} for c in range(len(t))],
                 "score": 0.99, "probabilities": [0.99] * len(t)} for i, t in enumerate(parts[k])]

    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "page_lines", page_lines)
    return read


def _watch_pages(window):
    """(page, pages, the dialog's label) for each page signal, read after the runner's own slot."""
    seen = []

    def record(path, page, pages):
        dialog = window.runner.progress_dialog
        seen.append((page, pages, dialog.labelText() if dialog else None))

    window.runner.page_signals.page.connect(record)
    return seen


def test_a_scan_import_reports_its_pages_and_the_window_stays_responsive(qtbot, tmp_path, monkeypatch):
    read = _fake_ocr(monkeypatch, seconds=0.25)
    scan = _scan(tmp_path / "扫描件.pdf")
    window = open_window(qtbot, tmp_path / "t.sqlite3")
    seen = _watch_pages(window)
    ticks = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    pages_at = []
    window.runner.page_signals.page.connect(lambda *_: pages_at.append(time.perf_counter()))
    window.start_import([str(scan)])
    qtbot.waitUntil(lambda: not window.workers, timeout=30000)
    timer.stop()
    assert len(read) == PAGES
    assert [(page, pages) for page, pages, _ in seen] == [(k, PAGES) for k in range(PAGES + 1)]
    assert "扫描件.pdf：第 2/4 页" in seen[1][2] and "（0/1）" in seen[1][2]
    # the window's event loop ran all along the OCR (four pages of 0.25 s each, a 20 ms timer):
    # it turned between every two pages; counted, not timed
    between = [sum(a < t < b for t in ticks) for a, b in zip(pages_at, pages_at[1:])]
    assert len(between) == PAGES and all(between), between
    notice = window.store.get_notice(window.store.notice_ids()[0])
    assert len(notice["problems"]) == 6
    assert any("OCR" in w for w in notice["warnings"])


def test_cancel_between_pages_keeps_nothing_of_the_scan(qtbot, tmp_path, monkeypatch):
    gate, reading = threading.Event(), threading.Event()
    read = _fake_ocr(monkeypatch, gate=gate, reading=reading)
    scan = _scan(tmp_path / "扫描件.pdf")
    window = open_window(qtbot, tmp_path / "t.sqlite3")
    seen = _watch_pages(window)
    cancelled = []

    def cancel_on_second_page(path, page, pages):
        if page == 1 and not cancelled:  # the first page is read, the second is being read
            cancelled.append(page)
            assert reading.wait(10)  # the worker is inside the second page
            window.runner.progress_dialog.findChild(QPushButton).click()
            assert window.statusBar().currentMessage() == CANCELLING
            gate.set()

    window.runner.page_signals.page.connect(cancel_on_second_page)
    window.start_import([str(scan)])
    qtbot.waitUntil(lambda: not window.workers, timeout=30000)
    assert cancelled and len(read) == 2          # stopped after the page it was reading
    assert [page for page, *_ in seen] == [0, 1, 2]
    assert "已取消" in window.statusBar().currentMessage()
    assert window.runner.progress_dialog is None
    with Store.open(tmp_path / "t.sqlite3") as store:
        assert store.notice_ids() == []             # nothing half-stored


@pytest.mark.slow
@pytest.mark.skipif(not ocr.available(), reason="rapidocr-onnxruntime is not installed")
def test_a_real_scan_imports_page_by_page(qtbot, tmp_path):
    from tests.format_files import has_soffice, make_scans

    if not (has_soffice() and shutil.which("pdftoppm")):
        pytest.skip("LibreOffice and pdftoppm make the scan")
    scan, pages = make_scans(NOTICE, tmp_path / "scan")
    window = open_window(qtbot, tmp_path / "t.sqlite3")
    seen = _watch_pages(window)
    window.start_import([str(scan)])
    qtbot.waitUntil(lambda: not window.workers, timeout=300000)
    assert [(page, total) for page, total, _ in seen] == [(k, len(pages)) for k in range(len(pages) + 1)]
    notice = window.store.get_notice(window.store.notice_ids()[0])
    assert len(notice["problems"]) == 6
