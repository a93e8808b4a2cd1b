"""File -> normalised notice text plus where it came from.

One reader per format (.txt, .html/.htm, .docx, .pdf); each returns raw text that
``normalize`` turns into the text every extraction span indexes. The heavy parsers
(bs4, python-docx, pdfplumber) are imported only when a file of their kind is read.
"""
from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ScannedPdfError, UnreadableFileError, UnsupportedFormatError

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
        raw, encoding = _decode(data, path)
    elif fmt == "html":
        raw, encoding, title_hint = _read_html(data, path)
    elif fmt == "docx":
        raw, title_hint = _read_docx(path)
    else:
        raw = _read_pdf(path)
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


# ---------------------------------------------------------------- plain text

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GB18030 is a superset of these; it is what a mainland notice in a legacy encoding needs.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}


def _codec_name(name: str) -> str:
    name = codecs.lookup(name).name
    return "gb18030" if name in _GB_FAMILY else name


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """Bytes -> (text, encoding name): BOM, then strict UTF-8, then charset-normalizer."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data, name, path), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    names = [_codec_name(match.encoding) for match in from_bytes(data)]
    if not names:
        raise UnreadableFileError("无法识别文件的文字编码，请另存为UTF-8后再导入", path=str(path))
    # Short GBK texts are often scored as cp949 or big5 first; a Chinese notice wants GB18030
    # whenever the detector found it plausible at all (UTF-16 without BOM is still taken as found).
    name = names[0] if names[0].startswith("utf") or "gb18030" not in names else "gb18030"
    return _strict(data, name, path), name


def _strict(data: bytes, name: str, path: Path) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(f"文件不是有效的{name}编码文字（第{exc.start}字节处损坏）", path=str(path)) from exc


# ---------------------------------------------------------------- saved web pages

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# not "form": ASP.NET pages wrap the whole body in one
_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
              "button", "select", "input", "textarea", "nav", "aside", "head"]
_BLOCK_TAGS = ["p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
               "tr", "td", "th", "table", "section", "article", "main", "header", "footer", "blockquote",
               "pre", "hr", "address", "figure", "figcaption", "center"]
# class/id words of page chrome (menus, crumbs, share and print bars, site header/footer)
_CHROME_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|share|bdshare|print|toolbar|tools|sidebar|"
    r"copyright|footer|header|banner|search|login|topbar|friendlinks?|links|position|location|qrcode|"
    r"fontsize|font-size|zoom|favorite|related)(?=$|[\s_-])",
    re.IGNORECASE,
)
# HTML collapses source whitespace. A source line break next to a wide (CJK) character goes
# away entirely: CSS Text 3 drops it between two wide characters, and in Chinese text one next
# to a digit ("2024年\n3月", as Word-saved pages wrap their source mid-sentence) is no space either.
_WIDE = "[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
_SEGMENT_BREAK = re.compile(rf"(?<={_WIDE})[ \t\r\f]*\n[ \t\r\n\f]*|[ \t\r\f]*\n[ \t\r\n\f]*(?={_WIDE})")
_BREAK = "\x00"  # stands for a block boundary until source whitespace is collapsed
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# a line made only of these is chrome: 【字体：大 中 小】 打印 分享 加入收藏 关闭窗口 …
_CHROME_LINE = re.compile(
    r"^(?:[\s【】\[\]()（）|｜/:：·•>＞»-]|字体|字号|大|中|小|默认|打印(?:本页|此页|文章)?|分享(?:到)?|"
    r"加入收藏|收藏(?:本页)?|关闭(?:本页|窗口)?|返回(?:顶部|首页)?|顶部|微信|微博|QQ空间|复制链接|扫一扫|"
    r"在手机上打开|上一篇|下一篇)+$"
)


def _read_html(data: bytes, path: Path) -> tuple[str, str, str | None]:
    from bs4 import BeautifulSoup

    html, encoding = _decode_html(data, path)
    soup = BeautifulSoup(html, "lxml")
    title_tag = soup.find("title") or soup.find("h1")
    title_hint = _collapse(title_tag.get_text()).strip() if title_tag else None

    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(["header", "footer"]):
        if not tag.find_parent(["article", "main"]):
            tag.decompose()
    for tag in soup.find_all(_is_chrome):
        if not tag.decomposed:  # an enclosing chrome block may have gone already
            tag.decompose()

    for tag in soup.find_all(_BLOCK_TAGS):  # a block boundary is a line break, source newlines are not
        tag.insert_before(_BREAK)
        tag.insert_after(_BREAK)
    text = _collapse(soup.get_text()).replace(_BREAK, "\n")
    lines = (line.strip(" ") for line in text.split("\n"))
    text = "\n".join(line for line in lines if not _CHROME_LINE.match(line))
    # paragraphs stay apart by one line break; blank lines only come from nested blocks
    text = re.sub(r"\n{2,}", "\n", text)
    return text, encoding, title_hint or None


def _collapse(text: str) -> str:
    return re.sub(r"[ \t\r\n\f]+", " ", _SEGMENT_BREAK.sub("", text))


def _is_chrome(tag) -> bool:
    if _HIDDEN_STYLE.search(tag.get("style", "")):
        return True
    words = " ".join([*tag.get("class", []), tag.get("id", "")])
    if not words.strip() or not _CHROME_ATTR.search(words):
        return False
    # a wrapper that holds the article (its title or much text) is not chrome
    return tag.find(["h1", "h2"]) is None and len(tag.get_text(strip=True)) < 300


def _decode_html(data: bytes, path: Path) -> tuple[str, str]:
    """Honour a BOM, then the declared charset (meta charset / http-equiv), then detection."""
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                name = _codec_name(declared.group(1).decode("ascii"))
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                log.info("%s: declared charset %r does not fit, detecting", path, declared.group(1))
    return _decode(data, path)


# ---------------------------------------------------------------- Word documents

def _read_docx(path: Path) -> tuple[str, str | None]:
    import docx

    try:
        document = docx.Document(str(path))
        numbering = _Numbering(document.part.numbering_part.element)
    except Exception as exc:  # a damaged or mislabelled package fails in many ways inside python-docx
        log.info("%s: python-docx cannot open it: %r", path, exc)
        raise UnreadableFileError("Word文件已损坏或不是有效的.docx文件", path=str(path)) from exc
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


# ---------------------------------------------------------------- PDF with a text layer

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


def _read_pdf(path: Path) -> str:
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
