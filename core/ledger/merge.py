"""Merge back (回填): a returned ledger -> a preview of every change -> ordinary store edits.

``preview(store, paths)`` reads the files and compares three values per cell: what the export
wrote (kept in the hidden 台账标识 sheet), what the file holds now and what the program holds
now. A cell the unit changed becomes a change (old -> new); if the program's value changed too
since the export, it is a conflict, shown side by side and left alone unless the reviewer picks
the file's value. Rows a unit added under a problem are offered as new measures; rows deleted in
the file, ids of deleted notices, values outside a dropdown's choices and formulas without a
cached value are flagged, never applied. Nothing is written until ``apply(store, preview)``,
which makes ordinary logged edits, one undo step per notice and file, under the reviewer name
回填：FILE.xlsx. The store is duck-typed (``get_notice``, ``notice_ids``, ``get_setting``,
``update_field``, ``add_measure``, ``grouped_edits``)."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from core.ledger.clean import as_date
from core.ledger.columns import BY_KEY, STATUSES, measure_display, notice_name, problem_display
from core.ledger.identity import DATABASE_ID, MEASURE_FIELDS, PROBLEM_FIELDS
from core.ledger.notice_sheet import CONTINUED, RECTIFY_TYPES
from core.ledger.readback import MergeError, Returned, cell_text, read_returned

CHOICES = {"status": STATUSES, "rectify_type": RECTIFY_TYPES}
MEASURE_LABELS = {"text": "整改措施", "status": "整改状态", "progress": "完成情况", "units": "责任单位",
                  "person": "责任人", "deadline": "整改时限"}
# In the measure layout these belong to the measure's own row, not to the problem.
PER_MEASURE = frozenset(MEASURE_FIELDS) - {"measures"}
_UNIT_SPLIT = re.compile(r"[、,，;；/／\s]+")
_NUMBERING = re.compile(r"^\s*\d+\s*[.、．]\s*")
SIMILAR = 0.6  # title similarity that lets a row without identity stand for a problem
_INVALID = object()  # a cell that cannot be taken (flagged)


@dataclass
class FieldChange:
    source: str  # the file's name
    notice_id: int
    notice: str
    entity: str  # "problem" or "measure"
    row_id: int
    item: str  # 问题 3 / 问题 3 措施 2
    field: str
    label: str  # 问题 3 的“责任单位”
    old: object  # the program's value now
    new: object  # the file's value
    base: object = None  # what the export wrote (None without row identity)
    conflict: bool = False
    apply: bool = True
    note: str = ""
    order: tuple = field(default=(), repr=False, compare=False)


@dataclass
class NewMeasure:
    source: str
    notice_id: int
    notice: str
    problem_id: int
    item: str
    text: str
    apply: bool = True


@dataclass
class Preview:
    files: list[Path]
    changes: list[FieldChange] = field(default_factory=list)
    new_measures: list[NewMeasure] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # rows not applied, and why
    notes: list[str] = field(default_factory=list)

    @property
    def conflicts(self) -> list[FieldChange]:
        return [c for c in self.changes if c.conflict]

    def is_empty(self) -> bool:
        return not self.changes and not self.new_measures


def ledger_files(path) -> list[Path]:
    """The workbooks to merge: the file, or every .xlsx in the folder (lock and temporary files left out)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.xlsx") if not p.name.startswith((".~", "~$")))
        if not files:
            raise MergeError("文件夹里没有 .xlsx 台账", path=str(path))
        return files
    return [path]


def preview(store, paths, *, progress=None) -> Preview:
    files = [f for p in (paths if isinstance(paths, (list, tuple)) else [paths]) for f in ledger_files(p)]
    result = Preview(files)
    known = set(store.notice_ids())
    records = {}
    for i, path in enumerate(files, 1):
        returned = read_returned(path)
        _check_database(store, returned)
        _Merger(store, returned, known, records, result).run()
        if progress:
            progress(i, len(files))
    _drop_disagreements(result)
    names = [f.name for f in files]
    result.changes.sort(key=lambda c: (names.index(c.source), c.notice_id, c.order))
    return result


def _check_database(store, returned: Returned) -> None:
    theirs = returned.meta.get("database_id")
    ours = store.get_setting(DATABASE_ID)
    if theirs and ours and theirs != ours:
        raise MergeError("这份台账是从另一个数据库导出的，不能合并到当前数据库", path=str(returned.path))


class _Merger:
    """One returned file. Rows with identity are compared in two passes: first every row against
    the values the export wrote (no database needed), then, notice by notice, only the cells a
    unit changed against the program's record, each record fetched once and let go after."""

    def __init__(self, store, returned, known, records, result):
        self.store, self.returned, self.known, self.records, self.result = store, returned, known, records, result
        self.source = returned.path.name
        self.pending = {}  # notice id -> [(task, args)] needing the notice's record

    def notice(self, notice_id):
        if notice_id not in self.records:
            self.records[notice_id] = self.store.get_notice(notice_id) if notice_id in self.known else None
        return self.records[notice_id]

    def flag(self, row, message):
        self.result.flags.append(f"{self.source} {row.sheet} 第{row.number}行：{message}")

    def later(self, notice_id, task, *args):
        self.pending.setdefault(notice_id, []).append((task, args))

    def run(self):
        if not self.returned.identity:
            self.result.notes.append(f"{self.source}：没有行标识（可能是复制到新文件的），按通报、序号和问题文字匹配；"
                                     "无法判断程序中是否也改过，请逐项核对")
            self._run_by_text()
            return
        items, seen = {}, set()
        last_problem = {}
        for row in self.returned.rows:
            entry = self.returned.entry(row.key) if row.key else None
            if entry is None or entry["sheet"] != row.sheet:
                self._new_row(row, last_problem.get(row.sheet))
                continue
            seen.add(row.key)
            last_problem[row.sheet] = (entry["notice"], entry["problem"])
            parts = entry["parts"] or {}
            if parts.get("problem") is not None:
                items.setdefault(("problem", row.sheet, entry["problem"]), []).append((parts["problem"], row, entry))
            if entry["measure"] is not None and parts.get("measure") is not None:
                items.setdefault(("measure", row.sheet, entry["measure"]), []).append((parts["measure"], row, entry))
        for (entity, _, _), parts in items.items():
            self._item(entity, sorted(parts, key=lambda p: p[0]))
        del items
        self._deleted_rows(seen)
        for notice_id, tasks in self.pending.items():
            notice = self.store.get_notice(notice_id) if notice_id in self.known else None
            for task, args in tasks:
                task(notice, *args)
        self.pending = {}

    # --- one problem or measure, from its row(s)
    def _item(self, entity, parts):
        first_part, row, entry = parts[0]
        if first_part != 0:
            return  # its first row was deleted: reported by _deleted_rows
        changed = []  # cells the unit changed: only these need the program's values
        if entity == "measure":
            keys = tuple(MEASURE_FIELDS)
        elif entry["measure"] is not None:  # measure layout: the problem keeps only its own cells
            keys = tuple(k for k in PROBLEM_FIELDS if k not in PER_MEASURE)
        else:
            keys = PROBLEM_FIELDS
        base_values = entry["base"].get(entity) or {}
        for key in keys:
            if key not in row.values:
                continue  # the column is not in this sheet
            store_field = key if entity == "problem" else MEASURE_FIELDS[key]
            new = self._file_value(row, entity, store_field, _joined(key, parts), key in row.formulas)
            base = base_values.get(store_field)
            if new is not _INVALID and not _same(store_field, new, base):
                changed.append((store_field, new, base, key in row.formulas))
        if changed:
            self.later(entry["notice"], self._item_changes, entity, row, entry, changed)

    def _item_changes(self, notice, entity, row, entry, changed):
        if notice is None:
            self.flag(row, f"通报 {entry['notice']} 已从程序中删除，此行未合并")
            return
        problem, measure = _find(notice, entry["problem"], entry["measure"])
        if problem is None or (entity == "measure" and measure is None):
            self.flag(row, "这一项已在程序中删除，此行未合并")
            return
        shown = problem_display(problem) if entity == "problem" else measure_display(measure, problem)
        for store_field, new, base, formula in changed:
            current = shown.get(store_field)
            self._change(notice, problem, measure, entity, store_field, new, base, current,
                         formula=formula, has_base=True)

    def _file_value(self, row, entity, store_field, value, formula):
        """The cell as the store would keep it, or _INVALID (flagged) when it cannot be taken."""
        if formula and value is None:
            self.flag(row, f"“{_label(entity, store_field)}”是公式，文件里没有保存计算结果，未合并（本程序不计算公式）")
            return _INVALID
        try:
            return _normalise(store_field, value, entity)
        except ValueError as exc:
            self.flag(row, str(exc))
            return _INVALID

    def _change(self, notice, problem, measure, entity, store_field, new, base, current, *, formula, has_base):
        if _same(store_field, new, current):
            return  # the program already holds it
        conflict = has_base and not _same(store_field, current, base)
        item = f"问题 {problem.get('seq')}" + (f" 措施 {measure.get('seq')}" if entity == "measure" else "")
        notes = []
        if formula:
            notes.append("公式单元格：取其保存的计算结果，未重新计算")
        if store_field in ("deadline", "closed_at") and isinstance(new, str) and as_date(new) is None:
            notes.append("不是具体日期，按文字保存")
        if not has_base:
            notes.append("按序号和文字匹配")
        self.result.changes.append(FieldChange(
            self.source, notice["id"], notice_name(notice), entity,
            problem["id"] if entity == "problem" else measure["id"], item, store_field,
            f"{item} 的“{_label(entity, store_field)}”", current, new, base if has_base else None,
            conflict=conflict, apply=not conflict, note="；".join(notes),
            order=(problem.get("seq") or 0, measure.get("seq") if measure else 0)))

    def _new_row(self, row, above):
        text = _strip_number(cell_text(row.values.get("measures")))
        seq = row.values.get("seq")
        if isinstance(seq, str) and CONTINUED in seq:
            return  # a continuation row that lost its key: nothing of its own
        if not text:
            if any(cell_text(v) for k, v in row.values.items() if k not in ("seq", "notice")):
                self.flag(row, "新增的行没有写整改措施，未合并")
            return
        if above is None:
            self.flag(row, "新增的行在任何问题之前，无法判断属于哪个问题，未合并")
            return
        self.later(above[0], self._new_measure, row, above[1], text)

    def _new_measure(self, notice, row, problem_id, text):
        problem = _find(notice, problem_id, None)[0] if notice else None
        if problem is None:
            self.flag(row, "新增的行所在的问题已在程序中删除，未合并")
            return
        self.result.new_measures.append(NewMeasure(self.source, notice["id"], notice_name(notice), problem["id"],
                                                   f"问题 {problem.get('seq')}", text))

    def _deleted_rows(self, seen):
        for key in self.returned.identity:
            if key in seen:
                continue
            entry = self.returned.entry(key)
            if entry is None:
                continue
            parts = entry["parts"] or {}
            first = parts.get("problem") == 0 or (parts.get("problem") is None and parts.get("measure") == 0)
            if not first or entry["sheet"] not in self.returned.sheets:
                continue
            self.later(entry["notice"], self._deleted_row, entry)

    def _deleted_row(self, notice, entry):
        problem, measure = _find(notice, entry["problem"], entry["measure"]) if notice else (None, None)
        what = (f"问题 {problem.get('seq')}" if problem else f"问题（编号 {entry['problem']}）") + (
            f" 措施 {measure.get('seq')}" if measure else "")
        self.result.flags.append(f"{self.source} {entry['sheet']}：{what} 的行在文件中被删除了"
                                 "（程序中未删除，如需删除请在程序中操作）")

    # --- rows copied into a new file: match by notice + 序号 + title
    def _run_by_text(self):
        notices = [self.notice(i) for i in sorted(self.known)]
        by_name = {}
        for n in notices:
            by_name.setdefault(notice_name(n), n)
            by_name.setdefault(n.get("issuer") or "", n)
        for row in self.returned.rows:
            notice = by_name.get(cell_text(row.values.get("notice")) or "") or by_name.get(row.sheet)
            if notice is None and len(notices) == 1:
                notice = notices[0]
            seq = row.values.get("seq")
            if notice is None or not isinstance(seq, (int, float)):
                continue
            problem = _match_problem(notice, int(seq), cell_text(row.values.get("title")) or "")
            if problem is None:
                self.flag(row, "找不到对应的问题（序号和问题文字都对不上），未合并")
                continue
            for key in PROBLEM_FIELDS:
                if key in row.values:
                    new = self._file_value(row, "problem", key, row.values[key], key in row.formulas)
                    if new is not _INVALID:
                        self._change(notice, problem, None, "problem", key, new, None, problem_display(problem)[key],
                                     formula=key in row.formulas, has_base=False)


def _find(notice, problem_id, measure_id):
    for p in notice.get("problems") or []:
        if p["id"] == problem_id:
            m = next((m for m in p.get("measures") or [] if m["id"] == measure_id), None)
            return p, m
    return None, None


def _match_problem(notice, seq, title):
    problems = notice.get("problems") or []
    def ratio(p):
        return difflib.SequenceMatcher(None, p.get("title") or "", title).ratio()
    by_seq = next((p for p in problems if p.get("seq") == seq), None)
    if by_seq is not None and ratio(by_seq) >= SIMILAR:
        return by_seq
    best = max(problems, key=ratio, default=None)
    return best if best is not None and ratio(best) >= 0.8 else None


def _joined(key, parts):
    value = parts[0][1].values.get(key)
    for _, row, entry in parts[1:]:
        seps = (entry["parts"] or {}).get("sep") or {}
        if key in seps:
            value = f"{cell_text(value) or ''}{seps[key]}{cell_text(row.values.get(key)) or ''}"
    return value


def _strip_number(text):
    return _NUMBERING.sub("", text, count=1).strip() or None if text else None


def _normalise(store_field, value, entity):
    if store_field == "closed":
        text = cell_text(value)
        if value is True or text in ("是", "已销号", "TRUE", "1"):
            return True
        if value is False or text in (None, "否", "未销号", "FALSE", "0"):
            return False
        raise ValueError(f"“是否销号”应为 是 或 否，文件中是“{text}”，未合并")
    text = cell_text(value)
    if entity == "measure" and store_field == "text":
        return _strip_number(text)
    if store_field in CHOICES and text is not None and text not in CHOICES[store_field]:
        raise ValueError(f"“{_label(entity, store_field)}”应为 {'、'.join(CHOICES[store_field])} 之一，"
                         f"文件中是“{text}”，未合并")
    return text


def _same(store_field, a, b) -> bool:
    if store_field == "closed":
        return bool(a) == bool(b)
    if store_field in ("deadline", "closed_at"):
        da, db = as_date(a), as_date(b)
        if da is not None and db is not None:
            return da == db
    return (a if a not in ("", None) else None) == (b if b not in ("", None) else None)


def _label(entity, store_field):
    if entity == "measure":
        return MEASURE_LABELS.get(store_field, store_field)
    return BY_KEY[store_field].header if store_field in BY_KEY else store_field


def _drop_disagreements(result: Preview) -> None:
    """The same cell changed to two different values (in 全部问题 and the notice's sheet, or in two
    units' files): neither is applied; the reviewer sees both."""
    by_cell = {}
    for change in result.changes:
        by_cell.setdefault((change.entity, change.row_id, change.field), []).append(change)
    kept = []
    for changes in by_cell.values():
        values = {repr(c.new) for c in changes}
        if len(values) > 1:
            first = changes[0]
            shown = "；".join(f"{c.source}：{c.new}" for c in changes)
            result.flags.append(f"{first.notice} {first.label} 在文件中有不同的填写（{shown}），未合并")
            continue
        kept.append(changes[0])
    result.changes = kept


def apply(store, result: Preview) -> dict:
    """Apply the chosen changes and new measures: ordinary logged edits, reviewer 回填：FILE, one
    undo step per notice and file. Returns counts."""
    groups = {}
    for change in result.changes:
        if change.apply:
            groups.setdefault((change.source, change.notice_id), ([], []))[0].append(change)
    for new in result.new_measures:
        if new.apply:
            groups.setdefault((new.source, new.notice_id), ([], []))[1].append(new)
    reviewer = store.reviewer
    counts = {"changes": 0, "new_measures": 0, "steps": 0}
    try:
        for (source, notice_id), (changes, news) in groups.items():
            store.reviewer = f"回填：{source}"
            with store.grouped_edits(notice_id):
                for change in changes:
                    value = change.new
                    if change.entity == "measure" and change.field == "units":  # a measure keeps a list
                        value = [u for u in _UNIT_SPLIT.split(value or "") if u]
                    store.update_field(change.entity, change.row_id, change.field, value)
                    counts["changes"] += 1
                for new in news:
                    store.add_measure(new.problem_id, text=new.text)
                    counts["new_measures"] += 1
            counts["steps"] += 1
    finally:
        store.reviewer = reviewer
    return counts
