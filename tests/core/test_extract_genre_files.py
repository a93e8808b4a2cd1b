"""Genre fixtures in the formats users really have: saved web pages, Word files and PDFs.

tests/fixtures/genre_files/make_fixtures.py writes each NN_name.{html,docx,pdf} (deterministic,
committed with its output); gold/NN_name.json is its hand-made annotation in the seed gold format
(../shared/gold/). The extractor, run on the file through core.extract.extract_file, must
reproduce per problem the title, the measure count, the category and the group (compared after
the same normalisation as ../shared/tools/score.py), and the notice's kind, issuer and published
date (compared as score.py does).

Cases the extractor still gets wrong are listed in KNOWN_FAILING with what goes wrong and
whether the fault is in ingest (file → text) or in extraction; they run as strict xfails.
"""
import json
import re
from pathlib import Path

import pytest

from core.extract import extract_file

FILES = Path(__file__).resolve().parent.parent / "fixtures" / "genre_files"
GOLD = FILES / "gold"
FORMATS = (".html", ".htm", ".docx", ".pdf")

# The same normalisation as norm() in ../shared/tools/score.py.
_PUNCT = re.compile(r"[\s“”‘’\"'「」『』《》〈〉（）()【】\[\]，,。.、：:；;！!？?·\-—…]")


def norm(s):
    return _PUNCT.sub("", s or "")


KNOWN_FAILING: list[tuple[str, str]] = []
_REASONS = dict(KNOWN_FAILING)


def _cases():
    for path in sorted(GOLD.glob("*.json")):
        name = path.stem
        marks = [pytest.mark.xfail(strict=True, reason=_REASONS[name])] if name in _REASONS else []
        yield pytest.param(name, marks=marks, id=name)


def _expected(gold):
    return [(norm(p["title"]), p["measures"], norm(p["category"]), norm(p["group"])) for p in gold["problems"]]


def _found(result):
    return [(norm(p["title"]), len(p["measures"]), norm(p["category"]), norm(p["group"]))
            for p in result["problems"]]


def test_every_fixture_has_gold_and_formats_are_covered():
    notices = {p.stem: p.suffix for p in FILES.iterdir() if p.suffix in FORMATS}
    golds = {p.stem for p in GOLD.glob("*.json")}
    assert len(notices) >= 10
    assert set(notices) == golds
    assert set(_REASONS) <= golds
    assert {".html", ".docx", ".pdf"} <= set(notices.values())
    for name in golds:
        gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
        assert gold["file"] == f"{name}{notices[name]}"
        assert 3 <= len(gold["problems"]) <= 15


@pytest.mark.parametrize("name", list(_cases()))
def test_genre_file(name):
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
    result = extract_file(FILES / gold["file"])
    meta = result["meta"]
    published = meta.get("published") or ""
    got_meta = {
        "kind": meta.get("kind"),
        "issuer": norm(meta.get("issuer")),
        "published": published[:len(gold["published"])] if gold["published"] else published or None,
    }
    want_meta = {"kind": gold["kind"], "issuer": norm(gold["issuer"]), "published": gold["published"]}
    assert got_meta == want_meta
    assert _found(result) == _expected(gold)
