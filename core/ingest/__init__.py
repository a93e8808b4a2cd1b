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

FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}


@dataclass
class Ingested:
    text: str
    source: dict = field(default_factory=dict)  # {"path", "sha256", "encoding", "format"}
    title_hint: str | None = None


# ---------------------------------------------------------------- normalisation

# Zero-width characters and C0/C1 controls are dropped, a tab becomes a space. Line
# breaks (\r\n, \r, \v, \f, U+2028 ...) are handled by str.splitlines before this runs.
_DROP = {c: None for c in (*range(0x00, 0x20), *range(0x7F, 0xA0), 0x200B, 0x200C, 0x200D, 0xFEFF, 0x2060)}
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

def read_file(path) -> Ingested:
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        if path.suffix.lower() == ".doc":
            raise UnsupportedFormatError("不支持旧版Word(.doc)文件，请在Word中另存为.docx后再导入", path=str(path))
        raise UnsupportedFormatError(
            f"不支持的文件类型“{path.suffix or '无扩展名'}”，可导入 .txt、.html、.htm、.docx、.pdf 文件", path=str(path)
        )
    if not path.is_file():
        raise UnreadableFileError("文件不存在", path=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"无法读取文件（{exc.strerror or exc}）", path=str(path)) from exc
    if not data.strip():
        raise UnreadableFileError("文件是空的", path=str(path))

    encoding = None
    title_hint = None
    if fmt == "txt":
        raw, encoding = plain.decode(data, path)
    elif fmt == "html":
        raw, encoding, title_hint = web.read_html(data, path)
    elif fmt == "docx":
        raw, title_hint = word.read_docx(path)
    else:
        raw = pdf.read_pdf(path)
    text = normalize(raw)
    if not text:
        raise UnreadableFileError("文件中没有文字内容", path=str(path))
    source = {
        "path": os.path.abspath(path),
        "sha256": hashlib.sha256(data).hexdigest(),
        "encoding": encoding,
        "format": fmt,
    }
    return Ingested(text=text, source=source, title_hint=title_hint)


def from_text(text: str, name: str = "剪贴板") -> Ingested:
    """Pasted text; its sha256 is taken over the normalised text's UTF-8 bytes."""
    text = normalize(text)
    if not text:
        raise UnreadableFileError("粘贴的内容没有文字", path=name)
    source = {
        "path": name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "encoding": "utf-8",
        "format": "text",
    }
    return Ingested(text=text, source=source)
