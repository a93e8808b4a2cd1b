"""All SQL of the program: the notice store, its correction services, edit log, undo/redo and search.

The ``Store`` class is the one front door; its jobs live in sibling modules, each a mixin:
``store_open`` (opening, locking, integrity check), ``store_base`` (rows, the log, one
correction's transaction), ``store_intake`` (adding/deleting notices), ``store_reads``,
``store_edits`` (corrections), ``store_structure`` (structural corrections: 类别 of many
problems, a measure split at its run, a problem made a category heading and back, headings
that are not problems dropped), ``store_relevel`` (调整层级: the notice read with another
layout of its levels), ``store_history`` (edit log, undo/redo), ``store_reextract``,
``store_search`` (the FTS index), ``store_evidence``, ``store_summary`` (the notice list); the schema is ``store_schema`` and the
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
from core.store_duplicates import DuplicatesMixin
from core.store_edits import EditsMixin
from core.store_evidence import EvidenceMixin
from core.store_history import HistoryMixin
from core.store_intake import IntakeMixin
from core.store_open import _InstanceLock, open_database
from core.store_reads import ReadsMixin
from core.store_reextract import ReextractMixin
from core.store_relevel import RelevelMixin
from core.store_search import SearchMixin
from core.store_structure import LayoutMemoryMixin, StructureMixin
from core.store_summary import SummaryMixin

__all__ = ["Store", "deadline_warning", "parse_deadline"]


class Store(ReadsMixin, SummaryMixin, EditsMixin, StructureMixin, LayoutMemoryMixin, RelevelMixin,
            HistoryMixin, IntakeMixin, DuplicatesMixin,
            ReextractMixin, EvidenceMixin, SearchMixin, StoreBase):
    """The notice store. Each thread opens its own ``Store`` (one SQLite connection each)."""

    def __init__(self, db: Database, path: Path, reviewer: str | None, lock: _InstanceLock | None):
        self.db = db
        self.path = path
        self.reviewer = reviewer or _os_user()
        self._lock = lock
        self._edit_ctx: dict | None = None

    @classmethod
    def open(cls, path=None, *, reviewer=None, exclusive=False, on_wait=None) -> "Store":
        """``on_wait(waited, limit)`` is called (about once a second) while another process
        holds the database's write lock; see ``core.store_open``."""
        path = paths.default_db_path(path)
        db, lock = open_database(path, exclusive=exclusive, on_wait=on_wait)
        return cls(db, path, reviewer, lock)

    @property
    def read_only(self) -> bool:
        """Opened from a file, folder or disk that cannot be written: changes raise ReadOnlyDatabaseError."""
        return self.db.read_only

    def close(self) -> None:
        self.db.close()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
