"""Genre fixtures: notices written after real ones, in layouts and formats the five seeds do not show.

- tests/fixtures/genre/NN_name.txt: plain-text notices of many kinds and layouts;
- tests/fixtures/genre_files/NN_name.{html,docx,pdf}: the formats users really have, written by
  tests/fixtures/genre_files/make_fixtures.py (deterministic, committed with its output);
- tests/fixtures/blind/wN_*.{txt,html}: notices written blind (by writers who had not read the
  extractor) for issue 12, long ones among them; README_wN.md lists what each one covers;
- tests/fixtures/blind3/w3_*.txt: a third blind batch (第N条/第N项/【问题N】 labels, a web table
  copied one cell a line); README_w3.md lists what each one covers;
- tests/fixtures/blind4/w4_*.{txt,html}: a fourth blind batch (a WeChat copy with emoji and bold
  “…” headings, audit codes （1-1）, 第一个问题：, a PDF copy with hard line breaks, tasks shared out
  by lead department); README_w4.md lists what each one covers.

Each has a gold annotation gold/NN_name.json in the seed gold format (../shared/gold/). The
extractor, run on the file through core.extract.extract_file, must reproduce per problem the
title, the measure count, the category and the group (compared after the same normalisation as
../shared/tools/score.py), and the notice's kind, issuer and published date (compared as
score.py does).

Cases the extractor still gets wrong go in KNOWN_FAILING ((folder, name), reason) and run as
strict xfails, so a fix shows up as an XPASS failure until its entry is removed.
"""
import json
import re
from pathlib import Path

import pytest

from core.extract import extract_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FOLDERS = {"genre": (".txt",), "genre_files": (".html", ".htm", ".docx", ".pdf"), "blind": (".txt", ".html"),
           "blind3": (".txt",), "blind4": (".txt", ".html")}
MAX_PROBLEMS = {"blind": 40, "blind3": 40, "blind4": 40}  # the blind sets hold complete long notices
MIN_NOTICES = {"blind3": 8, "blind4": 8}

# The same normalisation as norm() in ../shared/tools/score.py.
_PUNCT = re.compile(r"[\s“”‘’\"'「」『』《》〈〉（）()【】\[\]，,。.、：:；;！!？?·\-—…]")


def norm(s):
    return _PUNCT.sub("", s or "")


KNOWN_FAILING: list[tuple[tuple[str, str], str]] = [
]
_REASONS = dict(KNOWN_FAILING)


def _cases():
    for folder in FOLDERS:
        for path in sorted((FIXTURES / folder / "gold").glob("*.json")):
            key = (folder, path.stem)
            marks = [pytest.mark.xfail(strict=True, reason=_REASONS[key])] if key in _REASONS else []
            yield pytest.param(folder, path.stem, marks=marks, id=f"{folder}/{path.stem}")


def _expected(gold):
    return [(norm(p["title"]), p["measures"], norm(p["category"]), norm(p["group"])) for p in gold["problems"]]


def _found(result):
    return [(norm(p["title"]), len(p["measures"]), norm(p["category"]), norm(p["group"]))
            for p in result["problems"]]


@pytest.mark.parametrize("folder", list(FOLDERS))
def test_every_fixture_has_gold(folder):
    notices = {p.stem: p.suffix for p in (FIXTURES / folder).iterdir() if p.suffix in FOLDERS[folder]}
    golds = {p.stem for p in (FIXTURES / folder / "gold").glob("*.json")}
    assert len(notices) >= MIN_NOTICES.get(folder, 10)
    assert set(notices) == golds
    assert {name for f, name in _REASONS if f == folder} <= golds
    for name in golds:
        gold = json.loads((FIXTURES / folder / "gold" / f"{name}.json").read_text(encoding="utf-8"))
        assert gold["file"] == f"{name}{notices[name]}"
        assert 3 <= len(gold["problems"]) <= MAX_PROBLEMS.get(folder, 15)


def test_format_fixtures_cover_web_pages_word_and_pdf():
    suffixes = {p.suffix for p in (FIXTURES / "genre_files").iterdir()}
    assert {".html", ".docx", ".pdf"} <= suffixes


@pytest.mark.parametrize("folder, name", list(_cases()))
def test_genre_notice(folder, name):
    gold = json.loads((FIXTURES / folder / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    result = extract_file(FIXTURES / folder / gold["file"])
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
