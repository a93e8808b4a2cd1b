"""A write-only worksheet with the ledger's styles, merges and print settings; sheet names."""
from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.styles import Border
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import Element, SubElement

from core.ledger.clean import as_date, clean
from core.ledger.columns import DATE_KEYS, Column
from core.ledger.styles import (BODY_FONT, BORDER, CENTERED_KEYS, DATE_FORMAT, FOOTER, HEADER_FILL, HEADER_FONT,
                                TIME_FORMAT, WRAP_CENTER, WRAP_TOP, _height, _lines)

BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
KEY_HEADER = "行标识"  # the hidden last column of a data sheet
BOTTOM_MARGIN = 0.8  # inches
MAX_TEXT = 32767  # characters a cell holds
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class _Book:
    """The write-only workbook and its cell styles, each registered once: openpyxl styles slowly."""

    def __init__(self):
        self.wb = Workbook(write_only=True)
        self._ids = {}

    def dxf(self, fill) -> str:
        """The workbook's id of the conditional format that fills a cell with ``fill``."""
        key = ("dxf", id(fill))
        dxf_id = self._ids.get(key)
        if dxf_id is None:
            dxf_id = self._ids[key] = str(self.wb._differential_styles.add(DifferentialStyle(fill=fill)))
        return dxf_id

    def style(self, ws, font, alignment, fill, border, number_format) -> str:
        """The workbook's style id (as the XML writes it) of this combination."""
        key = (id(font), id(alignment), id(fill), id(border), number_format)
        sid = self._ids.get(key)
        if sid is None:
            template = WriteOnlyCell(ws)
            template.font, template.alignment, template.border = font, alignment, border or Border()
            if fill:
                template.fill = fill
            if number_format:
                template.number_format = number_format
            sid = self._ids[key] = str(self.wb._cell_styles.add(template._style))
        return sid


class _Rows:
    """Streams rows of a write-only worksheet as XML text, spliced into openpyxl's file at close.

    openpyxl's own row writer builds a cell object per value, looks its style up in the workbook
    each time and writes it element by element: most of an export's time. Here a cell is a tuple
    ``(value, style id)`` (or ``(value, style id, link location)``) whose style was registered
    once (``_Book.style``), and each row is one line of text in a spooled temporary file. At
    ``close`` openpyxl writes the sheet around an empty ``<sheetData/>`` (views, columns,
    validations, print setup, protection; the merged ranges and conditional formats collected
    here, as plain elements) and the rows go in its place. The XML is what openpyxl writes: inline
    strings (text is never a formula), numbers, dates as serial numbers, booleans, custom row
    heights."""

    FLUSH = 500  # rows held before they go to the file

    def __init__(self, ws):
        self.ws = ws
        ws._get_writer()  # writes the sheet's top now: views and columns must be set before
        writer = ws._writer
        writer.write_rows = self._empty_sheet_data
        writer.write_merged_cells = self._write_merges
        writer.write_formatting = self._write_formatting
        self.merges = []
        self.formats = []  # (sqref, [(dxf id, formula)]): conditional formatting, in priority order
        self.epoch = ws.parent.epoch
        self._letters = [""]
        self._buffer = []
        self._file = tempfile.SpooledTemporaryFile(SPOOL_BYTES, prefix="zgtz-rows.")

    def _letter(self, col):
        letters = self._letters
        while len(letters) <= col:
            letters.append(get_column_letter(len(letters)))
        return letters[col]

    def append(self, row_idx, cells, height=None):
        r = str(row_idx)
        parts = [f'<row r="{r}" ht="{float(height):g}" customHeight="1">' if height else f'<row r="{r}">']
        for col_idx, cell in enumerate(cells, 1):
            if cell is None:
                continue
            value, sid = cell[0], cell[1]
            coordinate = self._letter(col_idx) + r
            style = "" if sid is None else f' s="{sid}"'
            if len(cell) > 2:
                self.ws._hyperlinks.append(Hyperlink(ref=coordinate, location=cell[2], display=str(value)))
            if value is None or value == "":
                parts.append(f'<c r="{coordinate}"{style}/>')
                continue
            kind = type(value)
            if kind is str:
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(f'<c r="{coordinate}"{style} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>')
            elif kind is bool:
                parts.append(f'<c r="{coordinate}"{style} t="b"><v>{int(value)}</v></c>')
            else:
                if isinstance(value, (dt.date, dt.time, dt.timedelta)):
                    value = to_excel(value, self.epoch)
                parts.append(f'<c r="{coordinate}"{style} t="n"><v>{safe_string(value)}</v></c>')
        parts.append("</row>")
        self._buffer.append("".join(parts))
        if len(self._buffer) >= self.FLUSH:
            self._flush()

    def _flush(self):
        self._file.write("".join(self._buffer).encode("utf-8"))
        self._buffer.clear()

    def merge(self, first_row, first_col, last_row, last_col):
        self.merges.append(f"{self._letter(first_col)}{first_row}:{self._letter(last_col)}{last_row}")

    def _empty_sheet_data(self):
        self.ws._writer.xf.send(Element("sheetData"))

    def _write_merges(self):
        if self.merges:
            element = Element("mergeCells", count=str(len(self.merges)))
            for ref in self.merges:
                SubElement(element, "mergeCell", ref=ref)
            self.ws._writer.xf.send(element)

    def _write_formatting(self):
        priority = 0
        for sqref, rules in self.formats:
            element = Element("conditionalFormatting", sqref=sqref)
            for dxf_id, formula in rules:
                priority += 1
                rule = SubElement(element, "cfRule", type="expression", priority=str(priority), dxfId=dxf_id,
                                  stopIfTrue="1")
                SubElement(rule, "formula").text = formula
            self.ws._writer.xf.send(element)

    def close(self):
        """Writes the sheet: openpyxl's part with the rows in place of its empty sheetData."""
        self._flush()
        self.ws.close()
        path = self.ws._writer.out
        with open(path, "rb") as f:
            framing = f.read()  # everything but the rows: small
        empty = next((e for e in EMPTY_SHEET_DATA if e in framing), None)
        if empty is None:  # pragma: no cover - openpyxl wrote something else: a programming error
            raise RuntimeError("worksheet without sheetData")
        at = framing.find(empty)
        self._file.seek(0)
        with open(path, "wb") as f:
            f.write(framing[:at] + b"<sheetData>")
            shutil.copyfileobj(self._file, f)
            f.write(b"</sheetData>" + framing[at + len(empty):])
        self._file.close()
        self.merges, self.formats = [], []


EMPTY_SHEET_DATA = (b"<sheetData/>", b"<sheetData />")  # lxml's, ElementTree's
SPOOL_BYTES = 4 * 2**20  # a sheet's rows stay in memory up to this size, then go to a temporary file
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _escape(text: str) -> str:
    """Text as XML character data (\\r kept: a parser would turn a raw one into \\n)."""
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def _value(value):
    """A cell's value as the XML can hold it: text XML-clean and at most 32,767 characters;
    numbers, dates, times and booleans as they are; anything else as its text."""
    if isinstance(value, str):
        value = clean(value)
        return value[:MAX_TEXT] if len(value) > MAX_TEXT else value
    if isinstance(value, (int, float, dt.date, dt.time, dt.timedelta)) and not (
            isinstance(value, float) and not math.isfinite(value)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        return value
    if value is None:
        return None
    return clean(str(value))[:MAX_TEXT]


class _Sheet:
    """A write-only worksheet with the ledger's styles, merges and print settings.

    ``paper`` is "A4" or "A3" (landscape); ``key_column`` adds a hidden last column that holds
    each data row's identity key (see ``core.ledger.identity``)."""

    def __init__(self, book: _Book, title: str, columns: list[Column], header_row: int, *,
                 paper="A4", key_column=False):
        # Write-only sheets write their views and columns before the first row: set them now.
        self.book = book
        self.ws = book.wb.create_sheet(title=title)
        self.columns = columns
        self.header_row = header_row
        self.row = 0
        self.blocks = []  # (first, last) rows of each item written over several rows (measure layout)
        self.key_column = len(columns) + 1 if key_column else None
        self.ws.freeze_panes = f"A{header_row + 1}"
        self.ws.print_title_rows = f"{header_row}:{header_row}"
        for i, col in enumerate(columns, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = col.width
        if self.key_column:
            self.ws.column_dimensions[get_column_letter(self.key_column)].hidden = True
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A3 if paper == "A3" else Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = 0.6
        ws.page_margins.bottom = BOTTOM_MARGIN  # room for the footer's line: LibreOffice clips a tighter one
        ws.page_margins.footer = 0.3
        ws.oddFooter.center.text = FOOTER
        ws.oddFooter.center.font = "宋体"
        ws.oddFooter.center.size = 10
        self._rows = _Rows(ws)
        # Each column's styles, looked up once: text, whole dates, date-times, and a blank cell.
        self._styles = {}
        for col in columns:
            align = WRAP_CENTER if col.key in CENTERED_KEYS else WRAP_TOP
            self._styles[col.key] = (self.style(alignment=align), self.style(alignment=align, number_format=DATE_FORMAT),
                                     self.style(alignment=align, number_format=TIME_FORMAT),
                                     col.key in DATE_KEYS, col.width)
        self._blank = (None, self.style())
        self._key_style = self.style(border=None)

    def col(self, key) -> int | None:
        """The 1-based column of ``key`` on this sheet, None when it is not shown."""
        return next((i for i, c in enumerate(self.columns, 1) if c.key == key), None)

    def style(self, font=BODY_FONT, alignment=WRAP_TOP, fill=None, border=BORDER, number_format=None) -> str:
        return self.book.style(self.ws, font, alignment, fill, border, number_format)

    def cell(self, value, font=BODY_FONT, alignment=WRAP_TOP, fill=None, border=BORDER, number_format=None,
             link=None):
        """A styled cell; text stays text (never a formula) and loses characters XML forbids.
        ``link`` is a place in the workbook ('Sheet'!A1) the cell leads to."""
        style = self.style(font, alignment, fill, border, number_format)
        if link is not None:
            return (_value(value), style, link)
        return (_value(value), style)

    def append(self, cells, height=None):
        self.row += 1
        self._rows.append(self.row, cells, height)

    def merge(self, first_row, first_col, last_row, last_col):
        if (first_row, first_col) != (last_row, last_col):
            self._rows.merge(first_row, first_col, last_row, last_col)

    def conditional_format(self, cell_range: str, rules) -> None:
        """Expression rules [(fill, formula)] over ``cell_range`` (one or more ranges, space
        separated), each stopping the later ones; priorities follow the order of the calls.
        Written by the sheet itself: openpyxl's rule objects cost more than the rows."""
        self._rows.formats.append((cell_range, [(self.book.dxf(fill), formula) for fill, formula in rules]))

    def wide_row(self, text, font, alignment, height):
        """One cell across all columns: the title and the information lines."""
        n = len(self.columns)
        self.append([self.cell(text, font, alignment, border=None)] + [None] * (n - 1), height)
        self.merge(self.row, 1, self.row, n)

    def header(self):
        cells = [self.cell(c.header, HEADER_FONT, WRAP_CENTER, HEADER_FILL) for c in self.columns]
        if self.key_column:
            cells.append(self.cell(KEY_HEADER, border=None))
        lines = max(_lines(c.header, c.width) for c in self.columns)
        self.append(cells, _height(lines))

    def data_row(self, values: dict, keys=None, height=None, key=None):
        """One ledger row; only the ``keys`` columns get values (the rest are merged cells).
        Whole dates become date cells; ``key`` goes into the hidden identity column."""
        cells = []
        lines = 1
        blank, styles = self._blank, self._styles
        for col in self.columns:
            if keys is not None and col.key not in keys:
                cells.append(blank)
                continue
            value = values.get(col.key)
            text, date, time, dated, width = styles[col.key]
            if value is None or value == "":
                cells.append((None, text))
                continue
            day = as_date(value) if dated else None
            if day is not None:
                cells.append((day, date))
                continue
            if isinstance(value, dt.datetime):
                cells.append((value.replace(tzinfo=None), time))
                continue
            value = _value(value)
            cells.append((value, text))
            if type(value) is str:
                lines = max(lines, _lines(value, width))
        if self.key_column:
            cells.append((key, self._key_style))
        self.append(cells, height or _height(lines))

    def finish(self, filter_rows=None):
        """Close the sheet; the autofilter covers ``filter_rows`` rows below the header (all)."""
        last_row = self.row if filter_rows is None else self.header_row + filter_rows
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A{self.header_row}:{last}{max(last_row, self.header_row)}"
        self._rows.close()  # writes the sheet out now, so a thousand sheets never stay open at once


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

