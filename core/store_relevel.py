"""调整层级 (issue 12): read a stored notice again with another role assignment of its numbering
levels (``extraction["layout"]["alternatives"]``), as one correction.

Problems the reviewer touched are kept (placed by their extracted title in the new reading); the
others are flagged deleted and the new reading's problems created, all as logged steps, so one
undo brings the old reading back, also after a restart (unlike 重新提取, which undo does not
cross).
"""
from __future__ import annotations

from core.errors import InvalidEditError


class RelevelMixin:
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
        self.remember_layout(notice_id, choice)   # the next notice of this 发布单位 (store_structure)
        return change
