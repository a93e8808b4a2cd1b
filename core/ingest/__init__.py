"""File -> normalised notice text plus where it came from.

One reader module per format (plain: .txt, web: .html/.htm, word: .docx, pdf: .pdf); each
returns raw text that ``normalize`` turns into the text every extraction span indexes. The
heavy parsers (bs4, python-docx, pdfplumber) are imported only when a file of their kind is read.
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UnreadableFileError, UnsupportedFormatError
from core.ingest import pdf, plain, web, word

log = logging.getLogger(__name__)

# suffix -> the format family a user means by it; the content decides the reader (a .doc that
# is really RTF, HTML or a .docx is common)
FORMATS = {
    ".txt": "txt", ".html": "html", ".htm": "html", ".mht": "html", ".docx": "docx", ".pdf": "pdf",
    ".doc": "doc", ".wps": "doc", ".rtf": "doc", ".ofd": "ofd",
    ".xlsx": "sheet", ".xls": "sheet", ".et": "sheet", ".csv": "sheet",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".bmp": "image", ".tif": "image", ".tiff": "image",
    ".webp": "image",
}
SUFFIXES = frozenset(FORMATS)
SUFFIX_TEXT = "、".join(s for s in FORMATS if s not in (".mht",))

# A notice is rarely over 100,000 characters; the longest seen is about 60,000. Above these limits
# a file is refused with one line instead of taking minutes and gigabytes (a 50 MB text took
# 372 s and 1.6 GB): extraction of 1,000,000 characters stays under 500 MB (bench/ingest_bench.py).
MAX_TEXT_CHARS = 1_000_000
MAX_FILE_BYTES = {"txt": 20 << 20, "html": 30 << 20, "sheet": 30 << 20}
MAX_ANY_BYTES = 300 << 20  # scans: a 200-page image-only PDF at 150 dpi is about 60 MB


@dataclass
class Ingested:
    text: str
    source: dict = field(default_factory=dict)  # {"path", "sha256", "encoding", "format"}
    title_hint: str | None = None
    # [start, end] spans of the text that OCR read with low confidence (underlined in 原文)
    uncertain: list[list[int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # said about the file, e.g. "文字由OCR识别"
    # spreadsheets of problems: the problems read from the rows (extraction dicts), else None
    problems: list[dict] | None = None


# ---------------------------------------------------------------- normalisation

# Zero-width characters and C0/C1 controls are dropped, a tab becomes a space. Line
# breaks (\r\n, \r, \v, \f, U+2028 ...) are handled by str.splitlines before this runs.
# Noncharacters (U+FDD0..U+FDEF, U+xFFFE/U+xFFFF of every plane) and lone surrogates are dropped
# too: no notice means them, and the xlsx writer refuses them.
_DROP = {c: None for c in (*range(0x00, 0x20), *range(0x7F, 0xA0), 0x200B, 0x200C, 0x200D, 0xFEFF, 0x2060,
                           *range(0xFDD0, 0xFDF0), *range(0xD800, 0xE000),
                           *(plane + low for plane in range(0, 0x110000, 0x10000) for low in (0xFFFE, 0xFFFF)))}
_DROP[ord("\t")] = " "


def normalize(text: str) -> str:
    """Unify line breaks, drop invisible characters, trim line ends and blank-line runs.

    Punctuation and the inner spacing of a line stay exactly as printed.
    """
    lines: list[str] = []
    for line in text.splitlines():
        line = line.translate(_DROP).rstrip()  # rstrip also trims NBSP and U+3000
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


# ---------------------------------------------------------------- entry points

def read_file(path, *, progress=None, cancelled=None) -> Ingested:
    """Read one notice file. ``progress(done, total)`` and ``cancelled()`` are per page for files
    read by OCR; on cancel ``core.errors.Cancelled`` is raised and nothing is returned."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFormatError(
            f"不支持的文件类型“{path.suffix or '无扩展名'}”，可导入 {SUFFIX_TEXT} 文件", path=str(path)
        )
    if not path.is_file():
        raise UnreadableFileError("文件不存在", path=str(path))
    try:
        size = path.stat().st_size
        limit = MAX_FILE_BYTES.get(fmt, MAX_ANY_BYTES)
        if size > limit:
            raise UnreadableFileError(f"文件过大（{size / (1 << 20):.0f} MB，上限 {limit >> 20} MB），"
                                      "不像是一份通报，未导入", path=str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"无法读取文件（{exc.strerror or exc}）", path=str(path)) from exc
    if not data.strip():
        raise UnreadableFileError("文件是空的", path=str(path))

    try:
        kind = sniff(data, fmt)
        result = _READERS[kind](data, path, progress=progress, cancelled=cancelled)
        text = _checked(normalize(result.text), "文件")
    except UnreadableFileError as exc:
        exc.path = exc.path or str(path)
        raise
    if text != result.text and result.uncertain:
        result.uncertain = relocate(result.uncertain, result.text, text)
    result.text = text
    result.source = {
        "path": os.path.abspath(path),
        "sha256": hashlib.sha256(data).hexdigest(),
        "encoding": result.source.get("encoding"),
        "format": result.source.get("format", kind),
    }
    return result


def _checked(text: str, what: str) -> str:
    if not text:
        raise UnreadableFileError(f"{what}中没有文字内容")
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableFileError(f"{what}文字过多（{len(text):,}字，上限{MAX_TEXT_CHARS:,}字），不像是一份通报，未导入")
    return text


def sniff(data: bytes, fmt: str) -> str:
    """The reader a file needs, by its content first and its suffix second."""
    head = data[:2048].lstrip()
    low = head[:1024].lower()
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return zipped_kind(data, fmt)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Word 97, WPS, Excel 97, ET
        return "sheet" if fmt == "sheet" else "doc"
    if head.startswith(b"{\\rtf"):
        return "doc"
    if fmt != "sheet" and image_kind(data):
        return "image"
    if fmt in ("doc", "html", "txt") and (low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in low
                                          or (fmt != "txt" and b"<body" in low)):
        return "html"
    if fmt in ("sheet", "html", "txt"):
        return fmt
    if fmt == "image":
        raise UnreadableFileError("图片文件已损坏或不是图片")
    if fmt == "doc":  # not OLE2, RTF, HTML or zip: a Word 2 .doc or a plain text with the wrong name
        return "txt" if _is_text(data) else "doc"
    raise UnreadableFileError({"docx": "Word文件已损坏或不是有效的.docx文件",
                               "pdf": "PDF文件已损坏，无法读取", "ofd": "OFD文件已损坏，无法读取"}[fmt])


def zipped_kind(data: bytes, fmt: str) -> str:
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return fmt if fmt in ("docx", "sheet", "ofd") else "docx"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "sheet"
    if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
        return "ofd"
    if "content.xml" in names:  # OpenDocument / WPS zip formats: LibreOffice reads them
        return "sheet" if fmt == "sheet" else "doc"
    return fmt if fmt in ("docx", "sheet", "ofd") else "docx"


def image_kind(data: bytes) -> bool:
    return data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"BM", b"II*\x00", b"MM\x00*", b"GIF8")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _is_text(data: bytes) -> bool:
    try:
        plain.decode(data[:65536], Path("?"))
    except UnreadableFileError:
        return False
    return b"\x00" not in data[:4096]


def relocate(spans: list[list[int]], raw: str, text: str) -> list[list[int]]:
    """Spans of ``raw`` moved onto its normalised ``text`` (each span's own text searched in order)."""
    out, cursor = [], 0
    for s, e in spans:
        piece = normalize(raw[s:e]).strip()
        if not piece:
            continue
        at = text.find(piece, cursor)
        if at < 0:
            continue
        out.append([at, at + len(piece)])
        cursor = at + len(piece)
    return out


def _read_txt(data, path, **_):
    text, encoding = plain.decode(data, path)
    return Ingested(text, {"encoding": encoding, "format": "txt"})


def _read_html(data, path, **_):
    text, encoding, title = web.read_html(data, path)
    return Ingested(text, {"encoding": encoding, "format": "html"}, title)


def _read_docx(data, path, **_):
    text, title = word.read_docx(path)
    return Ingested(text, {"format": "docx"}, title)


def _read_doc(data, path, **_):
    from core.ingest import office

    converted = office.convert_to_docx(path)
    try:
        text, title = word.read_docx(converted)
    finally:
        office.discard(converted)
    return Ingested(text, {"format": "doc"}, title)


def _read_pdf(data, path, progress=None, cancelled=None):
    return pdf.read_pdf(path, progress=progress, cancelled=cancelled)


def _read_image(data, path, progress=None, cancelled=None):
    from core.ingest import ocr

    return ocr.read_image(data, path, progress=progress, cancelled=cancelled)


def _read_ofd(data, path, **_):
    from core.ingest import ofd

    return Ingested(*ofd.read_ofd(data, path))


def _read_sheet(data, path, **_):
    from core.ingest import sheet

    return sheet.read_sheet(data, path)


_READERS = {"txt": _read_txt, "html": _read_html, "docx": _read_docx, "doc": _read_doc, "pdf": _read_pdf,
            "image": _read_image, "ofd": _read_ofd, "sheet": _read_sheet}


def from_text(text: str, name: str = "剪贴板") -> Ingested:
    """Pasted text; its sha256 is taken over the normalised text's UTF-8 bytes."""
    if len(text) > 4 * MAX_TEXT_CHARS:  # before normalising a huge paste
        _checked(text, "粘贴的内容")
    text = normalize(text)
    if not text:
        raise UnreadableFileError("粘贴的内容没有文字", path=name)
    _checked(text, "粘贴的内容")
    source = {
        "path": name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "encoding": "utf-8",
        "format": "text",
    }
    return Ingested(text=text, source=source)
