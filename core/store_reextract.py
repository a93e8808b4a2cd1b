"""Re-extraction: run the extractor again on a stored notice and merge, keeping what the
reviewer touched."""
from __future__ import annotations

import json

from core.store_intake import _measure_values, _problem_values
from core.store_schema import NOTICE_META


class ReextractMixin:
    def reextract(self, notice_id: int) -> dict:
        """Run the extractor again on the stored text; keep what the reviewer touched.

        Untouched problems are matched to the new extraction by their extracted title and
        replaced; a touched one (edited, added, deleted, moved, checked, with evidence or a
        touched measure) is kept, and counts as a conflict when its extracted counterpart
        changed or disappeared; so does an edited notice field whose extracted value changed.
        Writes a barrier to the edit log: undo stops there.
        """
        from core.extract import extract

        n = self._row("notice", notice_id)
        source = {"path": n["source_path"], "sha256": n["sha256"], "encoding": n["encoding"],
                  "format": n["format"]}
        new = extract(n["text"], source=source, title_hint=n["extracted"].get("title"))
        counts = {"updated": 0, "kept": 0, "conflicts": 0, "added": 0, "removed": 0}
        with self._edit("reextract", "notice", notice_id):
            self._log("notice", notice_id, None, None, None)
            counts["conflicts"] += self._reextract_meta(n, new)
            self._reextract_problems(notice_id, new.get("problems") or [], counts)
        return counts

    def _reextract_meta(self, n: dict, new: dict) -> int:
        meta = {f: (new.get("meta") or {}).get(f) for f in NOTICE_META}
        conflicts = 0
        for field in NOTICE_META:
            old_extracted = n["extracted"].get(field)
            if n[field] != old_extracted:
                conflicts += meta[field] != old_extracted
            else:
                self._write("notice", n["id"], field, meta[field])
        self._write("notice", n["id"], "extracted", meta)
        self._write("notice", n["id"], "warnings", list(new.get("warnings") or []))
        self._insert_outcomes(n["id"], new.get("outcomes") or [])
        return conflicts

    def _reextract_problems(self, notice_id: int, new_problems: list[dict], counts: dict) -> None:
        by_title: dict[str, list[int]] = {}
        for j, p in enumerate(new_problems):
            by_title.setdefault(p.get("title") or "", []).append(j)
        order = []  # (sort key, problem id or new index)
        anchor = -1
        for old in self._rows("problem", "notice_id = ? ORDER BY position, id", [notice_id]):
            candidates = by_title.get(old["extracted"].get("title"), []) if (
                old["origin"] == "extracted") else []
            j = candidates.pop(0) if candidates else None
            same = j is not None and self._signature(old) == _new_signature(new_problems[j])
            if self._is_touched(old):
                counts["kept"] += 1
                counts["conflicts"] += old["origin"] == "extracted" and not same
                order.append(((anchor, 1) if j is None else (j, 0), old["id"]))
            elif j is None:
                counts["removed"] += 1
                self._hard_delete_problem(old["id"])
            else:
                anchor = j
                if not same:
                    counts["updated"] += 1
                    self._hard_delete_problem(old["id"])
                    old["id"] = self._insert_problem(notice_id, j, new_problems[j])
                order.append(((j, 0), old["id"]))
            if j is not None:
                anchor = j
        for j in sorted(j for unmatched in by_title.values() for j in unmatched):
            counts["added"] += 1
            order.append(((j, 0), self._insert_problem(notice_id, j, new_problems[j])))
        for position, (_, problem_id) in enumerate(sorted(order, key=lambda o: o[0])):
            self._write("problem", problem_id, "position", position)

    def _is_touched(self, problem: dict) -> bool:
        return problem["touched"] or bool(self._scalar(
            "SELECT 1 FROM measures WHERE problem_id = ? AND touched UNION ALL "
            "SELECT 1 FROM evidence WHERE problem_id = ? LIMIT 1",
            [problem["id"], problem["id"]]))

    def _signature(self, problem: dict) -> tuple:
        measures = self._rows("measure", "problem_id = ? AND origin = 'extracted' ORDER BY id",
                              [problem["id"]])
        return (_jsonable(problem["extracted"]), [_jsonable(m["extracted"]) for m in measures])

    def _hard_delete_problem(self, problem_id: int) -> None:
        self._unindex("id = ?", [problem_id])
        self.db.execute("DELETE FROM problems WHERE id = ?", [problem_id])


def _new_signature(p: dict) -> tuple:
    return (_jsonable(_problem_values(p)),
            [_jsonable(_measure_values(m)) for m in p.get("measures") or []])


def _jsonable(value):
    """``value`` as it reads back from a JSON column, for comparisons."""
    return json.loads(json.dumps(value, ensure_ascii=False))
