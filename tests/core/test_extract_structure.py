"""Numbering marks, the seeds against their gold annotations, and the assembled contract."""
import json
import re

import pytest

from core.extract import extract, extract_file
from core.extract.numbering import cn_value, heading_marker, inline_items
from core.extract.structure import parse
from tests.conftest import GOLD, SEEDS, needs_seeds

PUNCT = re.compile(r"[\s“”‘’\"'（）()，,。.、：:；;！!？?·\-—…]")


def norm(s):
    return PUNCT.sub("", s or "")


@pytest.mark.parametrize("numeral, value", [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20),
                                            ("二十三", 23), ("九十九", 99)])
def test_cn_value(numeral, value):
    assert cn_value(numeral) == value


@pytest.mark.parametrize("para, style, value, printed, rest", [
    ("一、巡察整改组织领导情况", "cn", 1, "一", "巡察"),
    ("十二、关于", "cn", 12, "十二", "关于"),
    ("（三）强化", "pcn", 3, "（三）", "强化"),
    ("(3)强化", "par", 3, "(3)", "强化"),
    ("12. 关于", "ar", 12, "12", "关于"),
    ("12．关于", "ar", 12, "12", "关于"),
    ("3、关于", "ar", 3, "3", "关于"),
    ("⑤加强", "circ", 5, "⑤", "加强"),
    ("第二，加强", "di", 2, "第二", "加强"),
    ("第一项：罗田县", "di", 1, "第一项", "罗田县"),
    ("第十二条 加强", "di", 12, "第十二条", "加强"),
    ("问题1：鄂州市", "wt", 1, "问题1", "鄂州市"),
    ("问题十一、部分", "wt", 11, "问题十一", "部分"),
    ("反馈问题 3. 部分", "wt", 3, "反馈问题 3", "部分"),
    ("二十三、关于", "cn", 23, "二十三", "关于"),
    ("１２．关于", "ar", 12, "１２", "关于"),
    ("第一个问题：推进", "di", 1, "第一个问题", "推进"),
    ("第三问题、推进", "di", 3, "第三问题", "推进"),
    ("1.2023年，医院", "ar", 1, "1", "2023年"),
    ("1.5万人次", "ar", 1, "1", "5万"),  # decimal: a heading only where it continues a run (structure)
    ("【粮食生产责任落实不够到位】", "brk", 0, "", "粮食生产"),
])
def test_heading_marker(para, style, value, printed, rest):
    m = heading_marker(para, 0, len(para))
    assert (m.style, m.value, m.printed) == (style, value, printed)
    assert para[m.end:].startswith(rest)
    assert m.decimal == (para[m.end:m.end + 1].isdigit() and style == "ar")


@pytest.mark.parametrize("para", ["2024年7月", "1-10月，全市", "一二三", "第一议题制度", "12.", "统一是",
                                  "第一项工作是", "问题清单1份", "问题1",
                                  "【打印】", "【粮食生产】责任落实不到位", "【发布时间：2024-12-03】", "【整改落实情况】", "第一个问题是"])
def test_not_a_heading(para):
    assert heading_marker(para, 0, len(para)) is None


def test_inline_items_need_a_boundary_and_a_run():
    text = "前言，一是甲。统一是假的。二是乙；三是丙"
    items = inline_items(text, 0, len(text))
    assert [(m.value, text[m.end]) for m in items] == [(1, "甲"), (2, "乙"), (3, "丙")]
    assert inline_items("只有一是这一个", 0, 7) == []


def test_inline_arabic_items_skip_decimals_and_dates():
    text = "整改情况：1.将甲列入计划，增长2.5万元；2.举办乙；3、组织丙。截至2024.12.31，第1.5项"
    items = inline_items(text, 0, len(text))
    assert [(m.style, m.value, text[m.end]) for m in items] == [("ar", 1, "将"), ("ar", 2, "举"), ("ar", 3, "组")]
    text = "增长1.2023年；完成3.5亿元，第1.5项。"
    assert inline_items(text, 0, len(text)) == []


def test_a_nested_run_is_not_part_of_the_outer_run():
    text = "一是甲。整改情况：一是甲一；二是甲二。\n二是乙。整改情况：一是乙一；三是乙三。\n三是丙。"
    items = inline_items(text, 0, len(text))
    assert [(m.value, text[m.end]) for m in items] == [(1, "甲"), (2, "乙"), (3, "丙")]


def test_inline_items_tolerate_one_skipped_number():
    text = "一是甲。二是乙。四是丁。"
    assert [m.value for m in inline_items(text, 0, len(text))] == [1, 2, 4]


def _seed_cases():
    for gold_path in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        yield pytest.param(gold, id=gold["file"])


@needs_seeds
@pytest.mark.parametrize("gold", list(_seed_cases()))
def test_seed_structure_matches_gold(gold):
    text = (SEEDS / gold["file"]).read_text(encoding="utf-8")
    st = parse(text)
    assert [norm(p.title) for p in st.problems] == [norm(g["title"]) for g in gold["problems"]]
    assert [len(p.measures) for p in st.problems] == [g["measures"] for g in gold["problems"]]
    assert [norm(p.category) for p in st.problems] == [norm(g["category"]) for g in gold["problems"]]
    assert [norm(p.group) for p in st.problems] == [norm(g["group"]) for g in gold["problems"]]
    for p in st.problems:
        assert norm(p.title)[:12] in norm(text[p.span[0]:p.span[1]])
        for m in p.measures:
            assert m.text == text[m.span[0]:m.span[1]]


SMALL = (
    "中共某某区委关于巡察整改进展情况的通报\n"
    "根据区委统一部署，区委第一巡察组对某某局开展了巡察，反馈问题3个。\n"
    "二、巡察反馈问题整改情况\n"
    "1.关于“学习不深入”的问题\n整改情况：一是已完成补学。二是已完成学习制度修订。\n"
    "2.关于“宣传不到位”的问题\n整改情况：正在推进宣传专栏建设，2024年6月底前完成。\n"
    "中共某某局党组\n2024年7月18日\n"
)


def test_extract_assembles_the_contract():
    result = extract(SMALL)
    assert set(result) >= {"text", "source", "meta", "warnings", "outcomes", "problems"}
    assert result["text"] == SMALL
    assert result["source"]["format"] == "text" and len(result["source"]["sha256"]) == 64
    first, second = result["problems"]
    assert first["status"] == "已完成" and second["status"] == "推进中"
    assert second["deadline"] == "2024-06-30"
    assert set(first["measures"][0]) >= {"seq", "text", "span", "status", "units", "dates", "quantities"}
    assert first["title_span"] == [SMALL.index("学习不深入"), SMALL.index("学习不深入") + 5]
    json.dumps(result, ensure_ascii=False)


def test_self_check_warns_and_lowers_confidence():
    result = extract(SMALL)
    assert "通报称反馈问题3个，识别出2个" in result["warnings"]
    plain = extract(SMALL.replace("反馈问题3个", "反馈问题2个"))
    assert not any("通报称" in w for w in plain["warnings"])
    assert result["problems"][0]["confidence"] < plain["problems"][0]["confidence"]


def test_confidence_lower_without_measures_or_with_odd_title():
    text = SMALL.replace("整改情况：正在推进宣传专栏建设，2024年6月底前完成。\n", "")
    result = extract(text.replace("反馈问题3个", "反馈问题2个"))
    good, bare = result["problems"]
    assert bare["measures"] == [] and bare["confidence"] < good["confidence"]
    assert any("未识别出整改措施" in w for w in result["warnings"])
    long_title = extract(SMALL.replace("学习不深入", "学" * 70))["problems"][0]
    assert long_title["confidence"] < good["confidence"]


def test_no_problems_is_a_warning_not_an_error():
    result = extract("这是一段与整改无关的文字。")
    assert result["problems"] == [] and result["warnings"]


def test_extract_file_reads_through_ingest(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes(SMALL.encode("gb18030"))
    result = extract_file(path)
    assert result["source"]["format"] == "txt" and result["source"]["encoding"] == "gb18030"
    assert [p["title"] for p in result["problems"]] == ["学习不深入", "宣传不到位"]
