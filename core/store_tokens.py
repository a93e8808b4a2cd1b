"""The search index's tokens: overlapping character pairs (bigrams) of Chinese text, whole words
of other letters and digits. No dictionary: indexing a notice costs a few milliseconds instead
of a jieba pass, the tokens of a text never change between versions (the index is contentless
and deletes by re-tokenising), and any run of characters is found (部分词, 人名, 新词)."""
from __future__ import annotations

import re

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(f"([{_CJK}]+)|([^\\W_{_CJK}]+)")
_IS_CJK = re.compile(f"[{_CJK}]")


def runs(text: str) -> list[str]:
    """The runs of Chinese characters and of other letters/digits, in order (latin lowercased)."""
    return [cjk or other.lower() for cjk, other in RUN.findall(text or "")]


def _is_cjk(ch: str) -> bool:
    return _IS_CJK.match(ch) is not None


def index_tokens(text: str) -> str:
    """``text`` as the space-separated tokens stored in the index: each Chinese run as its
    character pairs plus its last character alone, each other run as one word."""
    out: list[str] = []
    for cjk, other in RUN.findall(text or ""):
        if cjk:
            out.extend(map("".join, zip(cjk, cjk[1:])))
            out.append(cjk[-1])
        else:
            out.append(other.lower())
    return " ".join(out)


def query_parts(query: str) -> list[str]:
    """The runs a query asks for, each of which must occur in a hit (duplicates dropped)."""
    return list(dict.fromkeys(runs(query)))


def match_expression(parts: list[str]) -> str:
    """An FTS5 query: every part as a phrase of its pairs (a single character as a prefix)."""
    phrases = []
    for part in parts:
        if _is_cjk(part[0]) and len(part) > 1:
            phrases.append('"' + " ".join(part[i:i + 2] for i in range(len(part) - 1)) + '"')
        else:
            phrases.append(f'"{part}"' + (" *" if _is_cjk(part[0]) else ""))
    return " AND ".join(phrases)
