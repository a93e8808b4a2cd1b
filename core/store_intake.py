"""Adding an extraction as a notice with its problems, measures and outcomes; deleting a notice."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from core import paths
from core.store_base import _now, _span, _union
from core.store_duplicates import content_key
from core.store_schema import NOTICE_META


class IntakeMixin:
    def add_extraction(self, extraction: dict, *, source_path=None) -> tuple[int, bool]:
        """Store one extraction dict; a notice with the same sha256 is stored once."""
        extraction = self._remembered_reading(extraction)   # 调整层级 remembered per 发布单位
        text = extraction["text"]
        source = dict(extraction.get("source") or {})
        sha = source.get("sha256") or hashlib.sha256(text.encode("utf-8")).hexdigest()
        src_path = str(source_path or source.get("path") or "") or None
        meta = {f: (extraction.get("meta") or {}).get(f) for f in NOTICE_META}
        try:
            return self._add_notice(extraction, text, source, sha, src_path, meta)
        except BaseException:
            self._notice_text_cache = None   # its id may be given to another notice after the rollback
            raise

    def _add_notice(self, extraction, text, source, sha, src_path, meta) -> tuple[int, bool]:
        with self.db.atomic():
            # decided inside the write transaction: two imports of one file at once store it once
            existing = self._scalar("SELECT id FROM notices WHERE sha256 = ?", [sha])
            if existing is not None:
                return existing, True
            notice_id = self._create("notice", {
                "text": text, "source_path": src_path,
                "source_name": Path(src_path).name if src_path else None,
                "sha256": sha, "encoding": source.get("encoding"), "format": source.get("format"),
                "content_key": content_key(text),   # near-duplicates: core/store_duplicates.py
                **meta, "warnings": list(extraction.get("warnings") or []), "extracted": meta,
                "imported_at": _now(),
                "uncertain": [list(span) for span in extraction.get("uncertain") or []] or None,
            })
            self._notice_text_cache = (notice_id, text)   # measures that are its text store none
            self._index_notice(notice_id, text)
            self._insert_outcomes(notice_id, extraction.get("outcomes") or [])
            for position, problem in enumerate(extraction.get("problems") or []):
                self._insert_problem(notice_id, position, problem)
            self._refresh_summary(notice_id)
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

    def delete_notice(self, notice_id: int) -> None:
        """Remove a notice with everything that belongs to it (not undoable)."""
        with self.db.atomic():
            self._unindex_notice(notice_id)
            self.db.execute("DELETE FROM notices WHERE id = ?", [notice_id])
        shutil.rmtree(paths.evidence_dir() / str(notice_id), ignore_errors=True)


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
