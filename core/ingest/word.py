"""Word .docx: paragraphs and table cells in reading order, with Word's automatic numbering."""
from __future__ import annotations

import logging
import re
from pathlib import Path

from core.errors import UnreadableFileError

log = logging.getLogger(__name__)


# A .docx of a notice is a few hundred KB unpacked; a zip bomb (5 MB holding 1.5 GB of XML) is
# refused from the zip directory before anything is inflated. Reading an entry never inflates
# more than its declared size (zipfile stops there and fails the CRC), so the check holds.
MAX_PART_BYTES = 64 << 20
MAX_PACKAGE_BYTES = 200 << 20


def check_package(path: Path) -> None:
    """Refuse a zip whose parts would inflate beyond the limits."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFileError("文件已损坏或不是有效的压缩包格式文件") from exc
    biggest = max((info.file_size for info in infos), default=0)
    total = sum(info.file_size for info in infos)
    if biggest > MAX_PART_BYTES or total > MAX_PACKAGE_BYTES:
        raise UnreadableFileError(
            f"文件解压后过大（{total / (1 << 20):,.0f} MB），可能已损坏或是恶意构造的文件，未导入")


def read_docx(path: Path) -> tuple[str, str | None]:
    import docx

    check_package(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # a damaged or mislabelled package fails in many ways inside python-docx
        log.info("%s: python-docx cannot open it: %r", path, exc)
        raise UnreadableFileError("Word文件已损坏或不是有效的.docx文件", path=str(path)) from exc
    try:
        numbering = _Numbering(document.part.numbering_part.element)
    except (NotImplementedError, KeyError):  # a valid package without word/numbering.xml: no lists
        numbering = _Numbering(None)
    lines: list[str] = []
    _docx_lines(document, numbering, lines)
    return "\n".join(lines), (document.core_properties.title or "").strip() or None


def _docx_lines(container, numbering: _Numbering, lines: list[str]) -> None:
    """Paragraphs and table cells in reading order, one paragraph per line."""
    from docx.table import Table

    for item in container.iter_inner_content():
        if isinstance(item, Table):
            seen = set()  # a merged cell is returned once per grid cell it spans (kept alive: lxml ids are reused)
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        _docx_lines(cell, numbering, lines)
        else:
            lines.append(numbering.label(item) + item.text)


class _Numbering:
    """Word's automatic numbering (一、 （一） 1. ①), which python-docx leaves out of the text.

    Counters run per list (w:num); a level's counter restarts when a shallower level counts on.
    """

    def __init__(self, numbering_element):
        self._xml = numbering_element
        self._counters: dict[str, list[int | None]] = {}
        self._definitions: dict[str, dict[int, tuple[int, str, str]]] = {}

    def label(self, paragraph) -> str:
        if self._xml is None:
            return ""
        num_id, level = self._reference(paragraph)
        if not num_id or num_id == "0":  # numId 0 switches inherited numbering off
            return ""
        levels = self._levels(num_id)
        if level not in levels:
            return ""
        counters = self._counters.setdefault(num_id, [None] * 9)
        counters[level] = levels[level][0] if counters[level] is None else counters[level] + 1
        counters[level + 1:] = [None] * (8 - level)

        def number(match):
            at = int(match.group(1)) - 1
            start, fmt, _ = levels.get(at, (1, "decimal", ""))
            return _format_number(start if counters[at] is None else counters[at], fmt)

        text = re.sub(r"%([1-9])", number, levels[level][2])
        return text if not text or text[-1] in "、.．)）:：]】 \u3000" else text + " "

    @staticmethod
    def _reference(paragraph) -> tuple[str | None, int]:
        """(numId, level) from the paragraph's own properties, else from its style chain."""
        holders = [paragraph._p]
        style = paragraph.style
        while style is not None:
            holders.append(style.element)
            style = style.base_style
        for holder in holders:
            num_pr = holder.pPr.numPr if holder.pPr is not None else None
            if num_pr is not None and num_pr.numId is not None:
                return str(num_pr.numId.val), num_pr.ilvl.val if num_pr.ilvl is not None else 0
        return None, 0

    def _levels(self, num_id: str) -> dict[int, tuple[int, str, str]]:
        """level -> (start, numFmt, lvlText) of the list's abstract definition."""
        if num_id not in self._definitions:
            self._definitions[num_id] = self._read_levels(num_id)
        return self._definitions[num_id]

    def _read_levels(self, num_id: str) -> dict[int, tuple[int, str, str]]:
        from docx.oxml.ns import qn

        def val(element, tag, default):
            child = element.find(qn(tag)) if element is not None else None
            return child.get(qn("w:val"), default) if child is not None else default

        num = next((n for n in self._xml.iterchildren(qn("w:num")) if n.get(qn("w:numId")) == num_id), None)
        abstract_id = val(num, "w:abstractNumId", None)
        levels = {}
        for abstract in self._xml.iterchildren(qn("w:abstractNum")):
            if abstract_id is not None and abstract.get(qn("w:abstractNumId")) == abstract_id:
                for lvl in abstract.iterchildren(qn("w:lvl")):
                    fmt = val(lvl, "w:numFmt", "decimal")
                    text = "" if fmt in ("bullet", "none") else val(lvl, "w:lvlText", "")
                    levels[int(lvl.get(qn("w:ilvl")))] = (int(val(lvl, "w:start", "1")), fmt, text)
        return levels


_CHINESE_DIGITS = "零一二三四五六七八九"


def _format_number(n: int, fmt: str) -> str:
    """A counter in the number formats Chinese notices use; others print as decimal."""
    if fmt.startswith(("chineseCounting", "taiwaneseCounting")) and 0 < n < 100:
        tens, ones = divmod(n, 10)
        head = "" if tens == 0 else ("十" if tens == 1 else _CHINESE_DIGITS[tens] + "十")
        return head + (_CHINESE_DIGITS[ones] if ones or not tens else "")
    if fmt.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return chr(0x245F + n)
    if fmt.startswith("decimalFullWidth"):
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
