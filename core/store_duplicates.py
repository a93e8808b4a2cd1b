"""Near-duplicate notices (issue 10 item 5): the same notice imported again as another file
(.txt and .docx, a saved web page), or pasted after its file was imported.

The sha256 of ``add_extraction`` catches the same file twice only: the bytes of a .txt, a
.docx and a web page of one notice differ, and so does pasted text. Here a notice's content is
compared after normalisation: ``content_key`` keeps only its letters and digits, width-folded
(NFKC), so whitespace, line breaks, punctuation and full-width forms do not count; it is stored
per notice (``notices.content_key``, migration m011) and indexed. A web page whose text keeps
some of the site's chrome has another key: a notice with the same extracted title whose
content shares at least ``SIMILAR`` of the shorter one's character 8-grams (and is at least
``LENGTHS`` as long) is a near-duplicate too; the ``CANDIDATES`` newest notices of that title
are compared.
"""
from __future__ import annotations

import hashlib
import unicodedata

SHINGLE = 8        # characters per compared piece
SIMILAR = 0.9      # share of the shorter notice's pieces found in the other
LENGTHS = 0.75     # the shorter notice is at least this share of the longer one
CANDIDATES = 8     # same-title notices compared, newest first (a generic title recurs)


def normalized_content(text: str) -> str:
    """The letters and digits of ``text``, width-folded and lower-cased."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "").lower() if ch.isalnum())


def content_key(text: str) -> str:
    return hashlib.sha256(normalized_content(text).encode("utf-8")).hexdigest()


def _pieces(content: str) -> set[str]:
    return {content[i:i + SHINGLE] for i in range(max(1, len(content) - SHINGLE + 1))}


def near_same(a: str, b: str) -> bool:
    """Two notices' texts hold the same notice (a little more or less around it)."""
    return _Content(a).near(b)


class _Content:
    """One notice's normalised content, its pieces made once for comparing with many."""

    def __init__(self, text: str):
        self.content = normalized_content(text)
        self._pieces: set[str] | None = None

    def near(self, other_text: str) -> bool:
        a, b = self.content, normalized_content(other_text)
        if not a or not b:
            return False
        if a == b:
            return True
        if min(len(a), len(b)) < LENGTHS * max(len(a), len(b)):
            return False
        if self._pieces is None:
            self._pieces = _pieces(a)
        pb = _pieces(b)
        return len(self._pieces & pb) >= SIMILAR * min(len(self._pieces), len(pb))


class DuplicatesMixin:
    def similar_notices(self, notice_id: int) -> list[dict]:
        """Notices imported before ``notice_id`` that hold the same notice: the same content
        after normalisation (``"exact": True``), or the same extracted title and nearly the
        same text (``near_same``).
        Each ``{"id", "title", "issuer", "published", "source_name", "imported_at", "exact",
        "edits"}`` (``edits``: the reviewer's corrections standing in the edit log)."""
        row = self.db.execute("SELECT text, content_key, title FROM notices WHERE id = ?",
                              [notice_id]).fetchone()
        if row is None:
            return []
        text, key, title = row
        key = key or content_key(text)
        exact = [r[0] for r in self.db.execute(
            "SELECT id FROM notices WHERE content_key = ? AND id < ? ORDER BY id", [key, notice_id])]
        near = []
        if title:   # the list table's title (the notices table holds the whole texts)
            mine = _Content(text)
            for (other_id,) in self.db.execute(
                    "SELECT notice_id FROM notice_summary WHERE title = ? AND notice_id < ? "
                    "ORDER BY notice_id DESC LIMIT ?", [title, notice_id, CANDIDATES]).fetchall():
                other_text = self._scalar("SELECT text FROM notices WHERE id = ?", [other_id])
                if other_id not in exact and mine.near(other_text):
                    near.append(other_id)
        found = []
        for other_id in sorted(exact + near):
            summary = self.notice_summary(other_id) or {}
            found.append({
                "id": other_id, "title": summary.get("title"), "issuer": summary.get("issuer"),
                "published": summary.get("published"), "source_name": summary.get("source_name"),
                "imported_at": summary.get("imported_at"), "exact": other_id in exact,
                "edits": self._scalar(
                    "SELECT count(*) FROM edit_log WHERE notice_id = ? AND NOT undone "
                    "AND action != 'reextract'", [other_id]),
            })
        return found
