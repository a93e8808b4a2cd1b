"""Saved web pages: the article's text without the site's chrome (menus, crumbs, print bars)."""
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
    return decode(data, path)
