"""PDF with a text layer: lines in page order, running headers and page numbers dropped,
lines the page width broke joined back into paragraphs."""
from __future__ import annotations

import logging
import re
from pathlib import Path

from core.errors import ScannedPdfError, UnreadableFileError

log = logging.getLogger(__name__)

_TERMINAL = "。；：！？!?;:…"
_CLOSERS = "”’」』）)》〉】]\"'"
_NUMBERING = re.compile(
    r"^[\s\u3000]*(?:[一二三四五六七八九十百]+[、.．]|\d+[、．]|\d+\.(?!\d)|[(（][一二三四五六七八九十百\d]+[)）]"
    r"|[一二三四五六七八九十]+是|第[一二三四五六七八九十百\d]+[条章节部分项]|[①-⑳])"
)
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－·•]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+|page\s*\d+(?:\s*of\s*\d+)?)"
    r"[\s\-—–－·•]*$",
    re.IGNORECASE,
)
# Latin words break only at spaces, which the line break swallowed; numbers and Chinese join as they are
_LATIN = re.compile(r"[A-Za-z]")
_EDGE_LINES = 2  # lines at the top and bottom of a page checked for headers, footers, page numbers


def read_pdf(path: Path) -> str:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(path) as pdf:
            pages = [page.extract_text_lines(return_chars=True) for page in pdf.pages]
    except PDFPasswordIncorrect as exc:
        raise UnreadableFileError("PDF文件已加密，请先去除密码", path=str(path)) from exc
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        log.info("%s: pdfplumber cannot read it: %r", path, exc)
        raise UnreadableFileError("PDF文件已损坏，无法读取", path=str(path)) from exc
    if not any(line["text"].strip() for lines in pages for line in lines):
        raise ScannedPdfError("扫描版PDF，没有文字层，需先进行文字识别(OCR)后再导入", path=str(path))
    body = [line for lines in _drop_running_lines(pages) for line in lines]
    return "\n".join(_join_wrapped(body))


def _drop_running_lines(pages: list[list[dict]]) -> list[list[dict]]:
    """Drop page numbers and headers/footers that repeat (digits aside) on most pages."""
    def key(line):
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line["text"]))

    def edges(lines):
        return lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]

    counts: dict[str, int] = {}
    for lines in pages:
        for k in {key(line) for line in edges(lines)}:
            counts[k] = counts.get(k, 0) + 1
    needed = max(2, (len(pages) + 1) // 2)
    running = {k for k, n in counts.items() if n >= needed}
    kept = []
    for lines in pages:
        edge_ids = {id(line) for line in edges(lines)}
        kept.append([
            line for line in lines
            if id(line) not in edge_ids or not (key(line) in running or _PAGE_NUMBER.match(line["text"]))
        ])
    return kept


def _join_wrapped(lines: list[dict]) -> list[str]:
    """Join lines that the page width broke back into paragraphs."""
    if not lines:
        return []
    char_width = sorted(c["x1"] - c["x0"] for line in lines for c in line["chars"])
    char_width = char_width[len(char_width) // 2] or 1.0
    left = min(line["x0"] for line in lines)
    # The right margin is where full lines end: the median end of the lines reaching past the middle
    # of the text block. Not the furthest end: closing punctuation may hang a character past the
    # margin (Word's 允许标点溢出边界), and in ragged-right text full lines end up to a character short.
    furthest = max(line["x1"] for line in lines)
    long_ends = sorted(line["x1"] for line in lines if line["x1"] > (left + furthest) / 2)
    right = long_ends[len(long_ends) // 2]
    indented = [line["x0"] - left > char_width * 1.2 for line in lines]
    uses_indent = any(1.2 < (line["x0"] - left) / char_width < 2.8 for line in lines)

    paragraphs = [lines[0]["text"]]
    for prev, line, indent in zip(lines, lines[1:], indented[1:]):
        # With first-line indents (as official documents have, headings too) the indent alone says
        # where a paragraph starts: "。" at a line end followed by "二是" is still one paragraph.
        last = prev["text"].rstrip(_CLOSERS)[-1:]
        breaks = not uses_indent and ((bool(last) and last in _TERMINAL) or bool(_NUMBERING.match(line["text"])))
        continues = right - prev["x1"] < char_width * 1.5 and not indent and not breaks
        if continues:
            latin = _LATIN.match(prev["text"][-1:]) and _LATIN.match(line["text"][:1])
            paragraphs[-1] += (" " if latin else "") + line["text"]
        else:
            paragraphs.append(line["text"])
    return paragraphs
