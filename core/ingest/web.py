"""Saved web pages: the article's text without the site's chrome (menus, crumbs, print bars).

readability-lxml picks the main content (measured on the html fixtures and typical government
page layouts against trafilatura: readability kept every numbering line of table-laid-out pages,
where trafilatura lost them all, see bench/ingest_bench.py --html); the whole page, cleaned by
class names and chrome phrases, is the fallback when the main content loses numbering lines or
most of the text (WeChat articles made of <section>s). Nesting is bounded first: a page nested
thousands of elements deep is flattened in one linear pass instead of taking minutes.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from core.ingest.plain import _BOMS, _codec_name, decode

log = logging.getLogger(__name__)

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


def read_html(data: bytes, path: Path) -> tuple[str, str, str | None]:
    from bs4 import BeautifulSoup

    html, encoding = _decode_html(data, path)
    html = bound_depth(html)
    soup = BeautifulSoup(html, "lxml")
    title_tag = soup.find("title") or soup.find("h1")
    title_hint = _collapse(title_tag.get_text()).strip() if title_tag else None
    full = _page_text(soup)
    main = _main_content(html)
    return (main if main is not None and _keeps(main, full) else full), encoding, title_hint or None


_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]+是)")


def _keeps(main: str, full: str) -> bool:
    """The main content holds every numbered line of the whole page and most of its text."""
    numbered = {line for line in full.split("\n") if _NUMBERED.match(line)}
    lines = set(main.split("\n"))
    return len(main) >= 0.5 * len(full) and all(line in lines for line in numbered)


def _main_content(html: str) -> str | None:
    from bs4 import BeautifulSoup

    try:
        from readability import Document

        summary = Document(html).summary(html_partial=True)
    except Exception as exc:  # readability gives up on odd pages in many ways; the whole page is read then
        log.info("readability failed: %r", exc)
        return None
    return _page_text(BeautifulSoup(summary, "lxml"))


def _page_text(soup) -> str:
    """The text of a parsed page without its chrome, one block per line."""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(["header", "footer"]):
        if not tag.find_parent(["article", "main"]):
            tag.decompose()
    for tag in soup.find_all(_is_chrome):
        if not tag.decomposed:  # an enclosing chrome block may have gone already
            tag.decompose()

    # a block boundary is a line break, source newlines are not
    text = _collapse(_text_with_breaks(soup)).replace(_BREAK, "\n")
    lines = (line.strip(" ") for line in text.split("\n"))
    text = "\n".join(line for line in lines if not _CHROME_LINE.match(line))
    text = _CHROME_PHRASE.sub("", text)
    # paragraphs stay apart by one line break; blank lines only come from nested blocks
    return re.sub(r"\n{2,}", "\n", text)


# Chrome phrases that never occur in a notice's own text, removed wherever they stand on a line
# (发布时间：2024-07-18 【字体：大 中 小】 打印本页 关闭窗口)
_SP = r"[ \u3000]"  # never \s: it would run over line breaks, quadratic on pages of blank blocks
_FONT_BAR = rf"【{_SP}*字[体号][:：]?{_SP}*[大中小 \u3000]+】|字[体号][:：]{_SP}*大{_SP}*中{_SP}*小"
_CHROME_PHRASE = re.compile(
    rf"{_SP}*(?:{_FONT_BAR}|【?{_SP}*(?:打印本页|打印此页|关闭窗口|关闭本页|加入收藏|返回顶部){_SP}*】?"
    rf"|分享到[:：]{_SP}*(?:微信|微博|QQ空间|[ \u3000、])+){_SP}*$"
    rf"|(?<=[ \u3000])(?:{_FONT_BAR}|【?(?:打印本页|关闭窗口)】?)(?=[ \u3000])", re.MULTILINE)

MAX_DEPTH = 256  # real pages nest 20-60 deep
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^>]*?)(/?)>")
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed", "param", "track"}
_CONTAINERS = {"div", "span", "section", "font", "article", "center", "blockquote", "b", "i", "u", "em", "strong", "a"}


def bound_depth(html: str) -> str:
    """Pages nested deeper than MAX_DEPTH lose their container tags (div, span, font ...; a div or
    section edge becomes a line break), in one linear pass; others come back unchanged."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        if name in _VOID or m.group(4):
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
    if deepest <= MAX_DEPTH:
        return html
    log.info("page nested over %d deep: flattening its containers", MAX_DEPTH)

    def flatten(m):
        name = m.group(2).lower()
        if name not in _CONTAINERS:
            return m.group(0)
        return "<br>" if name in ("div", "section", "article", "center", "blockquote") else ""

    return re.sub(r"(?:<br>[ \t\r\n]*){2,}", "<br>", _TAG.sub(flatten, html))


def _text_with_breaks(soup) -> str:
    """The page's text with _BREAK at both edges of every block element, in one walk (inserting
    markers into the tree costs a sibling scan each, quadratic on pages of many blocks)."""
    from bs4 import NavigableString
    from bs4.element import CData

    blocks = set(_BLOCK_TAGS)
    parts: list[str] = []
    stack = [(soup, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            parts.append(_BREAK)
        elif isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):  # not comments, doctypes, declarations
                parts.append(str(node))
        else:
            if node.name in blocks:
                parts.append(_BREAK)
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
    return "".join(parts)


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
    return decode(data, path)
