"""Text from page images: scanned PDFs, phone photos and screenshots, by OCR on the CPU, offline.

RapidOCR (PP-OCR models on ONNX Runtime, shipped inside the ``rapidocr-onnxruntime`` wheel, so
nothing is downloaded at run time). A page is rendered at 150 dpi with PDFium; the text boxes
become lines in the shape the PDF reader's layout code takes (``pdf._drop_running_lines`` drops
headers, footers and page numbers, ``pdf._join_wrapped`` joins the lines the page width broke),
red text (a seal's) and steep boxes (a seal's ring of characters) are dropped, and the lines read
with low confidence come back as ``Ingested.uncertain`` spans.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from core.errors import Cancelled, UnreadableFileError
from core.ingest.pdf import lines_from_boxes

log = logging.getLogger(__name__)

DPI = 150
# Below this a recognised line is underlined in 原文 (scores of clean print are 0.95-1.0)
UNCERTAIN_BELOW = 0.85
MIN_SCORE = 0.5           # boxes below this are noise (speckles, rules, pictures)
MIN_DOCUMENT_CHARS = 20   # fewer recognised characters than this: not a document
MAX_IMAGE_PIXELS = 40_000_000
# Tuned on this 2-core machine (bench/ingest_bench.py --ocr): no angle classifier (scans and
# photos of notices are upright; the 1 degree skew of a scanner is read fine without it), one
# intra-op thread per model (no spinning threads that burn CPU on a busy machine), detection
# on the page scaled to at most 960 px on its long side, one line per recognition call (batches
# pad every line to the longest and, without ONNX Runtime's memory arena, cost twice the CPU).
ENGINE_OPTIONS = {
    "use_cls": False,
    "intra_op_num_threads": 1,
    "inter_op_num_threads": 1,
    "det_limit_type": "max",
    "det_limit_side_len": 960,
    "rec_batch_num": 1,
}

_engine = None
_engine_lock = threading.Lock()


def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def engine():
    """The one RapidOCR engine of the process (its sessions take a second to load)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            _engine = RapidOCR(**ENGINE_OPTIONS)
        return _engine


def read_pdf(path: Path, *, progress=None, cancelled=None):
    """OCR of every page of a PDF, in order; ``progress(page, pages)``, cancel between pages."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except Exception as exc:
        raise UnreadableFileError("PDF文件已损坏，无法读取") from exc
    try:
        total = len(document)
        pages = []
        if progress:
            progress(0, total)
        for number in range(total):
            if cancelled and cancelled():
                raise Cancelled()
            page = document[number]
            bitmap = page.render(scale=DPI / 72, grayscale=False)
            pages.append(page_lines(bitmap.to_numpy()[:, :, :3].copy()))
            page.close()
            if progress:
                progress(number + 1, total)
    finally:
        document.close()
    return _ingested(pages, "pdf")


def read_image(data: bytes, path: Path, *, progress=None, cancelled=None):
    """OCR of one photo or screenshot."""
    import cv2
    import numpy as np

    if not available():
        raise UnreadableFileError("图片需要文字识别(OCR)：请安装 rapidocr-onnxruntime 后再导入")
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise UnreadableFileError("图片文件已损坏或格式不受支持")
    if image.shape[0] * image.shape[1] > MAX_IMAGE_PIXELS:
        raise UnreadableFileError(f"图片过大（{image.shape[1]}×{image.shape[0]}像素），请缩小后再导入")
    if progress:
        progress(0, 1)
    if cancelled and cancelled():
        raise Cancelled()
    # Photos: scale a large one down so that a page's long side is about 150 dpi A4 (1754 px)
    long_side = max(image.shape[:2])
    if long_side > 2400:
        scale = 2000 / long_side
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    lines = page_lines(image)
    if progress:
        progress(1, 1)
    result = _ingested([lines], "image")
    result.warnings.insert(0, "图片中的文字由OCR识别，请对照原件核对（下划线处识别把握较低）")
    return result


def page_lines(image) -> list[dict]:
    """One page image (BGR array) -> its text lines, top to bottom, in pdfplumber's line shape
    (``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``chars``) plus ``score``."""
    import numpy as np

    boxes, _ = engine()(image)
    words = []
    for points, text, score in boxes or []:
        points = np.asarray(points, dtype=float)
        text = text.strip()
        if not text or float(score) < MIN_SCORE or _steep(points) or _red(image, points):
            continue
        x0, y0 = points.min(axis=0)
        x1, y1 = points.max(axis=0)
        words.append({"text": text, "x0": x0, "x1": x1, "top": y0, "bottom": y1, "score": float(score)})
    return lines_from_boxes(words)


def _steep(points) -> bool:
    """A box tilted more than 15 degrees: characters on a seal's ring, or a picture's edge."""
    import math

    (ax, ay), (bx, by) = points[0], points[1]
    return abs(math.degrees(math.atan2(by - ay, bx - ax))) > 15


def _red(image, points) -> bool:
    """Most inked pixels in the box are red: a seal (公章) printed over the text."""
    import numpy as np

    x0, y0 = np.maximum(points.min(axis=0).astype(int), 0)
    x1, y1 = points.max(axis=0).astype(int)
    crop = image[y0:y1 + 1, x0:x1 + 1].astype(int)
    if crop.size == 0:
        return False
    b, g, r = crop[..., 0], crop[..., 1], crop[..., 2]
    inked = (r + g + b) < 600
    red = inked & (r > 140) & (r - g > 60) & (r - b > 60)
    return inked.sum() > 0 and red.sum() > 0.5 * inked.sum()


def _ingested(pages: list[list[dict]], fmt: str):
    """Pages of OCR lines -> Ingested with the low-confidence lines as uncertain spans."""
    from core.ingest import Ingested
    from core.ingest.pdf import _drop_running_lines, _join_wrapped

    if sum(len(line["text"]) for lines in pages for line in lines) < MIN_DOCUMENT_CHARS:
        raise UnreadableFileError("没有识别出文字，这不像是一份文件的扫描件或照片")
    body = [line for lines in _drop_running_lines(pages) for line in lines]
    paragraphs = _join_wrapped(body)
    text = "\n".join(paragraphs)
    uncertain, cursor = [], 0
    for line in body:
        at = text.find(line["text"], cursor)
        if at < 0:
            continue
        cursor = at + len(line["text"])
        if line["score"] < UNCERTAIN_BELOW:
            uncertain.append([at, cursor])
    scores = [line["score"] for line in body]
    log.info("OCR: %d pages, %d lines, mean score %.3f, %d uncertain", len(pages), len(body),
             sum(scores) / max(1, len(scores)), len(uncertain))
    return Ingested(text, {"format": fmt}, uncertain=uncertain)
