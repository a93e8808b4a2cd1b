"""The looks of an official ledger: fonts, borders, fills, row heights."""
from __future__ import annotations

import math

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

BODY_FONT = Font(name="宋体", size=11, charset=134)
HEADER_FONT = Font(name="黑体", size=11, charset=134)
TITLE_FONT = Font(name="宋体", size=18, bold=True, charset=134)
LINK_FONT = Font(name="宋体", size=11, charset=134, color="0563C1", underline="single")
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
INFO_ALIGN = Alignment(vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
WARNING_FILLS = {
    "红": PatternFill("solid", fgColor="FF9C9C"),
    "黄": PatternFill("solid", fgColor="FFE699"),
    "绿": PatternFill("solid", fgColor="A9D08E"),
}
CENTERED_KEYS = frozenset({"seq", "rectify_type", "status", "warning", "closed", "checked", "deadline", "closed_at"})
LINE_HEIGHT = 14.5  # points per wrapped line of 11 pt 宋体 (Excel's own row height for it is 14.25)
FOOTER = "第 &P 页 共 &N 页"


def _text_width(text: str) -> int:
    # Chinese characters are three UTF-8 bytes and two columns wide; ASCII is one and one.
    return (len(text.encode("utf-8")) + len(text)) // 2


def _lines(value, width: float) -> int:
    """How many lines ``value`` wraps to in a column ``width`` units wide (an estimate)."""
    if not isinstance(value, str):
        return 1
    usable = max(width - 1.5, 1)
    if len(value) * 2 <= usable and "\n" not in value:  # surely one line: skip the measuring
        return 1
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in value.split("\n"))


def _height(lines: int) -> float:
    return round(lines * LINE_HEIGHT + 4, 1)


def _title_height(text: str, width: float) -> float:
    scale = TITLE_FONT.sz / BODY_FONT.sz
    return round(_lines(text, width / scale) * LINE_HEIGHT * scale + 10, 1)

