"""The store's low level: reading and writing rows, the edit log, one correction's transaction.

The edit log holds primitive steps, one per row per field (``old``/``new`` JSON-encoded); a
created row is logged with field ``"*"`` and a snapshot of the whole row. Rows are never
removed by a correction, only flagged ``deleted``, so undo and redo can restore them exactly.
"""
from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager

from core.store_schema import (BOOL_COLUMNS, JSON_COLUMNS, MEASURE_EXTRACTED, MEASURE_LEDGER, NOTICE_META,
                               PROBLEM_EXTRACTED, PROBLEM_LEDGER, SPARSE_EXTRACTED, TABLES)
from core.store_search import SEARCH_KINDS
from core.vocab import REVIEW_DONE, REVIEW_IN_PROGRESS, REVIEW_PENDING

EDITABLE = {
    "notice": set(NOTICE_META),
    "problem": {"number", "category", "group", "title"} | set(PROBLEM_LEDGER),
    "measure": {"text", "status", "units", "dates", "quantities"} | set(MEASURE_LEDGER),
}
EXTRACTED_FIELDS = {"notice": NOTICE_META, "problem": PROBLEM_EXTRACTED,
                    "measure": MEASURE_EXTRACTED}


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


def _decode(entity: str, row: dict) -> dict:
    for key, value in row.items():
        if key in JSON_COLUMNS[entity] and value is not None:
            row[key] = json.loads(value)
        elif key in BOOL_COLUMNS:
            row[key] = bool(value)
    fields = SPARSE_EXTRACTED.get(entity)
    if fields and row.get("origin") == "extracted" and isinstance(row.get("extracted"), dict):
        row["extracted"] = {**{f: row[f] for f in fields if f in row}, **row["extracted"]}
    return row


def _sparse(entity: str, values: dict, extracted: dict | None) -> dict | None:
    """What a problem or measure row stores as ``extracted``: only the fields whose current value
    differs (the others still hold their extracted value). ``_decode`` gives the whole dict back."""
    if extracted is None or entity not in SPARSE_EXTRACTED or values.get("origin", "extracted") != "extracted":
        return extracted
    return {f: v for f, v in extracted.items() if _canon(values.get(f)) != _canon(v)}


def _canon(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _encode(entity: str, field: str, value):
    if field in JSON_COLUMNS[entity]:
        return json.dumps(value, ensure_ascii=False) if value is not None else None
    if field in BOOL_COLUMNS:
        return int(bool(value))
    return value


class StoreBase:
    """Rows, values and the log; the services in the other ``store_*`` modules build on these."""

    def _row(self, entity: str, row_id: int) -> dict:
        cur = self.db.execute(f"SELECT * FROM {TABLES[entity]} WHERE id = ?", [row_id])
        row = cur.fetchone()
        if row is None:
            raise KeyError(f"{entity} {row_id} not found")
        return _decode(entity, self._filled(entity, dict(zip([d[0] for d in cur.description], row))))

    def _rows(self, entity: str, where: str, params=()) -> list[dict]:
        cur = self.db.execute(f"SELECT * FROM {TABLES[entity]} WHERE {where}", list(params))
        names = [d[0] for d in cur.description]
        return [_decode(entity, self._filled(entity, dict(zip(names, r)))) for r in cur.fetchall()]

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
        at_span = entity == "measure" and field in ("text", "span")
        if at_span and field == "text" and value is None:
            value = ""   # NULL means "the notice's text at the span"; an emptied text is ""
        if field in SPARSE_EXTRACTED.get(entity, ()):
            self._keep_extracted(entity, row_id, field, value)
        searched = SEARCH_KINDS.get(entity, (None, None))[1] == field
        old_text = self._item_text(entity, row_id) if searched else None
        if at_span and field == "span":
            self._spell_out_text(row_id)   # the text read at the old span stays the text
        self.db.execute(f"UPDATE {TABLES[entity]} SET {_q(field)} = ? WHERE id = ?",
                        [_encode(entity, field, value), row_id])
        if searched:
            self._index(entity, row_id, old_text)
        if at_span:
            self._settle_text(row_id)

    # --- a measure's text is stored only where it is not the notice's text at its span (m010) --
    def _text_stored(self, notice_id: int, text, span):
        """What a measure row stores as ``text``: None when it is the notice's text at ``span``
        (most extracted measures: their text was stored twice, ~20 kB per archived notice)."""
        if text and span and self._notice_text(notice_id)[span[0]:span[1]] == text:
            return None
        return text

    def _filled(self, entity: str, row: dict) -> dict:
        """A raw row as read: a measure's NULL text is the notice's text at its span."""
        if entity == "measure" and "text" in row and row["text"] is None:
            span = row.get("span")
            span = json.loads(span) if isinstance(span, str) else span
            row["text"] = self._notice_text(row["notice_id"])[span[0]:span[1]] if span else ""
        return row

    def _spell_out_text(self, measure_id: int) -> None:
        """Store the measure's text itself (before its span changes)."""
        row = self.db.execute("SELECT notice_id, text, span FROM measures WHERE id = ?",
                              [measure_id]).fetchone()
        if row is not None and row[1] is None:
            text = self._filled("measure", {"notice_id": row[0], "text": None, "span": row[2]})["text"]
            self.db.execute("UPDATE measures SET text = ? WHERE id = ?", [text, measure_id])

    def _settle_text(self, measure_id: int) -> None:
        """After a measure's text or span was written: drop the stored text if the notice's
        text at the span says the same."""
        row = self.db.execute("SELECT notice_id, text, span FROM measures WHERE id = ?",
                              [measure_id]).fetchone()
        if row is not None and row[1] is not None and row[2] is not None:
            if self._text_stored(row[0], row[1], json.loads(row[2])) is None:
                self.db.execute("UPDATE measures SET text = NULL WHERE id = ?", [measure_id])

    def _keep_extracted(self, entity: str, row_id: int, field: str, value) -> None:
        """Before ``field`` changes: the row's stored ``extracted`` keeps the field's extracted
        value while the current value differs from it, and drops it when they agree again."""
        row = self.db.execute(f"SELECT origin, extracted, {_q(field)} FROM {TABLES[entity]} "
                              "WHERE id = ?", [row_id]).fetchone()
        if row is None or row[0] != "extracted":
            return
        stored = json.loads(row[1] or "{}")
        old = _decode(entity, {field: row[2]})[field]
        if old is None and entity == "measure" and field == "text":
            old = self._item_text(entity, row_id)   # the notice's text at its span
        extracted = stored.get(field, old)
        changed = {**stored, field: extracted}
        if _canon(value) == _canon(extracted):
            del changed[field]
        if changed != stored:
            self.db.execute(f"UPDATE {TABLES[entity]} SET extracted = ? WHERE id = ?",
                            [json.dumps(changed, ensure_ascii=False), row_id])

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
        if "extracted" in values:
            values = {**values, "extracted": _sparse(entity, values, values["extracted"])}
        stored = values
        if entity == "measure" and values.get("text") is not None:
            stored = {**values, "text": self._text_stored(values["notice_id"], values["text"],
                                                          _span(values.get("span")))}
        cols = list(stored)
        cur = self.db.execute(
            f"INSERT INTO {TABLES[entity]} ({', '.join(map(_q, cols))}) "
            f"VALUES ({', '.join('?' * len(cols))})",
            [_encode(entity, c, stored[c]) for c in cols],
        )
        row_id = cur.lastrowid
        if entity in SEARCH_KINDS:
            self._reindex_item(entity, row_id, values["notice_id"], None,
                               values.get(SEARCH_KINDS[entity][1]))
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
                if entity == "measure":
                    self._settle_text(row_id)
            elif field == "*":
                self._write(entity, row_id, "deleted", True)
            elif field is not None:
                self._write(entity, row_id, field, e["new"] if forward else e["old"])

    @contextmanager
    def _edit(self, action: str, entity: str, row_id: int):
        """One correction: a transaction, a new log group, the redo branch discarded."""
        notice_id = self._notice_of(entity, row_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM edit_log WHERE notice_id = ? AND undone = 1", [notice_id])
            grouped = getattr(self, "_grouped", None)
            if grouped is not None and grouped["notice_id"] == notice_id:
                group = grouped["log_group"]  # inside grouped_edits(): one undo step for all
            else:
                group = self._scalar("SELECT coalesce(max(group_id), 0) + 1 FROM edit_log")
            change = {"action": action, "entity": entity, "row_id": row_id,
                      "notice_id": notice_id, "log_group": group}
            self._edit_ctx = change
            try:
                yield change
            finally:
                self._edit_ctx = None
            self._notice_changed(notice_id)

    def _notice_changed(self, notice_id: int) -> None:
        """After a change to the notice, in its transaction: its review status and list row."""
        self._refresh_review_status(notice_id)
        self._refresh_summary(notice_id)

    @contextmanager
    def grouped_edits(self, notice_id: int):
        """Several corrections of one notice as one transaction and one undo step (a merged-back
        ledger): the corrections made inside share one log group; an error undoes them all."""
        self._notice_of("notice", notice_id)
        with self.db.atomic():
            group = self._scalar("SELECT coalesce(max(group_id), 0) + 1 FROM edit_log")
            self._grouped = {"notice_id": notice_id, "log_group": group}
            try:
                yield group
            finally:
                self._grouped = None

    def _refresh_review_status(self, notice_id: int) -> None:
        if self._scalar("SELECT reviewed_at FROM notices WHERE id = ?", [notice_id]):
            status = REVIEW_DONE
        elif self._scalar("SELECT 1 FROM edit_log WHERE notice_id = ? AND undone = 0 "
                          "AND action != 'reextract' LIMIT 1", [notice_id]):
            status = REVIEW_IN_PROGRESS
        else:
            status = REVIEW_PENDING
        self.db.execute("UPDATE notices SET review_status = ? WHERE id = ?", [status, notice_id])
