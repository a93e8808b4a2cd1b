"""The correction services: one call = one transaction that writes the change and its log rows."""
from __future__ import annotations

import re

from core.errors import InvalidEditError
from core.labels import ENTITY, field_label
from core.store_base import EDITABLE, EXTRACTED_FIELDS, _now, _span, _union
from core.store_schema import TABLES


class EditsMixin:
    def update_field(self, entity: str, row_id: int, field: str, value) -> dict:
        if field not in EDITABLE.get(entity, ()):
            raise InvalidEditError(f"{_what(entity, field)}不能修改。")
        with self._edit("update_field", entity, row_id) as change:
            self._set(entity, row_id, field, value)
        return change

    def revert_field(self, entity: str, row_id: int, field: str) -> dict:
        if field not in EXTRACTED_FIELDS.get(entity, ()):
            raise InvalidEditError(f"{_what(entity, field)}没有提取值可以恢复。")
        with self._edit("revert_field", entity, row_id) as change:
            row = self._row(entity, row_id)
            if field in row["extracted"]:
                self._set(entity, row_id, field, row["extracted"][field])
        return change

    def revert_item(self, entity: str, row_id: int) -> dict:
        """恢复提取结果: every extracted field back, undeleted; an added item is deleted."""
        with self._edit("revert_item", entity, row_id) as change:
            row = self._row(entity, row_id)
            if row.get("origin") == "added":
                self._set(entity, row_id, "deleted", True)
            else:
                for field, value in row["extracted"].items():
                    self._set(entity, row_id, field, value)
                if entity != "notice":
                    self._set(entity, row_id, "deleted", False)
                if entity == "measure" and "text" in row["extracted"]:
                    self._drop_split_parts(row, row["extracted"]["text"] or "")
        return change

    def _drop_split_parts(self, row: dict, whole: str) -> None:
        """The parts split off a measure follow it as added measures whose text is part of its
        extracted text: with the whole text back they would say it twice, so they go too."""
        ids = self._siblings("measure", row)
        for sibling_id in ids[ids.index(row["id"]) + 1:]:
            sibling = self._row("measure", sibling_id)
            if sibling.get("origin") != "added" or not sibling["text"] or sibling["text"] not in whole:
                break
            self._set("measure", sibling_id, "deleted", True)

    def set_checked(self, entity: str, row_id: int, checked: bool = True) -> dict:
        if entity not in ("problem", "measure"):
            raise InvalidEditError("只有问题和措施可以标为已核对。")
        with self._edit("set_checked", entity, row_id) as change:
            if self._row(entity, row_id)["checked"] != bool(checked):
                self._set(entity, row_id, "checked", checked)
                self._set(entity, row_id, "checked_at", _now() if checked else None)
        return change

    def finish_review(self, notice_id: int) -> dict:
        with self._edit("finish_review", "notice", notice_id) as change:
            self._set("notice", notice_id, "reviewed_at", _now())
        return change

    def _siblings(self, entity: str, row: dict) -> list[int]:
        parent = "notice_id" if entity == "problem" else "problem_id"
        return [r[0] for r in self.db.execute(
            f"SELECT id FROM {TABLES[entity]} WHERE {parent} = ? AND NOT deleted "
            "ORDER BY position, id", [row[parent]])]

    def _renumber(self, entity: str, ids: list[int]) -> None:
        for position, row_id in enumerate(ids):
            self._set(entity, row_id, "position", position, touch=False)

    def _place(self, entity: str, row_id: int, index: int | None) -> None:
        ids = [i for i in self._siblings(entity, self._row(entity, row_id)) if i != row_id]
        ids.insert(len(ids) if index is None else max(0, min(index, len(ids))), row_id)
        self._renumber(entity, ids)

    def add_problem(self, notice_id: int, *, title: str, span=None, index=None, category=None,
                    group=None) -> dict:
        """A new problem at 0-based ``index`` among the current problems (None: at the end)."""
        with self._edit("add_problem", "notice", notice_id) as change:
            new_id = self._create("problem", {
                "notice_id": notice_id, "position": -1, "title": title, "span": _span(span),
                "category": category, "group": group, "origin": "added", "touched": True})
            self._place("problem", new_id, index)
            change.update(entity="problem", row_id=new_id, new_id=new_id)
        return change

    def add_measure(self, problem_id: int, *, text: str, span=None, index=None) -> dict:
        with self._edit("add_measure", "problem", problem_id) as change:
            new_id = self._add_measure(problem_id, text=text, span=span, index=index)
            change.update(entity="measure", row_id=new_id, new_id=new_id)
        return change

    def _add_measure(self, problem_id, *, text, span=None, index=None, **fields) -> int:
        notice_id = self._notice_of("problem", problem_id)
        new_id = self._create("measure", {
            "notice_id": notice_id, "problem_id": problem_id, "position": -1, "text": text,
            "span": _span(span), "origin": "added", "touched": True, **fields})
        self._place("measure", new_id, index)
        return new_id

    def delete(self, entity: str, row_id: int) -> dict:
        if entity not in ("problem", "measure"):
            raise InvalidEditError("只有问题和措施可以在这里删除。")
        with self._edit("delete", entity, row_id) as change:
            self._set(entity, row_id, "deleted", True)
        return change

    def move(self, entity: str, row_id: int, delta: int) -> dict:
        with self._edit("move", entity, row_id) as change:
            ids = self._siblings(entity, self._row(entity, row_id))
            index = ids.index(row_id)
            target = max(0, min(index + delta, len(ids) - 1))
            if target != index:
                ids.insert(target, ids.pop(index))
                self._renumber(entity, ids)
                self._set(entity, row_id, "touched", True, touch=False)
        return change

    def reanchor(self, entity: str, row_id: int, span) -> dict:
        """Point an item at another stretch of the notice text (a measure takes that text)."""
        start, end = _span(span)
        with self._edit("reanchor", entity, row_id) as change:
            text = self._row("notice", change["notice_id"])["text"]
            if not 0 <= start < end <= len(text):
                raise InvalidEditError("选中的位置不在通报原文之内，请在原文中重新选择。")
            self._set(entity, row_id, "span", [start, end])
            if entity == "measure":
                self._set(entity, row_id, "text", text[start:end])
        return change

    def split_measure(self, measure_id: int, offset: int) -> dict:
        """Split a measure's text at ``offset``; the tail becomes a new measure after it."""
        m = self._row("measure", measure_id)
        text = m["text"]
        if not 0 < offset < len(text):
            raise InvalidEditError("拆分位置要在措施文字的中间，两边都要留下文字。")
        head, tail = text[:offset], text[offset:]
        span = m["span"]
        exact = span and span[1] - span[0] == len(text)
        index = self._siblings("measure", m).index(measure_id) + 1
        with self._edit("split_measure", "measure", measure_id) as change:
            self._set("measure", measure_id, "text", head)
            if exact:
                self._set("measure", measure_id, "span", [span[0], span[0] + offset])
            self._set("measure", measure_id, "quantities",
                      [q for q in m["quantities"] if q.get("text", "") in head])
            new_id = self._add_measure(
                m["problem_id"], text=tail, span=[span[0] + offset, span[1]] if exact else None,
                index=index, status=m["status"], units=m["units"],
                quantities=[q for q in m["quantities"] if q.get("text", "") in tail])
            change["new_id"] = new_id
        return change

    def merge_with_next(self, entity: str, row_id: int) -> dict:
        """Merge the next sibling into this item (a problem takes over its measures)."""
        row = self._row(entity, row_id)
        ids = self._siblings(entity, row)
        index = ids.index(row_id)
        if index + 1 >= len(ids):
            raise InvalidEditError("这是最后一项，没有下一项可以合并。")
        nxt = self._row(entity, ids[index + 1])
        span = _merge_span(row["span"], nxt["span"])
        with self._edit("merge_with_next", entity, row_id) as change:
            if entity == "measure":
                self._set(entity, row_id, "text", row["text"] + nxt["text"])
                self._set(entity, row_id, "units", _union(row["units"] + nxt["units"]))
                self._set(entity, row_id, "dates", _union(row["dates"] + nxt["dates"]))
                self._set(entity, row_id, "quantities", row["quantities"] + nxt["quantities"])
                self._set(entity, row_id, "status", row["status"] or nxt["status"])
            else:
                moved = self._siblings("measure", {"problem_id": nxt["id"]})
                kept = self._siblings("measure", {"problem_id": row_id})
                for measure_id in moved:
                    self._set("measure", measure_id, "problem_id", row_id)
                self._renumber("measure", kept + moved)
                units = _union((row["units"] or "").split("、") + (nxt["units"] or "").split("、"))
                self._set(entity, row_id, "units", "、".join(units) or None)
            self._set(entity, row_id, "span", span)
            self._set(entity, nxt["id"], "deleted", True)
        return change

    def split_problem(self, problem_id: int, measure_index: int) -> dict:
        """Measures from ``measure_index`` on become a new problem right after this one."""
        p = self._row("problem", problem_id)
        measure_ids = self._siblings("measure", {"problem_id": problem_id})
        if not 0 < measure_index < len(measure_ids):
            raise InvalidEditError("拆分问题时两边都要至少留下一条措施。")
        moved = [self._row("measure", i) for i in measure_ids[measure_index:]]
        cut = moved[0]["span"][0] if moved[0]["span"] else None
        index = self._siblings("problem", p).index(problem_id) + 1
        with self._edit("split_problem", "problem", problem_id) as change:
            new_span = [cut, p["span"][1]] if cut is not None and p["span"] else None
            new_id = self._create("problem", {
                "notice_id": p["notice_id"], "position": -1,
                "title": _title_from(moved[0]["text"]), "span": new_span,
                "category": p["category"], "group": p["group"], "status": p["status"],
                "rectify_type": p["rectify_type"], "deadline": p["deadline"],
                "units": "、".join(_union(u for m in moved for u in m["units"])) or None,
                "origin": "added", "touched": True})
            self._place("problem", new_id, index)
            for m in moved:
                self._set("measure", m["id"], "problem_id", new_id)
            self._renumber("measure", [m["id"] for m in moved])
            if new_span:
                self._set("problem", problem_id, "span", [p["span"][0], cut])
            self._set("problem", problem_id, "touched", True, touch=False)
            change["new_id"] = new_id
        return change


def _merge_span(a, b):
    return [min(a[0], b[0]), max(a[1], b[1])] if a and b else a or b


def _title_from(text: str, limit: int = 30) -> str:
    """A provisional title for a split-off problem: the first clause of its first measure."""
    first = re.split(r"[。；;，,\n]", text.strip(), maxsplit=1)[0]
    return first[:limit]


def _what(entity: str, field: str) -> str:
    """问题的“责任单位”, for a refusal."""
    return f"{ENTITY.get(entity, entity)}的“{field_label(field, entity)}”"
