"""Notice records -> the print-ready ledger (整改台账): an Excel workbook, CSV or JSON.

Records have the shape ``Store.get_notice()`` returns (docs/architecture.md). One notice gives
one sheet; several give 汇总, 全部问题, one sheet per notice and 统计 (and 修改记录 when edit
logs are passed). Workbooks are written in openpyxl's write-only mode, so a thousand notices
stream through in bounded memory; every file goes to a temporary name in the target folder and
is moved into place only when it is complete.
"""
from __future__ import annotations

import bisect
import csv
import json
import math
import os
import re
import tempfile
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from core.errors import Cancelled, ExportError, TargetInUseError
from core.deadline import deadline_warning
from core.labels import notice_name
from core.log_rows import edit_log_rows
from core.vocab import REVIEW_PENDING, STATUSES

LAYOUTS = ("problem", "measure")
NO_STATUS = "未标注"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # Excel character units; a Chinese character takes about two


COLUMNS = (
    Column("seq", "序号", 5),
    Column("category", "问题类别", 14),
    Column("group", "问题分组", 14),
    Column("title", "反馈问题", 26),
    Column("measures", "整改措施", 50),
    Column("rectify_type", "整改类型", 9),
    Column("leader", "责任领导", 9),
    Column("units", "责任单位", 14),
    Column("person", "责任人", 8),
    Column("deadline", "整改时限", 11),
    Column("progress", "完成情况", 12),
    Column("effect", "整改成效", 20),
    Column("status", "整改状态", 9),
    Column("warning", "预警", 6),
    Column("evidence", "佐证材料", 14),
    Column("closed", "是否销号", 9),
    Column("closed_at", "销号时间", 11),
    Column("checked", "核对", 8),
    Column("remark", "备注", 12),
    Column("location", "原文位置", 10),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
# In the "measure" layout these cells belong to the measure's row; all others are merged down.
MEASURE_KEYS = frozenset({"measures", "progress"})
NOTICE_COLUMN = Column("notice", "通报", 22)

# ---------------------------------------------------------------- looks of an official ledger
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
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- record -> display values
def _source_name(notice: dict) -> str | None:
    source = notice.get("source") or {}
    return source.get("name") or (PurePath(source["path"]).name if source.get("path") else None)


def _kind_word(notice: dict) -> str:
    kind = notice.get("kind")
    return kind if kind and kind != "其他" else "巡视巡察"


def _span_text(start, end) -> str:
    return f"{start}–{end}" if start != end else f"{start}"


class _Locator:
    """Turns character spans of the notice text into line numbers a reader can find."""

    def __init__(self, text: str | None):
        self.text = text or ""
        self.breaks = [i for i, ch in enumerate(self.text) if ch == "\n"]

    def __call__(self, span) -> str:
        if not span:
            return ""
        start, end = span
        if not self.text:
            return f"第{_span_text(start, end)}字"
        first = bisect.bisect_right(self.breaks, start) + 1
        last = bisect.bisect_right(self.breaks, max(start, end - 1)) + 1
        return f"第{_span_text(first, last)}行"


def _progress_summary(measures) -> str:
    counts = Counter(m.get("status") for m in measures if m.get("status"))
    return "、".join(f"{s}{counts[s]}项" for s in STATUSES if counts[s])


def _problem_values(problem: dict, locate: _Locator) -> dict:
    measures = problem.get("measures") or []
    evidence = problem.get("evidence") or []
    return {
        "seq": problem.get("seq"),
        "category": problem.get("category") or "",
        "group": problem.get("group") or "",
        "title": problem.get("title") or "",
        "measures": "\n".join(f"{i}. {m.get('text') or ''}" for i, m in enumerate(measures, 1)),
        "rectify_type": problem.get("rectify_type") or "",
        "leader": problem.get("leader") or "",
        "units": problem.get("units") or "",
        "person": problem.get("person") or "",
        "deadline": problem.get("deadline") or "",
        "progress": _progress_summary(measures),
        "effect": problem.get("effect") or "",
        "status": problem.get("status") or "",
        "warning": problem.get("warning") or "",
        "evidence": "\n".join(e["name"] for e in evidence if e.get("name")),
        "closed": "是" if problem.get("closed") else "否",
        "closed_at": problem.get("closed_at") or "",
        "checked": "已核对" if problem.get("checked") else "未核对",
        "remark": problem.get("remark") or "",
        "location": locate(problem.get("span")),
    }


def problem_blocks(notice: dict, layout: str = "problem") -> list[list[dict]]:
    """Rows of the notice's ledger, one block per problem: one row, or one row per measure."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    locate = _Locator(notice.get("text"))
    blocks = []
    for problem in notice.get("problems") or []:
        values = _problem_values(problem, locate)
        measures = problem.get("measures") or []
        if layout == "problem" or len(measures) < 2:
            blocks.append([values])
            continue
        rows = []
        for i, measure in enumerate(measures, 1):
            row = dict(values)
            row["measures"] = f"{i}. {measure.get('text') or ''}"
            row["progress"] = measure.get("status") or ""
            rows.append(row)
        blocks.append(rows)
    return blocks


def visible_columns(hidden_columns=()) -> list[Column]:
    unknown = set(hidden_columns) - set(COLUMN_KEYS)
    if unknown:
        raise ValueError(f"unknown columns {sorted(unknown)}")
    columns = [c for c in COLUMNS if c.key not in set(hidden_columns)]
    if not columns:
        raise ExportError("至少需要保留一列")
    return columns


def record_from_extraction(extraction: dict) -> dict:
    """A notice record (the shape of ``Store.get_notice()``) straight from an extraction dict.

    Ledger fields are pre-filled as the store does: status is the problem's rolled-up status,
    units the union of its measures' units, rectify type and deadline when the extractor found them.
    """
    meta = extraction.get("meta") or {}
    source = dict(extraction.get("source") or {})
    if source.get("path") and not source.get("name"):
        source["name"] = PurePath(source["path"]).name
    problems = []
    for p in extraction.get("problems") or []:
        measures = p.get("measures") or []
        units = list(dict.fromkeys(u for m in measures for u in (m.get("units") or [])))
        deadline = p.get("deadline")
        status = p.get("status")
        problems.append({
            "id": None, "notice_id": None, "seq": p.get("seq"), "number": p.get("number"),
            "category": p.get("category"), "group": p.get("group"), "title": p.get("title"),
            "span": p.get("span"), "title_span": p.get("title_span"),
            "confidence": p.get("confidence"),
            "status": status, "rectify_type": p.get("rectify_type"), "deadline": deadline,
            "leader": None, "units": "、".join(units) or None, "person": None, "effect": None,
            "closed": False, "closed_at": None, "remark": None, "checked": False, "checked_at": None,
            "warning": deadline_warning(deadline, status, False),
            "evidence": [], "edited_fields": [], "extracted": {},
            "measures": [
                {"id": None, "problem_id": None, "seq": m.get("seq"), "text": m.get("text"),
                 "span": m.get("span"), "status": m.get("status"), "units": m.get("units") or [],
                 "dates": m.get("dates") or [], "quantities": m.get("quantities") or [],
                 "checked": False, "edited_fields": [], "extracted": {}}
                for m in measures
            ],
        })
    record = {key: meta.get(key) for key in (
        "title", "kind", "issuer", "inspector", "round", "inspection_start", "inspection_end",
        "feedback_date", "published", "disclosure", "contact")}
    record.update({
        "id": None, "text": extraction.get("text") or "", "source": source, "imported_at": None,
        "review_status": REVIEW_PENDING, "warnings": list(extraction.get("warnings") or []),
        "outcomes": [dict(o, id=None) for o in extraction.get("outcomes") or []],
        "edited_fields": [], "extracted": {}, "problems": problems,
    })
    return record


# ---------------------------------------------------------------- flat rows: CSV and JSON
def _flat_rows(notices, layout, hidden_columns):
    columns = [NOTICE_COLUMN] + visible_columns(hidden_columns)
    rows = []
    for notice in notices:
        name = notice_name(notice)
        for block in problem_blocks(notice, layout):
            for row in block:
                rows.append([name] + [row[c.key] for c in columns[1:]])
    return columns, rows


def _csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # OWASP: a spreadsheet must not read a cell as a formula
    return value


def export_csv(notices, target, *, layout="problem", hidden_columns=(), progress=None, cancelled=None) -> Path:
    """All problems of all notices as CSV (UTF-8 with BOM, so Excel reads the Chinese)."""
    notices = _checked_list(notices, cancelled)
    columns, rows = _flat_rows(notices, layout, hidden_columns)
    with _replacing(target) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([c.header for c in columns])
            writer.writerows([_csv_safe(v) for v in row] for row in rows)
    _report(progress, len(notices), len(notices))
    return Path(target)


def export_json(notices, target, *, layout="problem", hidden_columns=(), progress=None, cancelled=None) -> Path:
    """The same rows as the CSV, as a JSON list of objects keyed by the Chinese headers."""
    notices = _checked_list(notices, cancelled)
    columns, rows = _flat_rows(notices, layout, hidden_columns)
    data = [{c.header: v for c, v in zip(columns, row)} for row in rows]
    with _replacing(target) as tmp, open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    _report(progress, len(notices), len(notices))
    return Path(target)


FORMATS = ("xlsx", "csv", "json")


def format_of(target) -> str | None:
    """The export format a file name asks for, from its suffix."""
    suffix = PurePath(target).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def export(notices, target, *, fmt=None, layout="problem", hidden_columns=(), edit_logs=None,
           progress=None, cancelled=None) -> Path:
    """Export in ``fmt`` (default: from the target's suffix); edit logs go only into workbooks."""
    fmt = fmt or format_of(target)
    if fmt not in FORMATS:
        raise ExportError("无法识别导出格式，请使用 .xlsx、.csv 或 .json 文件名", path=str(target))
    options = {"layout": layout, "hidden_columns": hidden_columns, "progress": progress, "cancelled": cancelled}
    if fmt == "xlsx":
        return export_workbook(notices, target, edit_logs=edit_logs, **options)
    return (export_csv if fmt == "csv" else export_json)(notices, target, **options)


def _checked_list(notices, cancelled):
    notices = list(notices)
    if not notices:
        raise ExportError("没有要导出的通报")
    if cancelled and cancelled():
        raise Cancelled()
    return notices


def _report(progress, done, total):
    if progress:
        progress(done, total)


# ---------------------------------------------------------------- writing into place
def _check_not_in_use(target: Path) -> None:
    if not target.parent.is_dir():
        raise ExportError("目标文件夹不存在", path=str(target.parent))
    in_use = TargetInUseError("文件正被其他程序（如 Excel、WPS、LibreOffice）打开，请关闭后再导出", path=str(target))
    # LibreOffice and Excel leave lock files beside a document they have open.
    if (target.parent / f".~lock.{target.name}#").exists() or (target.parent / f"~${target.name}").exists():
        raise in_use
    if target.exists():
        try:  # Windows refuses to open a file another program holds
            with open(target, "r+b"):
                pass
        except PermissionError as exc:
            raise in_use from exc


@contextmanager
def _replacing(target):
    """Yields a temporary path beside ``target``; moves it into place only if the block succeeds."""
    target = Path(target)
    _check_not_in_use(target)
    fd, name = tempfile.mkstemp(prefix=".~zgtz-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp makes the file private (0600); a ledger gets the permissions of any new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise TargetInUseError("文件正被其他程序打开，请关闭后再导出", path=str(target)) from exc
    finally:
        tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------- the workbook
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


class _Book:
    """The write-only workbook and its cell styles, each made once: openpyxl styles slowly."""

    def __init__(self):
        self.wb = Workbook(write_only=True)
        self._arrays = {}

    def style(self, ws, font, alignment, fill, border, number_format):
        key = (id(font), id(alignment), id(fill), id(border), number_format)
        array = self._arrays.get(key)
        if array is None:
            template = WriteOnlyCell(ws)
            template.font, template.alignment, template.border = font, alignment, border or Border()
            if fill:
                template.fill = fill
            if number_format:
                template.number_format = number_format
            array = self._arrays[key] = template._style
        return array


class _Sheet:
    """A write-only worksheet with the ledger's styles, merges and print settings."""

    def __init__(self, book: _Book, title: str, columns: list[Column], header_row: int):
        # Write-only sheets write their views and columns before the first row: set them now.
        self.book = book
        self.ws = book.wb.create_sheet(title=title)
        self.columns = columns
        self.header_row = header_row
        self.row = 0
        self._blanks = {}
        self.ws._values_to_row = self._place_cells
        self._merges = []  # MultiCellRange.add scans all ranges; collect and set them once
        self.ws.freeze_panes = f"A{header_row + 1}"
        self.ws.print_title_rows = f"{header_row}:{header_row}"
        for i, col in enumerate(columns, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = col.width
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = FOOTER
        ws.oddFooter.center.font = "宋体"
        ws.oddFooter.center.size = 10

    def cell(self, value, font=BODY_FONT, alignment=WRAP_TOP, fill=None, border=BORDER, number_format=None):
        """A styled cell; text stays text (never a formula) and loses characters XML forbids."""
        style = self.book.style(self.ws, font, alignment, fill, border, number_format)
        if value is None or value == "":
            blank = self._blanks.get(id(style))
            if blank is None:
                blank = self._blanks[id(style)] = WriteOnlyCell(self.ws)
                blank._style = style
            return blank  # shared: rows are written out as they are appended
        try:
            cell = WriteOnlyCell(self.ws, value)
        except IllegalCharacterError:
            cell = WriteOnlyCell(self.ws, ILLEGAL_CHARACTERS_RE.sub("", value))
        if isinstance(value, str):
            cell.data_type = "s"
        cell._style = style  # shared, never changed: the ledger styles cells only here
        return cell

    def _place_cells(self, cells, row_idx):
        """Stands in for WriteOnlyWorksheet._values_to_row, which makes two cells for each one
        passed in (by way of an exception) and takes a third of the export time."""
        for col_idx, cell in enumerate(cells, 1):
            if cell is None:
                continue
            cell.row, cell.column = row_idx, col_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            yield cell

    def append(self, cells, height=None):
        self.row += 1
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(cells)

    def merge(self, first_row, first_col, last_row, last_col):
        if (first_row, first_col) != (last_row, last_col):
            self._merges.append(CellRange(min_col=first_col, min_row=first_row, max_col=last_col, max_row=last_row))

    def wide_row(self, text, font, alignment, height):
        """One cell across all columns: the title and the information lines."""
        n = len(self.columns)
        self.append([self.cell(text, font, alignment, border=None)] + [None] * (n - 1), height)
        self.merge(self.row, 1, self.row, n)

    def header(self):
        cells = [self.cell(c.header, HEADER_FONT, WRAP_CENTER, HEADER_FILL) for c in self.columns]
        lines = max(_lines(c.header, c.width) for c in self.columns)
        self.append(cells, _height(lines))

    def data_row(self, values: dict, keys=None, height=None):
        """One ledger row; only the ``keys`` columns get values (the rest are merged cells)."""
        cells = []
        lines = 1
        for col in self.columns:
            if keys is not None and col.key not in keys:
                cells.append(self.cell(None))
                continue
            value = values.get(col.key)
            fill = WARNING_FILLS.get(value) if col.key == "warning" else None
            align = WRAP_CENTER if col.key in CENTERED_KEYS else WRAP_TOP
            cells.append(self.cell(value, alignment=align, fill=fill))
            lines = max(lines, _lines(value, col.width))
        self.append(cells, height or _height(lines))

    def finish(self, filter_rows=None):
        """Close the sheet; the autofilter covers ``filter_rows`` rows below the header (all)."""
        last_row = self.row if filter_rows is None else self.header_row + filter_rows
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A{self.header_row}:{last}{max(last_row, self.header_row)}"
        self.ws.merged_cells = MultiCellRange(self._merges)
        self.ws.close()  # writes the sheet out now, so a thousand sheets never stay open at once
        # Written: free the ranges and row heights before the next sheet.
        self.ws.merged_cells = MultiCellRange()
        self.ws.row_dimensions.clear()


def _info_lines(notice: dict) -> list[str]:
    k = _kind_word(notice)
    start, end = notice.get("inspection_start"), notice.get("inspection_end")
    period = f"{start}至{end}" if start and end else (start or end)
    items = [
        (f"被{k}单位", notice.get("issuer")),
        (f"{k}组", notice.get("inspector")),
        (f"{k}时间", period),
        ("反馈时间", notice.get("feedback_date")),
        ("通报日期", notice.get("published")),
        ("来源文件", _source_name(notice)),
    ]
    return [f"{label}：{value}" for label, value in items if value]


def _write_notice_sheet(book, title, notice, columns, layout):
    info = _info_lines(notice)
    sheet = _Sheet(book, title, columns, header_row=len(info) + 2)
    total_width = sum(c.width for c in columns)
    heading = f"《{notice_name(notice)}》整改台账"
    sheet.wide_row(heading, TITLE_FONT, WRAP_CENTER, _title_height(heading, total_width))
    for line in info:
        sheet.wide_row(line, BODY_FONT, INFO_ALIGN, _height(_lines(line, total_width)))
    sheet.header()
    problem_cols = [c for c in columns if c.key not in MEASURE_KEYS]
    measure_cols = [c for c in columns if c.key in MEASURE_KEYS]
    for block in problem_blocks(notice, layout):
        if len(block) == 1:
            sheet.data_row(block[0])
            continue
        # Measure layout: problem cells written once and merged down the measure rows. Rows
        # are sized for the measures; the last one grows if the merged cells need more room.
        heights = [_height(max([_lines(r[c.key], c.width) for c in measure_cols], default=1)) for r in block]
        needed = _height(max([_lines(block[0][c.key], c.width) for c in problem_cols], default=1))
        heights[-1] += max(0.0, needed - sum(heights))
        first = sheet.row + 1
        sheet.data_row(block[0], height=heights[0])
        for row, height in zip(block[1:], heights[1:]):
            sheet.data_row(row, keys=MEASURE_KEYS, height=height)
        for i, col in enumerate(columns, 1):
            if col.key not in MEASURE_KEYS:
                sheet.merge(first, i, sheet.row, i)
    sheet.finish()


class _SheetNames:
    """Excel sheet names: no []:*?/\\, no apostrophe at either end, at most 31 characters,
    unique ignoring case, and never "History" (Excel keeps that name for itself)."""

    def __init__(self, reserved=()):
        self.used = {n.lower() for n in (*reserved, "History")}

    def __call__(self, name: str) -> str:
        base = BAD_SHEET_CHARS.sub("", name).strip().strip("'") or "通报"
        candidate, n = base[:31].rstrip("'"), 1
        while candidate.lower() in self.used:
            n += 1
            suffix = f"({n})"
            candidate = base[: 31 - len(suffix)].rstrip("'") + suffix
        self.used.add(candidate.lower())
        return candidate


def _sheet_label(notice: dict) -> str:
    return notice.get("issuer") or notice_name(notice)


SUMMARY_SHEET, ALL_SHEET, STATS_SHEET, LOG_SHEET = "汇总", "全部问题", "统计", "修改记录"
MAX_OUTCOME_UNITS = 8  # 汇总 sums outcomes by unit (人, 万元, 项 …); the most frequent units only


def _outcome_units(notices) -> list[str]:
    counts = Counter(o.get("unit") for n in notices for o in n.get("outcomes") or []
                     if o.get("unit") and isinstance(o.get("quantity"), (int, float)))
    return [unit for unit, _ in counts.most_common(MAX_OUTCOME_UNITS)]


def _summary_columns(units):
    return [
        Column("no", "序号", 5), Column("name", "通报", 40), Column("issuer", "单位", 22),
        Column("kind", "类型", 6), Column("published", "通报日期", 11),
        Column("problems", "问题数", 7), Column("measures", "措施数", 7),
        *(Column(s, s, 8) for s in (*STATUSES, NO_STATUS)),
        Column("overdue", "逾期", 6), Column("closed", "已销号", 7), Column("checked", "已核对", 8),
        *(Column(f"outcome:{u}", f"成果（{u}）", 13) for u in units),
    ]


def _summary_values(notice, units) -> dict:
    problems = notice.get("problems") or []
    statuses = Counter(p.get("status") or NO_STATUS for p in problems)
    sums = defaultdict(float)
    for o in notice.get("outcomes") or []:
        if isinstance(o.get("quantity"), (int, float)):
            sums[o.get("unit")] += o["quantity"]
    values = {
        "name": notice_name(notice), "issuer": notice.get("issuer") or "", "kind": notice.get("kind") or "",
        "published": notice.get("published") or "", "problems": len(problems),
        "measures": sum(len(p.get("measures") or []) for p in problems),
        "overdue": sum(p.get("warning") == "红" for p in problems),
        "closed": sum(bool(p.get("closed")) for p in problems),
        "checked": (sum(bool(p.get("checked")) for p in problems) / len(problems)) if problems else 0,
        **{s: statuses[s] for s in (*STATUSES, NO_STATUS)},
    }
    for u in units:
        total = sums.get(u, 0)
        values[f"outcome:{u}"] = int(total) if float(total).is_integer() else round(total, 2)
    return values


def _count_row(sheet, values, columns, link=None):
    """A row of figures; ``link`` names the sheet its 序号 leads to (LibreOffice would not wrap
    a linked name, so the short number carries the link)."""
    cells = []
    for col in columns:
        value = values.get(col.key, "")
        fmt = "0%" if col.key == "checked" else None
        if link and col.key == "no":
            cell = sheet.cell(value, LINK_FONT, WRAP_CENTER)
            quoted = link.replace("'", "''")
            cell.hyperlink = Hyperlink(ref="", location=f"'{quoted}'!A1", display=str(value))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            cell = sheet.cell(value, alignment=WRAP_CENTER, number_format=fmt)
        else:
            cell = sheet.cell(value)
        cells.append(cell)
    sheet.append(cells, _height(max(_lines(values.get(c.key), c.width) for c in columns)))


def _totals(rows, columns, label_key, label="合计"):
    total = {label_key: label}
    for col in columns:
        nums = [r.get(col.key) for r in rows]
        if col.key != label_key and nums and all(isinstance(v, (int, float)) for v in nums):
            total[col.key] = sum(nums)
    return total


def _write_stats(book, notices):
    columns = [Column("category", "问题类别", 40), Column("problems", "问题数", 8),
               *(Column(s, s, 8) for s in (*STATUSES, NO_STATUS)),
               Column("overdue", "逾期", 6), Column("closed", "已销号", 7)]
    by_category = {}
    for notice in notices:
        for p in notice.get("problems") or []:
            row = by_category.setdefault(p.get("category") or "未分类", Counter())
            row["problems"] += 1
            row[p.get("status") or NO_STATUS] += 1
            row["overdue"] += p.get("warning") == "红"
            row["closed"] += bool(p.get("closed"))
    rows = [{"category": cat, **{c.key: counts[c.key] for c in columns[1:]}} for cat, counts in by_category.items()]
    sheet = _Sheet(book, STATS_SHEET, columns, header_row=2)
    sheet.wide_row("问题类别与整改状态统计", TITLE_FONT, WRAP_CENTER, _title_height("问题类别与整改状态统计", 100))
    sheet.header()
    for row in rows + [_totals(rows, columns, "category")]:
        _count_row(sheet, row, columns)
    sheet.finish(filter_rows=len(rows))  # the 合计 row stays out of sorting


def _write_log(book, notices, edit_logs):
    columns = [Column("notice", "通报", 30), Column("at", "时间", 16), Column("reviewer", "审核人", 9),
               Column("action", "操作", 12), Column("target", "对象", 24), Column("change", "修改内容", 60),
               Column("undone", "已撤销", 7)]
    records = {n.get("id"): n for n in notices}
    sheet = _Sheet(book, LOG_SHEET, columns, header_row=1)
    sheet.header()
    for notice_id, log in edit_logs.items():
        for row in edit_log_rows(log, records.get(notice_id) or {"id": notice_id}):
            sheet.data_row(row | {"undone": "是" if row["undone"] else "否"})
    sheet.finish()


def export_workbook(notices, target, *, layout="problem", hidden_columns=(), edit_logs=None,
                    progress=None, cancelled=None) -> Path:
    """Write the ledger workbook of ``notices`` to ``target`` (.xlsx) and return its path."""
    notices = _checked_list(notices, cancelled)
    columns = visible_columns(hidden_columns)
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    total = len(notices)

    def step(done):
        if cancelled and cancelled():
            raise Cancelled()
        _report(progress, done, total)

    with _replacing(target) as tmp:
        book = _Book()
        if total == 1:
            step(0)
            _write_notice_sheet(book, _SheetNames((LOG_SHEET,))(_sheet_label(notices[0])), notices[0], columns, layout)
            step(1)
        else:
            _write_many(book, notices, columns, layout, step)
        if edit_logs:
            _write_log(book, notices, edit_logs)
        book.wb.save(tmp)
    return Path(target)


def _write_many(book, notices, columns, layout, step):
    step(0)
    names = _SheetNames((SUMMARY_SHEET, ALL_SHEET, STATS_SHEET, LOG_SHEET))
    sheet_names = [names(_sheet_label(n)) for n in notices]
    units = _outcome_units(notices)

    summary_columns = _summary_columns(units)
    summary = _Sheet(book, SUMMARY_SHEET, summary_columns, header_row=2)
    summary.wide_row("整改台账汇总", TITLE_FONT, WRAP_CENTER, _title_height("整改台账汇总", 100))
    summary.header()
    rows = []
    for i, (notice, sheet_name) in enumerate(zip(notices, sheet_names), 1):
        rows.append(_summary_values(notice, units) | {"no": i})
        _count_row(summary, rows[-1], summary_columns, link=sheet_name)
    _count_row(summary, _totals(rows, summary_columns, "name") | {"no": "", "checked": (
        sum(r["checked"] * r["problems"] for r in rows) / max(1, sum(r["problems"] for r in rows)))},
        summary_columns)
    summary.finish(filter_rows=len(rows))

    # 全部问题 is the sheet to filter and sort: always one row a problem, nothing merged.
    all_sheet = _Sheet(book, ALL_SHEET, [NOTICE_COLUMN] + columns, header_row=1)
    all_sheet.header()
    for notice in notices:
        name = notice_name(notice)
        for block in problem_blocks(notice, "problem"):
            all_sheet.data_row(block[0] | {"notice": name})
    all_sheet.finish()

    for i, (notice, sheet_name) in enumerate(zip(notices, sheet_names), 1):
        _write_notice_sheet(book, sheet_name, notice, columns, layout)
        step(i)
    _write_stats(book, notices)
