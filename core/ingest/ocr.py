"""Text from page images: scanned PDFs, phone photos and screenshots, by OCR on the CPU, offline.

RapidOCR's pipeline (``rapidocr-onnxruntime``, on ONNX Runtime) with PaddleOCR's PP-OCRv6 tiny
detection and recognition models, which the program ships in ``resources/ocr/`` (nothing is
downloaded at run time; provenance and licence in resources/ocr/README.md). A page is rendered at 150 dpi with PDFium; the text boxes
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
# A character the recogniser gave less than this probability is underlined in 原文. On the
# scanned genre about 1 character in 150 falls below it, and half the misread ones do; the
# lines' mean scores cannot tell (clean and misread lines alike score 0.95-1.0).
UNCERTAIN_BELOW = 0.75
# Punctuation is never underlined: a quote's shape is often unsure and never changes a reading.
_PUNCTUATION = set("，,。.、：:；;！!？?“”‘’\"'（）()《》〈〉【】[]—-–…·/%％ ")
MIN_SCORE = 0.5           # boxes below this are noise (speckles, rules, pictures)
MIN_DOCUMENT_CHARS = 20   # fewer recognised characters than this: not a document
MAX_IMAGE_PIXELS = 40_000_000
MODELS = ("PP-OCRv6_det_tiny.onnx", "PP-OCRv6_rec_tiny.onnx", "PP-OCRv6_rec_tiny_dict.txt")
# Tuned on this 2-core machine (bench/ingest_bench.py --ocr; the figures are in
# docs/architecture.md): PP-OCRv6 tiny models (a fifth of the CPU of the wheel's PP-OCRv4 ones,
# at least as accurate on the scanned genre), no angle classifier (scans and photos of notices
# are upright; a scanner's 1 degree skew is read fine without it), one intra-op thread per model
# (a second one does not shorten a page on a busy machine and leaves no core to the window),
# detection on the page scaled to at most 960 px on its long side, one line per recognition call
# (batches pad every line to the longest: no faster, and more memory).
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
    return all(path.is_file() for path in _model_paths())


def _model_paths():
    from core.paths import resource_path

    return [resource_path("ocr", name) for name in MODELS]


def engine():
    """The one RapidOCR engine of the process (its sessions load in a fraction of a second)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            det, rec, keys = map(str, _model_paths())
            _engine = RapidOCR(**ENGINE_OPTIONS, det_model_path=det, rec_model_path=rec, rec_keys_path=keys)
            _keep_character_probabilities(_engine.text_rec.postprocess_op)
        return _engine


class _Read(str):
    """A recognised line's text that carries each character's probability (``probabilities``)."""
    probabilities: list[float]


def _keep_character_probabilities(decoder) -> None:
    """RapidOCR's CTC decoder keeps only a line's mean probability; decode the same way (repeats
    merged, blanks dropped) and keep each character's on the text."""
    import numpy as np

    ignored = decoder.get_ignored_tokens()

    def decode(text_index, text_prob=None, return_word_box=False, is_remove_duplicate=False):
        out = []
        for row, index in enumerate(text_index):
            keep = np.ones(len(index), dtype=bool)
            if is_remove_duplicate:
                keep[1:] = index[1:] != index[:-1]
            for token in ignored:
                keep &= index != token
            probabilities = [float(p) for p in text_prob[row][keep]] if text_prob is not None else [1.0] * int(keep.sum())
            text = _Read("".join(decoder.character[i] for i in index[keep]))
            text.probabilities = probabilities
            out.append((text, float(np.mean(probabilities)) if probabilities else 0.0))
        return out

    decoder.decode = decode


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
    kept = []
    for points, text, score in boxes or []:
        probabilities = getattr(text, "probabilities", None) or [float(score)] * len(text)
        start = len(text) - len(text.lstrip())
        stripped = text.strip()
        kept.append((np.asarray(points, dtype=float), stripped, float(score),
                     probabilities[start:start + len(stripped)]))
    kept = [box for box in kept
            if box[1] and box[2] >= MIN_SCORE and not _steep(box[0]) and not _red(image, box[0])]
    # Undo the page's skew (a scanner's degree or two): the layout code compares left edges to
    # find indents, and a 1 degree turn moves them 1.5 characters from top to bottom of a page.
    angles = [np.arctan2(p[1][1] - p[0][1], p[1][0] - p[0][0]) for p, *_ in kept if p[1][0] - p[0][0] > 200]
    turn = -float(np.median(angles)) if angles else 0.0
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    words = []
    for points, text, score, probabilities in kept:
        points = points @ rotation.T
        x0, y0 = points.min(axis=0)
        x1, y1 = points.max(axis=0)
        words.append({"text": text, "x0": x0, "x1": x1, "top": y0, "bottom": y1, "score": score,
                      "probabilities": probabilities})
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
        for k, (char, probability) in enumerate(zip(line["text"], line["probabilities"])):
            if probability < UNCERTAIN_BELOW and char not in _PUNCTUATION:
                if uncertain and uncertain[-1][1] == at + k:  # a run of unsure characters: one span
                    uncertain[-1][1] += 1
                else:
                    uncertain.append([at + k, at + k + 1])
    scores = [line["score"] for line in body]
    log.info("OCR: %d pages, %d lines, mean score %.3f, %d uncertain spans", len(pages), len(body),
             sum(scores) / max(1, len(scores)), len(uncertain))
    return Ingested(text, {"format": fmt}, uncertain=uncertain)
