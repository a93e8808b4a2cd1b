"""The looks of an official ledger: fonts, borders, fills, row heights."""
from __future__ import annotations

import math
from functools import lru_cache

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
WARNING_COLOURS = {"红": "FF9C9C", "黄": "FFE699", "绿": "A9D08E"}
WARNING_FILLS = {k: PatternFill("solid", fgColor=v, bgColor=v) for k, v in WARNING_COLOURS.items()}
CENTERED_KEYS = frozenset({"seq", "rectify_type", "status", "closed", "checked", "deadline", "closed_at"})
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
TIME_FORMAT = "yyyy-mm-dd hh:mm"
WARNING_DAYS = 15  # 黄: due within this many days
LINE_HEIGHT = 16.0  # points per wrapped line of 11 pt 宋体: Excel needs 14.25, LibreOffice with Noto CJK 15.9
FOOTER = "第 &P 页 共 &N 页"


# A CJK character of 11 pt 宋体 is 14.7 px wide, 2.1 of Excel's width units (7 px digits of the
# default font); Latin letters and digits half that. A cell keeps about one unit for its padding.
CJK_UNITS = 2.1
PADDING = 1.2
MAX_ROW_HEIGHT = 409.0  # Excel and WPS cannot show a taller row
ROW_LINES = 16  # lines of a row before it continues (续) in the next: 236 pt, fits under a page's heading


def _text_width(text: str) -> float:
    # Chinese characters are three UTF-8 bytes, ASCII one: (bytes + chars) / 2 counts 2 and 1.
    return (len(text.encode("utf-8", "surrogatepass")) + len(text)) / 2 * (CJK_UNITS / 2)


def _lines(value, width: float) -> int:
    """How many lines ``value`` wraps to in a column ``width`` units wide (an estimate)."""
    if not isinstance(value, str):
        return 1
    usable = max(width - PADDING, 1)
    if len(value) * CJK_UNITS <= usable and "\n" not in value:  # surely one line: skip the measuring
        return 1
    return _text_lines(value, usable)


@lru_cache(maxsize=4096)
def _text_lines(value: str, usable: float) -> int:
    # An item's text is measured for its row's height, for the split into 续 rows and for the
    # merged cells' room: the cache spares the repeats.
    if "\n" not in value:
        return max(1, math.ceil(_text_width(value) / usable))
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in value.split("\n"))


def wrap(text: str, width: float) -> list[tuple[str, bool]]:
    """``text`` as the lines a cell ``width`` units wide shows: (line, starts a paragraph)."""
    usable = max(width - PADDING, 1)
    lines = []
    for paragraph in text.split("\n"):
        line, used, first = [], 0.0, True
        for ch in paragraph:
            w = CJK_UNITS if ord(ch) > 0x2000 else CJK_UNITS / 2
            if used + w > usable and line:
                lines.append(("".join(line), first))
                line, used, first = [], 0.0, False
            line.append(ch)
            used += w
        lines.append(("".join(line), first))
    return lines


def _height(lines: int) -> float:
    return min(round(lines * LINE_HEIGHT + 4, 1), MAX_ROW_HEIGHT)


def _title_height(text: str, width: float) -> float:
    scale = TITLE_FONT.sz / BODY_FONT.sz
    return round(_lines(text, width / scale) * LINE_HEIGHT * scale + 10, 1)
