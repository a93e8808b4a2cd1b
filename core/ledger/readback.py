"""Reading a ledger that comes back from a unit: its rows, by the hidden row identity when it
survived, with formula cells taken at their cached value (never evaluated).

``read_returned(path) -> Returned``; bad files raise ``MergeError`` with one Chinese line."""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ExpectedError
from core.ledger.columns import COLUMNS, NOTICE_COLUMN, PROFILES
from core.ledger.identity import FORMAT_MARK, IDENTITY_SHEET
from core.ledger.sheet import KEY_HEADER

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls and password-protected .xlsx are OLE compound files
HEADER_KEYS = {c.header: c.key for c in COLUMNS} | {NOTICE_COLUMN.header: "notice", KEY_HEADER: "_key"}
for _profile in PROFILES.values():
    HEADER_KEYS |= {header: key for key, header in _profile.headers.items()}


class MergeError(ExpectedError):
    code = "merge"


@dataclass
class Row:
    sheet: str
    number: int  # the row number in the sheet, for messages
    values: dict  # column key -> cell value (cached value for formulas)
    formulas: set = field(default_factory=set)  # keys whose cell held a formula
    key: str | None = None


@dataclass
class Returned:
    path: Path
    rows: list[Row]
    identity: dict  # key -> {"sheet", "notice", "problem", "measure", "parts", "base"}
    meta: dict  # exported_at, database_id, profile, layout (empty without identity)
    sheets: list[str]


def read_returned(path) -> Returned:
    path = Path(path)
    _check_file(path)
    import openpyxl

    try:
        values_book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formula_book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise MergeError("无法读取这个工作簿，文件可能已损坏", path=str(path)) from exc
    try:
        identity, meta = _identity(values_book)
        rows, sheets = [], []
        for ws in values_book.worksheets:
            if ws.title == IDENTITY_SHEET:
                continue
            found = _sheet_rows(ws, formula_book[ws.title])
            if found is not None:
                sheets.append(ws.title)
                rows += found
    finally:
        values_book.close()
        formula_book.close()
    if not sheets:
        raise MergeError("这不是本程序导出的整改台账（找不到“序号”“反馈问题”表头）", path=str(path))
    return Returned(path, rows, identity, meta, sheets)


def _check_file(path: Path) -> None:
    if not path.exists():
        raise MergeError("文件不存在", path=str(path))
    if path.is_dir():
        raise MergeError("这是一个文件夹；合并一个文件夹请用 merge-ledger 文件夹", path=str(path))
    if (path.parent / f".~lock.{path.name}#").exists() or (path.parent / f"~${path.name}").exists():
        raise MergeError("文件正在 Excel、WPS 或 LibreOffice 中打开，请保存并关闭后再合并", path=str(path))
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError as exc:
        raise MergeError(f"无法打开文件（{exc.strerror or exc}）", path=str(path)) from exc
    if head == OLE_MAGIC:
        if path.suffix.lower() == ".xls":
            raise MergeError("这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中另存为 .xlsx 后再合并", path=str(path))
        raise MergeError("工作簿设有打开密码，请在 Excel 或 WPS 中取消密码、保存后再合并", path=str(path))
    if path.suffix.lower() == ".xls":
        raise MergeError("这是旧版 Excel（.xls）文件，请另存为 .xlsx 后再合并", path=str(path))
    if not zipfile.is_zipfile(path):
        raise MergeError("这不是 Excel 工作簿（.xlsx）", path=str(path))


def _identity(book) -> tuple[dict, dict]:
    if IDENTITY_SHEET not in book.sheetnames:
        return {}, {}
    rows = book[IDENTITY_SHEET].iter_rows(values_only=True)
    first = next(rows, None)
    if not first or first[0] != FORMAT_MARK:
        return {}, {}
    meta = dict(zip(("mark", "exported_at", "database_id", "profile", "layout"), first))
    next(rows, None)  # headers
    identity = {}
    for row in rows:
        if not row or not row[0]:
            continue
        key, sheet, notice, problem, measure, parts, base = (list(row) + [None] * 7)[:7]
        identity[str(key)] = {"sheet": sheet, "notice": _int(notice), "problem": _int(problem),
                              "measure": _int(measure), "parts": json.loads(parts) if parts else {},
                              "base": json.loads(base) if base else {}}
    return identity, meta


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _sheet_rows(ws, formula_ws) -> list[Row] | None:
    """The data rows under the sheet's header row (the row whose first cells read 序号/通报)."""
    values_iter = ws.iter_rows(values_only=True)
    formula_iter = formula_ws.iter_rows(values_only=True)
    columns = None
    rows = []
    for number, (values, formulas) in enumerate(zip(values_iter, formula_iter), 1):
        if columns is None:
            keys = [HEADER_KEYS.get(str(v).strip()) if isinstance(v, str) else None for v in values]
            if "seq" in keys and ("title" in keys or "measures" in keys):
                columns = keys
            elif number > 30:
                return None
            continue
        row = Row(ws.title, number, {})
        for key, value, raw in zip(columns, values, formulas):
            if key is None:
                continue
            if isinstance(raw, str) and raw.startswith("=") and not (isinstance(value, str) and value == raw):
                row.formulas.add(key)
            row.values[key] = value.strip() if isinstance(value, str) else value
        row.key = str(row.values.pop("_key", None) or "") or None
        if row.key or any(v not in (None, "") for v in row.values.values()):
            rows.append(row)
    return rows if columns is not None else None


def cell_text(value) -> str | None:
    """A returned cell as the store keeps it: dates as 2024-12-31, numbers without .0, empty as None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None
