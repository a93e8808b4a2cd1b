"""The edit log read back, and undo/redo as a replay of it.

Undo applies the ``old`` values of the last not-undone group, newest step first; redo applies
the ``new`` values of the oldest undone group. Both are derived from the log, so they work
across restarts. A ``reextract`` group is a barrier undo does not cross.
"""
from __future__ import annotations

import json

from core.store_base import _encode, _sparse
from core.store_schema import TABLES
from core.store_search import SEARCH_KINDS


class HistoryMixin:
    def edit_log(self, notice_id: int) -> list[dict]:
        """The reviewer's steps, oldest first (the internal touched bookkeeping left out).

        Each step's ``item`` names the row it touched as it stands now (``None`` for the notice
        itself, and for a row re-extraction replaced): ``{"problem": 3, "measure": 2 | None,
        "deleted": bool, "text": "…", "problem_id": id}`` plus ``"name"`` for evidence; a deleted
        row keeps the number it would have if it came back."""
        cur = self.db.execute(
            "SELECT id, at, reviewer, entity, row_id, field, old, new, action, undone, group_id "
            "FROM edit_log WHERE notice_id = ? AND coalesce(field, '') != 'touched' ORDER BY id",
            [notice_id])
        rows = cur.fetchall()
        places = self._item_places(notice_id) if rows else {}
        return [{"id": r[0], "at": r[1], "reviewer": r[2], "entity": r[3], "row_id": r[4],
                 "field": r[5], "old": json.loads(r[6]) if r[6] else None,
                 "new": json.loads(r[7]) if r[7] else None, "action": r[8],
                 "undone": bool(r[9]), "group": r[10], "item": places.get((r[3], r[4]))}
                for r in rows]

    def _item_places(self, notice_id: int) -> dict:
        """(entity, id) -> where the problem, measure or evidence row stands in the notice now."""
        places: dict = {}
        before = 0  # problems not deleted that come before, in (position, id) order
        for pid, deleted, title in self.db.execute(
                "SELECT id, deleted, title FROM problems WHERE notice_id = ? ORDER BY position, id",
                [notice_id]):
            before += not deleted
            places["problem", pid] = {"problem": before + bool(deleted), "measure": None,
                                      "deleted": bool(deleted), "text": title, "problem_id": pid}
        counts: dict[int, int] = {}
        for mid, pid, deleted, text, span in self.db.execute(
                "SELECT id, problem_id, deleted, text, span FROM measures WHERE notice_id = ? "
                "ORDER BY position, id", [notice_id]):
            text = self._filled("measure", {"notice_id": notice_id, "text": text, "span": span})["text"]
            problem = places.get(("problem", pid), {})
            counts[pid] = counts.get(pid, 0) + (not deleted)
            places["measure", mid] = {
                "problem": problem.get("problem"), "measure": counts[pid] + bool(deleted),
                "deleted": bool(deleted) or problem.get("deleted", False), "text": text,
                "problem_id": pid}
        for eid, pid, deleted, name in self.db.execute(
                "SELECT id, problem_id, deleted, name FROM evidence WHERE notice_id = ?",
                [notice_id]):
            problem = places.get(("problem", pid), {})
            places["evidence", eid] = {
                "problem": problem.get("problem"), "measure": None, "name": name,
                "deleted": bool(deleted), "text": name, "problem_id": pid}
        return places

    def _log_groups(self, notice_id: int, *, undone: bool) -> list[int]:
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT group_id FROM edit_log WHERE notice_id = ? AND undone = ? "
            "ORDER BY group_id", [notice_id, int(undone)])]

    def _log_entries(self, group: int) -> list[dict]:
        cur = self.db.execute(
            "SELECT entity, row_id, field, old, new, action, notice_id FROM edit_log "
            "WHERE group_id = ? ORDER BY id", [group])
        return [{"entity": r[0], "row_id": r[1], "field": r[2],
                 "old": json.loads(r[3]) if r[3] else None,
                 "new": json.loads(r[4]) if r[4] else None,
                 "action": r[5], "notice_id": r[6]} for r in cur.fetchall()]

    def can_undo(self, notice_id: int) -> bool:
        groups = self._log_groups(notice_id, undone=False)
        return bool(groups) and self._log_entries(groups[-1])[0]["action"] != "reextract"

    def can_redo(self, notice_id: int) -> bool:
        return bool(self._log_groups(notice_id, undone=True))

    def undo(self, notice_id: int) -> dict | None:
        if not self.can_undo(notice_id):
            return None
        return self._step(self._log_groups(notice_id, undone=False)[-1], undo=True)

    def redo(self, notice_id: int) -> dict | None:
        if not self.can_redo(notice_id):
            return None
        return self._step(self._log_groups(notice_id, undone=True)[0], undo=False)

    def _step(self, group: int, *, undo: bool) -> dict:
        entries = self._log_entries(group)
        first = entries[0]
        with self.db.atomic():
            self._apply(entries, forward=not undo)
            self.db.execute("UPDATE edit_log SET undone = ? WHERE group_id = ?", [int(undo), group])
            self._notice_changed(first["notice_id"])
        return {"action": "undo" if undo else "redo", "of": first["action"],
                "entity": first["entity"], "row_id": first["row_id"],
                "notice_id": first["notice_id"], "log_group": group}

    def _apply(self, entries: list[dict], *, forward: bool) -> None:
        """Apply logged steps: their ``new`` values in order, or their ``old`` ones in reverse."""
        for e in entries if forward else reversed(entries):
            entity, row_id, field = e["entity"], e["row_id"], e["field"]
            if field == "*" and forward:
                values = dict(e["new"])
                if "extracted" in values:
                    values["extracted"] = _sparse(entity, values, values["extracted"])
                snapshot = {k: _encode(entity, k, v) for k, v in values.items()}
                old_text = self._item_text(entity, row_id) if entity in SEARCH_KINDS else None
                self.db[TABLES[entity]].upsert(snapshot, pk="id")
                if entity in SEARCH_KINDS:
                    self._index(entity, row_id, old_text)
                if entity == "measure":
                    self._settle_text(row_id)   # its text stored only where it differs (m010)
            elif field == "*":
                self._write(entity, row_id, "deleted", True)
            elif field is not None:
                self._write(entity, row_id, field, e["new"] if forward else e["old"])
