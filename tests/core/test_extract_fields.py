import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.extract.fields import (
    cn_to_number, iter_dates, measure_fields, problem_fields, quantities, rollup_status, stated_status, units,
)


@pytest.mark.parametrize(
    "text, number",
    [("12", 12), ("12.6", 12.6), ("十", 10), ("十五", 15), ("四十三", 43), ("一百六十", 160),
     ("一百零五", 105), ("两千", 2000), ("二〇二四", 2024), ("三万五千", 35000), ("abc", None)],
)
def test_cn_to_number(text, number):
    assert cn_to_number(text) == number


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_written_dates_round_trip(day):
    text = f"于{day.year}年{day.month}月{day.day}日召开"
    assert [iso for iso, _, _ in iter_dates(text)] == [day.isoformat()]


@pytest.mark.parametrize(
    "text, year, dates",
    [
        ("7月17日召开会议", 2024, ["2024-07-17"]),
        ("7月17日召开会议", None, []),  # no year anywhere: not a date we can place
        ("2023年11月25日至2024年1月19日", None, ["2023-11-25", "2024-01-19"]),
        ("2023年7月17日至9月15日", 2024, ["2023-07-17", "2023-09-15"]),  # the year carries
        ("2024年3月启动", None, ["2024-03"]),
        ("2023年底前完成", None, ["2023-12-31"]),
        ("年底前完成", 2024, ["2024-12-31"]),
        ("2月底前完成", 2024, ["2024-02-29"]),
        ("二〇二四年七月十八日", None, ["2024-07-18"]),
        ("时间：2025-04-29 18:39", None, ["2025-04-29"]),
        ("2月30日", 2024, []),  # impossible day
        ("规划(2024-2027)", None, []),
        ("２０２４年１２月１８日", None, ["2024-12-18"]),  # full-width digits
        ("于２０２４．６．２８反馈", None, ["2024-06-28"]),
    ],
)
def test_iter_dates(text, year, dates):
    assert [iso for iso, _, _ in iter_dates(text, year)] == dates


@pytest.mark.parametrize(
    "text, status",
    [
        ("已完成84处雨污混错接点改造。", "已完成"),
        ("问题已整改到位。", "已完成"),
        ("已完成一期工程，二期正在加快建设。", "推进中"),  # in-progress wins over done
        ("稳步推进老旧小区改造。", "推进中"),
        ("建立长效机制，常态化开展检查。", "长期坚持"),
        ("已全部办结，并建立长效机制。", "已完成"),  # done wins over long-term
        ("组织召开专题会议。", None),
    ],
)
def test_status(text, status):
    assert measure_fields(text)["status"] == status


def test_units_from_the_genre():
    text = "7月17日，组织生态环境分局、水务局、科创局等31个部门召开专题会议。主动对接党政办督查室。与区经信局保持沟通。"
    assert units(text) == ["生态环境分局", "水务局", "科创局", "党政办督查室", "区经信局"]


def test_units_join_names_with_he_but_not_lists():
    assert units("由区发展和改革局牵头，市住房和城乡建设局配合。") == ["区发展和改革局", "市住房和城乡建设局"]
    assert units("完善机制和党组制度，水务局和科创局参加。") == ["水务局", "科创局"]


def test_units_avoid_junk():
    text = (
        "召开局党组理论学习中心组2024年第3次学习(扩大)会议，服务新发展格局，"
        "党员干部落到实处，由局领导带队，召开座谈会，推动工作落到实处。"
    )
    assert units(text) == []


def test_quantities():
    assert quantities("开展活动611场，排查3420个，清退12.6万元，完成率77.27%，办证40余万平方米，第3次会议") == [
        {"text": "611场", "quantity": 611, "unit": "场"},
        {"text": "3420个", "quantity": 3420, "unit": "个"},
        {"text": "12.6万元", "quantity": 12.6, "unit": "万元"},
        {"text": "77.27%", "quantity": 77.27, "unit": "%"},
        {"text": "40余万平方米", "quantity": 40, "unit": "万平方米"},
    ]


def test_measure_fields_shape():
    fields = measure_fields("7月17日，组织水务局召开会议，已完成整治12处。", year=2024)
    assert fields == {
        "status": "已完成", "units": ["水务局"], "dates": ["2024-07-17"],
        "quantities": [{"text": "12处", "quantity": 12, "unit": "处"}],
    }


@pytest.mark.parametrize(
    "text, year, rectify_type, deadline",
    [
        ("整改类型：立行立改。", 2024, "立行立改", None),
        ("限期整改，6月底前完成。", 2024, "限期整改", "2024-06-30"),
        ("年底前完成清理，并长期坚持。", 2024, "长期坚持", "2024-12-31"),
        ("2024年12月31日前全部整改到位。", None, None, "2024-12-31"),
        ("限期于2024年9月完成。", None, "限期整改", "2024-09"),
        ("2023年7月召开会议，持续整改。", None, "长期坚持", None),  # a past date is no deadline
        ("6月底前完成。", None, None, None),  # no year to place it
    ],
)
def test_problem_fields(text, year, rectify_type, deadline):
    assert problem_fields(text, year=year) == {"rectify_type": rectify_type, "deadline": deadline}


@pytest.mark.parametrize(
    "statuses, status",
    [
        (["已完成", "已完成"], "已完成"),
        (["已完成", "推进中", "长期坚持"], "推进中"),
        (["已完成", "长期坚持"], "长期坚持"),
        (["已完成", None], None),
        ([None, "长期坚持"], "长期坚持"),
        ([], None),
    ],
)
def test_rollup_status(statuses, status):
    assert rollup_status(statuses) == status


def test_full_width_date_spans_index_the_original_text():
    text = "截至２０２４年１１月底，已完成"
    [(iso, start, end)] = list(iter_dates(text))
    assert iso == "2024-11-30" and text[start:end] == "２０２４年１１月底"


@pytest.mark.parametrize("text, status", [
    ("整改措施：一是扩建。\n整改进展：已完成主体施工。\n整改状态：正在推进", "推进中"),
    ("整改状态：整改完成", "已完成"),
    ("二是依法查处。三是建立网格化监管机制。该项整改已完成。", "已完成"),
    ("一是全面排查，已完成8家。该问题正在加快推进。", "推进中"),
    ("该局已完成改造。", None),  # 该 names an organisation, not the problem
    ("一是已完成排查。", None),
    # a status line after the measures: the label's first sentence, or its first clause
    ("整改措施：\n①开展排查。\n整改进展：持续推进。已完成阶段性任务。", "推进中"),
    ("1．修订制度。\n【整改结果】阶段性完成，需长期坚持。", "长期坚持"),
    ("整改措施：一是补办手续。\n整改完成情况：已完成整改，相关项目已补办用地手续。", "已完成"),
    ("整改措施：一是排查。\n完成情况：基本完成，持续推进。", "推进中"),
    ("整改进展情况：已完成。\n整改措施：\n1．开展管网排查。", "已完成"),
    # a measure written under a progress label is no status line
    ("整改进展：一是对全市12个在建项目开展排查，已完成整改8个，持续跟踪剩余项目。", None),
    ("整改进展：已完成主体施工的项目由住建局牵头逐一验收，验收不合格的限期返工。", None),
])
def test_stated_status(text, status):
    assert stated_status(text) == status
