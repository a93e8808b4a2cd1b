"""A notice record straight from an extraction dict (no database)."""
from __future__ import annotations

from pathlib import PurePath

from core.deadline import deadline_warning
from core.vocab import REVIEW_PENDING


def record_from_extraction(extraction: dict) -> dict:
    """A notice record (the shape of ``Store.get_notice()``) straight from an extraction dict.

    Ledger fields are pre-filled as the store does: status is the problem's rolled-up status,
    units the union of its measures' units, rectify type and deadline when the extractor found them.
    """
    meta = extraction.get("meta") or {}
    source = dict(extraction.get("source") or {})
    if source.get("path") and not source.get("name"):
        source["name"] = PurePath(source["path"]).name
    problems = []
    for p in extraction.get("problems") or []:
        measures = p.get("measures") or []
        units = list(dict.fromkeys(u for m in measures for u in (m.get("units") or [])))
        deadline = p.get("deadline")
        status = p.get("status")
        problems.append({
            "id": None, "notice_id": None, "seq": p.get("seq"), "number": p.get("number"),
            "category": p.get("category"), "group": p.get("group"), "title": p.get("title"),
            "span": p.get("span"), "title_span": p.get("title_span"),
            "confidence": p.get("confidence"),
            "status": status, "rectify_type": p.get("rectify_type"), "deadline": deadline,
            "leader": None, "units": "、".join(units) or None, "person": None, "effect": None,
            "closed": False, "closed_at": None, "remark": None, "checked": False, "checked_at": None,
            "warning": deadline_warning(deadline, status, False),
            "evidence": [], "edited_fields": [], "extracted": {},
            "measures": [
                {"id": None, "problem_id": None, "seq": m.get("seq"), "text": m.get("text"),
                 "span": m.get("span"), "status": m.get("status"), "units": m.get("units") or [],
                 "dates": m.get("dates") or [], "quantities": m.get("quantities") or [],
                 "checked": False, "edited_fields": [], "extracted": {}}
                for m in measures
            ],
        })
    record = {key: meta.get(key) for key in (
        "title", "kind", "issuer", "inspector", "round", "inspection_start", "inspection_end",
        "feedback_date", "published", "disclosure", "contact")}
    record.update({
        "id": None, "text": extraction.get("text") or "", "source": source, "imported_at": None,
        "review_status": REVIEW_PENDING, "warnings": list(extraction.get("warnings") or []),
        "outcomes": [dict(o, id=None) for o in extraction.get("outcomes") or []],
        "edited_fields": [], "extracted": {}, "problems": problems,
    })
    return record

