"""Problems listed in a table (督察/审计 notices: 序号 | 问题 | 整改措施 | 责任单位 | 时限 | 进展).

``core.ingest`` renders a table one cell paragraph per line, row by row, and leaves no mark
of where a cell ends. A table is known by its header: a run of short lines that each name a
ledger column (序号, 问题, 整改措施, 责任单位, 完成时限, 进展, 备注 …), starting with 序号 and naming
a problem column. A row starts with a line that is just the next number; a numbered heading
line right before one (a merged row: （一）水环境治理方面) is the category of the rows after it.
The cells before the measures column (the problem, a 整改目标) are taken to be one line each and
the cells after it are counted from the row's end; what is left in between is the measures
cell, which is the one that usually runs over several paragraphs (一是… 二是…). An enumerated
line starts it early (an empty 整改目标 cell leaves no line in a web page), and a short line
without sentence punctuation ends it early when a unit or deadline column follows.

A progress column after the measures (整改情况, 进展, 完成情况) holds the row's status cell.

A table with a deadline column (整改时限, 完成时间) holds date cells (2025年6月30日), and a unit
cell right above one looks like a signature above its date: such a line ends the table only
where it cannot be a cell: not when the next row's number follows within a row's length, and in
the last row (when the rows before it hold date cells) not before the row's date cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from collections.abc import Callable

from core.extract.numbering import CN_NUMERAL, cn_value, heading_marker, inline_items

_NUMBER_COL = re.compile(r"序号|编号")
_PROBLEM_COL = re.compile(
    r"(?:(?:审计|巡视|巡察|督察|检查)?(?:发现|反馈|指出|存在|主要|具体|突出)的?)?问题(?:描述|表现|清单|内容)?|问题及表现|反馈意见"
)
# Columns the measures are read from, by preference.
_MEASURE_COLS = (
    re.compile(r"整改(?:措施|举措)|具体措施|措施"),
    re.compile(r"整改(?:落实)?情况|落实情况"),
    re.compile(r"(?:整改)?进展(?:情况)?|完成情况|整改成效"),
)
# A column after the measures that says how far the rectification got (its cell is the row's status).
_STATUS_COL = re.compile(r"整改(?:落实)?情况|落实情况|(?:整改)?进展(?:情况)?|完成情况|整改状态|是否完成")
_SHORT_COL = re.compile(r"责任|牵头|配合|领导|时限|时间|期限")
_OTHER_COL = re.compile(r"整改(?:目标|要求|时限|类型|状态|结果)|目标|备注|是否销号|销号情况|完成时间|整改责任人")
_ROW_NUMBER = re.compile(rf"[(（]?(?P<v>\d{{1,4}}|{CN_NUMERAL})[)）]?[.、．]?")
_SENTENCE = re.compile(r"[。；;，,]")
_DATE_COL = re.compile(r"时限|时间|期限|日期")
_DATE_CELL = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}-\d{1,2}-\d{1,2}")
_ENUMERATED = re.compile(rf"{CN_NUMERAL}是|[(（]?\d{{1,2}}[)）.、．]|[①-⑳]|第{CN_NUMERAL}[，,、：:]")


@dataclass
class Row:
    number: str
    span: tuple[int, int]
    title_span: tuple[int, int]
    measure_spans: list[tuple[int, int]]
    category: str | None = None
    status_span: tuple[int, int] | None = None  # the cell of a progress column after the measures


def _header_cell(line: str) -> bool:
    return len(line) <= 12 and any(
        p.fullmatch(line) for p in (_NUMBER_COL, _PROBLEM_COL, _SHORT_COL, _OTHER_COL, *_MEASURE_COLS)
    ) or (len(line) <= 8 and bool(_SHORT_COL.search(line)))


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def rows(text: str, is_end: Callable[[int, int], bool]) -> tuple[list[Row], bool]:
    """The problem rows of every table in ``text`` and whether any table header was found.
    ``is_end(start, end)`` tells a paragraph that ends the body (signature, date, contact) and so
    the last row.

    Blank lines count as cells: an empty cell is a blank line in ingest's text."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append(_strip(text, pos, pos + len(line)))
        pos += len(line) + 1
    found: list[Row] = []
    has_header = False
    i = 0
    while i < len(lines):
        header = []
        j = i
        while j < len(lines) and _header_cell(text[lines[j][0]:lines[j][1]]):
            header.append(text[lines[j][0]:lines[j][1]])
            j += 1
        if len(header) >= 3 and _NUMBER_COL.fullmatch(header[0]) and any(_PROBLEM_COL.fullmatch(h) for h in header):
            table_rows, j = _table(text, lines, j, header, is_end)
            found += table_rows
            has_header = True
        i = max(j, i + 1)
    return found, has_header


def _value(raw: str) -> int:
    return int(raw) if raw.isdigit() else cn_value(raw)


def _table(text: str, lines: list[tuple[int, int]], start: int, header: list[str],
           is_end: Callable[[int, int], bool]) -> tuple[list[Row], int]:
    """The rows of the table whose header ends before ``lines[start]``, and where it ends."""
    problem_col = next(k for k, h in enumerate(header) if _PROBLEM_COL.fullmatch(h))
    measure_col = next((k for p in _MEASURE_COLS for k, h in enumerate(header) if p.fullmatch(h)), None)
    status_col = next((k for k, h in enumerate(header) if measure_col is not None and k > measure_col
                       and _STATUS_COL.fullmatch(h)), None)
    starts: list[tuple[int, str, str | None]] = []  # (line, row number, category)
    headings: set[int] = set()  # lines of merged heading rows
    category = None
    dated = any(_DATE_COL.search(h) for h in header)

    def dated_cell(x: int) -> bool:  # a date line, or a line right above one (a unit cell)
        return dated and any(y < len(lines) and _DATE_CELL.fullmatch(text, *lines[y]) for y in (x, x + 1))

    for k in range(start, len(lines)):
        if is_end(*lines[k]):
            expected = _value(starts[-1][1]) + 1 if starts else 1
            if not (starts and dated_cell(k) and any(
                    _ROW_NUMBER.fullmatch(text, *lines[y]) and _value(_ROW_NUMBER.fullmatch(text, *lines[y])["v"]) == expected
                    for y in range(k + 1, min(len(lines), k + 1 + len(header))))):
                break
        expected = _value(starts[-1][1]) + 1 if starts else 1
        number = _row_number(text, lines[k], expected)
        if number:
            starts.append((k, number, category))
        elif k + 1 < len(lines) and _row_number(text, lines[k + 1], expected) and (heading := _heading(text, lines[k])):
            category = heading
            headings.add(k)
        elif not starts and lines[k][0] < lines[k][1]:
            break
    out = []
    if starts:  # the last row runs to the end of the body or a section heading, no longer than the longest row
        k = starts[-1][0]
        # (a merged heading row between two rows is no part of the row above it)
        longest = max([b - a - (b - 1 in headings) for (a, *_), (b, *_) in zip(starts, starts[1:])] + [len(header)])
        # the last row's date cell (and the unit above it) comes before the notice's own date,
        # when the rows before it hold date cells
        dates_before = len(starts) == 1 or any(_DATE_CELL.fullmatch(text, *lines[y]) for y in range(starts[0][0], k))
        end = next((x for x in range(k + 1, min(len(lines), k + longest))
                    if (is_end(*lines[x]) and not (dates_before and dated_cell(x) and not any(
                        _DATE_CELL.fullmatch(text, *lines[y]) for y in range(k + 1, x))))
                    or _section(text, lines[x])), min(len(lines), k + longest))
        starts.append((end, "", None))
    for n, (k, number, category) in enumerate(starts[:-1]):
        stop = starts[n + 1][0]
        cells = lines[k + 1:stop - (stop - 1 in headings)]
        if len(cells) < problem_col or cells[problem_col - 1][0] == cells[problem_col - 1][1]:
            continue
        title = cells[problem_col - 1]
        measures: list[tuple[int, int]] = []
        status = None
        if measure_col is not None and measure_col > problem_col:
            first = measure_col - 1
            # an empty cell before the measures leaves no line in a web page: an enumerated
            # line right after the problem starts the measures
            first = next((c for c in range(problem_col, first) if _ENUMERATED.match(text, *cells[c])), first)
            last = max(first + 1, len(cells) - (len(header) - measure_col - 1))
            block = [c for c in cells[first:last] if c[0] < c[1]]
            follows_short = measure_col + 1 < len(header) and _SHORT_COL.search(header[measure_col + 1])
            if follows_short:
                cut = next((b for b in range(1, len(block)) if _short_cell(text, block[b])), None)
                block = block[:cut]
            if block:
                measures = _measure_spans(text, block[0][0], block[-1][1])
                # the progress cell, counted from the row's end, after the measures cell
                at = len(cells) - (len(header) - status_col) if status_col is not None else -1
                if at >= 0 and cells[at][0] >= block[-1][1] and cells[at][0] < cells[at][1]:
                    status = cells[at]
        end = max([c[1] for c in cells if c[0] < c[1]] + [lines[k][1]])
        out.append(Row(number, (lines[k][0], end), title, measures, category, status))
    return out, (starts[-1][0] if starts else start)


def _row_number(text: str, span: tuple[int, int], expected: int) -> str | None:
    """The row number a line holds when it is the next row's (or a new table's first), else None."""
    m = _ROW_NUMBER.fullmatch(text, *span)
    return m["v"] if m and _value(m["v"]) in (expected, 1) else None


def _heading(text: str, span: tuple[int, int]) -> str | None:
    """The title of a short heading line numbered 一、 or （一）, or ending in 方面; else None."""
    s, e = span
    if e - s > 40 or _SENTENCE.search(text, s, e):
        return None
    marker = heading_marker(text, s, e)
    if marker and marker.style in ("cn", "pcn"):
        return text[marker.end:e]
    return text[s:e] if text.endswith("方面", s, e) else None


def _section(text: str, span: tuple[int, int]) -> bool:
    """A document section heading (三、下一步工作打算), which no table cell holds."""
    marker = heading_marker(text, *span)
    return bool(marker and marker.style == "cn" and _heading(text, span))


def _short_cell(text: str, span: tuple[int, int]) -> bool:
    s, e = span
    return e - s <= 20 and not _SENTENCE.search(text, s, e)


def _measure_spans(text: str, s: int, e: int) -> list[tuple[int, int]]:
    items = inline_items(text, s, e)
    if not items:
        return [(s, e)]
    bounds = [m.end for m in items]
    stops = [m.start for m in items[1:]] + [e]
    spans = [_strip(text, a, b) for a, b in zip(bounds, stops)]
    if s < items[0].start:  # an introduction belongs to the first measure
        spans[0] = (s, spans[0][1])
    return [sp for sp in spans if sp[0] < sp[1]]
