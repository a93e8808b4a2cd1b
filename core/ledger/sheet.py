"""A write-only worksheet with the ledger's styles, merges and print settings; sheet names."""
from __future__ import annotations

import datetime as dt
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Border
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from core.ledger.clean import as_date, clean
from core.ledger.columns import DATE_KEYS, Column
from core.ledger.styles import (BODY_FONT, BORDER, CENTERED_KEYS, DATE_FORMAT, FOOTER, HEADER_FILL, HEADER_FONT,
                                TIME_FORMAT, WRAP_CENTER, WRAP_TOP, _height, _lines)

BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
KEY_HEADER = "行标识"  # the hidden last column of a data sheet


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
        self._blanks = {}
        self.ws._values_to_row = self._place_cells
        self._merges = []  # MultiCellRange.add scans all ranges; collect and set them once
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
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = FOOTER
        ws.oddFooter.center.font = "宋体"
        ws.oddFooter.center.size = 10

    def col(self, key) -> int | None:
        """The 1-based column of ``key`` on this sheet, None when it is not shown."""
        return next((i for i, c in enumerate(self.columns, 1) if c.key == key), None)

    def cell(self, value, font=BODY_FONT, alignment=WRAP_TOP, fill=None, border=BORDER, number_format=None):
        """A styled cell; text stays text (never a formula) and loses characters XML forbids."""
        style = self.book.style(self.ws, font, alignment, fill, border, number_format)
        if value is None or value == "":
            blank = self._blanks.get(id(style))
            if blank is None:
                blank = self._blanks[id(style)] = WriteOnlyCell(self.ws)
                blank._style = style
            return blank  # shared: rows are written out as they are appended
        value = clean(value)
        try:
            cell = WriteOnlyCell(self.ws, value)
        except IllegalCharacterError:  # pragma: no cover - clean() removed them already
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
        if self.key_column:
            cells.append(self.cell(KEY_HEADER, border=None))
        lines = max(_lines(c.header, c.width) for c in self.columns)
        self.append(cells, _height(lines))

    def data_row(self, values: dict, keys=None, height=None, key=None):
        """One ledger row; only the ``keys`` columns get values (the rest are merged cells).
        Whole dates become date cells; ``key`` goes into the hidden identity column."""
        cells = []
        lines = 1
        for col in self.columns:
            if keys is not None and col.key not in keys:
                cells.append(self.cell(None))
                continue
            value = values.get(col.key)
            align = WRAP_CENTER if col.key in CENTERED_KEYS else WRAP_TOP
            day = as_date(value) if col.key in DATE_KEYS else None
            if day is not None:
                cells.append(self.cell(day, alignment=align, number_format=DATE_FORMAT))
                continue
            if isinstance(value, dt.datetime):
                cells.append(self.cell(value, alignment=align, number_format=TIME_FORMAT))
                continue
            cells.append(self.cell(value, alignment=align))
            lines = max(lines, _lines(value, col.width))
        if self.key_column:
            cells.append(self.cell(key, border=None))
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

