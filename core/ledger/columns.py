"""The ledger's columns and how a notice record turns into their display values."""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from core.errors import ExportError

LAYOUTS = ("problem", "measure")
STATUSES = ("已完成", "推进中", "长期坚持")
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


# ---------------------------------------------------------------- record -> display values
def _source_name(notice: dict) -> str | None:
    source = notice.get("source") or {}
    return source.get("name") or (PurePath(source["path"]).name if source.get("path") else None)


def notice_name(notice: dict) -> str:
    """What a person calls the notice: its title, else the issuer, else the file name."""
    return (notice.get("title") or notice.get("issuer") or _source_name(notice)
            or f"通报{notice.get('id') or ''}")


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

