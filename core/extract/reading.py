"""The text the structure reader reads, and the way back to the notice's own characters.

Notices reach the program with debris and in scripts the reader's wording does not know:
- copied from the web: front matter at the top, markdown bold (``**一、…**``) and headings,
  emoji decorating a WeChat copy (🔸 X 🔸, ➖➖➖ separators),
  HTML comments and ``<!--more-->`` inside a sentence, a paragraph broken after a comma, a
  line holding only ``。``;
- mirror pages that print pinyin after a character (``關(guān)于``);
- traditional characters (繁體).

``Reading(text)`` removes the debris and converts traditional characters to simplified ones
with OpenCC (one character for one, so the converted text keeps the length of what it
converts). The reader parses ``reading.text``; ``span()`` maps its offsets back into the
notice's text, and ``chars()`` gives the notice's own characters for a stretch of it with the
debris left out (titles and measures keep 繁體 characters but never a markdown mark).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from core.extract.numbering import heading_marker

# Debris that is read as if it were not there.
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(?:[^\n]*\n){0,40}?---[ \t]*\n")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MARKDOWN = re.compile(r"\*\*|__|^[ \t\u3000]*#{1,6}[ \t]+|^[ \t\u3000]*>[ \t]?", re.M)
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A syllable in brackets right after a Chinese character: with a tone mark, or a plain one.
_PINYIN = re.compile(
    rf"(?<=[\u4e00-\u9fff])[(（](?:[a-zü]{{0,5}}[{_TONED}][a-zü]{{0,4}}"
    rf"|(?:[bpmfdtnlgkhjqxrzcsyw]|[zcs]h)?(?:[aeiouü]|[aeiou][aeiou]|[aeiou]ng?|[aeiou]n|i[ao]ng?|uang?)r?)[)）]"
)
# Emoji and pictographs a web copy decorates its lines with (🔸🔸 X 🔸🔸, ➖➖➖, 👇, 📞), with the
# spaces after them; the dingbat circled digits ❶…❿ (U+2776–2793) are numbering, not decoration.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u2775\u2794-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+[ \t\u3000]*")
# A line holding only a clause end belongs to the line before it.
_LONE_END = re.compile(r"[ \t\u3000]*\n[\s]*(?=[。，；;,]+[ \t\u3000]*(?:\n|\Z))")
# A line that ends inside a sentence (after a comma or an opening bracket) runs on in the next.
_RUN_ON = re.compile(r"(?<=[，,、“（《])[ \t\u3000]*\n[ \t\u3000]*(?=\S)")
_INLINE_START = re.compile(r"[一二三四五六七八九十]+是|[①-⑳⑴-⒇]|[(（]?\d{1,2}[)）.．、]|\S{2,8}[：:]")

# Characters only traditional text uses, common in notices: enough of them and the text is 繁體.
_TRADITIONAL = frozenset("們這個關於問題進與對實會為發經說當還過來時後點從應變讓黨組織區縣鎮單規劃導設軍書學習檢務總開")
_TRADITIONAL_MIN = 5


@lru_cache(maxsize=1)
def _converter():
    import opencc  # the maintained OpenCC binding; its dictionaries ship in the wheel

    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    found = 0
    for ch in _TRADITIONAL:
        if ch in text:
            found += 1
            if found >= _TRADITIONAL_MIN:
                return True
    return False


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, one character for one."""
    conv = _converter().convert
    out = conv(text)
    if len(out) == len(text):
        return out
    lines = []
    for line in text.split("\n"):  # a phrase that changed length: fall back to single characters
        converted = conv(line)
        if len(converted) != len(line):
            converted = "".join(c if len(c := conv(ch)) == 1 else ch for ch in line)
        lines.append(converted)
    return "\n".join(lines)


class Reading:
    def __init__(self, text: str):
        self.original = text
        cuts, self._debris_cuts = self._cuts(text)
        if cuts:
            kept, pos, index = [], 0, []
            for s, e in cuts:
                kept.append(text[pos:s])
                index.extend(range(pos, s))
                pos = e
            kept.append(text[pos:])
            index.extend(range(pos, len(text)))
            index.append(len(text))
            cleaned = "".join(kept)
            self._index: list[int] | None = index
        else:
            cleaned, self._index = text, None
        self.traditional = is_traditional(cleaned)
        self.text = to_simplified(cleaned) if self.traditional else cleaned
        self.changed = self._index is not None or self.traditional

    @staticmethod
    def _cuts(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """All stretches the reader skips, and those of them that are debris: everything but
        the pinyin glitches, which stay in titles as the notice prints them."""
        debris: list[tuple[int, int]] = []
        m = _FRONT_MATTER.match(text)
        if m:
            debris.append(m.span())
        for pattern in (_COMMENT, _MARKDOWN, _EMOJI, _LONE_END):
            debris += [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
        for m in _RUN_ON.finditer(text):
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end < 0 else line_end
            if not (heading_marker(text, m.end(), line_end) or _INLINE_START.match(text, m.end())):
                debris.append(m.span())
        glitches = [m.span() for m in _PINYIN.finditer(text)]
        return _merged(debris + glitches), _merged(debris)

    def pos(self, i: int) -> int:
        """The notice offset of reading offset ``i`` (0 ≤ i ≤ len(text))."""
        return i if self._index is None else self._index[i]

    def span(self, s: int, e: int) -> tuple[int, int]:
        """The notice's span of the reading's ``[s, e)``."""
        if s >= e:
            return self.pos(s), self.pos(s)
        return self.pos(s), self.pos(e - 1) + 1

    def chars(self, s: int, e: int) -> str:
        """The notice's own characters of the reading's ``[s, e)``, debris left out."""
        return self.clean(*self.span(s, e))

    def clean(self, os: int, oe: int) -> str:
        """The notice's own characters of its ``[os, oe)``, debris left out: what a title whose
        span that is holds."""
        if not self._debris_cuts:
            return self.original[os:oe]
        parts, pos = [], os
        for cs, ce in self._debris_cuts[bisect.bisect_left(self._debris_cuts, (os, os)):]:
            if cs >= oe:
                break
            parts.append(self.original[pos:cs])
            pos = max(pos, ce)
        parts.append(self.original[pos:oe])
        return "".join(parts)

    def own_of(self, value: str | None, start: int = 0, end: int | None = None) -> str | None:
        """A string found in the reading text, in the notice's own characters."""
        if not value or not self.changed:
            return value
        i = self.text.find(value, start, len(self.text) if end is None else end)
        return self.chars(i, i + len(value)) if i >= 0 else value


def _merged(cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(cuts):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged
