"""CSV and JSON: the same rows as the workbook's, flat."""
from __future__ import annotations

import csv
import json
from pathlib import Path, PurePath

from core.errors import ExportError
from core.ledger.columns import NOTICE_COLUMN, notice_name, problem_blocks, visible_columns
from core.ledger.files import _checked_list, _replacing, _report
from core.ledger.workbook import export_workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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

