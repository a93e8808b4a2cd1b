"""All SQL of the program: the notice store, its correction services, edit log, undo/redo and search.

The ``Store`` class is the one front door; its jobs live in sibling modules, each a mixin:
``store_open`` (opening, locking, integrity check), ``store_base`` (rows, the log, one
correction's transaction), ``store_intake`` (adding/deleting notices), ``store_reads``,
``store_edits`` (corrections), ``store_history`` (edit log, undo/redo), ``store_reextract``,
``store_search`` (the FTS index), ``store_evidence``, ``store_structure`` (调整层级 and the other
structural corrections); the schema is ``store_schema`` and the
deadline rule ``core.deadline``.

Every correction is one call = one transaction (``db.atomic()``) that writes the change and its
edit-log rows and returns a ``Change`` dict. The edit log holds primitive steps, one per row per
field (``old``/``new`` JSON-encoded); a created row is logged with field ``"*"`` and a snapshot
of the whole row. Rows are never removed by a correction, only flagged ``deleted``, so undo
(apply the ``old`` values of the last not-undone group, newest step first) and redo (apply the
``new`` values of the oldest undone group) restore them exactly, also after a restart.
A new correction discards the redo branch. ``reextract`` writes a barrier group that undo
does not cross.

Evidence files (佐证材料) are copied to ``evidence_dir()/<notice>/<problem>/``. Removing one only
flags its row (so undo brings it back); the files of a notice are deleted with the notice.
"""
from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from core import paths
from core.deadline import deadline_warning, parse_deadline  # noqa: F401  (public here too)
from core.store_base import StoreBase, _os_user
from core.store_edits import EditsMixin
from core.store_evidence import EvidenceMixin
from core.store_history import HistoryMixin
from core.store_intake import IntakeMixin
from core.store_open import _InstanceLock, open_database
from core.store_reads import ReadsMixin
from core.store_reextract import ReextractMixin
from core.store_search import SearchMixin
from core.store_structure import StructureMixin

__all__ = ["Store", "deadline_warning", "parse_deadline"]


class Store(ReadsMixin, EditsMixin, StructureMixin, HistoryMixin, IntakeMixin, ReextractMixin,
            EvidenceMixin, SearchMixin, StoreBase):
    """The notice store. Each thread opens its own ``Store`` (one SQLite connection each)."""

    def __init__(self, db: Database, path: Path, reviewer: str | None, lock: _InstanceLock | None):
        self.db = db
        self.path = path
        self.reviewer = reviewer or _os_user()
        self._lock = lock
        self._edit_ctx: dict | None = None

    @classmethod
    def open(cls, path=None, *, reviewer=None, exclusive=False) -> "Store":
        path = paths.default_db_path(path)
        db, lock = open_database(path, exclusive=exclusive)
        return cls(db, path, reviewer, lock)

    def close(self) -> None:
        self.db.close()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
