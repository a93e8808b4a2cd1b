"""Evidence files (佐证材料), copied to ``evidence_dir()/<notice>/<problem>/``.

Removing one only flags its row (so undo brings it back); the files of a notice are deleted
with the notice (``delete_notice``).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from core import paths
from core.errors import UnreadableFileError
from core.store_base import _now


class EvidenceMixin:
    def add_evidence(self, problem_id: int, file_path) -> dict:
        src = Path(file_path)
        if not src.is_file():
            raise UnreadableFileError("找不到这个文件。", path=str(src))
        notice_id = self._notice_of("problem", problem_id)
        folder = paths.evidence_dir() / str(notice_id) / str(problem_id)
        folder.mkdir(parents=True, exist_ok=True)
        target, n = folder / src.name, 1
        while target.exists():
            n += 1
            target = folder / f"{src.stem}-{n}{src.suffix}"
        shutil.copy2(src, target)
        try:
            with self._edit("add_evidence", "problem", problem_id) as change:
                new_id = self._create("evidence", {
                    "notice_id": notice_id, "problem_id": problem_id, "name": src.name,
                    "path": str(target), "added_at": _now()})
                self._set("problem", problem_id, "touched", True, touch=False)
                change.update(entity="evidence", row_id=new_id, new_id=new_id)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return change

    def remove_evidence(self, evidence_id: int) -> dict:
        """Flags the row; the copied file stays so undo can restore it."""
        with self._edit("remove_evidence", "evidence", evidence_id) as change:
            self._set("evidence", evidence_id, "deleted", True)
        return change
