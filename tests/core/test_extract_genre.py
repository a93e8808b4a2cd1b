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


KNOWN_FAILING = [
    ("06_jiedao_cunzaiwenti",
     "(a) problem 3 ('整改措施：' then paragraphs ①②③, then '整改成效：…') is lost and ①②③ come out as "
     "three problems: the 整改成效 paragraph is attached to node ③, MEASURE_LABEL_RE makes ③.has_items "
     "true, so _is_container(problem 3) is true; (b) the title of '1.存在问题：落实意识形态工作责任制不到位，"
     "对辖区内宣传阵地管理不严格；党工委理论学习中心组专题研讨不够深入。' is cut at '；' (_TITLE_END_RE)"),
    ("09_sanji_fangmian",
     "category/group shifted: the 方面 headings '一、关于贯彻落实…方面存在的问题' match _SECTION_RE (问题), "
     "so _find_problems treats them as section headings and drops them from the chain; the group "
     "'（一）学习贯彻…不够深入' becomes the category, group is None, and items of 方面 三 (no group) get "
     "category None; titles and measure counts are right"),
    ("10_gaoxiao_tongji",
     "three extra problems: '一、巡视整改工作总体进展情况' matches _SECTION_RE (进展) and not _NOT_SECTION_RE, "
     "so its paragraphs '（一）提高政治站位，压紧压实整改责任。…' '（二）…' '（三）…' are collected as problems"),
    ("11_wangye_chrome",
     "three extra problems: the closing plan heading '三、持续抓好整改落实，巩固深化整改成果' matches "
     "_SECTION_RE (整改落实), so its items '（一）压实整改责任。' '（二）健全长效机制。' '（三）强化成果运用。' "
     "are collected as problems; the web chrome itself is handled"),
]
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
