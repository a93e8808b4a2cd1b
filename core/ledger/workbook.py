"""The ledger workbook: one sheet per notice; 汇总, 全部问题 and 统计 for several."""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from pathlib import Path

from core.errors import Cancelled
from core.ledger.columns import (DEFAULT_PROFILE, LAYOUTS, NO_STATUS, NOTICE_COLUMN, REPORT, STATUSES, Column,
                                 fit_columns, notice_name, problem_blocks, profile_of, visible_columns)
from core.ledger.identity import IDENTITY_SHEET, Identity, has_ids
from core.ledger.notice_sheet import SPARE_ROWS, _Rows, decorate, write_notice_sheet
from core.ledger.editlog import LOG_SHEET, _write_log
from core.ledger.files import _checked_list, _replacing, _report
from core.ledger.sheet import _Book, _Sheet, _SheetNames
from core.ledger.styles import LINK_FONT, TITLE_FONT, WRAP_CENTER, _height, _lines, _title_height


def _sheet_label(notice: dict) -> str:
    return notice.get("issuer") or notice_name(notice)


SUMMARY_SHEET, ALL_SHEET, STATS_SHEET, LOG_SHEET = "汇总", "全部问题", "统计", "修改记录"
MAX_OUTCOME_UNITS = 4  # 汇总 sums outcomes by unit (人, 万元, 项 …); the most frequent units only


def _outcome_units(notices) -> list[str]:
    counts = Counter(o.get("unit") for n in notices for o in n.get("outcomes") or []
                     if o.get("unit") and isinstance(o.get("quantity"), (int, float)))
    return [unit for unit, _ in counts.most_common(MAX_OUTCOME_UNITS)]


def _summary_columns(units):
    return [
        Column("no", "序号", 5), Column("name", "通报", 30), Column("issuer", "单位", 14),
        Column("kind", "类型", 6), Column("published", "通报日期", 11),
        Column("problems", "问题数", 7), Column("measures", "措施数", 7),
        *(Column(s, s, 8) for s in (*STATUSES, NO_STATUS)),
        Column("overdue", "逾期", 6), Column("closed", "已销号", 7), Column("checked", "已核对", 8),
        *(Column(f"outcome:{u}", f"成果（{u}）", 10) for u in units),
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
            quoted = link.replace("'", "''")
            cell = sheet.cell(value, LINK_FONT, WRAP_CENTER, link=f"'{quoted}'!A1")
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


def _write_stats(book, notices, profile):
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
    sheet = _Sheet(book, STATS_SHEET, columns, header_row=2, paper=profile.paper)
    sheet.wide_row("问题类别与整改状态统计", TITLE_FONT, WRAP_CENTER, _title_height("问题类别与整改状态统计", 100))
    sheet.header()
    for row in rows + [_totals(rows, columns, "category")]:
        _count_row(sheet, row, columns)
    sheet.finish(filter_rows=len(rows))  # the 合计 row stays out of sorting



def export_workbook(notices, target, *, profile=DEFAULT_PROFILE, layout="problem", hidden_columns=(),
                    shown_columns=(), edit_logs=None, progress=None, cancelled=None,
                    database_id=None) -> Path:
    """Write the ledger workbook of ``notices`` to ``target`` (.xlsx) and return its path.

    ``profile`` is 上报版 (default) or 工作版; ``shown_columns`` asks for 核对/原文位置. Records
    that come from a database get the row identity that ``merge-ledger`` reads back."""
    notices = _checked_list(notices, cancelled)
    profile = profile_of(profile)
    visible_columns(hidden_columns)  # unknown keys are a programming error
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    total = len(notices)
    identity = Identity(exported_at=dt.datetime.now().isoformat(timespec="seconds"), database_id=database_id,
                        profile=profile.name, layout=layout) if has_ids(notices) else None
    options = {"hidden": hidden_columns, "shown": shown_columns, "identity": identity}

    def step(done):
        if cancelled and cancelled():
            raise Cancelled()
        _report(progress, done, total)

    with _replacing(target) as tmp:
        book = _Book()
        if total == 1:
            step(0)
            name = _SheetNames((LOG_SHEET, IDENTITY_SHEET))(_sheet_label(notices[0]))
            write_notice_sheet(book, name, notices[0], profile, layout, **options)
            step(1)
        else:
            _write_many(book, notices, profile, layout, step, options)
        if edit_logs:
            _write_log(book, notices, edit_logs)
        if identity is not None:
            identity.write(book)
        # Built in memory and written in one go: a full disk then fails on our own file handle,
        # which closes cleanly, instead of inside zipfile, whose half-written archive cannot.
        buffer = io.BytesIO()
        book.wb.save(buffer)
        with open(tmp, "wb") as f:
            f.write(buffer.getbuffer())
    return Path(target)


def _write_many(book, notices, profile, layout, step, options):
    step(0)
    names = _SheetNames((SUMMARY_SHEET, ALL_SHEET, STATS_SHEET, LOG_SHEET, IDENTITY_SHEET))
    sheet_names = [names(_sheet_label(n)) for n in notices]
    units = _outcome_units(notices)
    summary_columns = _summary_columns(units)
    while profile.drop_empty and units and sum(c.width for c in summary_columns) > profile.width:
        units.pop()  # 上报版 prints at 100 %: only the outcome units the paper holds
        summary_columns = _summary_columns(units)
    summary = _Sheet(book, SUMMARY_SHEET, summary_columns, header_row=2, paper=profile.paper)
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

    if profile is not REPORT:
        _write_all_problems(book, notices, profile, options)
    for i, (notice, sheet_name) in enumerate(zip(notices, sheet_names), 1):
        write_notice_sheet(book, sheet_name, notice, profile, layout, **options)
        step(i)
    _write_stats(book, notices, profile)


def _write_all_problems(book, notices, profile, options):
    """全部问题 (工作版) is the sheet to filter and sort: always one row a problem, nothing merged."""
    all_rows = [(notice, block[0]) for notice in notices
                for block in problem_blocks(notice, "problem", with_status=profile is REPORT)]
    columns = fit_columns(profile.columns(options["hidden"], options["shown"]), (r for _, r in all_rows),
                          profile, extra=NOTICE_COLUMN.width)
    all_sheet = _Sheet(book, ALL_SHEET, [NOTICE_COLUMN] + columns, header_row=1, paper=profile.paper,
                       key_column=options["identity"] is not None)
    all_sheet.header()
    writers = {}
    for notice, row in all_rows:
        writer = writers.get(id(notice))
        if writer is None:
            writer = writers[id(notice)] = _Rows(all_sheet, notice, ALL_SHEET, options["identity"])
        writer.problem_row(row | {"notice": notice_name(notice)})
    decorate(all_sheet, 2, all_sheet.row + SPARE_ROWS)
    all_sheet.finish()
