"""Genre fixtures: notices written after real ones, in layouts the five seeds do not show.

Each fixture tests/fixtures/genre/NN_name.txt has a gold annotation gold/NN_name.json in
the seed gold format (../shared/gold/). The extractor must reproduce, per problem, the
title, the measure count, the category and the group (compared after the same
normalisation as ../shared/tools/score.py), and the notice's kind, issuer and published
date (compared as score.py does).

Cases the extractor still gets wrong are listed in KNOWN_FAILING with what goes wrong;
they run as strict xfails, so a fix shows up as an XPASS failure until its entry is removed.
"""
import json
import re
from pathlib import Path

import pytest

from core.extract import extract_file

GENRE = Path(__file__).resolve().parent.parent / "fixtures" / "genre"
GOLD = GENRE / "gold"

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


def test_every_fixture_has_gold_and_known_failures_exist():
    notices = {p.stem for p in GENRE.glob("*.txt")}
    golds = {p.stem for p in GOLD.glob("*.json")}
    assert len(notices) >= 10
    assert notices == golds
    assert set(_REASONS) <= golds
    for name in golds:
        gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
        assert gold["file"] == f"{name}.txt"
        assert 3 <= len(gold["problems"]) <= 15


@pytest.mark.parametrize("name", list(_cases()))
def test_genre_notice(name):
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
    result = extract_file(GENRE / gold["file"])
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
