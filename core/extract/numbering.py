"""Numbering marks of official documents: 一、 (一) 1. (1) ① 第一 第一项 第1条 第一个问题 问题1 【问题1】
at a paragraph start (or alone on a line above the problem's title: 第1项), an unnumbered
【title】 line, and inline enumerations 一是…二是…, (1)…(2)…, ①…②…, 1.…2.… inside a paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CN_DIGITS = "一二三四五六七八九"
# A well-formed Chinese numeral up to 九十九: 三, 十, 十一, 二十三.
CN_NUMERAL = f"(?:[{_CN_DIGITS[1:]}]?十[{_CN_DIGITS}]?|[{_CN_DIGITS}])"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"  # one character each, read as (1) (2) …


def cn_value(numeral: str) -> int:
    """The value of a numeral matched by ``CN_NUMERAL`` ("二十三" → 23)."""
    if "十" not in numeral:
        return _CN_DIGITS.index(numeral) + 1
    tens, _, units = numeral.partition("十")
    return (_CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (_CN_DIGITS.index(units) + 1 if units else 0)


@dataclass(frozen=True)
class Marker:
    style: str     # "cn" 一、 "pcn" (一) "ar" 1. "par" (1) "circ" ① "di" 第一/第一项/第1条 "wt" 问题1/【问题1】 "shi" 一是
    #                "code" an audit problem code （1-2） / 2-1 (valued by its last number), "lat" a) b) (inline)
    #                "brk" an unnumbered 【title】 or “title” line, "lbl" an unnumbered 存在问题： block
    value: int
    start: int     # offsets into the text
    end: int       # after the mark, its separator and any spaces
    printed: str   # the mark as printed, without separator: "三", "(3)", "1", "①", "第一项", "问题1"; "" for 【】
    decimal: bool = False  # "1.2023年…": a heading only where it continues a run of 1. 2. 3.


_OPEN, _CLOSE = "[(（]", "[)）]"
_HEAD_RE = re.compile(
    rf"(?P<pcn>{_OPEN}\s*(?P<pcnv>{CN_NUMERAL})\s*{_CLOSE})[、.．,，]?"
    rf"|(?P<par>{_OPEN}\s*(?P<parv>\d{{1,4}})\s*{_CLOSE}|(?P<parv2>[{_PAREN_DIGITS}]))[、.．,，]?"
    rf"|(?P<circ>[{_CIRCLED}])[、.．,，]?"
    rf"|(?P<di>第(?P<div>{CN_NUMERAL}|\d{{1,4}}(?=[项条个点]|个?问题))(?:[项条个点]|个?问题)?)(?:[、，,:：.．]|(?<=[项条个点题])[ \u3000])"
    rf"|(?P<wt>(?:反馈)?问题\s*(?P<wtv>\d{{1,4}}|{CN_NUMERAL}))\s*[、，,:：.．]"
    rf"|【(?P<wtb>(?:反馈)?问题\s*(?P<wtbv>\d{{1,4}}|{CN_NUMERAL}))】[、，,:：.．]?"
    rf"|(?P<code>{_OPEN}\s*\d{{1,2}}\s*[-－—–]\s*(?P<codev>\d{{1,3}})\s*{_CLOSE}|\d{{1,2}}[-－–](?P<codev2>\d{{1,3}})(?=[ \u3000]))[、.．]?"
    rf"|(?P<cn>{CN_NUMERAL})[、.．]"
    rf"|(?P<ar>\d{{1,4}})(?:[、．]|\.(?P<decimal>(?=\d))?|(?P<rpar>[)）])(?=\D))"
)
# A title in 【】 on a line of its own; a short one, or one with a colon, is page chrome
# (【打印】【关闭窗口】【发布时间：2024-12-03】), one that names a part of an item a label (【整改落实情况】).
_BRACKET_RE = re.compile(r"【(?!整改|存在问题|问题(?:表现|描述)|反馈(?:问题|意见)|责任|完成)[^【】\s:：]{6,80}】")
# An unnumbered title in quotes on a line of its own (a web copy's bold **“…”** heading, the bold
# removed by the reader); it may hold inner ‘…’ quotes but no colon: 问题：“…” is a label's.
_QUOTED_LINE_RE = re.compile(r"“[^“”\n:：]{6,80}”")
_SPACES = re.compile(r"[ \u3000\u00a0]*")


def _value(style: str, raw: str) -> int:
    if style == "circ":
        return _CIRCLED.index(raw) + 1
    if raw in _PAREN_DIGITS:
        return _PAREN_DIGITS.index(raw) + 1
    if raw.isdigit():
        return int(raw)
    if style == "lat":
        return ord(raw.lower()) - ord("a") + 1
    return cn_value(raw)


def heading_marker(text: str, pos: int, end: int) -> Marker | None:
    """The numbering mark at ``pos`` (a paragraph start), or None."""
    if _BRACKET_RE.fullmatch(text, pos, end) or _QUOTED_LINE_RE.fullmatch(text, pos, end):
        return Marker("brk", 0, pos, pos + 1, "")
    m = _HEAD_RE.match(text, pos, end)
    if not m:
        return None
    style = next(s for s in ("pcn", "par", "circ", "di", "wt", "wtb", "code", "cn", "ar") if m.group(s) is not None)
    raw = m.group(style + "v") if style in ("pcn", "par", "di", "wt", "wtb", "code") else m.group(style)
    if style in ("par", "code") and raw is None:
        raw = m.group(style + "v2")
    stop = _SPACES.match(text, m.end(), end).end()
    if stop >= end:  # a bare number is not a heading
        return None
    value = _value(style, raw)
    printed = m.group(style)
    if style == "wtb":  # 【问题1】 is numbered as 问题1：
        style = "wt"
    # 1.2023年… and a four-digit number (2024．…) are headings only where they continue a run
    doubtful = m.group("decimal") is not None or (style == "ar" and value >= 1000)
    return Marker(style, value, m.start(), stop, printed, doubtful)


# A label that numbers a problem standing on a line of its own (第1项 / 第三条 / 问题2 / 【问题2】),
# its title on the lines below it.
_BARE_LABEL_RE = re.compile(
    rf"(?P<di>第(?P<div>{CN_NUMERAL}|\d{{1,4}})(?:[项条]|个?问题))[:：]?"
    rf"|(?P<wt>(?:反馈)?问题\s*(?P<wtv>\d{{1,4}}|{CN_NUMERAL}))[:：]?"
    rf"|【(?P<wtb>(?:反馈)?问题\s*(?P<wtbv>\d{{1,4}}|{CN_NUMERAL}))】"
)


def bare_label(text: str, pos: int, end: int) -> Marker | None:
    """The problem label filling the paragraph ``text[pos:end]`` (第1项), or None; its ``end`` is
    the paragraph's end: the caller makes the next paragraph its title."""
    m = _BARE_LABEL_RE.fullmatch(text, pos, end)
    if not m:
        return None
    style = next(s for s in ("di", "wt", "wtb") if m.group(s) is not None)
    return Marker("wt" if style == "wtb" else style, _value(style, m.group(style + "v")), pos, end, m.group(style))


# Inline enumerations: a mark right after the start, a line break or punctuation.
_AFTER = r"(?:^|(?<=[\s。；;，,：:！!？?、）)]))"
_CN_FIRST = f"(?=[{_CN_DIGITS}十])"
# Each pattern starts with a look-ahead naming the first character of its mark: it changes no
# match and lets the scan pass over the other positions fast (regions are read often).
_INLINE_RES = (
    ("shi", re.compile(rf"{_CN_FIRST}{_AFTER}(?P<v>{CN_NUMERAL})是(?=\S)", re.M)),
    ("par", re.compile(rf"(?=[(（{_PAREN_DIGITS}]){_AFTER}(?:{_OPEN}(?P<v>\d{{1,2}}){_CLOSE}|(?P<v2>[{_PAREN_DIGITS}]))", re.M)),
    ("circ", re.compile(rf"(?=[{_CIRCLED}]){_AFTER}(?P<v>[{_CIRCLED}])", re.M)),
    # 1)…2)…: a half bracket after the number, at a clause start
    ("rpar", re.compile(r"(?=\d)(?:^|(?<=[\s。；;：:，,]))(?P<v>\d{1,2})[)）](?!\d)", re.M)),
    ("pcn", re.compile(rf"(?=[(（]){_AFTER}{_OPEN}(?P<v>{CN_NUMERAL}){_CLOSE}", re.M)),
    # a) b) c): latin letters with a half bracket, each at a line start
    ("lat", re.compile(r"(?=[a-hA-H])^[ \t\u3000]*(?P<v>[a-hA-H])[)）](?![a-zA-Z])", re.M)),
    ("di", re.compile(rf"(?=第){_AFTER}第(?P<v>{CN_NUMERAL})[，,、：:]", re.M)),
    # 1.…；2.…: only after a clause end, and never a decimal (2.5万元) or a date (1.2023).
    ("ar", re.compile(r"(?=\d)(?:^|(?<=[\s。；;：:]))(?P<v>\d{1,2})[.．、](?!\d)", re.M)),
)


# A style's marks cannot occur in a region without one of these characters.
_TRIGGERS = {"shi": "是", "par": "(（⑴⑵", "circ": _CIRCLED[:2], "rpar": ")）", "pcn": "(（", "di": "第", "ar": ".．、", "lat": ")）"}
_TRIGGER_RES = {style: re.compile(f"[{re.escape(chars)}]") for style, chars in _TRIGGERS.items()}


def inline_items(text: str, start: int, end: int) -> list[Marker]:
    """The earliest-starting run 1, 2, 3… of one inline style in ``text[start:end]`` (see
    ``_inline_items``); cached until ``clear_cache()``, as one reading asks about a region often."""
    return list(_inline_items(text, start, end))


def clear_cache() -> None:
    _inline_items.cache_clear()


@lru_cache(maxsize=8192)
def _inline_items(text: str, start: int, end: int) -> tuple[Marker, ...]:
    """The earliest-starting run 1, 2, 3… of one inline style in ``text[start:end]``.

    A run needs at least two items; returns [] when the region is not enumerated. One
    skipped number is tolerated (notices do print 四是 … 六是). A mark 1 inside the run
    starts a nested enumeration (一是A。整改情况：一是x；二是y。\n二是B…): its items, up
    to the next line, are not the run's."""
    region = text[start:end]
    best: list[Marker] = []
    for style, pattern in _INLINE_RES:
        if not _TRIGGER_RES[style].search(region):
            continue
        run: list[Marker] = []
        nested = False
        for m in pattern.finditer(region):
            value = _value(style, m.group("v") or m.group("v2") if style == "par" else m.group("v"))
            if run and (value == 1 or nested):
                nested = bool(region[region.rfind("\n", 0, m.start()) + 1:m.start()].strip())
                if nested:
                    continue
            last = run[-1].value if run else 0
            if value == last + 1 or (run and value == last + 2):
                stop = _SPACES.match(region, m.end()).end()
                run.append(Marker(style, value, start + m.start(), start + stop, m.group(0)))
        if len(run) >= 2 and (not best or run[0].start < best[0].start):
            best = run
    return tuple(best)


_INLINE_BY_STYLE = dict(_INLINE_RES)


def continued_items(text: str, start: int, end: int, style: str, value: int) -> list[Marker]:
    """Inline marks in ``text[start:end]`` that carry on a heading's numbering: a paragraph that
    starts with ⑴ (a heading mark) and goes on ⑵…⑶… holds three items, not one."""
    pattern = _INLINE_BY_STYLE.get(style)
    if pattern is None:
        return []
    found: list[Marker] = []
    for m in pattern.finditer(text, start, end):
        raw = m.group("v") or (m.group("v2") if "v2" in pattern.groupindex else None)
        if raw is None:
            continue
        v = _value(style, raw)
        if v == value + 1:
            stop = _SPACES.match(text, m.end()).end()
            found.append(Marker(style, v, m.start(), stop, m.group(0)))
            value = v
    return found
