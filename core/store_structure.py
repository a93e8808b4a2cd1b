"""Structural corrections: each fixes one structural mistake of the extractor in one call.

The extractor sometimes gets a notice's structure wrong: categories lost, a category heading
read as a problem, an organisational item read as a problem, a 一是/①/（1） run left as one
measure. Each service here is one transaction and one edit-log group (so one undo step, also
after a restart), written with the primitive steps of ``store_base`` like every correction:

- ``set_category(problem_ids, value, field="category")``: 类别 (or 问题组) of many problems.
- ``split_measure_runs(measure_id)``: a measure cut before every item of its inline run
  (``core.extract.numbering.inline_items``: 一是…二是…, ①②, （1）（2）, 1.2.), or else after
  every ；, into N measures; each piece gets its own status, units, dates and quantities.
- ``make_heading(problem_id, field="category", count=None)``: the problem becomes the
  category heading of the problems after it, up to the next heading of its kind
  (``heading_range``); its title becomes their 类别, it and its measures are flagged deleted.
- ``restore_heading(problem_id)``: the way back, from any problem the heading was given to
  (or the heading itself): the heading and its measures return, the problems' 类别 goes back.
- ``drop_problems(problem_ids)``: headings that are not problems (an organisational 1.–5.
  item) deleted with their measures.
"""
from __future__ import annotations

import re

from core.errors import InvalidEditError
from core.extract.numbering import heading_marker, inline_items
from core.labels import LAYOUT_NOTE, field_label

GROUPING_FIELDS = ("category", "group")
# the rank of a numbering style among the levels of an official document: 一、 above （一） above
# 1. above （1） above ①; a heading ends at the next problem numbered like it or higher
_RANK = {"cn": 0, "di": 0, "pcn": 1, "ar": 2, "wt": 2, "par": 3, "circ": 4}
_CLAUSE_END = "；;"
_SPACE = " \u3000\u00a0\t\r\n"


class StructureMixin:
    # --- 类别/分组 of many problems ---------------------------------------------------------
    def set_category(self, problem_ids, value, *, field: str = "category") -> dict:
        """Set 类别 (``field="category"``) or 问题组 (``"group"``) of all ``problem_ids`` at once;
        an empty value clears it."""
        if field not in GROUPING_FIELDS:
            raise InvalidEditError(f"只能批量设置类别或问题组，不能设置“{field_label(field)}”。")
        value = (value or "").strip() or None
        rows = self._live_problems(problem_ids)
        if all(r[field] == value for r in rows):
            raise InvalidEditError(f"所选问题的{field_label(field)}已经是“{value or '（空）'}”。")
        with self._edit("set_category", "problem", rows[0]["id"]) as change:
            for r in rows:
                self._set("problem", r["id"], field, value)
            change["row_ids"] = [r["id"] for r in rows]
        return change

    # --- a measure cut at every item of its run ----------------------------------------------
    def split_measure_runs(self, measure_id: int) -> dict:
        """Cut the measure before every 一是/①/（1）/1. item of its run (else after every ；);
        the first piece stays this measure, the others follow it as new measures."""
        m = self._row("measure", measure_id)
        if m["deleted"]:
            raise InvalidEditError("这条措施已删除，不能拆分。")
        pieces = run_pieces(m["text"])
        if len(pieces) < 2:
            raise InvalidEditError("这条措施里没有找到“一是、二是”“①②”“（1）（2）”这样的编号，"
                                   "也没有可以拆开的分号，请用“在光标处拆分措施”。")
        notice = self._row("notice", m["notice_id"])
        span = m["span"]
        exact = bool(span) and notice["text"][span[0]:span[1]] == m["text"]
        year = _year(notice.get("published"))
        keep_status = m["status"] != m["extracted"].get("status", m["status"])
        values = [_piece_values(m, m["text"][a:b], year, keep_status) for a, b in pieces]
        spans = [[span[0] + a, span[0] + b] if exact else None for a, b in pieces]
        with self._edit("split_measure_runs", "measure", measure_id) as change:
            for field, value in values[0].items():
                self._set("measure", measure_id, field, value)
            if exact:
                self._set("measure", measure_id, "span", spans[0])
            new_ids = [self._create("measure", {
                "notice_id": m["notice_id"], "problem_id": m["problem_id"], "position": -1,
                "span": spans[i], "origin": "added", "touched": True, **values[i]})
                for i in range(1, len(pieces))]
            rest = [i for i in self._siblings("measure", m) if i not in new_ids]
            at = rest.index(measure_id) + 1
            self._renumber("measure", rest[:at] + new_ids + rest[at:])
            change["new_ids"] = new_ids
        return change

    # --- a problem turned into a category heading, and back -------------------------------------
    def heading_range(self, problem_id: int) -> list[int]:
        """The problems after ``problem_id`` that fall under it when it is made a heading: up to
        the next problem numbered in its style or a higher one (一、 above （一） above 1. above
        （1） above ①; an unnumbered one ends at the next unnumbered one), or where the
        numbering of the problems under it starts again at 1."""
        p = self._row("problem", problem_id)
        ids = self._siblings("problem", p)
        following = [self._row("problem", i) for i in ids[ids.index(problem_id) + 1:]] \
            if problem_id in ids else []
        own = number_mark(p["number"])
        taken: list[int] = []
        previous = None
        for f in following:
            mark = number_mark(f["number"])
            if _ends_heading(own, mark) or (
                    previous and mark and previous[0] == mark[0] and mark[1] <= previous[1]):
                break
            taken.append(f["id"])
            previous = mark
        return taken

    def make_heading(self, problem_id: int, *, field: str = "category",
                     count: int | None = None) -> dict:
        """The problem is a category heading, not a problem: its title becomes the 类别 (or
        问题组) of the ``count`` problems after it (default ``heading_range``); the problem
        and its measures are deleted (kept in the log, so undo and ``restore_heading`` bring
        them back)."""
        if field not in GROUPING_FIELDS:
            raise InvalidEditError(f"标题只能作类别或问题组，不能作“{field_label(field)}”。")
        p = self._live_problems([problem_id])[0]
        if count is None:
            under = self.heading_range(problem_id)
        else:
            ids = self._siblings("problem", p)
            under = ids[ids.index(problem_id) + 1:][:max(0, count)]
        if not under:
            raise InvalidEditError("这个问题后面没有可以归入它的问题（下一个问题与它是同一级的标题，"
                                   "或它已是最后一个问题）。")
        title = (p["title"] or "").strip()
        if not title:
            raise InvalidEditError("这个问题没有标题，不能作为类别标题。")
        with self._edit("make_heading", "problem", problem_id) as change:
            self._set("problem", problem_id, "deleted", True)
            for measure_id in self._siblings("measure", {"problem_id": problem_id}):
                self._set("measure", measure_id, "deleted", True)
            for pid in under:
                self._set("problem", pid, field, title)
            change["row_ids"] = under
        return change

    def restore_heading(self, problem_id: int) -> dict:
        """Undo ``make_heading`` as a correction of its own: ``problem_id`` is a problem the
        heading was given to (or the heading itself). The heading and the measures it lost come
        back; the problems that still carry its title get their former 类别/问题组 back."""
        notice_id = self._notice_of("problem", problem_id)
        found = self._heading_group(notice_id, problem_id)
        if found is None:
            raise InvalidEditError("这个问题的类别不是由“设为类别标题”得来的，没有可以恢复的标题。")
        heading_id, entries = found
        with self._edit("restore_heading", "problem", heading_id) as change:
            self._set("problem", heading_id, "deleted", False)
            given = []
            for e in entries:
                row = self._row(e["entity"], e["row_id"])
                if e["field"] == "deleted" and e["entity"] == "measure" and row["deleted"]:
                    self._set("measure", e["row_id"], "deleted", False)
                elif e["field"] in GROUPING_FIELDS and row[e["field"]] == e["new"]:
                    self._set("problem", e["row_id"], e["field"], e["old"])
                    given.append(e["row_id"])
            change["row_ids"] = given
        return change

    def _heading_group(self, notice_id: int, problem_id: int):
        """(heading id, log entries) of the newest standing 设为类别标题 that touched
        ``problem_id`` (as the heading or as a problem under it), or None."""
        groups = [r[0] for r in self.db.execute(
            "SELECT DISTINCT group_id FROM edit_log WHERE notice_id = ? AND action = 'make_heading' "
            "AND undone = 0 AND entity = 'problem' AND row_id = ? ORDER BY group_id DESC",
            [notice_id, problem_id])]
        for group in groups:
            entries = self._log_entries(group)
            heading_id = entries[0]["row_id"]
            if not self._row("problem", heading_id)["deleted"]:
                continue   # already restored
            if heading_id == problem_id:
                return heading_id, entries
            row = self._row("problem", problem_id)
            if any(e["row_id"] == problem_id and e["field"] in GROUPING_FIELDS
                   and row[e["field"]] == e["new"] for e in entries):
                return heading_id, entries
        return None

    # --- headings that are not problems -------------------------------------------------------
    def drop_problems(self, problem_ids) -> dict:
        """Delete problems that are not problems (an organisational 1.–5. item, a heading read as
        a problem) together with their measures, in one step."""
        rows = self._live_problems(problem_ids)
        with self._edit("drop_problems", "problem", rows[0]["id"]) as change:
            for r in rows:
                self._set("problem", r["id"], "deleted", True)
                for measure_id in self._siblings("measure", {"problem_id": r["id"]}):
                    self._set("measure", measure_id, "deleted", True)
            change["row_ids"] = [r["id"] for r in rows]
        return change

    # --- helpers ---------------------------------------------------------------------------------
    def _live_problems(self, problem_ids) -> list[dict]:
        """The rows of ``problem_ids`` (order kept, repeats dropped): all shown, of one notice."""
        ids = list(dict.fromkeys(int(i) for i in problem_ids or ()))
        if not ids:
            raise InvalidEditError("请先在列表中选择问题。")
        rows = []
        for pid in ids:
            try:
                row = self._row("problem", pid)
            except KeyError:
                raise InvalidEditError("所选的问题已不在台账中，请刷新后重试。") from None
            if row["deleted"]:
                raise InvalidEditError("所选的问题中有已删除的问题。")
            rows.append(row)
        if len({r["notice_id"] for r in rows}) > 1:
            raise InvalidEditError("所选问题要属于同一个通报。")
        return rows


def run_pieces(text: str) -> list[tuple[int, int]]:
    """Where a measure's text splits: ``[(start, end)]`` of each piece, whitespace trimmed.

    Before every item after the first of its inline run (``inline_items``: 一是, ①, （1）, 1.;
    whatever precedes the first item stays with it), or, with no run, after every ；."""
    run = inline_items(text, 0, len(text))
    if len(run) >= 2:
        cuts = [marker.start for marker in run[1:]]
    else:
        cuts = [i + 1 for i, ch in enumerate(text) if ch in _CLAUSE_END]
    pieces = []
    for a, b in zip([0, *cuts], [*cuts, len(text)]):
        while a < b and text[a] in _SPACE:
            a += 1
        while b > a and text[b - 1] in _SPACE:
            b -= 1
        if b > a:
            pieces.append((a, b))
    return pieces


def number_mark(number: str | None) -> tuple[str, int] | None:
    """(style, value) of a problem's printed number ("（二）" → ("pcn", 2)), read with the
    extractor's own heading marks; None for an unnumbered or unreadable one."""
    number = (number or "").strip()
    if not number:
        return None
    probe = number + ("" if number[-1] in ")）" else "、") + "题"
    marker = heading_marker(probe, 0, len(probe))
    return (marker.style, marker.value) if marker else None


def _ends_heading(own, mark) -> bool:
    """Does a problem numbered ``mark`` end the range of a heading numbered ``own``?"""
    if own is None or mark is None:
        return own is None and mark is None
    if own[0] == mark[0]:
        return True
    return own[0] in _RANK and mark[0] in _RANK and _RANK[mark[0]] < _RANK[own[0]]


def _year(published) -> int | None:
    found = re.match(r"(\d{4})", published or "")
    return int(found.group(1)) if found else None


def _piece_values(m: dict, text: str, year: int | None, keep_status: bool) -> dict:
    """A piece's own fields, read by the extractor; the whole measure's where it found none."""
    from core.extract.fields import measure_fields   # loads the field readers only when used

    found = measure_fields(text, year=year)
    status = m["status"] if keep_status else (found.get("status") or m["status"])
    units = found.get("units") or [u for u in m["units"] if u in text] or m["units"]
    return {"text": text, "status": status, "units": units, "dates": found.get("dates") or [],
            "quantities": found.get("quantities") or []}


# --- 调整层级 remembered per 发布单位 -----------------------------------------------------------
LAYOUT_SETTING = "layout_choice/"   # + 发布单位: {"choice", "signature", "notice_id"}

def layout_signature(layout: dict | None) -> list[str]:
    """What "numbering that looks the same" compares: the role and numbering style of each level
    of a notice's own (best-scoring) reading, in level order."""
    return [f"{lv.get('role')}:{lv.get('style')}" for lv in (layout or {}).get("levels") or []]


class LayoutMemoryMixin:
    """The 调整层级 choice remembered per 发布单位 (in ``settings``): the next notice of the same
    issuer whose numbering looks the same (``layout_signature``) is read with that choice when it
    is added, and says so in its warnings. The memory counts only while the 调整层级 it came from
    stands (the last relevel of that notice, not undone)."""

    def remember_layout(self, notice_id: int, choice: str) -> None:
        from core.extract import extract

        n = self._row("notice", notice_id)
        if not n["issuer"]:
            return
        own = extract(n["text"], title_hint=n["extracted"].get("title"))["layout"]
        value = {"choice": choice, "signature": layout_signature(own), "notice_id": notice_id}
        self.set_setting(LAYOUT_SETTING + n["issuer"], value)

    def remembered_layout(self, issuer: str | None, layout: dict | None) -> dict | None:
        """The remembered choice for a new notice of ``issuer`` read as ``layout`` (its own
        reading): ``{"choice", "label", "notice_id"}``, or None."""
        memory = self.get_setting(LAYOUT_SETTING + issuer) if issuer and layout else None
        if not memory or memory.get("signature") != layout_signature(layout):
            return None
        label = next((a["label"] for a in layout.get("alternatives") or []
                      if a["name"] == memory["choice"]), None)
        undone = self._scalar("SELECT undone FROM edit_log WHERE notice_id = ? AND action = 'relevel' "
                              "ORDER BY group_id DESC LIMIT 1", [memory["notice_id"]])
        if label is None or undone is None or undone:
            return None
        return {"choice": memory["choice"], "label": label, "notice_id": memory["notice_id"]}

    def _remembered_reading(self, extraction: dict) -> dict:
        """``extraction`` read with its issuer's remembered 调整层级 choice, if one applies (not
        to a spreadsheet's rows or an OCR reading); else unchanged."""
        meta = extraction.get("meta") or {}
        source = extraction.get("source") or {}
        if source.get("format") == "sheet" or extraction.get("uncertain"):
            return extraction
        memory = self.remembered_layout(meta.get("issuer"), extraction.get("layout"))
        if memory is None:
            return extraction
        from core.extract import extract

        text = extraction["text"]
        forced = extract(text, source=source, title_hint=meta.get("title"), layout_choice=memory["choice"])
        if (forced.get("layout") or {}).get("choice") != memory["choice"]:
            return extraction
        own = extract(text, source=source, title_hint=meta.get("title"))["warnings"]
        warnings = list(extraction.get("warnings") or [])
        before = warnings[:len(warnings) - len(own)] if own and warnings[-len(own):] == own else \
            ([] if own else warnings)   # what reading the file added (ingest's own warnings)
        note = LAYOUT_NOTE.format(issuer=meta["issuer"], label=memory["label"])
        return {**extraction, "problems": forced["problems"], "layout": forced["layout"],
                "warnings": [note, *before, *forced["warnings"]]}
