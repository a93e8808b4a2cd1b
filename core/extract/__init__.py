"""Notice text → the extraction dict of ``../shared/docs/extract-json.md``.

``structure`` finds the problems and measures, ``meta`` the notice's particulars and
``fields`` the per-item status, units, dates and quantities; this module assembles them,
scores each problem's confidence and checks the result against the counts the notice
states about itself.
"""
from __future__ import annotations

import hashlib

from core.extract import fields, meta
from core.extract.reading import Reading
from core.extract.structure import Problem, parse

# How much each layout doubt costs a problem's confidence.
_PENALTIES = {"未识别出整改措施": 0.4, "标题过长": 0.2, "标题过短": 0.3, "标题含句号": 0.2, "格式少见": 0.1}
_BASE_CONFIDENCE = 0.95
_MISMATCH_PENALTY = 0.1
# Doubts worth a warning line of their own (a rare layout only lowers the confidence).
_WARNED = ("未识别出整改措施", "标题过长", "标题过短", "标题含句号")


def extract(text: str, *, source: dict | None = None, title_hint: str | None = None,
            layout_choice: str | None = None) -> dict:
    """The extraction dict; ``layout_choice`` reads the notice with another role assignment
    (one of ``result["layout"]["alternatives"]``' names) instead of the best-scoring one."""
    reading = Reading(text)
    structure = parse(text, reading, choice=layout_choice)
    info = _own_meta(reading, meta.extract_meta(reading.text, title_hint))
    year = _year(info)
    warnings = list(structure.doubts)
    problems = [_problem(reading, p, year) for p in structure.problems]
    for p in structure.problems:
        warnings += [f"第{p.seq}项问题“{_short(p.title)}”：{d}" for d in p.doubts if d in _WARNED]
    mismatches = _self_check(reading.text, problems)
    if mismatches:
        warnings += mismatches
        for p in problems:
            p["confidence"] = round(max(0.0, p["confidence"] - _MISMATCH_PENALTY), 2)
    if source is None:
        source = {"path": None, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                  "encoding": None, "format": "text"}
    return {
        "text": text,
        "source": source,
        "meta": info,
        "warnings": warnings,
        "outcomes": _own_outcomes(reading, meta.extract_outcomes(reading.text)),
        "problems": problems,
        "layout": structure.layout,
    }


def _own_meta(reading: Reading, info: dict) -> dict:
    """Meta strings found in the reading text, in the notice's own characters."""
    for key in ("title", "issuer", "inspector", "round"):
        info[key] = reading.own_of(info[key])
    if info.get("contact") and info["contact"].get("address"):
        info["contact"]["address"] = reading.own_of(info["contact"]["address"])
    return info


def _own_outcomes(reading: Reading, outcomes: list[dict]) -> list[dict]:
    for o in outcomes:
        s, e = o["span"]
        o["text"] = reading.chars(s, e)
        o["span"] = list(reading.span(s, e))
    return outcomes


def extract_file(path) -> dict:
    from core.ingest import read_file

    return extract_ingested(read_file(path))


_UNCERTAIN_PENALTY = 0.2


def extract_ingested(ingested) -> dict:
    """``extract`` over a ``core.ingest.Ingested``: a spreadsheet's rows replace the problems found
    in its text; OCR's uncertain spans travel along and lower the confidence of the items holding them."""
    result = extract(ingested.text, source=ingested.source, title_hint=ingested.title_hint)
    if ingested.problems is not None:
        result["problems"] = ingested.problems
        result["warnings"] = [w for w in result["warnings"] if not w.startswith("通报称")]
    result["warnings"] = list(ingested.warnings) + result["warnings"]
    if ingested.uncertain:
        result["uncertain"] = [list(span) for span in ingested.uncertain]
        for p in result["problems"]:
            if any(s < p["span"][1] and e > p["span"][0] for s, e in ingested.uncertain):
                p["confidence"] = round(max(0.0, p["confidence"] - _UNCERTAIN_PENALTY), 2)
    return result


def _year(info: dict) -> int | None:
    """The year that dates without one (7月17日) fall in: rectification follows the feedback."""
    for key in ("feedback_date", "inspection_end", "inspection_start", "published"):
        if info.get(key):
            return int(info[key][:4])
    return None


def _short(title: str, limit: int = 20) -> str:
    return title if len(title) <= limit else title[:limit] + "…"


def _problem(reading: Reading, p: Problem, year: int | None) -> dict:
    measures = []
    for m in p.measures:
        found = fields.measure_fields(m.read or m.text, year=year)
        if reading.changed:  # units and quantities in the notice's own characters
            start, end = m.read_span
            found["units"] = [reading.own_of(u, start, end) for u in found["units"]]
            for q in found["quantities"]:
                q["text"] = reading.own_of(q["text"], start, end)
        measures.append({"seq": m.seq, "text": m.text, "span": list(m.span), **found})
    confidence = _BASE_CONFIDENCE - sum(_PENALTIES[d] for d in p.doubts)
    item = reading.text[p.read_span[0]:p.read_span[1]]
    return {
        "seq": p.seq,
        "number": p.number,
        "category": p.category,
        "group": p.group,
        "title": p.title,
        "span": list(p.span),
        "title_span": list(p.title_span),
        "status": (p.status_span and fields.status_of(reading.text[slice(*p.status_span)])
                   or fields.stated_status(item) or fields.rollup_status(m["status"] for m in measures)),
        "confidence": round(min(1.0, max(0.0, confidence)), 2),
        **fields.problem_fields(item, year=year),
        "measures": measures,
    }


def _self_check(text: str, problems: list[dict]) -> list[str]:
    """Warnings where the notice's own counts differ from what was found."""
    stated = meta.stated_counts(text)
    found = {
        "problems": len(problems),
        "measures": sum(len(p["measures"]) for p in problems),
        "categories": len({p["category"] for p in problems if p["category"]}),
        "completed": sum(1 for p in problems if p["status"] == fields.DONE),
    }
    phrases = {
        "problems": "通报称反馈问题{}个，识别出{}个",
        "measures": "通报称制定{}项整改措施，识别出{}项",
        "categories": "通报称问题涉及{}个方面，识别出{}个",
        "completed": "通报称已完成整改{}项，识别出{}项已完成",
    }
    warnings = []
    for key, phrase in phrases.items():
        if key in stated and stated[key] != found[key] and (key != "categories" or found[key]):
            warnings.append(phrase.format(stated[key], found[key]))
    return warnings
