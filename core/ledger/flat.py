"""CSV and JSON: the same rows as the workbook's, flat."""
from __future__ import annotations

import csv
import json
from pathlib import Path, PurePath

from core.errors import ExportError
from core.ledger.clean import clean
from core.ledger.columns import (DEFAULT_PROFILE, NOTICE_COLUMN, REPORT, fit_columns, notice_name, problem_blocks,
                                 profile_of, visible_columns)
from core.ledger.files import _checked_list, _replacing, _report
from core.ledger.workbook import export_workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- flat rows: CSV and JSON
def _flat_rows(notices, layout, hidden_columns, shown_columns, profile):
    """The workbook's columns for ``profile`` (上报版 drops the empty ones) and its rows, with
    each row's notice, problem and measure records."""
    profile = profile_of(profile)
    visible_columns(hidden_columns)
    blocks = [(notice, row) for notice in notices
              for block in problem_blocks(notice, layout, with_status=profile is REPORT and layout == "problem")
              for row in block]
    columns = [NOTICE_COLUMN] + fit_columns(profile.columns(hidden_columns, shown_columns, layout),
                                            (r for _, r in blocks), profile)
    rows = [(notice, row, [_plain(notice_name(notice))] + [_plain(row.get(c.key)) for c in columns[1:]])
            for notice, row in blocks]
    return columns, rows


def _plain(value):
    value = clean(value)
    return value.replace("\x00", "") if isinstance(value, str) else value


def _csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # OWASP: a spreadsheet must not read a cell as a formula
    return value


def export_csv(notices, target, *, profile=DEFAULT_PROFILE, layout="problem", hidden_columns=(), shown_columns=(),
               progress=None, cancelled=None) -> Path:
    """All problems of all notices as CSV (UTF-8 with BOM, so Excel reads the Chinese): the
    workbook's columns under the same Chinese headers."""
    notices = _checked_list(notices, cancelled)
    columns, rows = _flat_rows(notices, layout, hidden_columns, shown_columns, profile)
    with _replacing(target) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([c.header for c in columns])
            writer.writerows([_csv_safe(v) for v in values] for _, _, values in rows)
    _report(progress, len(notices), len(notices))
    return Path(target)


def export_json(notices, target, *, profile=DEFAULT_PROFILE, layout="problem", hidden_columns=(), shown_columns=(),
                progress=None, cancelled=None) -> Path:
    """The same rows as the CSV, as a JSON list of objects keyed by the Chinese headers, each
    with the ids of its notice, problem and measure (通报编号, 问题编号, 措施编号)."""
    notices = _checked_list(notices, cancelled)
    columns, rows = _flat_rows(notices, layout, hidden_columns, shown_columns, profile)
    data = []
    for notice, row, values in rows:
        item = {"通报编号": notice.get("id"), "问题编号": (row.get("_problem") or {}).get("id")}
        if row.get("_measure") is not None:
            item["措施编号"] = row["_measure"].get("id")
        item.update({c.header: v for c, v in zip(columns, values)})
        data.append(item)
    with _replacing(target) as tmp, open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    _report(progress, len(notices), len(notices))
    return Path(target)


FORMATS = ("xlsx", "csv", "json")


def format_of(target) -> str | None:
    """The export format a file name asks for, from its suffix."""
    suffix = PurePath(target).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def export(notices, target, *, fmt=None, profile=DEFAULT_PROFILE, layout="problem", hidden_columns=(),
           shown_columns=(), edit_logs=None, progress=None, cancelled=None, database_id=None) -> Path:
    """Export in ``fmt`` (default: from the target's suffix); edit logs go only into workbooks."""
    fmt = fmt or format_of(target)
    if fmt not in FORMATS:
        raise ExportError("无法识别导出格式，请使用 .xlsx、.csv 或 .json 文件名", path=str(target))
    options = {"profile": profile, "layout": layout, "hidden_columns": hidden_columns,
               "shown_columns": shown_columns, "progress": progress, "cancelled": cancelled}
    if fmt == "xlsx":
        return export_workbook(notices, target, edit_logs=edit_logs, database_id=database_id, **options)
    return (export_csv if fmt == "csv" else export_json)(notices, target, **options)
