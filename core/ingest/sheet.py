"""Spreadsheets of problems (an inspection's 问题清单, an office's existing 台账): .xlsx, .xls, .et,
.ods and .csv.

The header row is found by its names (序号, 问题, 整改措施, 责任单位, 整改时限 …; a header of two
rows under merged cells too); each row below it is a problem with its measures and ledger
fields. A row without a problem but with measures continues the problem above (a problem cell
merged down over several measure rows); a row with only one short cell is a category heading.

The notice text is the rows written out one field per line; the problems come back as
extraction dicts (``Ingested.problems``) whose spans index that text. Ledger fields the store
does not pre-fill yet travel as extra keys: ``leader``, ``person``, ``effect``, ``closed``, ``remark``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from pathlib import Path

from core.errors import UnreadableFileError

log = logging.getLogger(__name__)

MAX_ROWS = 20_000
# column key -> the header names it goes by (whole cell, spaces and line breaks removed)
COLUMNS = {
    "number": r"序号|编号|问题编号|序",
    "category": r"(?:问题)?类别|(?:问题)?类型|方面|领域|问题分类|所属方面",
    "problem": r"(?:反馈|存在|主要|具体|突出|巡视|巡察|审计|督察)?问题(?:描述|表现|清单|内容|事项|名称)?|问题及表现|反馈意见|问题线索",
    "measures": r"整改(?:措施|举措|任务)|具体(?:整改)?措施|措施|整改(?:落实)?措施",
    "effect": r"整改(?:落实|完成|进展)?情况|落实情况|完成情况|(?:整改)?进展(?:情况)?|整改成效|整改结果|成效",
    "units": r"(?:整改)?责任(?:单位|部门|主体)|牵头(?:单位|部门)|主责(?:单位|部门)|责任(?:单位|部门)及责任人",
    "partners": r"配合(?:单位|部门)|协同(?:单位|部门)",
    "leader": r"(?:责任|牵头|分管|包保)领导",
    "person": r"(?:整改)?责任人|具体责任人|联系人",
    "deadline": r"(?:整改|完成)?(?:时限|期限)|(?:计划)?完成(?:时间|日期)|整改时间",
    "status": r"(?:整改|完成)?状态|是否(?:整改)?完成|整改进度",
    "rectify_type": r"整改(?:类型|方式|性质)",
    "closed": r"是否销号|销号(?:情况)?",
    "closed_at": r"销号(?:时间|日期)",
    "remark": r"备注|说明",
}
_PATTERNS = {key: re.compile(rf"(?:{names})") for key, names in COLUMNS.items()}
_SPACE = re.compile(r"\s+")
_ENUM = re.compile(r"(?<=[。；;])\s*(?=(?:[一二三四五六七八九十]+是|[(（]?\d{1,2}[)）.、．]|[①-⑳]))")
_YES = {"是", "已销号", "销号", "√", "✓", "yes", "y", "true", "1"}


def read_sheet(data: bytes, path: Path):
    from core.ingest import Ingested

    rows = _csv_rows(data, path) if _is_csv(data, path) else _workbook_rows(data, path)
    found = _header(rows)
    if found is None:
        raise UnreadableFileError("表格中没有找到问题清单的表头（需要“问题”一列，及“整改措施”“责任单位”“整改时限”等列）")
    at, columns, title = found
    text, problems = _render(rows[at:], columns, title or path.stem)
    if not problems:
        raise UnreadableFileError("表格的表头下没有问题行")
    return Ingested(text, {"format": "sheet", "encoding": None}, title, problems=problems)


def _is_csv(data: bytes, path: Path) -> bool:
    return path.suffix.lower() == ".csv" and not data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def _csv_rows(data: bytes, path: Path) -> list[list[str]]:
    from core.ingest.plain import decode

    text, _ = decode(data, path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row, _ in zip(csv.reader(io.StringIO(text), dialect), range(MAX_ROWS))]


def _workbook_rows(data: bytes, path: Path) -> list[list[str]]:
    """The rows of the first sheet that has a problem header (calamine: .xlsx/.xls/.et/.ods)."""
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            rows = [[_cell(v) for v in row] for row, _ in zip(sheet.iter_rows(), range(MAX_ROWS))]
            sheets.append(rows)
    except Exception as exc:  # calamine raises its own error types for damaged or encrypted files
        log.info("%s: calamine cannot read it: %r", path, exc)
        message = str(exc).lower()
        if "password" in message or "encrypt" in message:
            raise UnreadableFileError("表格文件设有密码，请去除密码后再导入") from exc
        raise UnreadableFileError("表格文件已损坏或格式不受支持") from exc
    for rows in sheets:
        if _header(rows) is not None:
            return rows
    return sheets[0] if sheets else []


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _classify(cell: str) -> str | None:
    name = _SPACE.sub("", cell)
    if not name or len(name) > 14:
        return None
    return next((key for key, pattern in _PATTERNS.items() if pattern.fullmatch(name)), None)


def _header(rows: list[list[str]]) -> tuple[int, dict[int, str], str | None] | None:
    """(first data row, column index -> key, a title above the header) of the first header row:
    one naming a problem column and at least one other known column. A second header row under
    merged cells (整改责任 over 责任单位 | 责任人) fills the columns the first leaves unnamed."""
    for r, row in enumerate(rows[:30]):
        columns = {c: key for c, cell in enumerate(row) if (key := _classify(cell))}
        if "problem" not in columns.values() or len(columns) < 2:
            continue
        at = r + 1
        if at < len(rows):
            below = {c: key for c, cell in enumerate(rows[at]) if (key := _classify(cell))}
            if below and all(c in below for c, cell in enumerate(rows[at]) if cell.strip()):
                for c, key in below.items():
                    columns.setdefault(c, key)
                at += 1
        seen: set[str] = set()
        unique = {}
        for c in sorted(columns):  # the first column of a kind wins (两列“责任单位”: 牵头 then 配合)
            key = columns[c]
            key = "partners" if key == "units" and "units" in seen else key
            if key not in seen:
                seen.add(key)
                unique[c] = key
        above = [cell.strip() for prev in rows[:r] for cell in prev if cell.strip()]
        title = max(above, key=len) if above else None
        return at, unique, title
    return None


def _render(rows: list[list[str]], columns: dict[int, str], title: str) -> tuple[str, list[dict]]:
    from core.extract import fields

    out: list[str] = [title]
    pos = len(title) + 1
    problems: list[dict] = []
    category = None

    def add(line: str) -> tuple[int, int]:
        nonlocal pos
        line = _SPACE.sub(" ", line).strip()
        start = pos
        out.append(line)
        pos += len(line) + 1
        return start, start + len(line)

    for row in rows:
        cells = {key: row[c].strip() for c, key in columns.items() if c < len(row) and row[c].strip()}
        filled = [cell.strip() for cell in row if cell.strip()]
        if not filled:
            continue
        if "problem" not in cells and "measures" not in cells:
            if len(filled) == 1 and len(filled[0]) <= 40:  # a merged category row
                category = re.sub(r"^[一二三四五六七八九十]+[、.．]\s*|^[(（][一二三四五六七八九十]+[)）]\s*", "", filled[0])
                add(filled[0])
            continue
        if "problem" not in cells and problems:  # the problem cell merged down: more measures
            problem = problems[-1]
        else:
            number = cells.get("number") or str(len(problems) + 1)
            head = f"{number}." if number.isdigit() else number
            s, _ = add(f"{head}{cells.get('problem', '')}")
            title_span = [s + len(head), s + len(head) + len(_SPACE.sub(' ', cells.get('problem', '')).strip())]
            problem = {
                "seq": len(problems) + 1, "number": number, "category": cells.get("category") or category,
                "group": None, "title": _SPACE.sub(" ", cells.get("problem", "")).strip(),
                "span": [s, title_span[1]], "title_span": title_span, "status": None, "confidence": 0.95,
                "rectify_type": None, "deadline": None, "measures": [],
                "leader": None, "person": None, "effect": None, "closed": None, "closed_at": None, "remark": None,
            }
            problems.append(problem)
        units = [u for u in re.split(r"[、，,；;\s]+", " ".join(
            cells.get(k, "") for k in ("units", "partners"))) if u]
        for text in _measures(cells.get("measures") or ("" if "measures" in columns.values() else cells.get("effect", ""))):
            s, e = add(text)
            found = fields.measure_fields(text)
            found["units"] = list(dict.fromkeys(units + found["units"])) if units else found["units"]
            problem["measures"].append({"seq": len(problem["measures"]) + 1, "text": out[-1], "span": [s, e], **found})
            problem["span"][1] = e
        for key, label in (("effect", "整改情况"), ("units", "责任单位"), ("partners", "配合单位"), ("leader", "责任领导"),
                           ("person", "责任人"), ("deadline", "整改时限"), ("status", "整改状态"),
                           ("rectify_type", "整改类型"), ("closed", "是否销号"), ("closed_at", "销号时间"),
                           ("remark", "备注")):
            if key in cells and not (key == "effect" and "measures" not in columns.values()):
                _, e = add(f"{label}：{cells[key]}")
                problem["span"][1] = e
                if key in ("leader", "person", "effect", "remark", "closed_at", "deadline", "status", "rectify_type"):
                    problem[key] = problem[key] or _SPACE.sub(" ", cells[key]).strip()
                elif key == "closed":
                    problem["closed"] = cells[key].strip().lower() in _YES
    for problem in problems:
        item = problem["title"] + " ".join(m["text"] for m in problem["measures"])
        derived = fields.problem_fields(item + (f"整改时限：{problem['deadline']}" if problem["deadline"] else ""))
        stated = fields.stated_status(problem["status"] or "") if problem["status"] else None
        problem["status"] = stated or problem["status"] and _status(problem["status"]) or fields.rollup_status(
            m["status"] for m in problem["measures"])
        problem["rectify_type"] = problem["rectify_type"] or derived["rectify_type"]
        problem["deadline"] = derived["deadline"] or problem["deadline"]
        if not problem["measures"]:
            problem["confidence"] = 0.55
    return "\n".join(out), problems


def _status(text: str) -> str | None:
    if re.search(r"已完成|完成|已整改|已销号|是", text) and not re.search(r"未完成|否", text):
        return "已完成"
    if re.search(r"长期", text):
        return "长期坚持"
    if re.search(r"推进|进行|未完成|否|持续", text):
        return "推进中"
    return None


def _measures(cell: str) -> list[str]:
    """A measures cell -> its measures: one per paragraph, or per 一是/1./① when it is one paragraph."""
    paragraphs = [p.strip() for p in cell.splitlines() if p.strip()]
    if len(paragraphs) == 1:
        parts = [p.strip() for p in _ENUM.split(paragraphs[0]) if p.strip()]
        return parts if len(parts) > 1 else paragraphs
    return paragraphs
