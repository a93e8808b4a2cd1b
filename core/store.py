"""All SQL of the program: the notice store, its correction services, edit log, undo/redo and search.

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

import calendar
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from core import paths
from core.errors import (DatabaseCorruptError, DatabaseLockedError, NewerSchemaError,
                         UnreadableFileError)
from core.store_schema import (BOOL_COLUMNS, JSON_COLUMNS, MEASURE_EXTRACTED, MIGRATION_SET,
                               MIGRATIONS, NOTICE_META, PROBLEM_EXTRACTED, PROBLEM_LEDGER,
                               TABLES, known_migrations, search_rowid)

EDITABLE = {
    "notice": set(NOTICE_META),
    "problem": {"number", "category", "group", "title"} | set(PROBLEM_LEDGER),
    "measure": {"text", "status", "units", "dates", "quantities"},
}
EXTRACTED_FIELDS = {"notice": NOTICE_META, "problem": PROBLEM_EXTRACTED,
                    "measure": MEASURE_EXTRACTED}
REVIEW_PENDING, REVIEW_IN_PROGRESS, REVIEW_DONE = "待审核", "审核中", "已审核"
STATUS_DONE = "已完成"
WARNING_DAYS = 10
SNIPPET_BEFORE, SNIPPET_AFTER = 20, 40
SEARCH_KINDS = {"problem": ("problems", "title"), "measure": ("measures", "text")}


def _os_user() -> str | None:
    """Who is at the keyboard: the login name the edit log records when no reviewer is named."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no name for this uid (containers)
        return None


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _union(items) -> list:
    return list(dict.fromkeys(i for i in items if i))


def _span(value):
    return [int(value[0]), int(value[1])] if value else None


# --- deadlines ---------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})(?:\s*[-月./]\s*(\d{1,2}))?")


def parse_deadline(deadline) -> dt.date | None:
    """The date in a 整改时限 such as "2024-12-31", "2024年12月底" or "2024年6月" (end of month)."""
    match = _DATE.search(str(deadline or ""))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = int(match.group(3)) if match.group(3) else last
    return dt.date(year, month, min(max(day, 1), last))


def deadline_warning(deadline, status, closed, today=None) -> str | None:
    """红 overdue, 黄 due within 10 days, 绿 later; None once done/closed or without a date."""
    if closed or status == STATUS_DONE:
        return None
    due = parse_deadline(deadline)
    if due is None:
        return None
    days = (due - (today or dt.date.today())).days
    if days < 0:
        return "红"
    return "黄" if days <= WARNING_DAYS else "绿"


# --- opening -----------------------------------------------------------------------------

class _InstanceLock:
    """An OS lock on ``<db>.lock``, held while the window has the database open."""

    def __init__(self, db_path: Path):
        self._file = open(str(db_path) + ".lock", "a+b")
        try:
            if os.name == "nt":
                import msvcrt

                self._file.seek(0)
                msvcrt.locking(self._file.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._file.close()
            raise DatabaseLockedError(
                "数据库正被另一个整改台账助手窗口使用，请先关闭那个窗口再打开。", path=str(db_path)
            ) from None

    def release(self) -> None:
        if os.name == "nt":
            import msvcrt

            self._file.seek(0)
            msvcrt.locking(self._file.fileno(), msvcrt.LK_UNLCK, 1)
        self._file.close()


def _pending_migrations(path: Path) -> list[str]:
    """Check an existing file read-only: integrity and schema version. Returns what is pending."""
    known = known_migrations()
    if not path.exists() or path.stat().st_size == 0:
        return known
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseCorruptError(f"无法打开数据库：{exc}", path=str(path)) from None
    try:
        if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            raise DatabaseCorruptError("数据库文件已损坏，请从备份恢复。", path=str(path))
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_sqlite_migrations'"
        ).fetchone()
        applied = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set=?", [MIGRATION_SET]
        )] if has_table else []
    except sqlite3.DatabaseError:
        raise DatabaseCorruptError("数据库文件已损坏或不是本程序的数据库。", path=str(path)) from None
    finally:
        conn.close()
    if set(applied) - set(known):
        raise NewerSchemaError(
            "这个数据库由更新版本的整改台账助手创建，当前版本无法打开，请升级程序。", path=str(path)
        )
    return [name for name in known if name not in applied]


def _backup_before_migration(path: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = paths.backup_dir() / f"{path.stem}-pre-migration-{stamp}{path.suffix or '.sqlite3'}"
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


class Store:
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
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = _InstanceLock(path) if exclusive else None
        try:
            pending = _pending_migrations(path)
            if pending and path.exists() and pending != known_migrations():
                _backup_before_migration(path)
            db = Database(path)
            db.execute("PRAGMA busy_timeout = 5000")
            db.execute("PRAGMA foreign_keys = ON")
            db.enable_wal()
            MIGRATIONS.apply(db)
        except BaseException:
            if lock:
                lock.release()
            raise
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

    # --- low level: rows, values, the log ------------------------------------------------

    def _row(self, entity: str, row_id: int) -> dict:
        cur = self.db.execute(f"SELECT * FROM {TABLES[entity]} WHERE id = ?", [row_id])
        row = cur.fetchone()
        if row is None:
            raise KeyError(f"{entity} {row_id} not found")
        return _decode(entity, dict(zip([d[0] for d in cur.description], row)))

    def _rows(self, entity: str, where: str, params=()) -> list[dict]:
        cur = self.db.execute(f"SELECT * FROM {TABLES[entity]} WHERE {where}", list(params))
        names = [d[0] for d in cur.description]
        return [_decode(entity, dict(zip(names, r))) for r in cur.fetchall()]

    def _scalar(self, sql: str, params=()):
        row = self.db.execute(sql, list(params)).fetchone()
        return row[0] if row else None

    def _notice_of(self, entity: str, row_id: int) -> int:
        if entity == "notice":
            self._row("notice", row_id)
            return row_id
        notice_id = self._scalar(f"SELECT notice_id FROM {TABLES[entity]} WHERE id = ?", [row_id])
        if notice_id is None:
            raise KeyError(f"{entity} {row_id} not found")
        return notice_id

    def _write(self, entity: str, row_id: int, field: str, value) -> None:
        self.db.execute(f"UPDATE {TABLES[entity]} SET {_q(field)} = ? WHERE id = ?",
                        [_encode(entity, field, value), row_id])
        if SEARCH_KINDS.get(entity, (None, None))[1] == field:
            self._index(entity, row_id)

    def _log(self, entity, row_id, field, old, new) -> None:
        ctx = self._edit_ctx
        self.db.execute(
            "INSERT INTO edit_log (at, reviewer, notice_id, entity, row_id, field, old, new, "
            "action, group_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_now(), self.reviewer, ctx["notice_id"], entity, row_id, field,
             json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False),
             ctx["action"], ctx["log_group"]],
        )

    def _set(self, entity: str, row_id: int, field: str, value, *, touch=True) -> None:
        """Change one field, logging the step; marks the row as touched by the reviewer."""
        if field in BOOL_COLUMNS:
            value = bool(value)
        old = self._row(entity, row_id)[field]
        if old != value:
            self._write(entity, row_id, field, value)
            self._log(entity, row_id, field, old, value)
        if touch and entity in ("problem", "measure"):
            self._set(entity, row_id, "touched", True, touch=False)

    def _create(self, entity: str, values: dict) -> int:
        """Insert a row (logged with a snapshot, so redo and replay can recreate it)."""
        cols = list(values)
        cur = self.db.execute(
            f"INSERT INTO {TABLES[entity]} ({', '.join(map(_q, cols))}) "
            f"VALUES ({', '.join('?' * len(cols))})",
            [_encode(entity, c, values[c]) for c in cols],
        )
        row_id = cur.lastrowid
        if entity in SEARCH_KINDS:
            self._index(entity, row_id)
        if self._edit_ctx is not None:
            self._log(entity, row_id, "*", None, self._row(entity, row_id))
        return row_id

    def _apply(self, entries: list[dict], *, forward: bool) -> None:
        """Apply logged steps: their ``new`` values in order, or their ``old`` ones in reverse."""
        for e in entries if forward else reversed(entries):
            entity, row_id, field = e["entity"], e["row_id"], e["field"]
            if field == "*" and forward:
                snapshot = {k: _encode(entity, k, v) for k, v in e["new"].items()}
                self.db[TABLES[entity]].upsert(snapshot, pk="id")
                if entity in SEARCH_KINDS:
                    self._index(entity, row_id)
            elif field == "*":
                self._write(entity, row_id, "deleted", True)
            elif field is not None:
                self._write(entity, row_id, field, e["new"] if forward else e["old"])

    def _index(self, entity: str, row_id: int) -> None:
        table, column = SEARCH_KINDS[entity]
        self.db.execute("DELETE FROM search_index WHERE rowid = ?", [search_rowid(entity, row_id)])
        if entity == "problem":
            sql = f"SELECT notice_id, id, NULL, {column} FROM {table} WHERE id = ?"
        else:
            sql = f"SELECT notice_id, problem_id, id, {column} FROM {table} WHERE id = ?"
        notice_id, problem_id, measure_id, text = self.db.execute(sql, [row_id]).fetchone()
        self._index_text(entity, notice_id, problem_id, measure_id, text)

    def _index_text(self, kind, notice_id, problem_id, measure_id, text) -> None:
        from core.textutil import search_text

        row_id = {"notice": notice_id, "problem": problem_id, "measure": measure_id}[kind]
        self.db.execute(
            "INSERT INTO search_index (rowid, tokens, kind, notice_id, problem_id, measure_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [search_rowid(kind, row_id), search_text(text or ""), kind, notice_id, problem_id,
             measure_id],
        )

    def _unindex(self, where: str, params: list) -> None:
        """Drop the index rows of the problems matching ``where`` and of their measures.

        Deleting by rowid: a WHERE on the FTS table's other columns would scan the whole index."""
        rowids = [search_rowid("problem", r[0]) for r in
                  self.db.execute(f"SELECT id FROM problems WHERE {where}", params)]
        rowids += [search_rowid("measure", r[0]) for r in self.db.execute(
            f"SELECT id FROM measures WHERE problem_id IN (SELECT id FROM problems WHERE {where})",
            params)]
        for rowid in rowids:
            self.db.execute("DELETE FROM search_index WHERE rowid = ?", [rowid])

    @contextmanager
    def _edit(self, action: str, entity: str, row_id: int):
        """One correction: a transaction, a new log group, the redo branch discarded."""
        notice_id = self._notice_of(entity, row_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM edit_log WHERE notice_id = ? AND undone = 1", [notice_id])
            group = self._scalar("SELECT coalesce(max(group_id), 0) + 1 FROM edit_log")
            change = {"action": action, "entity": entity, "row_id": row_id,
                      "notice_id": notice_id, "log_group": group}
            self._edit_ctx = change
            try:
                yield change
            finally:
                self._edit_ctx = None
            self._refresh_review_status(notice_id)

    def _refresh_review_status(self, notice_id: int) -> None:
        if self._scalar("SELECT reviewed_at FROM notices WHERE id = ?", [notice_id]):
            status = REVIEW_DONE
        elif self._scalar("SELECT 1 FROM edit_log WHERE notice_id = ? AND undone = 0 "
                          "AND action != 'reextract' LIMIT 1", [notice_id]):
            status = REVIEW_IN_PROGRESS
        else:
            status = REVIEW_PENDING
        self.db.execute("UPDATE notices SET review_status = ? WHERE id = ?", [status, notice_id])

    # --- adding extractions --------------------------------------------------------------

    def add_extraction(self, extraction: dict, *, source_path=None) -> tuple[int, bool]:
        """Store one extraction dict; a notice with the same sha256 is stored once."""
        text = extraction["text"]
        source = dict(extraction.get("source") or {})
        sha = source.get("sha256") or hashlib.sha256(text.encode("utf-8")).hexdigest()
        existing = self._scalar("SELECT id FROM notices WHERE sha256 = ?", [sha])
        if existing is not None:
            return existing, True
        src_path = str(source_path or source.get("path") or "") or None
        meta = {f: (extraction.get("meta") or {}).get(f) for f in NOTICE_META}
        with self.db.atomic():
            notice_id = self._create("notice", {
                "text": text, "source_path": src_path,
                "source_name": Path(src_path).name if src_path else None,
                "sha256": sha, "encoding": source.get("encoding"), "format": source.get("format"),
                **meta, "warnings": list(extraction.get("warnings") or []), "extracted": meta,
                "imported_at": _now(),
            })
            self._index_text("notice", notice_id, None, None, text)
            self._insert_outcomes(notice_id, extraction.get("outcomes") or [])
            for position, problem in enumerate(extraction.get("problems") or []):
                self._insert_problem(notice_id, position, problem)
        return notice_id, False

    def _insert_outcomes(self, notice_id: int, outcomes: list[dict]) -> None:
        self.db.execute("DELETE FROM outcomes WHERE notice_id = ?", [notice_id])
        for position, o in enumerate(outcomes):
            span = _span(o.get("span")) or [None, None]
            self.db.execute(
                "INSERT INTO outcomes (notice_id, position, text, quantity, unit, span_start, "
                "span_end) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [notice_id, position, o.get("text") or "", o.get("quantity"), o.get("unit"), *span],
            )

    def _insert_problem(self, notice_id: int, position: float, problem: dict) -> int:
        values = _problem_values(problem)
        problem_id = self._create("problem", {
            "notice_id": notice_id, "position": position, **values,
            "confidence": problem.get("confidence"), "extracted": values,
        })
        for m_pos, measure in enumerate(problem.get("measures") or []):
            m_values = _measure_values(measure)
            self._create("measure", {"notice_id": notice_id, "problem_id": problem_id,
                                     "position": m_pos, **m_values, "extracted": m_values})
        return problem_id

    # --- reading -------------------------------------------------------------------------

    def notice_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM notices ORDER BY id")]

    def list_notices(self, filter_text: str = "") -> list[dict]:
        like = f"%{filter_text.strip()}%"
        cur = self.db.execute(
            """SELECT n.id, n.title, n.issuer, n.kind, n.published,
                 (SELECT count(*) FROM problems p WHERE p.notice_id = n.id AND NOT p.deleted)
                   AS problem_count,
                 (SELECT count(*) FROM measures m JOIN problems p ON p.id = m.problem_id
                   WHERE m.notice_id = n.id AND NOT m.deleted AND NOT p.deleted) AS measure_count,
                 (SELECT count(*) FROM problems p WHERE p.notice_id = n.id AND NOT p.deleted
                   AND p.checked) AS checked_count,
                 n.review_status, n.imported_at
               FROM notices n
               WHERE ? = '%%' OR coalesce(n.title, '') LIKE ? OR coalesce(n.issuer, '') LIKE ?
                 OR coalesce(n.source_name, '') LIKE ?
               ORDER BY n.id""",
            [like, like, like, like],
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def get_notice(self, notice_id: int, *, today: dt.date | None = None) -> dict:
        n = self._row("notice", notice_id)
        record = {"id": n["id"], **{f: n[f] for f in NOTICE_META}, "text": n["text"],
                  "source": {"path": n["source_path"], "name": n["source_name"],
                             "sha256": n["sha256"], "encoding": n["encoding"],
                             "format": n["format"]},
                  "imported_at": n["imported_at"], "reviewed_at": n["reviewed_at"],
                  "review_status": n["review_status"], "warnings": n["warnings"],
                  **_edited(n, NOTICE_META)}
        record["outcomes"] = [
            {"id": r[0], "text": r[1], "quantity": r[2], "unit": r[3],
             "span": [r[4], r[5]] if r[4] is not None else None}
            for r in self.db.execute(
                "SELECT id, text, quantity, unit, span_start, span_end FROM outcomes "
                "WHERE notice_id = ? ORDER BY position", [notice_id])
        ]
        record["problems"] = self._problem_records(notice_id, today=today)
        return record

    def get_problem(self, problem_id: int, *, today: dt.date | None = None) -> dict:
        """One problem record, in the shape of ``get_notice()["problems"]`` items (with its
        current ``seq``), so a window can refresh the problem an edit touched."""
        notice_id = self._notice_of("problem", problem_id)
        return self._problem_records(notice_id, problem_id=problem_id, today=today)[0]

    def _problem_records(self, notice_id: int, *, problem_id: int | None = None,
                         today: dt.date | None = None) -> list[dict]:
        """The notice's problem records in order, or only ``problem_id``'s."""
        only = "" if problem_id is None else " AND problem_id = ?"
        params = [notice_id] if problem_id is None else [notice_id, problem_id]
        evidence: dict[int, list] = {}
        for e in self._rows("evidence", f"notice_id = ? AND NOT deleted{only} ORDER BY id", params):
            evidence.setdefault(e["problem_id"], []).append(
                {k: e[k] for k in ("id", "name", "path", "added_at")})
        measures: dict[int, list] = {}
        for m in self._rows("measure", f"notice_id = ? AND NOT deleted{only} ORDER BY position, id",
                            params):
            group = measures.setdefault(m["problem_id"], [])
            group.append({"id": m["id"], "problem_id": m["problem_id"], "seq": len(group) + 1,
                          **{f: m[f] for f in MEASURE_EXTRACTED}, "checked": m["checked"],
                          "checked_at": m["checked_at"], "origin": m["origin"],
                          **_edited(m, MEASURE_EXTRACTED)})
        if problem_id is None:
            rows = enumerate(self._rows(
                "problem", "notice_id = ? AND NOT deleted ORDER BY position, id", [notice_id]), 1)
        else:
            p = self._row("problem", problem_id)
            seq = self._scalar(
                "SELECT count(*) FROM problems WHERE notice_id = ? AND NOT deleted "
                "AND (position < ? OR (position = ? AND id <= ?))",
                [notice_id, p["position"], p["position"], problem_id])
            rows = [(seq, p)]
        problems = []
        for seq, p in rows:
            problems.append({
                "id": p["id"], "notice_id": notice_id, "seq": seq,
                **{f: p[f] for f in ("number", "category", "group", "title", "span",
                                     "title_span", "confidence", *PROBLEM_LEDGER,
                                     "checked", "checked_at", "origin")},
                "warning": deadline_warning(p["deadline"], p["status"], p["closed"], today),
                "evidence": evidence.get(p["id"], []),
                **_edited(p, PROBLEM_EXTRACTED),
                "measures": measures.get(p["id"], []),
            })
        return problems

    def edit_log(self, notice_id: int) -> list[dict]:
        """The reviewer's steps, oldest first (the internal touched bookkeeping left out)."""
        cur = self.db.execute(
            "SELECT id, at, reviewer, entity, row_id, field, old, new, action, undone, group_id "
            "FROM edit_log WHERE notice_id = ? AND coalesce(field, '') != 'touched' ORDER BY id",
            [notice_id])
        return [{"id": r[0], "at": r[1], "reviewer": r[2], "entity": r[3], "row_id": r[4],
                 "field": r[5], "old": json.loads(r[6]) if r[6] else None,
                 "new": json.loads(r[7]) if r[7] else None, "action": r[8],
                 "undone": bool(r[9]), "group": r[10]} for r in cur.fetchall()]

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

    # --- undo / redo ---------------------------------------------------------------------

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
            self._refresh_review_status(first["notice_id"])
        return {"action": "undo" if undo else "redo", "of": first["action"],
                "entity": first["entity"], "row_id": first["row_id"],
                "notice_id": first["notice_id"], "log_group": group}

    # --- corrections ---------------------------------------------------------------------

    def update_field(self, entity: str, row_id: int, field: str, value) -> dict:
        if field not in EDITABLE.get(entity, ()):
            raise ValueError(f"{entity}.{field} is not editable")
        with self._edit("update_field", entity, row_id) as change:
            self._set(entity, row_id, field, value)
        return change

    def revert_field(self, entity: str, row_id: int, field: str) -> dict:
        if field not in EXTRACTED_FIELDS.get(entity, ()):
            raise ValueError(f"{entity}.{field} has no extracted value")
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
        return change

    def set_checked(self, entity: str, row_id: int, checked: bool = True) -> dict:
        if entity not in ("problem", "measure"):
            raise ValueError(f"{entity} cannot be checked")
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
            raise ValueError(f"{entity} cannot be deleted here")
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
                raise ValueError(f"span {span} outside the notice text")
            self._set(entity, row_id, "span", [start, end])
            if entity == "measure":
                self._set(entity, row_id, "text", text[start:end])
        return change

    def split_measure(self, measure_id: int, offset: int) -> dict:
        """Split a measure's text at ``offset``; the tail becomes a new measure after it."""
        m = self._row("measure", measure_id)
        text = m["text"]
        if not 0 < offset < len(text):
            raise ValueError("offset must fall inside the measure text")
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
            raise ValueError("no next item to merge with")
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
            raise ValueError("measure_index must leave measures on both sides")
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

    # --- re-extraction -------------------------------------------------------------------

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

    # --- search --------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[dict]:
        """Notices, problems and measures whose jieba tokens contain every token of ``query``."""
        from core.textutil import search_tokens

        tokens = _union(search_tokens(query))
        if not tokens:
            return []
        match = " ".join('"' + t.replace('"', '""') + '"' for t in tokens)
        rows = self.db.execute(
            """SELECT s.kind, s.notice_id, coalesce(m.problem_id, s.problem_id), s.measure_id,
                 n.title, CASE s.kind WHEN 'notice' THEN n.text WHEN 'problem' THEN p.title
                 ELSE m.text END
               FROM search_index s JOIN notices n ON n.id = s.notice_id
               LEFT JOIN measures m ON m.id = s.measure_id
               LEFT JOIN problems p ON p.id = coalesce(m.problem_id, s.problem_id)
               WHERE search_index MATCH ? AND NOT coalesce(p.deleted, 0)
                 AND NOT coalesce(m.deleted, 0)
               ORDER BY rank LIMIT ?""",
            [match, limit],
        ).fetchall()
        return [{"notice_id": r[1], "notice_title": r[4], "problem_id": r[2], "measure_id": r[3],
                 "kind": r[0], "snippet": _snippet(r[5] or "", tokens)} for r in rows]

    # --- evidence ------------------------------------------------------------------------

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

    def get_setting(self, key: str, default=None):
        """A value remembered in the database (any JSON value), or ``default``."""
        value = self._scalar("SELECT value FROM settings WHERE key = ?", [key])
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value) -> None:
        with self.db.atomic():
            self.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                            [key, json.dumps(value, ensure_ascii=False)])

    def delete_notice(self, notice_id: int) -> None:
        """Remove a notice with everything that belongs to it (not undoable)."""
        with self.db.atomic():
            self._unindex("notice_id = ?", [notice_id])
            self.db.execute("DELETE FROM search_index WHERE rowid = ?", [search_rowid("notice", notice_id)])
            self.db.execute("DELETE FROM notices WHERE id = ?", [notice_id])
        shutil.rmtree(paths.evidence_dir() / str(notice_id), ignore_errors=True)


# --- row encoding and small helpers ------------------------------------------------------

def _decode(entity: str, row: dict) -> dict:
    for key, value in row.items():
        if key in JSON_COLUMNS[entity] and value is not None:
            row[key] = json.loads(value)
        elif key in BOOL_COLUMNS:
            row[key] = bool(value)
    return row


def _encode(entity: str, field: str, value):
    if field in JSON_COLUMNS[entity]:
        return json.dumps(value, ensure_ascii=False) if value is not None else None
    if field in BOOL_COLUMNS:
        return int(bool(value))
    return value


def _edited(row: dict, fields) -> dict:
    extracted = row["extracted"]
    edited = [f for f in fields if f in extracted and row[f] != extracted[f]]
    return {"edited_fields": edited, "extracted": {f: extracted[f] for f in edited}}


def _problem_values(p: dict) -> dict:
    units = _union(u for m in p.get("measures") or [] for u in m.get("units") or [])
    return {"number": p.get("number"), "category": p.get("category"), "group": p.get("group"),
            "title": p.get("title") or "", "span": _span(p.get("span")),
            "title_span": _span(p.get("title_span")), "status": p.get("status"),
            "rectify_type": p.get("rectify_type"), "deadline": p.get("deadline"),
            "units": "、".join(units) or None}


def _measure_values(m: dict) -> dict:
    return {"text": m.get("text") or "", "span": _span(m.get("span")), "status": m.get("status"),
            "units": list(m.get("units") or []), "dates": list(m.get("dates") or []),
            "quantities": [dict(q) for q in m.get("quantities") or []]}


def _new_signature(p: dict) -> tuple:
    return (_jsonable(_problem_values(p)),
            [_jsonable(_measure_values(m)) for m in p.get("measures") or []])


def _jsonable(value):
    """``value`` as it reads back from a JSON column, for comparisons."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def _merge_span(a, b):
    return [min(a[0], b[0]), max(a[1], b[1])] if a and b else a or b


def _snippet(text: str, tokens: list[str]) -> str:
    """The original text around the first match (FTS5's snippet() would show jieba tokens)."""
    hits = [i for i in (text.find(t) for t in tokens) if i >= 0]
    if not hits:
        return text[:SNIPPET_BEFORE + SNIPPET_AFTER]
    start = max(0, min(hits) - SNIPPET_BEFORE)
    end = min(len(text), min(hits) + SNIPPET_AFTER)
    body = " ".join(text[start:end].split())
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


def _title_from(text: str, limit: int = 30) -> str:
    """A provisional title for a split-off problem: the first clause of its first measure."""
    first = re.split(r"[。；;，,\n]", text.strip(), maxsplit=1)[0]
    return first[:limit]
