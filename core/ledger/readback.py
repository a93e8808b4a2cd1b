"""Reading a ledger that comes back from a unit: its rows, by the hidden row identity when it
survived, with formula cells taken at their cached value (never evaluated).

``read_returned(path) -> Returned``; bad files raise ``MergeError`` with one Chinese line."""
from __future__ import annotations

import datetime as dt
import json
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils.cell import coordinate_to_tuple

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
    identity: dict  # key -> (notice, problem, measure, JSON): see ``entry``
    meta: dict  # exported_at, database_id, profile, layout (empty without identity)
    sheets: list[str]

    def entry(self, key) -> dict | None:
        """The identity of a row key: {"sheet", "notice", "problem", "measure", "parts", "base"},
        None for an unknown key or a row someone typed into."""
        found = self.identity.get(key)
        if found is None:
            return None
        notice, problem, measure, info = found
        try:
            info = json.loads(info) if info else {}
        except (TypeError, ValueError):
            return None
        if not isinstance(info, dict):
            return None
        return {"sheet": info.get("sheet"), "notice": notice, "problem": problem, "measure": measure,
                "parts": info.get("parts") or {}, "base": info.get("base") or {}}


def read_returned(path) -> Returned:
    """The rows of every sheet of ``path`` that has a ledger header, and its row identity.

    Values come from calamine (fast, and formula cells at their cached value); one pass over the
    XML of a sheet that holds formulas or error cells marks them (calamine reads neither)."""
    path = Path(path)
    _check_file(path)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise MergeError("无法读取这个工作簿，文件可能已损坏", path=str(path)) from exc
    try:
        names = [m.name for m in book.sheets_metadata if str(m.typ).endswith("WorkSheet")]
        with zipfile.ZipFile(path) as archive:
            marks = _Marks(archive)
            identity, meta = _identity(book) if IDENTITY_SHEET in names else ({}, {})
            rows, sheets = [], []
            for name in names:
                if name == IDENTITY_SHEET:
                    continue
                found = _sheet_rows(name, _values(book, name), *marks.of(name))
                if found is not None:
                    sheets.append(name)
                    rows += found
    except MergeError:
        raise
    except Exception as exc:  # a damaged part: calamine's errors, zipfile's, lxml's
        raise MergeError("无法读取这个工作簿，文件可能已损坏", path=str(path)) from exc
    finally:
        book.close()
    if not sheets:
        raise MergeError("这不是本程序导出的整改台账（找不到“序号”“反馈问题”表头）", path=str(path))
    return Returned(path, rows, identity, meta, sheets)


def _values(book, name):
    """The sheet's rows from A1 as openpyxl reads them: empty cells None, whole numbers int."""
    for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False):
        yield [None if v == "" else int(v) if type(v) is float and v.is_integer() else v for v in row]


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
    rows = _values(book, IDENTITY_SHEET)
    first = next(rows, None)
    if not first or first[0] != FORMAT_MARK:
        return {}, {}
    meta = dict(zip(("mark", "exported_at", "database_id", "profile", "layout"), first))
    next(rows, None)  # headers
    identity = {}
    for row in rows:
        if not row or not row[0]:
            continue
        key, notice, problem, measure, info = (list(row) + [None] * 5)[:5]
        # The JSON is read when the row is merged (``Returned.entry``): parsed all at once, the
        # identity of a large ledger took more memory than its cells.
        identity[str(key)] = (_int(notice), _int(problem), _int(measure),
                              info.encode("utf-8") if isinstance(info, str) else None)
    return identity, meta


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# What a formula or an error cell looks like in a sheet's XML (with or without a namespace prefix):
# a sheet without any of these needs no second look.
_MARKS = (b"<f>", b"<f ", b"<f/", b"<f\n", b"<f\r", b"<f\t", b":f>", b":f ", b":f/", b't="e"', b"t='e'")


class _Marks:
    """Per sheet, the cells holding a formula (their values are the cached results, which is what
    the merge takes: it never evaluates) and the error cells (#N/A …) with their text. Only a
    sheet whose XML has either is parsed; most returned sheets have none."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.paths = _sheet_paths(archive)

    def of(self, name) -> tuple[set, dict]:
        path = self.paths.get(name)
        if path is None or not self._has_marks(path):
            return set(), {}
        from lxml import etree

        formulas, errors = set(), {}
        with self.archive.open(path) as xml:
            for _, cell in etree.iterparse(xml, tag=("{*}c",), resolve_entities=False, huge_tree=True):
                ref = cell.get("r")
                if ref:
                    children = {etree.QName(child).localname: child for child in cell}
                    if "f" in children:
                        formulas.add(coordinate_to_tuple(ref))
                    if cell.get("t") == "e":
                        value = children.get("v")
                        errors[coordinate_to_tuple(ref)] = value.text if value is not None else None
                cell.clear()
        return formulas, errors

    def _has_marks(self, path) -> bool:
        tail = b""
        with self.archive.open(path) as xml:
            while chunk := xml.read(1 << 20):
                text = tail + chunk
                if any(mark in text for mark in _MARKS):
                    return True
                tail = chunk[-16:]
        return False


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the package, from the workbook and its relationships."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)

    def parse(name):
        return etree.fromstring(archive.read(name), parser)

    def local(element):
        return etree.QName(element).localname

    workbook = next((r.get("Target") for r in parse("_rels/.rels") if r.get("Type", "").endswith("/officeDocument")),
                    "xl/workbook.xml").lstrip("/")
    folder = posixpath.dirname(workbook)
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
    targets = {r.get("Id"): r.get("Target") or "" for r in parse(rels_name)}
    paths = {}
    for element in parse(workbook).iter():
        if local(element) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if etree.QName(k).localname == "id"), None)
        target = targets.get(rid)
        if target:
            paths[element.get("name")] = (target.lstrip("/") if target.startswith("/")
                                          else posixpath.normpath(posixpath.join(folder, target)))
    return paths


def _sheet_rows(name, values, formulas: set, errors: dict) -> list[Row] | None:
    """The data rows under the sheet's header row (the row whose first cells read 序号/通报)."""
    columns = None
    rows = []
    for number, cells in enumerate(values, 1):
        if columns is None:
            keys = [HEADER_KEYS.get(str(v).strip()) if isinstance(v, str) else None for v in cells]
            if "seq" in keys and ("title" in keys or "measures" in keys):
                columns = keys
            elif number > 30:
                return None
            continue
        row = Row(name, number, {})
        for col, (key, value) in enumerate(zip(columns, cells), 1):
            if key is None:
                continue
            if formulas and (number, col) in formulas:
                row.formulas.add(key)
            if errors and (number, col) in errors:
                value = errors[(number, col)]
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
