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


_CELL_BREAK = re.compile(r"(?<=[。；！？])\n")
_CID = re.compile(r"\(cid:\d+\)")
MAX_PAGES = 500


def read_pdf(path: Path, *, progress=None, cancelled=None):
    """The text of a PDF: its text layer; PDFium's when pdfminer sees only unmapped glyphs (an
    owner password or a font without a Unicode map); OCR when there is no readable text at all."""
    from core.ingest import Ingested

    pages = _pdfplumber_pages(path)
    if len(pages) > MAX_PAGES:
        raise UnreadableFileError(f"PDF有{len(pages)}页，超过{MAX_PAGES}页的上限，不像是一份通报，未导入")
    chars = "".join(line["text"] for lines in pages for line in lines)
    if chars.strip() and _unmapped_share(chars) < 0.05:
        return Ingested(_layout_text(pages), {"format": "pdf"})
    if chars.strip():  # (cid:1780)… : the glyphs have no Unicode in pdfminer's reading
        log.info("%s: unmapped glyphs (%d), trying PDFium", path, len(_CID.findall(chars)))
        pages = _pdfium_pages(path)
        chars = "".join(line["text"] for lines in pages for line in lines)
        if chars.strip() and _unmapped_share(chars) < 0.05 and not _garbled(chars):
            return Ingested(_layout_text(pages), {"format": "pdf"})
    from core.ingest import ocr

    reason = "PDF中的文字无法读取（字体没有文字编码）" if chars.strip() else "扫描版PDF，没有文字层"
    if not ocr.available():
        raise ScannedPdfError(f"{reason}，需要文字识别(OCR)：请安装 rapidocr-onnxruntime 后再导入")
    result = ocr.read_pdf(path, progress=progress, cancelled=cancelled)
    result.warnings.insert(0, f"{reason}，文字由OCR识别，请对照原件核对（下划线处识别把握较低）")
    return result


def _pdfplumber_pages(path: Path) -> list[list[dict]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                return [[]] * len(pdf.pages)
            return [_page_lines(page) for page in pdf.pages]
    except (PDFPasswordIncorrect, PdfminerException) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise UnreadableFileError("PDF文件设有打开密码，请用密码打开后另存为无密码的PDF再导入") from exc
        log.info("%s: pdfplumber cannot read it: %r", path, exc)
        raise UnreadableFileError("PDF文件已损坏，无法读取") from exc
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        log.info("%s: pdfplumber cannot read it: %r", path, exc)
        raise UnreadableFileError("PDF文件已损坏，无法读取") from exc


def _page_lines(page) -> list[dict]:
    """The page's text lines; a ruled table's cells become lines of their own (one per cell, row by
    row, as ingest renders a .docx table), in place of the lines inside the table."""
    lines = page.extract_text_lines(return_chars=True)
    try:
        tables = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 3]
    except Exception as exc:  # the table finder is heuristics over drawn lines; never fail the page on it
        log.info("table finder failed on page %s: %r", page.page_number, exc)
        tables = []
    if not tables:
        return lines
    out = [line for line in lines
           if not any(t.bbox[1] - 1 <= (line["top"] + line["bottom"]) / 2 <= t.bbox[3] + 1 for t in tables)]
    for table in tables:
        # a cell's wrapped lines are joined; a line ending a sentence ends a paragraph of the cell
        cells = [{"text": part.strip(), "top": table.bbox[1], "table": True}
                 for row in table.extract() for cell in row if cell is not None
                 for part in _CELL_BREAK.sub("\u2029", re.sub(r"[ \t]*\n[ \t]*", "\n", cell.strip())).replace(
                     "\n", "").split("\u2029")]
        at = next((k for k, line in enumerate(out) if line["top"] > table.bbox[1]), len(out))
        out[at:at] = cells
    return out


def _pdfium_pages(path: Path) -> list[list[dict]]:
    """Lines with character boxes from PDFium, in the shape pdfplumber gives them."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except Exception as exc:
        raise UnreadableFileError("PDF文件已损坏，无法读取") from exc
    pages = []
    try:
        for page in document:
            height = page.get_height()
            textpage = page.get_textpage()
            lines, line = [], None
            for i in range(textpage.count_chars()):
                char = textpage.get_text_range(i, 1)
                if char in ("\r", "\n", ""):
                    line = None
                    continue
                x0, y0, x1, y1 = textpage.get_charbox(i)
                if line is None:
                    line = {"text": "", "x0": x0, "x1": x1, "top": height - y1, "bottom": height - y0, "chars": []}
                    lines.append(line)
                line["text"] += char
                line["x0"], line["x1"] = min(line["x0"], x0), max(line["x1"], x1)
                line["chars"].append({"x0": x0, "x1": x1})
            pages.append([ln for ln in lines if ln["text"].strip()])
    finally:
        document.close()
    return pages


def lines_from_boxes(words: list[dict]) -> list[dict]:
    """Text boxes (``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``score``; OCR's or OFD's) on one
    visual line (their middles within half a line height) become one line in pdfplumber's shape, top to bottom.
    A box's ``probabilities`` (OCR's, one per character; else its score) become the line's, one per character."""
    words.sort(key=lambda w: (w["top"] + w["bottom"]) / 2)
    rows: list[list[dict]] = []
    for word in words:
        middle = (word["top"] + word["bottom"]) / 2
        if rows:
            last = rows[-1]
            height = sum(w["bottom"] - w["top"] for w in last) / len(last)
            last_middle = sum((w["top"] + w["bottom"]) / 2 for w in last) / len(last)
            if abs(middle - last_middle) < height / 2:
                last.append(word)
                continue
        rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        text, chars, probabilities = "", [], []
        for word in row:
            width = (word["x1"] - word["x0"]) / max(1, len(word["text"]))
            if text and text[-1].isascii() and text[-1].isalnum() and word["text"][0].isascii():
                text += " "
                probabilities.append(1.0)
            text += word["text"]
            probabilities += list(word.get("probabilities") or [word["score"]] * len(word["text"]))
            chars += [{"x0": word["x0"] + k * width, "x1": word["x0"] + (k + 1) * width}
                      for k in range(len(word["text"]))]
        lines.append({
            "text": text, "x0": row[0]["x0"], "x1": max(w["x1"] for w in row),
            "top": min(w["top"] for w in row), "bottom": max(w["bottom"] for w in row), "chars": chars,
            "score": min(w["score"] for w in row), "probabilities": probabilities,
        })
    return lines


def _unmapped_share(chars: str) -> float:
    unmapped = sum(len(m) for m in _CID.findall(chars))
    return unmapped / max(1, len(chars))


def _garbled(chars: str) -> bool:
    """Glyph codes passed through as text: mostly private-use or control characters, no CJK."""
    visible = [c for c in chars if not c.isspace()]
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in visible)
    odd = sum(c < " " or "\ue000" <= c <= "\uf8ff" or c == "\ufffd" for c in visible)
    return odd > 0.2 * len(visible) or (len(visible) > 50 and cjk < 0.05 * len(visible) and not any(
        c.isascii() and c.isalpha() for c in visible))


def _layout_text(pages: list[list[dict]]) -> str:
    body = [line for lines in _drop_running_lines(pages) for line in lines]
    return "\n".join(_join_wrapped(body))


def _drop_running_lines(pages: list[list[dict]]) -> list[list[dict]]:
    """Drop page numbers and headers/footers that repeat (digits aside) on most pages."""
    def key(line):
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", line["text"]))

    def edges(lines):  # table cells are never headers or page numbers (a row number is a lone digit)
        lines = [line for line in lines if not line.get("table")]
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


def _join_wrapped(all_lines: list[dict]) -> list[str]:
    """Join lines that the page width broke back into paragraphs; table cells stay one per line."""
    out: list[str] = []
    run: list[dict] = []
    for line in all_lines + [{"table": True, "text": None}]:
        if line.get("table"):
            out += _join_run(run)
            run = []
            if line["text"] is not None:
                out.append(line["text"])
        else:
            run.append(line)
    return out


def _join_run(lines: list[dict]) -> list[str]:
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
