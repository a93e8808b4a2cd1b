"""Send to units: one workbook per 责任单位, holding only the problems that unit answers for."""
from __future__ import annotations

import re
from pathlib import Path

from core.errors import ExportError
from core.ledger.files import _checked_list
from core.ledger.flat import export

NO_UNIT = "未填责任单位"
_SPLIT = re.compile(r"[、,，;；/／\s]+")
_BAD_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def problem_units(problem: dict) -> list[str]:
    """The units of a problem: its 责任单位 text, split at 、，；/ and spaces, then its measures'."""
    units = [u for u in _SPLIT.split(problem.get("units") or "") if u]
    for measure in problem.get("measures") or []:
        units += [u for u in measure.get("units") or [] if u]
    return list(dict.fromkeys(units)) or [NO_UNIT]


def split_by_unit(notices) -> dict[str, list[dict]]:
    """unit -> the notices, each cut down to the unit's problems (numbers 序号 kept as they are)."""
    by_unit: dict[str, dict[int, dict]] = {}
    for n, notice in enumerate(notices):
        for problem in notice.get("problems") or []:
            for unit in problem_units(problem):
                copies = by_unit.setdefault(unit, {})
                copy = copies.get(n)
                if copy is None:
                    copy = copies[n] = dict(notice, problems=[])
                copy["problems"].append(problem)
    return {unit: list(copies.values()) for unit, copies in sorted(by_unit.items())}


def file_name(unit: str, fmt: str) -> str:
    name = _BAD_FILE_CHARS.sub("_", unit).strip(" .") or NO_UNIT
    return f"{name[:80]}.{fmt}"


def export_per_unit(notices, folder, *, fmt="xlsx", progress=None, cancelled=None, **options):
    """Write one ledger per unit into ``folder``: [(unit, path, problem count)]."""
    notices = _checked_list(notices, cancelled)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExportError("这不是文件夹，请给出存放各单位台账的文件夹", path=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"无法建立文件夹（{exc.strerror or exc}）", path=str(folder)) from exc
    parts = split_by_unit(notices)
    written = []
    for i, (unit, unit_notices) in enumerate(parts.items(), 1):
        path = export(unit_notices, folder / file_name(unit, fmt), fmt=fmt, cancelled=cancelled, **options)
        written.append((unit, path, sum(len(n["problems"]) for n in unit_notices)))
        if progress:
            progress(i, len(parts))
    return written
