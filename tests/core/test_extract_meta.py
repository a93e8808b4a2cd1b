import json

import pytest

from core.extract.meta import extract_meta, extract_outcomes, stated_counts
from tests.conftest import GOLD, needs_seeds, seed_paths

OPENING = (
    "根据市委巡察工作统一部署，2024年3月19日至4月30日，市委第二巡察组对区水务局党组进行了巡察，"
    "2024年6月27日，巡察组向区水务局党组反馈了巡察意见。现将整改进展情况予以公布。"
)
BODY = "一、巡察整改组织领导情况\n局党组高度重视整改工作。\n"


@needs_seeds
@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.name[:3])
def test_seed_meta_matches_gold(path):
    gold = json.loads((GOLD / (path.stem + ".json")).read_text(encoding="utf-8"))
    meta = extract_meta(path.read_text(encoding="utf-8"))
    for key in ("kind", "issuer", "published", "inspector", "feedback_date"):
        assert meta[key] == gold[key], key


def test_meta_has_exactly_the_contract_keys():
    assert set(extract_meta(OPENING)) == {
        "title", "kind", "issuer", "inspector", "round", "inspection_start", "inspection_end",
        "feedback_date", "published", "disclosure", "contact",
    }


def test_title_line_round_and_title_prefix_issuer():
    text = "中共某某县委关于十四届市委第三轮巡察整改进展情况的通报\n" + OPENING + "\n" + BODY
    meta = extract_meta(text)
    assert meta["title"] == "中共某某县委关于十四届市委第三轮巡察整改进展情况的通报"
    assert meta["round"] == "十四届市委第三轮"
    assert meta["issuer"] == "中共某某县委"  # no signature: the title's prefix
    assert meta["inspector"] == "市委第二巡察组"
    assert (meta["inspection_start"], meta["inspection_end"]) == ("2024-03-19", "2024-04-30")
    assert meta["feedback_date"] == "2024-06-27"


def test_title_hint_is_cleaned_of_site_suffix():
    meta = extract_meta(OPENING, title_hint="区水务局党组关于巡察整改进展情况的通报_某某区人民政府门户网站")
    assert meta["title"] == "区水务局党组关于巡察整改进展情况的通报"
    assert extract_meta(OPENING)["title"] is None


@pytest.mark.parametrize(
    "title, opening, kind",
    [
        ("中共某区委关于省委第五轮巡视联动巡察整改进展情况的通报",
         "根据市委统一部署，2023年11月25日至2024年1月19日，市委第一联动巡察组对某区进行了巡察。", "巡察"),
        ("中共某市委关于十二届省委第四轮巡视整改进展情况的通报",
         "根据省委统一部署，2023年7月17日至9月15日，省委第一巡视组对某市开展了巡视。", "巡视"),
        ("某市关于2023年度审计查出问题整改情况的报告", "根据审计法规定，现将审计整改情况报告如下。", "审计"),
        ("某省关于中央第三生态环境保护督察反馈意见整改情况的通报",
         "2023年11月，中央第三生态环境保护督察组对我省开展了第三轮督察。", "督察"),
        ("某局关于作风建设情况的通报", "现将作风建设情况通报如下。", "其他"),
    ],
)
def test_kind(title, opening, kind):
    assert extract_meta(f"{title}\n{opening}\n{BODY}")["kind"] == kind


def test_signature_gives_issuer_and_published_over_title_and_page_date():
    text = (
        "中共某县委关于巡视整改进展情况的通报\n时间：2025-04-29 18:39  来源：某某纪检监察网\n"
        + OPENING + "\n" + BODY + "欢迎监督。\n中共某县水务局党组\n二〇二四年七月十八日\n打印本页\n"
    )
    meta = extract_meta(text)
    assert meta["issuer"] == "中共某县水务局党组"
    assert meta["published"] == "2024-07-18"


def test_signature_before_an_attachment():
    rows = "".join(f"{i}.问题{i}不到位。\n整改情况：已完成整改{i}。\n" for i in range(1, 12))
    text = ("中共某县委关于巡察整改进展情况的通报\n" + OPENING + "\n" + BODY
            + "欢迎监督。联系电话：0719-8106215。\n中共某县人社局党组\n2024年12月12日\n"
            + "附件：整改落实情况表\n（一）贯彻落实方面\n" + rows)
    meta = extract_meta(text)
    assert (meta["issuer"], meta["published"]) == ("中共某县人社局党组", "2024-12-12")
    assert meta["contact"]["phone"] == ["0719-8106215"]


def test_page_date_when_no_signature_and_month_only_signature():
    header = "中共某县委关于巡察整改进展情况的通报\n时间：2025-04-29 18:39  来源：某某纪检监察网\n"
    assert extract_meta(header + OPENING + "\n" + BODY)["published"] == "2025-04-29"
    signed = "某某区工作委员会关于巡察整改进展情况的通报\n" + OPENING + "\n" + BODY + "某某区工作委员会\n2025年4月\n"
    assert extract_meta(signed)["published"] == "2025-04"


def test_source_line_counts_only_in_the_header_and_only_for_an_organisation():
    header_source = "巡察整改进展情况的通报\n2024-07-18 09:20\n来源：中共某某区委\n" + OPENING + "\n" + BODY
    assert extract_meta(header_source)["issuer"] == "中共某某区委"
    site_source = "巡察整改进展情况的通报\n来源：某某纪检监察网\n" + OPENING + "\n" + BODY
    assert extract_meta(site_source)["issuer"] is None
    trailing = OPENING + "\n" + BODY + "联系方式：电话027-85319490\n来源：某市经济和信息化局\n"
    meta = extract_meta(trailing)
    assert meta["issuer"] is None and meta["published"] is None


def test_month_only_inspection_and_feedback_with_year_carried():
    text = "根据工委巡察工作统一部署，工委第一巡察组于2024年3月至4月对区发展和改革局党组开展了专项巡察，并于6月反馈了巡察意见。\n"
    meta = extract_meta(text)
    assert (meta["inspection_start"], meta["inspection_end"], meta["feedback_date"]) == ("2024-03", "2024-04", "2024-06")
    assert meta["inspector"] == "工委第一巡察组" and meta["kind"] == "巡察"


def test_disclosure_resolves_years():
    same = OPENING + "\n公开期限：2024年7月18日至8月8日。\n"
    assert extract_meta(same)["disclosure"] == {"start": "2024-07-18", "end": "2024-08-08"}
    across = OPENING + "\n公开期限：2024年12月30日—1月20日。\n"
    assert extract_meta(across)["disclosure"] == {"start": "2024-12-30", "end": "2025-01-20"}
    assert extract_meta(OPENING)["disclosure"] is None


def test_contact():
    text = OPENING + (
        "\n欢迎监督。联系方式：电话027—85319490（工作日8:30-17:30），13912345678；电子邮箱：ab_c@126.com；"
        "邮政信箱：某省某市某路1号（邮编：241006）。\n"
    )
    assert extract_meta(text)["contact"] == {
        "phone": ["027-85319490", "13912345678"], "email": ["ab_c@126.com"], "address": "某省某市某路1号",
    }
    assert extract_meta(OPENING)["contact"] is None


SUMMARY = (
    "在巡视整改工作中，给予党纪处分2人（党内警告1人，党内严重警告1人）；诫勉3人；建立完善制度43项；"
    "清退款项12.6万元，挽回其他经济损失280万元。"
)


def test_outcomes_from_a_summary_sentence_with_spans():
    text = OPENING + "\n" + SUMMARY + "\n一是开展培训，建立学习制度2项。\n"
    outcomes = extract_outcomes(text)
    assert [(o["text"], o["quantity"], o["unit"]) for o in outcomes] == [
        ("给予党纪处分2人", 2, "人"), ("诫勉3人", 3, "人"), ("建立完善制度43项", 43, "项"),
        ("清退款项12.6万元", 12.6, "万元"), ("挽回其他经济损失280万元", 280, "万元"),
    ]
    for o in outcomes:
        assert text[o["span"][0]:o["span"][1]] == o["text"]


def test_outcomes_skip_lone_figures_and_repeats():
    assert extract_outcomes("一是开展培训，建立学习制度2项，召开会议5次。") == []
    twice = SUMMARY + "\n" + SUMMARY
    assert len(extract_outcomes(twice)) == 5


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("细化分解巡视组反馈的四方面10个问题，明确115项整改措施。", {"categories": 4, "problems": 10, "measures": 115}),
        ("对照巡察指出的问题，认真制定整改方案，制定一百六十项具体整改措施。", {"measures": 160}),
        ("巡察反馈的25个问题已完成19个。", {"problems": 25, "completed": 19}),
        ("巡视反馈问题共12个，目前12个问题已全部整改完成。", {"problems": 12, "completed": 12}),
        ("针对省评反馈的78项问题，制定8条整改措施。", {}),  # not about the inspection
        # an earlier round's problems are not this notice's
        ("局党组对照上轮巡察反馈的14个问题逐一“回头看”，对整改不彻底的3个问题重新制定整改措施。", {}),
        ("上一轮巡视反馈的9个问题已全部整改到位，本轮巡视反馈的12个问题已完成8个。",
         {"problems": 12, "completed": 8}),
        # counts of measures or of projects are not counts of problems completed
        ("截至2024年8月底，巡视反馈意见涉及的70条整改措施已完成64条，其余6条正在按计划推进。", {"measures": 70}),
        ("委托第三方机构开展竣工决算审计，已完成6个项目的竣工决算。", {}),
        ("审计发现的12个问题已全部整改，其中完成整改11个，部分整改1个。", {"problems": 12, "completed": 11}),
    ],
)
def test_stated_counts(sentence, expected):
    assert stated_counts(sentence) == expected


def test_pdf_layout_title_and_opening_broken_over_lines():
    text = (
        "中共某某县委关于十二届省委第四轮巡视\n整改进展情况的通报\n"
        "根据省委巡视工作统一部署，2023年7月17日至9月15日，省委第\n"
        "一巡视组对某某县开展了巡视，并于2023年11月2日反馈了巡视意见。\n" + BODY
    )
    meta = extract_meta(text)
    assert meta["title"] == "中共某某县委关于十二届省委第四轮巡视整改进展情况的通报"
    assert meta["inspector"] == "省委第一巡视组"
    assert meta["feedback_date"] == "2023-11-02"


def test_title_broken_over_two_lines_without_about():
    # No 关于 in either line: the long unpunctuated line above the titled one is its first part,
    # and the joined title names the kind; a site's name above a title is not taken along.
    opening = "为主动接受社会监督，现将有关整改情况公示如下，欢迎社会各界提出意见建议。\n"
    text = "平阳县贯彻落实第三轮省生态环境保护督察\n反馈意见整改情况公示\n" + opening + BODY
    meta = extract_meta(text)
    assert meta["title"] == "平阳县贯彻落实第三轮省生态环境保护督察反馈意见整改情况公示"
    assert meta["kind"] == "督察"
    text = "某某县人民政府门户网站\n县水务局巡察整改进展情况的通报\n" + OPENING + "\n" + BODY
    assert extract_meta(text)["title"] == "县水务局巡察整改进展情况的通报"


def test_opening_wrapped_at_thirty_characters_still_gives_the_feedback_date():
    # A PDF copy breaks every line at about 30 characters: the opening's first line is that short.
    text = (
        "某某县生态环境保护督察反馈意见整改情况公示\n"
        "2023年11月，第三轮省生态环境保护督察组对我县开展了为期\n"
        "一个月的督察，并于2024年2月6日向我县反馈了督察意见。为\n"
        "主动接受社会监督，现将督察反馈问题整改情况公示如下。\n" + BODY
    )
    assert extract_meta(text)["feedback_date"] == "2024-02-06"


def test_audit_office_is_the_inspector_and_its_report_date_the_feedback():
    text = (
        "青州市卫生健康局关于2023年度预算执行情况审计查出问题整改情况的公告\n"
        "根据《中华人民共和国审计法》有关规定，青州市审计局于2024年3月至5月对我局2023年度预算执行情况"
        "进行了审计，并于2024年6月18日出具了审计报告。现将整改情况公告如下：\n" + BODY
    )
    meta = extract_meta(text)
    assert (meta["inspector"], meta["feedback_date"], meta["kind"]) == ("青州市审计局", "2024-06-18", "审计")


def test_contact_on_several_lines_and_not_from_the_site_footer():
    text = (
        OPENING + "\n" + BODY + "欢迎广大干部群众对巡察整改落实情况进行监督。\n联系电话：0553-2881111\n"
        "电子邮箱：jz@163.com\n通信地址：某市某路1号\n中共某区工作委员会\n2025年4月3日\n"
        "主办单位：某区政府办公室 联系电话：0553-9999999\n"
    )
    assert extract_meta(text)["contact"] == {"phone": ["0553-2881111"], "email": ["jz@163.com"], "address": "某市某路1号"}


def test_unnumbered_inspector_and_feedback_year_from_the_inspection_end():
    text = "根据省委统一部署，2023年11月25日至2024年1月19日，省委巡视组对某县开展了巡视。4月11日，巡视组反馈了巡视意见。\n"
    meta = extract_meta(text)
    assert meta["inspector"] == "省委巡视组"
    assert meta["feedback_date"] == "2024-04-11"


def test_inspection_range_is_not_taken_for_the_feedback_date():
    text = "根据省委统一部署，2023年7月17日至9月15日，省委第一巡视组对某县开展了巡视，并反馈了巡视意见。\n"
    assert extract_meta(text)["feedback_date"] is None


@pytest.mark.parametrize("opening, inspector", [
    ("2024年5月6日至6月5日，湖北省第二生态环境保护督察组对我市开展了督察，并反馈了督察意见。", "湖北省第二生态环境保护督察组"),
    ("2024年5月，由广西壮族自治区第一生态环境保护督察组对我市开展了督察，并反馈了督察意见。",
     "广西壮族自治区第一生态环境保护督察组"),
    ("2023年11月，中央第三生态环境保护督察组对湖北省开展了督察，并反馈了督察意见。", "中央第三生态环境保护督察组"),
    ("2024年4月，湖北省委第五巡视组对我县开展了巡视，并反馈了巡视意见，现予通报。", "省委第五巡视组"),
])
def test_inspector_with_a_place_name(opening, inspector):
    assert extract_meta(opening + "\n")["inspector"] == inspector
