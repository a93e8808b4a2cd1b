"""Structural corrections (issue 12): each one call = one transaction = one undoable log group.

- ``relevel(notice_id, choice)`` (调整层级): read the notice again with another role assignment of
  its numbering levels (``extraction["layout"]["alternatives"]``); problems the reviewer touched
  are kept, the others are replaced by the new reading — all as logged steps, so one undo
  brings the old reading back (unlike 重新提取, which undo does not cross).
- ``make_heading(problem_id)`` (设为类别标题): the problem becomes the 类别 of the problems after it
  that shared its category; the problem itself is dropped.
- ``set_many(problem_ids, field, value)``: 类别 or 分组 of several problems at once.
- ``split_measure_runs(measure_id)``: split a measure at every 一是/①/(1)/1. mark, or at every ；
  when it has none.
"""
from __future__ import annotations

from core.errors import InvalidEditError
from core.extract.numbering import inline_items

_SET_MANY_FIELDS = ("category", "group")


class StructureMixin:
    def relevel(self, notice_id: int, choice: str) -> dict:
        from core.extract import extract

        n = self._row("notice", notice_id)
        source = {"path": n["source_path"], "sha256": n["sha256"], "encoding": n["encoding"],
                  "format": n["format"]}
        new = extract(n["text"], source=source, title_hint=n["extracted"].get("title"), layout_choice=choice)
        if (new.get("layout") or {}).get("choice") != choice:
            raise InvalidEditError("这份通报没有这种层级读法，请在列出的读法中选择。")
        counts = {"kept": 0, "added": 0, "removed": 0}
        with self._edit("relevel", "notice", notice_id) as change:
            new_problems = new.get("problems") or []
            by_title: dict[str, list[int]] = {}
            for j, p in enumerate(new_problems):
                by_title.setdefault(p.get("title") or "", []).append(j)
            order = []  # (sort key, problem id)
            anchor = -1
            for old in self._rows("problem", "notice_id = ? AND NOT deleted ORDER BY position, id", [notice_id]):
                if self._is_touched(old):
                    matches = by_title.get(old["extracted"].get("title") if old["origin"] == "extracted" else None)
                    j = matches.pop(0) if matches else None
                    anchor = j if j is not None else anchor
                    order.append(((anchor, 1 if j is None else 0), old["id"]))
                    counts["kept"] += 1
                else:
                    self._set("problem", old["id"], "deleted", True, touch=False)
                    counts["removed"] += 1
            for j in sorted(j for left in by_title.values() for j in left):
                order.append(((j, 0), self._insert_problem(notice_id, -1, new_problems[j])))
                counts["added"] += 1
            for position, (_, problem_id) in enumerate(sorted(order, key=lambda o: o[0])):
                self._set("problem", problem_id, "position", position, touch=False)
            self._set("notice", notice_id, "warnings", list(new.get("warnings") or []), touch=False)
            change["counts"] = counts
        return change

    def make_heading(self, problem_id: int) -> dict:
        """设为类别标题: the problems after this one that share its 类别 take its title as their
        类别 (up to the next problem with another 类别); this problem is dropped."""
        p = self._row("problem", problem_id)
        ids = self._siblings("problem", p)
        after = []
        for other_id in ids[ids.index(problem_id) + 1:]:
            other = self._row("problem", other_id)
            if other["category"] != p["category"]:
                break
            after.append(other_id)
        if not after:
            raise InvalidEditError("这一项后面没有同一类别的问题，不能设为类别标题。")
        with self._edit("make_heading", "problem", problem_id) as change:
            for other_id in after:
                self._set("problem", other_id, "category", p["title"])
            self._set("problem", problem_id, "deleted", True)
            change["updated"] = after
        return change

    def set_many(self, problem_ids: list[int], field: str, value) -> dict:
        """One 类别 or 分组 for several problems, as one correction."""
        if field not in _SET_MANY_FIELDS:
            raise InvalidEditError("只有类别和分组可以一次设置多个问题。")
        if not problem_ids:
            raise InvalidEditError("请先选择要设置的问题。")
        notices = {self._notice_of("problem", i) for i in problem_ids}
        if len(notices) != 1:
            raise InvalidEditError("一次只能设置同一份通报中的问题。")
        with self._edit("set_many", "problem", problem_ids[0]) as change:
            for row_id in problem_ids:
                self._set("problem", row_id, field, value or None)
            change["updated"] = list(problem_ids)
        return change

    def split_measure_runs(self, measure_id: int) -> dict:
        """Split a measure at every enumeration mark (一是 ① (1) 1.), else at every ；."""
        m = self._row("measure", measure_id)
        text = m["text"]
        offsets = _run_offsets(text)
        if not offsets:
            raise InvalidEditError("这条措施中没有一是、①、（1）或分号，无法拆分。")
        index = self._siblings("measure", m).index(measure_id) + 1
        span = m["span"]
        exact = bool(span) and span[1] - span[0] == len(text)
        with self._edit("split_measure_runs", "measure", measure_id) as change:
            new_ids = []
            for offset in reversed(offsets):  # from the end, so the earlier offsets stay valid
                head, tail = text[:offset], text[offset:]
                new_ids.insert(0, self._add_measure(
                    m["problem_id"], text=tail, span=[span[0] + offset, span[0] + len(text)] if exact else None,
                    index=index, status=m["status"],
                    units=[u for u in m["units"] if u in tail],
                    quantities=[q for q in m["quantities"] if q.get("text", "") in tail]))
                text = head
                self._set("measure", measure_id, "text", head.rstrip())
            if exact:
                self._set("measure", measure_id, "span", [span[0], span[0] + len(text.rstrip())])
            self._set("measure", measure_id, "units", [u for u in m["units"] if u in text])
            self._set("measure", measure_id, "quantities",
                      [q for q in m["quantities"] if q.get("text", "") in text])
            change["new_ids"] = new_ids
        return change


def _run_offsets(text: str) -> list[int]:
    """Where a measure splits: before each enumeration mark after the first, or after each ；."""
    items = inline_items(text, 0, len(text))
    if items:  # an introduction before the first mark stays with the first item
        return [mark.start for mark in items[1:]]
    cuts = [i + 1 for i, ch in enumerate(text) if ch in "；;" and text[i + 1:].strip()]
    return [c for c in cuts if 0 < c < len(text)]

