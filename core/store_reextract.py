"""Re-extraction: run the extractor again on a stored notice and merge, keeping what the
reviewer touched."""
from __future__ import annotations

import json

from core.store_intake import _measure_values, _problem_values
from core.store_schema import NOTICE_META

# the problem fields compared to say what changed under a kept correction
_COMPARED = ("title", "number", "category", "group", "status", "rectify_type", "deadline")


class ReextractMixin:
    def reextract(self, notice_id: int) -> dict:
        """Run the extractor again on the stored text; keep what the reviewer touched.

        The notice is read as its 调整层级 choice has it (``_remembered_reading``; the problems
        that choice flagged deleted go). Untouched problems are matched to the new extraction
        by their extracted title and replaced; a touched one (edited, added, deleted, moved,
        checked, with evidence or a touched measure) is kept whole, measures and their order
        included. The problems keep the order they have now (the reviewer's moves stand);
        problems new in this extraction come right after the problem that precedes them in it.

        Returns counts (``updated``, ``kept``, ``conflicts``, ``added``, ``removed``) and
        ``details``: one dict per conflict, item by item — a kept correction whose extracted
        counterpart changed or disappeared: ``{"entity": "notice"|"problem", "row_id",
        "field" (notice), "place" (1-based among the shown problems, None when deleted),
        "title", "deleted", "gone" (no counterpart any more), "fields" (what changed),
        "measures_changed", "mine", "extracted"}``, plus ``"kept": True`` (every correction
        whose item still exists is kept), and ``{"entity": "notice", "field": "layout", "kept":
        False}`` when the notice's standing 调整层级 could not be applied (no remembered choice
        for it): it is read with the default layout then.
        Writes a barrier to the edit log: undo stops there.
        """
        from core.extract import extract

        n = self._row("notice", notice_id)
        source = {"path": n["source_path"], "sha256": n["sha256"], "encoding": n["encoding"],
                  "format": n["format"]}
        new = extract(n["text"], source=source, title_hint=n["extracted"].get("title"))
        # the reading chosen in 调整层级 stands (remembered per 发布单位, as at import)
        own = {**new, "text": n["text"], "source": source}
        new = self._remembered_reading(own)
        lost_layout = new is own and self._relevel_stands(notice_id)
        counts = {"updated": 0, "kept": 0, "conflicts": 0, "added": 0, "removed": 0}
        details: list[dict] = []
        with self._edit("reextract", "notice", notice_id):
            self._log("notice", notice_id, None, None, None)
            details += self._reextract_meta(n, new)
            self._reextract_problems(notice_id, new.get("problems") or [], counts, details)
        if lost_layout:   # e.g. no 发布单位 to remember the choice by: said, not hidden
            details.append({"entity": "notice", "row_id": notice_id, "field": "layout", "kept": False})
        counts["conflicts"] = len(details)
        counts["details"] = details
        return counts

    def _reextract_meta(self, n: dict, new: dict) -> list[dict]:
        meta = {f: (new.get("meta") or {}).get(f) for f in NOTICE_META}
        conflicts = []
        for field in NOTICE_META:
            old_extracted = n["extracted"].get(field)
            if n[field] != old_extracted:
                if _jsonable(meta[field]) != _jsonable(old_extracted):
                    conflicts.append({"entity": "notice", "row_id": n["id"], "field": field,
                                      "mine": n[field], "extracted": meta[field], "kept": True})
            else:
                self._write("notice", n["id"], field, meta[field])
        self._write("notice", n["id"], "extracted", meta)
        self._write("notice", n["id"], "warnings", list(new.get("warnings") or []))
        self._insert_outcomes(n["id"], new.get("outcomes") or [])
        return conflicts

    def _reextract_problems(self, notice_id: int, new_problems: list[dict], counts: dict,
                            details: list[dict]) -> None:
        by_title: dict[str, list[int]] = {}
        for j, p in enumerate(new_problems):
            by_title.setdefault(p.get("title") or "", []).append(j)
        extracted_measures = self._extracted_measures(notice_id)
        order: list[tuple] = []   # (index in the new extraction or None, problem id, deleted)
        conflicts: list[dict] = []
        for old in self._rows("problem", "notice_id = ? ORDER BY position, id", [notice_id]):
            touched = self._is_touched(old)
            if old["deleted"] and not touched:   # left behind by 调整层级 (not shown, not undoable now)
                self._hard_delete_problem(old["id"])
                continue
            candidates = by_title.get(old["extracted"].get("title"), []) if (
                old["origin"] == "extracted") else []
            j = candidates.pop(0) if candidates else None
            signature = (_jsonable(old["extracted"]), extracted_measures.get(old["id"], []))
            same = j is not None and signature == _new_signature(new_problems[j])
            if touched:
                counts["kept"] += 1
                if old["origin"] == "extracted" and not same:
                    conflicts.append(_problem_conflict(old, signature, None if j is None else new_problems[j]))
            elif j is None:
                counts["removed"] += 1
                self._hard_delete_problem(old["id"])
                continue
            elif not same:
                counts["updated"] += 1
                self._hard_delete_problem(old["id"])
                old["id"] = self._insert_problem(notice_id, j, new_problems[j])
            order.append((j, old["id"], bool(old["deleted"])))
        for j in sorted(j for unmatched in by_title.values() for j in unmatched):
            counts["added"] += 1
            # after the problem that precedes it in the new extraction, wherever the reviewer put
            # that one, and after the problems the reviewer added right behind it; first when
            # nothing precedes it
            before = [(k, i) for i, (k, _, _) in enumerate(order) if k is not None and k < j]
            at = max(before)[1] + 1 if before else 0
            while 0 < at < len(order) and order[at][0] is None:
                at += 1
            order.insert(at, (j, self._insert_problem(notice_id, j, new_problems[j]), False))
        places = {}                                # problem id → 1-based place among those shown
        for position, (_, problem_id, deleted) in enumerate(order):
            self._write("problem", problem_id, "position", position)
            if not deleted:
                places[problem_id] = len(places) + 1
        for conflict in conflicts:
            conflict["place"] = places.get(conflict["row_id"])
        details += conflicts

    def _relevel_stands(self, notice_id: int) -> bool:
        """The notice's last 调整层级 is not undone."""
        return self._scalar("SELECT undone FROM edit_log WHERE notice_id = ? AND action = 'relevel' "
                            "ORDER BY group_id DESC LIMIT 1", [notice_id]) == 0

    def _is_touched(self, problem: dict) -> bool:
        return problem["touched"] or bool(self._scalar(
            "SELECT 1 FROM measures WHERE problem_id = ? AND touched UNION ALL "
            "SELECT 1 FROM evidence WHERE problem_id = ? LIMIT 1",
            [problem["id"], problem["id"]]))

    def _extracted_measures(self, notice_id: int) -> dict[int, list]:
        """problem id → the extracted values of the measures extracted under it, in order: also
        the ones the reviewer moved to another problem since (split off, merged into the one
        before), not the ones moved in, so a move is no change of the extraction."""
        first_holder: dict[int, int] = {}
        for row_id, old in self.db.execute(
                "SELECT row_id, old FROM edit_log WHERE notice_id = ? AND entity = 'measure' "
                "AND field = 'problem_id' AND NOT undone ORDER BY id", [notice_id]).fetchall():
            first_holder.setdefault(row_id, json.loads(old))
        measures: dict[int, list] = {}
        for m in self._rows("measure", "notice_id = ? AND origin = 'extracted' ORDER BY id", [notice_id]):
            holder = first_holder.get(m["id"], m["problem_id"])
            measures.setdefault(holder, []).append(_jsonable(m["extracted"]))
        return measures

    def _hard_delete_problem(self, problem_id: int) -> None:
        self._unindex("id = ?", [problem_id])
        self.db.execute("DELETE FROM problems WHERE id = ?", [problem_id])


def _problem_conflict(old: dict, signature: tuple, new: dict | None) -> dict:
    """What changed in the extraction under a problem the reviewer touched (kept as it is)."""
    conflict = {"entity": "problem", "row_id": old["id"], "place": None, "title": old["title"],
                "deleted": bool(old["deleted"]), "gone": new is None, "fields": [],
                "measures_changed": False, "extracted": {}, "kept": True}
    if new is not None:
        values, measures = _new_signature(new)
        conflict["fields"] = [f for f in _COMPARED if values.get(f) != signature[0].get(f)]
        conflict["extracted"] = {f: values.get(f) for f in conflict["fields"]}
        conflict["measures_changed"] = measures != signature[1]
    return conflict


def _new_signature(p: dict) -> tuple:
    return (_jsonable(_problem_values(p)),
            [_jsonable(_measure_values(m)) for m in p.get("measures") or []])


def _jsonable(value):
    """``value`` as it reads back from a JSON column, for comparisons."""
    return json.loads(json.dumps(value, ensure_ascii=False))
