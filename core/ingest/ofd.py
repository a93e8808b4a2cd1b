"""OFD (GB/T 33190, the national format for official documents): text in reading order.

ofdkit (Apache-2.0, pure Python, no dependencies) reads the package: OFD.xml, the document's
pages, templates, text objects with their transforms, and it guards part sizes and entry counts.
Its text runs become lines in the PDF reader's shape, so running headers and page numbers are
dropped and wrapped lines are joined the same way as in a PDF.
"""
from __future__ import annotations

import logging
from pathlib import Path

from core.errors import UnreadableFileError
from core.ingest.pdf import _drop_running_lines, _join_wrapped, lines_from_boxes

log = logging.getLogger(__name__)


def read_ofd(data: bytes, path: Path) -> tuple[str, dict, str | None]:
    """(text, source fields, title hint) of an OFD file."""
    import ofdkit

    try:
        with ofdkit.open(data) as document:
            pages = [_page_lines(page) for page in document.pages]
            title = (getattr(document.info, "title", None) or "").strip() or None
    except ofdkit.OFDLimitError as exc:
        raise UnreadableFileError("OFD文件解压后过大或部件过多，可能已损坏或是恶意构造的文件，未导入") from exc
    except (ofdkit.OFDError, ValueError, KeyError, OSError) as exc:
        log.info("%s: ofdkit cannot read it: %r", path, exc)
        raise UnreadableFileError("OFD文件已损坏，无法读取") from exc
    if not any(line["text"].strip() for lines in pages for line in lines):
        raise UnreadableFileError("OFD文件中没有文字（可能只有签章或扫描图片），请向发文单位索取带文字的版本")
    body = [line for lines in _drop_running_lines(pages) for line in lines]
    return "\n".join(_join_wrapped(body)), {"format": "ofd"}, title


def _page_lines(page) -> list[dict]:
    x0, y0, width, height = page.box
    words = []
    for run in page.runs:
        if not run.text.strip() or not (x0 - 5 <= run.x <= x0 + width + 5 and y0 - 5 <= run.y <= y0 + height + 5):
            continue
        size = run.size or 3.5
        words.append({"text": run.text, "x0": run.x, "x1": run.x + max(run.width, size * 0.5 * len(run.text)),
                      "top": run.y - size, "bottom": run.y, "score": 1.0})
    lines = lines_from_boxes(_merge_adjacent(words))
    for line in lines:
        line.pop("score", None)
        line.pop("probabilities", None)
    return lines


def _merge_adjacent(words: list[dict]) -> list[dict]:
    """Producers often write one text object per character or word: runs that touch on one
    baseline are one box (their gap under a third of the size)."""
    words.sort(key=lambda w: (round(w["bottom"], 1), w["x0"]))
    merged: list[dict] = []
    for word in words:
        last = merged[-1] if merged else None
        size = word["bottom"] - word["top"]
        if last and abs(last["bottom"] - word["bottom"]) < size * 0.3 and -size * 0.3 < word["x0"] - last["x1"] < size * 0.35:
            last["text"] += word["text"]
            last["x1"] = max(last["x1"], word["x1"])
            last["top"] = min(last["top"], word["top"])
        else:
            merged.append(dict(word))
    return merged
