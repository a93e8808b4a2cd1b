"""One notice's sheet: title, information lines, the 预警 legend, the header and the rows.

No row is taller than Excel can show (409 pt): an item too long for one row continues in the
next row(s), whose 序号 reads "3续" and whose 反馈问题 repeats the title, each with its
borders, so a page break inside a long problem still reads right. Dates are date cells, the
整改状态/整改类型/是否销号 cells have dropdowns, and 预警 is conditional formatting on the
整改时限 cell that Excel, WPS and LibreOffice evaluate when they open the file (no formulas in
any cell)."""
from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.ledger.columns import (MEASURE_KEYS, REPORT, STATUSES, _kind_word, _source_name, fit_columns,
                                 ledger_title, problem_blocks)
from core.ledger.sheet import _Sheet
from core.ledger.styles import (BODY_FONT, INFO_ALIGN, MAX_ROW_HEIGHT, ROW_LINES, TITLE_FONT, WARNING_DAYS,
                                WARNING_FILLS, WRAP_CENTER, _height, _lines, _title_height, wrap)

RECTIFY_TYPES = ("立行立改", "限期整改", "长期坚持")
YES_NO = ("是", "否")
SPARE_ROWS = 200  # dropdowns and 预警 reach this far below the last row, for rows a unit adds
LEGEND = (f"预警（打开文件时按当天日期着色“整改时限”）：红色＝已过时限未完成；黄色＝{WARNING_DAYS}日内到期；"
          "绿色＝已完成或已销号；无具体日期的（如长期坚持）不着色。")
CONTINUED = "续"
PROBLEM_ONLY_MARKS = ("seq", "title")  # the cells a continuation row repeats, so it reads alone


def info_lines(notice: dict, profile=REPORT) -> list[str]:
    k = _kind_word(notice)
    start, end = notice.get("inspection_start"), notice.get("inspection_end")
    period = f"{start}至{end}" if start and end else (start or end)
    items = [
        (f"被{k}单位", notice.get("issuer")),
        (f"{k}组", notice.get("inspector")),
        (f"{k}时间", period),
        ("反馈时间", notice.get("feedback_date")),
        ("通报日期", notice.get("published")),
    ]
    if profile is not REPORT:
        items.append(("来源文件", _source_name(notice)))
    return [f"{label}：{value}" for label, value in items if value]


def write_notice_sheet(book, title, notice, profile, layout, *, hidden=(), shown=(), identity=None):
    blocks = problem_blocks(notice, layout, with_status=profile is REPORT and layout == "problem")
    columns = fit_columns(profile.columns(hidden, shown, layout), (r for b in blocks for r in b), profile)
    info = info_lines(notice, profile)
    keys = {c.key for c in columns}
    legend = "deadline" in keys
    sheet = _Sheet(book, title, columns, header_row=len(info) + 2 + legend, paper=profile.paper,
                   key_column=identity is not None)
    total_width = sum(c.width for c in columns)
    heading = ledger_title(notice)
    sheet.wide_row(heading, TITLE_FONT, WRAP_CENTER, _title_height(heading, total_width))
    for line in info + ([LEGEND] if legend else []):
        sheet.wide_row(line, BODY_FONT, INFO_ALIGN, _height(_lines(line, total_width)))
    sheet.header()
    writer = _Rows(sheet, notice, title, identity)
    for block in blocks:
        if layout == "problem":
            writer.problem_row(block[0])
        else:
            writer.measure_block(block)
    decorate(sheet, sheet.header_row + 1, sheet.row + SPARE_ROWS, layout)
    sheet.finish()
    return sheet


def split_row(values: dict, columns, keys=None) -> list[tuple[dict, dict]]:
    """``values`` as one or more rows of at most ROW_LINES lines: [(row values, separators)],
    where separators tell, per continued cell, what joins it to the previous part ("\\n" or "")."""
    keys = [c for c in columns if keys is None or c.key in keys]
    wrapped = {}
    for col in keys:
        value = values.get(col.key)
        if isinstance(value, str) and _lines(value, col.width) > ROW_LINES:
            wrapped[col.key] = wrap(value, col.width)
    if not wrapped:
        return [(values, {})]
    parts = max(-(-len(lines) // ROW_LINES) for lines in wrapped.values())
    rows = []
    for k in range(parts):
        row = dict(values) if k == 0 else {m: _mark(m, values) for m in PROBLEM_ONLY_MARKS}
        seps = {}
        for key, lines in wrapped.items():
            chunk = lines[k * ROW_LINES:(k + 1) * ROW_LINES]
            text = ""
            for i, (line, starts) in enumerate(chunk):
                text += ("\n" if starts and i else "") + line
            row[key] = text
            if k and chunk:
                seps[key] = "\n" if chunk[0][1] else ""
        rows.append((row, seps))
    return rows


def _mark(key, values):
    if key == "seq":
        return f"{values.get('seq')}{CONTINUED}"
    return f"（{CONTINUED}）{values.get('title') or ''}"


class _Rows:
    """Writes the data rows of one sheet, giving each its identity key."""

    def __init__(self, sheet, notice, sheet_title, identity):
        self.sheet, self.notice, self.title, self.identity = sheet, notice, sheet_title, identity
        self.problem_keys = [c.key for c in sheet.columns if c.key not in MEASURE_KEYS]

    def _key(self, values, problem_part, measure_part, seps):
        if self.identity is None:
            return None
        problem, measure = values.get("_problem") or {}, values.get("_measure")
        base = {}
        if problem_part == 0:
            base["problem"] = values.get("_display") or {}
        if measure is not None and measure_part == 0:
            base["measure"] = values.get("_measure_display") or {}
        parts = {"problem": problem_part, "measure": measure_part, "sep": seps}
        return self.identity.key(self.title, self.notice.get("id"), problem.get("id"),
                                 measure.get("id") if measure else None, parts, base)

    def problem_row(self, values):
        for k, (row, seps) in enumerate(split_row(values, self.sheet.columns)):
            self.sheet.data_row(row, key=self._key(values, k, None, seps))

    def measure_block(self, block):
        first = self.sheet.row + 1
        self._measure_rows(block)
        if self.sheet.row > first:
            self.sheet.blocks.append((first, self.sheet.row))

    def _measure_rows(self, block):
        sheet, columns = self.sheet, self.sheet.columns
        measure_cols = [c for c in columns if c.key in MEASURE_KEYS]
        problem_cols = [c for c in columns if c.key not in MEASURE_KEYS]
        heights = [_height(max([_lines(r.get(c.key), c.width) for c in measure_cols], default=1)) for r in block]
        needed = _height(max([_lines(block[0].get(c.key), c.width) for c in problem_cols], default=1))
        fits = (sum(heights) <= MAX_ROW_HEIGHT and needed <= MAX_ROW_HEIGHT
                and all(len(split_row(r, columns, MEASURE_KEYS)) == 1 for r in block))
        if fits:
            # Problem cells written once and merged down the measure rows; the last row grows
            # if the merged cells need more room.
            heights[-1] += max(0.0, needed - sum(heights))
            first = sheet.row + 1
            sheet.data_row(block[0], height=heights[0], key=self._key(block[0], 0, 0, {}))
            for row, height in zip(block[1:], heights[1:]):
                sheet.data_row(row, keys=MEASURE_KEYS, height=height, key=self._key(row, None, 0, {}))
            for i, col in enumerate(columns, 1):
                if col.key not in MEASURE_KEYS:
                    sheet.merge(first, i, sheet.row, i)
            return
        # Too tall to merge across a page: every row stands alone; later rows repeat 序号 and title.
        for m, values in enumerate(block):
            row_values = values if m == 0 else {**{k: "" for k in self.problem_keys},
                                                **{k: _mark(k, values) for k in PROBLEM_ONLY_MARKS},
                                                **{k: values.get(k) for k in MEASURE_KEYS},
                                                "_problem": values["_problem"], "_measure": values.get("_measure")}
            for k, (row, seps) in enumerate(split_row(row_values, columns)):
                problem_part = k if m == 0 else None
                sheet.data_row(row, key=self._key(values, problem_part, k, seps))


def decorate(sheet, first_row: int, last_row: int, layout="problem") -> None:
    """Dropdowns for 整改状态 (and each measure's 完成情况), 整改类型, 是否销号; the 预警 rules on 整改时限."""
    ws = sheet.ws
    lists = [("status", STATUSES), ("rectify_type", RECTIFY_TYPES), ("closed", YES_NO)]
    if layout == "measure":
        lists.append(("progress", STATUSES))
    for key, choices in lists:
        col = sheet.col(key)
        if col is None:
            continue
        letter = get_column_letter(col)
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                            showErrorMessage=True, errorStyle="warning", errorTitle="整改台账",
                            error="请从下拉列表中选择：" + "、".join(choices))
        dv.add(f"{letter}{first_row}:{letter}{last_row}")
        ws.data_validations.append(dv)
    deadline = sheet.col("deadline")
    if deadline is None:
        return
    # 预警 colours each row's 整改时限 by its own 整改状态 and its problem's 是否销号. In the
    # measure layout a problem's 是否销号 is written once, in the first row of its rows (merged
    # down): the later rows get rules of their own that read that first row, and the rules for
    # the whole column leave those rows out, so no cell has two sets of rules.
    letter = get_column_letter(deadline)
    later_rows = [(top, top + 1, last) for top, last in sheet.blocks] if sheet.col("closed") else []
    ranges, row = [], first_row
    for _, start, end in later_rows:
        if start - 1 >= row:
            ranges.append(_span(letter, row, start - 1))
        row = end + 1
    if row <= last_row:
        ranges.append(_span(letter, row, last_row))
    for (top, start, end) in [(None, first_row, last_row)] + later_rows:
        cell_range = " ".join(ranges) if top is None else _span(letter, start, end)
        sheet.conditional_format(cell_range, [(WARNING_FILLS[colour], formula)
                                              for colour, formula in _warning_rules(sheet, deadline, start, top)])


def _span(letter, first, last):
    return f"{letter}{first}" if first == last else f"{letter}{first}:{letter}{last}"


def _warning_rules(sheet, deadline, row, closed_row):
    """The three 预警 rules for cells from ``row`` down: green done, red past the deadline, yellow
    within WARNING_DAYS days. ``closed_row`` fixes the 是否销号 cell read (the problem's first row)."""
    d = f"${get_column_letter(deadline)}{row}"
    done_tests = []
    if sheet.col("status"):
        done_tests.append(f'${get_column_letter(sheet.col("status"))}{row}="已完成"')
    if sheet.col("closed"):
        closed = get_column_letter(sheet.col("closed"))
        done_tests.append(f'${closed}${closed_row}="是"' if closed_row else f'${closed}{row}="是"')
    done = f"OR({','.join(done_tests)})" if done_tests else "FALSE"
    return [
        ("绿", done),
        ("红", f"AND(ISNUMBER({d}),{d}<TODAY(),NOT({done}))"),
        ("黄", f"AND(ISNUMBER({d}),{d}>=TODAY(),{d}-TODAY()<={WARNING_DAYS},NOT({done}))"),
    ]
