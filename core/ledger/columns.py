"""The ledger's columns and how a notice record turns into their display values."""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from core.errors import ExportError
from core.labels import notice_name  # noqa: F401  (re-exported: the ledger's public surface)
from core.vocab import STATUSES

LAYOUTS = ("problem", "measure")
NO_STATUS = "未标注"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # Excel character units; a Chinese character takes about two


COLUMNS = (
    Column("seq", "序号", 5),
    Column("category", "问题类别", 10),
    Column("group", "问题分组", 10),
    Column("title", "反馈问题", 22),
    Column("measures", "整改措施", 40),
    Column("progress", "完成情况", 10),
    Column("rectify_type", "整改类型", 9),
    Column("leader", "责任领导", 8),
    Column("units", "责任单位", 12),
    Column("person", "责任人", 8),
    Column("deadline", "整改时限", 15),
    Column("status", "整改状态", 9),
    Column("effect", "整改成效", 14),
    Column("evidence", "佐证材料", 10),
    Column("closed", "是否销号", 6),
    Column("closed_at", "销号时间", 15),
    Column("remark", "备注", 8),
    Column("checked", "核对", 7),
    Column("location", "原文位置", 9),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
BY_KEY = {c.key: c for c in COLUMNS}
# In the "measure" layout these cells belong to the measure's row; all others are merged down.
MEASURE_KEYS = frozenset({"measures", "progress"})
NOTICE_COLUMN = Column("notice", "通报", 22)
DATE_KEYS = frozenset({"deadline", "closed_at"})
# Never printed unless asked for: the source file's line numbers and the reviewer's own check.
ASKED_ONLY = frozenset({"checked", "location"})
# Always kept, even when empty: the row would not read without them.
NEVER_DROPPED = frozenset({"seq", "title", "measures"})


@dataclass(frozen=True)
class Profile:
    """A print profile: which columns, on what paper, under which headers."""

    key: str
    name: str
    keys: tuple[str, ...]
    paper: str  # "A4" or "A3", always landscape
    width: float  # total column width the paper holds at 100 % (Excel character units)
    drop_empty: bool
    headers: dict = field(default_factory=dict)

    def columns(self, hidden=(), shown=(), layout="problem") -> list[Column]:
        keys = [k for k in self.keys if k not in ASKED_ONLY or k in shown]
        if self.drop_empty:  # one status column: per problem, or per measure in the measure layout
            keys = [k for k in keys if k != ("status" if layout == "measure" else "progress")]
        keys += [k for k in shown if k not in keys and k in BY_KEY]
        keys = [k for k in COLUMN_KEYS if k in keys and k not in set(hidden)]
        return [Column(k, self.headers.get(k, BY_KEY[k].header), BY_KEY[k].width) for k in keys]


REPORT = Profile("report", "上报版",
                 ("seq", "category", "title", "measures", "leader", "units", "person", "deadline",
                  "status", "progress", "closed", "remark"),
                 paper="A4", width=138, drop_empty=True, headers={"measures": "整改措施及进展"})
WORK = Profile("work", "工作版", COLUMN_KEYS, paper="A3", width=205, drop_empty=False)
PROFILES = {p.key: p for p in (REPORT, WORK)}
PROFILE_NAMES = {p.name: p for p in (REPORT, WORK)}
DEFAULT_PROFILE = REPORT


def profile_of(name) -> Profile:
    """The profile called ``name``: its key (report/work) or its Chinese name (上报版/工作版)."""
    if isinstance(name, Profile):
        return name
    found = PROFILES.get(name) or PROFILE_NAMES.get(name)
    if found is None:
        raise ExportError(f"没有这种台账版式：{name}（可选：上报版、工作版）")
    return found


def fit_columns(columns: list[Column], rows, profile: Profile, extra: float = 0) -> list[Column]:
    """The profile's columns for these rows: empty ones dropped (上报版), and the widths stretched
    or shrunk so that the columns fill the paper's width at 100 % (so nothing prints smaller)."""
    if profile.drop_empty:
        rows = list(rows)
        columns = [c for c in columns if c.key in NEVER_DROPPED
                   or any(_filled(r.get(c.key)) for r in rows)]
    total = sum(c.width for c in columns) + extra
    spare = profile.width - total
    growing = [c for c in columns if c.key in ("measures", "title")]
    if not growing or (spare < 0 and not profile.drop_empty):
        return columns
    if spare < 0:  # 上报版 with another column beside (全部问题's 通报): narrower text columns
        spare = max(spare, -sum(c.width / 3 for c in growing))
    share = {"measures": 2 / 3, "title": 1 / 3} if len(growing) == 2 else {growing[0].key: 1}
    return [Column(c.key, c.header, round(c.width + spare * share.get(c.key, 0), 1)) for c in columns]


def _filled(value) -> bool:
    return value not in (None, "", "否")


# ---------------------------------------------------------------- record -> display values
def _source_name(notice: dict) -> str | None:
    source = notice.get("source") or {}
    return source.get("name") or (PurePath(source["path"]).name if source.get("path") else None)


def ledger_title(notice: dict) -> str:
    """The heading of a notice's ledger: 《title》整改台账, else 发布单位整改台账, else 通报 N 整改台账."""
    if notice.get("title"):
        return f"《{notice['title']}》整改台账"
    return f"{notice_name(notice)}整改台账"


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


def _measure_line(i: int, measure: dict, with_status: bool) -> str:
    status = measure.get("status") if with_status else None
    return f"{i}. {measure.get('text') or ''}" + (f"（{status}）" if status else "")


def _problem_values(problem: dict, locate: _Locator, with_status=False) -> dict:
    measures = problem.get("measures") or []
    evidence = problem.get("evidence") or []
    return {
        "_problem": problem,
        "seq": problem.get("seq"),
        "category": problem.get("category") or "",
        "group": problem.get("group") or "",
        "title": problem.get("title") or "",
        "measures": "\n".join(_measure_line(i, m, with_status) for i, m in enumerate(measures, 1)),
        "rectify_type": problem.get("rectify_type") or "",
        "leader": problem.get("leader") or "",
        "units": problem.get("units") or "",
        "person": problem.get("person") or "",
        "deadline": problem.get("deadline") or "",
        "progress": _progress_summary(measures),
        "effect": problem.get("effect") or "",
        "status": problem.get("status") or "",
        "evidence": "\n".join(e["name"] for e in evidence if e.get("name")),
        "closed": "是" if problem.get("closed") else "否",
        "closed_at": problem.get("closed_at") or "",
        "checked": "已核对" if problem.get("checked") else "未核对",
        "remark": problem.get("remark") or "",
        "location": locate(problem.get("span")),
    }


def problem_blocks(notice: dict, layout: str = "problem", *, with_status=False) -> list[list[dict]]:
    """Rows of the notice's ledger, one block per problem: one row, or one row per measure.

    Each row also carries ``_problem`` (the record) and, in the measure layout, ``_measure``;
    ``with_status`` appends each measure's status to its line (上报版's 整改措施及进展)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    locate = _Locator(notice.get("text"))
    blocks = []
    for problem in notice.get("problems") or []:
        values = _problem_values(problem, locate, with_status)
        measures = problem.get("measures") or []
        if layout == "problem" or not measures:
            blocks.append([values])
            continue
        rows = []
        for i, measure in enumerate(measures, 1):
            row = dict(values)
            row["measures"] = _measure_line(i, measure, False)
            row["progress"] = measure.get("status") or ""
            row["_measure"] = measure
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

