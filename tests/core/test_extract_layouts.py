"""One small notice per layout variant of the genre; each checks problems, measures and spans."""
import pytest

from core.extract.structure import parse

OPENING = "根据市委巡察工作统一部署，市委第一巡察组对我局党组开展了巡察，并反馈了巡察意见。现将整改进展情况予以公布。\n"
PREAMBLE = "一、巡察整改组织领导情况\n局党组高度重视，成立整改工作领导小组。一是压实责任。二是细化方案。\n"
CLOSING = (
    "三、下一步工作打算\n一是持续深化整改。二是巩固整改成果。\n"
    "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：027-12345678。\n"
    "中共某某市某某局党组\n2024年12月28日\n主办单位：某某市人民政府办公厅\n"
)


def notice(body: str) -> str:
    return OPENING + PREAMBLE + body + CLOSING


def shape(text: str):
    """(title, measure count) per problem, after checking every span against the text."""
    st = parse(text)
    for p in st.problems:
        s, e = p.span
        ts, te = p.title_span
        assert 0 <= s <= ts <= te <= e <= len(text)
        assert text[ts:te] == p.title
        for m in p.measures:
            a, b = m.span
            assert s <= a < b <= e
            assert text[a:b] == m.text
    return [(p.title, len(p.measures)) for p in st.problems]


def test_numbered_about_items_with_inline_measures():
    text = notice(
        "二、巡察反馈问题整改情况\n"
        "1.关于“对先行区建设学习研究不够深入”的问题\n"
        "整改情况:一是召开党组会议专题研究。二是组织全局干部学习规划纲要。三是纳入年度重点任务清单。\n"
        "2.关于“内控保密制度未严格落实”的问题\n"
        "整改情况:一是提高认识。二是修改完善保密制度。\n"
    )
    assert shape(text) == [("对先行区建设学习研究不够深入", 3), ("内控保密制度未严格落实", 2)]
    st = parse(text)
    assert st.problems[0].number == "1"
    assert st.problems[0].measures[1].text == "组织全局干部学习规划纲要。"
    first = st.problems[0]
    assert text[first.span[0]:first.span[1]].startswith("1.关于“对先行区")
    assert text[first.span[0]:first.span[1]].endswith("纳入年度重点任务清单。")


def test_top_level_about_items_with_paragraph_measures():
    text = (
        OPENING
        + "一、关于“学懂弄通存在差距”问题的整改情况\n"
        "（一）提高政治站位，推动高质量发展。召开专题会议。\n"
        "（二）优化开放合作，打造开放平台。制定行动方案。\n"
        "二、关于“营商环境存在短板，服务市场主体还有不足”的问题整改情况\n"
        "一是深入学习党章。二是召开专题民主生活会。三是完善议事规则。\n"
        "三、关于“履行整改主体责任不够到位”问题的整改情况\n"
        "召开党工委会议专题学习，对整改工作负总责。\n"
        "下一步，党工委将深化整改落实。一是提高站位。二是持续抓整改。\n"
    )
    assert shape(text) == [
        ("学懂弄通存在差距", 2), ("营商环境存在短板，服务市场主体还有不足", 3), ("履行整改主体责任不够到位", 1),
    ]
    st = parse(text)
    assert [p.number for p in st.problems] == ["一", "二", "三"]
    assert st.problems[0].measures[0].text.startswith("提高政治站位")
    assert "下一步" not in text[st.problems[-1].span[0]:st.problems[-1].span[1]]


def test_three_levels_category_group_item():
    text = (
        OPENING
        + "一、提高政治站位，坚决扛起整改政治责任\n江北新区党工委坚持以习近平新时代中国特色社会主义思想凝心铸魂。\n"
        "（一）提高政治站位，扛牢主体责任。成立整改领导小组。\n（二）强化以上率下，统筹推进实施。主要负责人靠前抓。\n"
        "二、坚持问题导向，全面推进整改落地落细\n"
        "（一）贯彻落实党中央重大决策部署方面\n"
        "1.坚持学懂弄通做实\n"
        "（1）强化党的创新理论武装。一是严格落实中心组学习制度。二是开展专题研讨。\n"
        "（2）全面推进改革落地见效。一是强化理论学习。二是完善体制。三是优化流程。\n"
        "2.强化新区全域统筹调度\n"
        "（3）统筹推进新区建设。一是发挥领导小组作用。二是建立调度机制。\n"
        "（二）落实全面从严治党“两个责任”方面\n"
        "3.不断强化压力传导\n"
        "（4）严格落实主体责任。一是制定责任清单。二是开展约谈。\n"
        "三、注重成果转化，强化担当作为，巩固提升整改实际成效\n"
        "（一）持续抓好理论武装，强化政治引领。持续深学细悟。\n"
    )
    st = parse(text)
    assert [(p.title, len(p.measures), p.category, p.group, p.number) for p in st.problems] == [
        ("强化党的创新理论武装", 2, "贯彻落实党中央重大决策部署方面", "坚持学懂弄通做实", "（1）"),
        ("全面推进改革落地见效", 3, "贯彻落实党中央重大决策部署方面", "坚持学懂弄通做实", "（2）"),
        ("统筹推进新区建设", 2, "贯彻落实党中央重大决策部署方面", "强化新区全域统筹调度", "（3）"),
        ("严格落实主体责任", 2, "落实全面从严治党“两个责任”方面", "不断强化压力传导", "（4）"),
    ]
    shape(text)


def test_two_levels_category_then_items():
    text = notice(
        "二、巡察反馈问题整改落实情况\n"
        "（一）关于政治建设方面存在的问题\n"
        "1.关于“理论学习不深入”的问题\n整改情况：一是建立学习制度。二是开展专题学习。\n"
        "（二）关于党的建设方面\n"
        "2.关于“基层党建薄弱”的问题\n整改情况：完成支部标准化建设。\n"
    )
    st = parse(text)
    assert [(p.title, len(p.measures), p.category, p.group) for p in st.problems] == [
        ("理论学习不深入", 2, "关于政治建设方面", None),
        ("基层党建薄弱", 1, "关于党的建设方面", None),
    ]


@pytest.mark.parametrize("marks", [
    ["1、", "2、"], ["1.", "2."], ["1．", "2．"], ["(1)", "(2)"], ["（1）", "（2）"], ["①", "②"], ["第一、", "第二、"],
])
def test_numbering_styles(marks):
    text = notice(
        "二、巡察反馈问题整改情况\n"
        f"{marks[0]}关于“问题甲不到位”的问题\n整改情况：一是甲一。二是甲二。\n"
        f"{marks[1]}关于“问题乙不到位”的问题\n整改情况：已完成乙整改。\n"
    )
    assert shape(text) == [("问题甲不到位", 2), ("问题乙不到位", 1)]
    assert parse(text).problems[1].number == marks[1].rstrip("、.．")


def test_chinese_numerals_past_ten():
    numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
                "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三"]
    items = "".join(f"{n}、关于“第{i}个问题未整改”问题的整改情况\n已完成第{i}项整改。\n"
                    for i, n in enumerate(numerals, 1))
    st = parse(OPENING + items)
    assert [p.number for p in st.problems] == numerals
    assert [p.title for p in st.problems] == [f"第{i}个问题未整改" for i in range(1, 24)]
    assert all(len(p.measures) == 1 for p in st.problems)


def test_measures_as_paragraphs_starting_with_yi_shi():
    text = notice(
        "二、整改进展情况\n"
        "1.关于“统筹协调不够”的问题\n整改情况：\n一是加大协调力度。\n二是建立例会制度。\n三是强化督办。\n"
        "2.关于“宣传不到位”的问题\n整改情况：开设宣传专栏。\n"
    )
    assert shape(text) == [("统筹协调不够", 3), ("宣传不到位", 1)]


@pytest.mark.parametrize("measures", [
    "（1）建立台账。\n（2）逐项销号。\n（3）开展回头看。\n",
    "整改措施：(1)建立台账；(2)逐项销号；(3)开展回头看。\n",
    "整改措施：①建立台账；②逐项销号；③开展回头看。\n",
    "整改措施：1.建立台账，涉及1.5万元；2.逐项销号；3.开展回头看。\n",
])
def test_numbered_measures_inside_a_problem(measures):
    text = notice(
        "二、整改落实情况\n"
        f"1.关于“台账管理不规范”的问题\n{measures}"
        "2.关于“宣传不到位”的问题\n整改情况：开设宣传专栏。\n"
    )
    assert shape(text) == [("台账管理不规范", 3), ("宣传不到位", 1)]
    assert parse(text).problems[0].measures[1].text.startswith("逐项销号")


@pytest.mark.parametrize("label", ["整改情况", "整改措施", "整改进展", "整改成效", "整改落实情况"])
def test_measure_labels(label):
    text = notice(
        "二、整改情况\n"
        f"1.关于“会议制度落实不严”的问题\n{label}：一是修订会议制度。二是开展专项检查。\n"
        f"2.关于“宣传不到位”的问题\n{label}：开设宣传专栏。\n"
    )
    st = parse(text)
    assert shape(text) == [("会议制度落实不严", 2), ("宣传不到位", 1)]
    assert st.problems[1].measures[0].text == "开设宣传专栏。"


@pytest.mark.parametrize("problem_label", ["问题", "存在问题"])
def test_problem_text_before_measure_label(problem_label):
    text = notice(
        "二、巡察反馈问题整改情况\n"
        f"（一）{problem_label}：党建工作责任落实不到位。\n"
        "整改措施：一是压实责任。二是建立清单。\n"
        f"（二）{problem_label}：干部队伍建设统筹不够。\n"
        "整改措施：制定干部队伍建设规划。\n"
    )
    st = parse(text)
    assert shape(text) == [("党建工作责任落实不到位", 2), ("干部队伍建设统筹不够", 1)]
    assert all("党建工作责任" not in m.text for m in st.problems[0].measures)


def test_unenumerated_text_over_several_paragraphs_is_one_measure():
    text = notice(
        "二、巡察整改任务落实情况\n"
        "1.关于“饮水安全存在短板”问题\n"
        "整改情况：已将北部主供水管网纳入改造。\n同时加快工程进度。\n目前已完成总工程量的八成。\n"
        "2.关于“重大项目推进缓慢”问题\n整改情况：远东电气已开工。\n"
    )
    st = parse(text)
    assert shape(text) == [("饮水安全存在短板", 1), ("重大项目推进缓慢", 1)]
    measure = st.problems[0].measures[0].text
    assert measure.startswith("已将北部") and measure.endswith("八成。")


def test_introduction_belongs_to_the_first_measure():
    text = notice(
        "二、整改情况\n"
        "1.关于“社区治理成效不明显”问题\n"
        "整改情况：区委坚持问题导向，开展提升行动，一是完成机构调整。二是调整社区网格。\n"
    )
    st = parse(text)
    assert shape(text) == [("社区治理成效不明显", 2)]
    assert st.problems[0].measures[0].text == "区委坚持问题导向，开展提升行动，一是完成机构调整。"


def test_titles_keep_inner_quotes_and_drop_wrappers():
    text = notice(
        "二、整改情况\n"
        "1.关于“‘应收账款管理不善’清理不彻底”整改不积极的问题\n整改情况：逐笔清理。\n"
        "2.关于“在解决功能错位问题上成效不明显”问题\n整改情况：完成调整。\n"
        "3.关于干部作风不实的问题\n整改情况：开展专项整治。\n"
        "4.“宣传不到位”问题：已开设专栏。\n"
        "5.会风文风不实问题整改情况\n整改措施：精简会议。\n"
        "6.关于“学习不深入”的问题。整改情况：一是补学。二是研讨。\n"
        "7.关于上轮巡察反馈问题整改不彻底的问题\n整改情况：逐项回头看。\n"
        "8.关于资金管理不规范问题，已追回资金。\n"
    )
    assert shape(text) == [
        ("“‘应收账款管理不善’清理不彻底”整改不积极", 1), ("在解决功能错位问题上成效不明显", 1), ("干部作风不实", 1),
        ("宣传不到位", 1), ("会风文风不实", 1), ("学习不深入", 2), ("上轮巡察反馈问题整改不彻底", 1),
        ("资金管理不规范", 1),
    ]


def test_about_wrappers_around_quotations_inside_the_title():
    text = notice(
        "二、整改情况\n"
        "1.关于科技自立自强“关键核心技术攻关”推进不够有力的问题。\n整改情况：一是部署攻关。二是加大投入。\n"
        "2.关于人居环境整治不够有力，部分村庄“脏乱差”问题反弹的问题\n整改进展：开展清洁行动。\n"
        "3.关于落实《党组工作条例》不到位的问题\n整改情况：修订议事规则。\n"
        "4.关于‘三重一大’决策制度执行不严问题\n整改情况：完善决策清单。\n"
    )
    assert shape(text) == [
        ("科技自立自强“关键核心技术攻关”推进不够有力", 2), ("人居环境整治不够有力，部分村庄“脏乱差”问题反弹", 1),
        ("落实《党组工作条例》不到位", 1), ("‘三重一大’决策制度执行不严", 1),
    ]


def test_headings_numbered_on_from_about_items_are_problems():
    text = (
        OPENING + PREAMBLE
        + "二、落实《基层组织工作条例》不到位\n整改措施：①修订议事规则；②开展专项督查。\n"
        "三、关于“课程思政推进缓慢”的问题\n整改措施：出台实施方案。\n"
        "四、巩固拓展脱贫攻坚成果责任落实不到位\n整改进展：1.开展集中排查；2.建立比对机制。\n"
        "五、关于落实“两个责任”存在温差落差的问题\n整改情况：一是修订责任清单。二是约谈书记。\n"
        "六、科研经费管理不规范\n一是修订管理办法。二是全面清查经费。\n"
        "七、其他需要说明的情况\n无。\n"
        "八、下一步工作打算\n一是持续深化整改。二是巩固整改成果。\n"
        "中共某某市某某局党组\n2024年12月28日\n"
    )
    assert shape(text) == [
        ("落实《基层组织工作条例》不到位", 2), ("课程思政推进缓慢", 1), ("巩固拓展脱贫攻坚成果责任落实不到位", 2),
        ("落实“两个责任”存在温差落差", 2), ("科研经费管理不规范", 2),
    ]


def test_preamble_plans_contact_and_signature_are_not_problems():
    text = notice(
        "二、巡察反馈问题整改情况\n1.关于“学习不深入”的问题\n整改情况：一是补学。二是研讨。\n"
    )
    st = parse(text)
    assert shape(text) == [("学习不深入", 2)]
    body = text[st.problems[0].span[0]:st.problems[0].span[1]]
    assert "下一步" not in body and "欢迎" not in body


def test_section_found_by_its_title_not_its_position():
    text = (
        OPENING
        + "一、整改工作总体情况\n局党组召开专题会议。\n"
        "二、提高思想认识，强化组织领导\n（一）成立领导小组。\n（二）制定整改方案。\n"
        "三、反馈问题整改落实情况\n"
        "（一）理论学习不深入。一是建立制度。二是开展研讨。\n"
        "（二）基层党建薄弱。整改情况：完成支部建设。\n"
        "四、下一步工作打算\n（一）巩固成果。\n（二）健全机制。\n"
    )
    assert shape(text) == [("理论学习不深入", 2), ("基层党建薄弱", 1)]


def test_no_recognisable_problems_gives_a_doubt_not_an_error():
    st = parse(OPENING + "局党组高度重视巡察整改工作，整改工作取得阶段性成效。\n中共某某局党组\n2024年1月5日\n")
    assert st.problems == [] and st.body_span is None
    assert st.doubts


def test_labelled_paragraphs_after_numbered_measures_stay_with_the_problem():
    text = notice(
        "二、巡察反馈问题整改情况\n"
        "1.存在问题：社区班子建设有短板；个别书记年龄偏大。\n整改措施：\n"
        "①调整优化班子。\n②储备后备干部。\n③开展书记轮训。\n"
        "整改成效：班子平均年龄下降3.6岁。\n同时建立长效培养机制。\n"
        "2.存在问题：惠民政策落实不精准。\n整改进展：已完成低保复核。\n整改状态：已完成\n"
    )
    st = parse(text)
    assert shape(text) == [("社区班子建设有短板；个别书记年龄偏大", 3), ("惠民政策落实不精准", 1)]
    first, second = st.problems
    assert first.measures[2].text == "开展书记轮训。"
    assert text[first.span[0]:first.span[1]].endswith("同时建立长效培养机制。")
    assert second.measures[0].text == "已完成低保复核。"


def test_labelled_lines_end_the_measure_text():
    text = notice(
        "二、反馈问题整改情况\n"
        "问题1：城区污水处理厂超负荷运行。\n责任单位：市住建局\n整改目标：消除溢流。\n"
        "整改措施：一是扩建污水处理厂；二是建设调蓄池。\n整改进展：扩建工程已完成主体施工。\n整改状态：正在推进\n"
        "问题2：码头环保设施不完善。\n责任单位：市交通运输局\n"
        "整改措施：完善码头环保设施。\n整改进展：完成14个码头改造。\n整改状态：整改完成\n"
    )
    st = parse(text)
    assert shape(text) == [("城区污水处理厂超负荷运行", 2), ("码头环保设施不完善", 1)]
    assert st.problems[0].measures[1].text == "建设调蓄池。"
    assert st.problems[1].measures[0].text == "完善码头环保设施。"


@pytest.mark.parametrize("preamble, closing", [
    ("一、巡视整改工作总体进展情况\n（一）压实整改责任。成立领导小组。\n（二）坚持问题导向，推进整改落实。制定方案。\n",
     "三、持续抓好整改落实，巩固深化整改成果\n（一）压实整改责任。继续履行主体责任。\n（二）健全长效机制。完善制度。\n"),
    ("一、整改工作开展情况\n（一）提高政治站位。召开专题会议。\n（二）强化组织领导。成立工作专班。\n",
     "三、进一步巩固整改成果\n（一）持续推进问题整改。对账销号。\n（二）强化成果运用。以整改促发展。\n"),
])
def test_preamble_and_closing_sections_are_not_problem_sections(preamble, closing):
    text = (
        OPENING + preamble
        + "二、巡视反馈问题整改落实情况\n"
        "（一）贯彻落实上级决策部署打折扣。一是召开专题会议。二是制定工作方案。\n"
        "（二）生态环境保护存在短板。组织开展岸线综合整治。\n"
        + closing
    )
    assert shape(text) == [("贯彻落实上级决策部署打折扣", 2), ("生态环境保护存在短板", 1)]


def test_problem_section_found_by_content_when_no_title_says_so():
    text = (
        OPENING
        + "一、提高政治站位，强化组织领导\n局党组召开专题会议，成立领导小组。\n（一）成立领导小组。\n（二）制定整改方案。\n"
        "二、聚焦重点任务，扎实推进整改\n"
        "（一）理论学习不深入。整改情况：一是建立制度。二是开展研讨。\n"
        "（二）基层党建薄弱。整改情况：完成支部建设。\n"
        "（三）财务管理不规范。一是全面自查。二是修订办法。\n"
    )
    assert shape(text) == [("理论学习不深入", 2), ("基层党建薄弱", 1), ("财务管理不规范", 2)]


def test_aspect_headings_at_the_top_are_categories_even_when_they_say_problems():
    text = notice(
        "二、关于贯彻落实党中央重大决策部署方面存在的问题\n"
        "（一）学习贯彻不够深入\n"
        "1.理论学习计划性不强。\n整改情况：一是制定学习计划。二是开展专题研讨。\n"
        "2.学用结合不够紧密。\n整改情况：举办专题培训班。\n"
        "三、关于落实新时代党的组织路线方面的问题\n"
        "3.干部队伍结构不够合理。\n整改情况：一是遴选员额法官。二是招聘书记员。\n"
    ).replace("三、下一步工作打算", "四、下一步工作打算")
    st = parse(text)
    assert [(p.title, len(p.measures), p.category, p.group) for p in st.problems] == [
        ("理论学习计划性不强", 2, "关于贯彻落实党中央重大决策部署方面", "学习贯彻不够深入"),
        ("学用结合不够紧密", 1, "关于贯彻落实党中央重大决策部署方面", "学习贯彻不够深入"),
        ("干部队伍结构不够合理", 2, "关于落实新时代党的组织路线方面的问题", None),
    ]


def test_about_headings_that_name_a_class_of_problems_are_sections():
    text = (
        "根据审计法规定，区审计局对我局2023年度预算执行情况进行了审计，现将整改情况公告如下。\n"
        "一、关于预算执行审计发现问题的整改情况\n"
        "（一）部分项目预算编制不细化。整改情况：一是细化预算编制。二是加强审核。\n"
        "（二）非税收入未及时缴库。整改情况：已于2024年6月全部缴库。\n"
        "二、关于上轮巡察反馈问题的整改情况\n"
        "（一）专项资金拨付不及时。整改情况：已完成拨付。\n"
        "（二）项目资金闲置。一是收回闲置资金。二是统筹使用。\n"
        "三、下一步工作打算\n一是加强预算管理。二是强化监督。\n"
    )
    assert shape(text) == [("部分项目预算编制不细化", 2), ("非税收入未及时缴库", 1), ("专项资金拨付不及时", 1),
                           ("项目资金闲置", 2)]


def test_arabic_headings_followed_by_a_year_continue_their_run():
    text = notice(
        "二、审计发现问题整改情况\n（一）财务收支方面\n"
        "1.2023年，超范围发放福利费12.58万元。\n整改情况：已全部追回。\n"
        "2.2022年至2023年，超标准收费3.46万元。\n整改情况：一是清退。二是培训。\n"
        "3.往来款项长期未清理。\n整改情况：已清理。\n"
        "（二）资产管理方面\n"
        "4.固定资产账实不符。\n整改情况：已核销。\n"
        "5.2023年，采购的2台设备闲置。\n整改情况：已调配使用。\n"
    )
    assert [t for t, _ in shape(text)] == [
        "2023年，超范围发放福利费12.58万元", "2022年至2023年，超标准收费3.46万元", "往来款项长期未清理",
        "固定资产账实不符", "2023年，采购的2台设备闲置"]
    assert [p.category for p in parse(text).problems] == ["财务收支方面"] * 3 + ["资产管理方面"] * 2


def test_a_paragraph_starting_with_a_decimal_is_not_a_heading():
    text = notice(
        "二、巡察反馈问题整改情况\n"
        "1.关于“资金管理不规范”的问题\n整改情况：清理资金。\n"
        "3.5万元已全部追回。\n"
        "2.关于“宣传不到位”的问题\n整改情况：开设宣传专栏。\n"
    )
    assert shape(text) == [("资金管理不规范", 1), ("宣传不到位", 1)]
    assert "3.5万元" in parse(text).problems[0].measures[0].text


def test_unnumbered_bracket_titles_are_problem_headings():
    text = notice(
        "二、问题清单及整改情况\n"
        "【粮食生产责任落实不够到位】\n巡察反馈：部分乡镇未完成任务。\n整改情况：一是分解任务；二是整治撂荒地。\n"
        "【惠农资金监管存在漏洞】\n巡察反馈：多领冒领。\n整改情况：已追回资金。\n"
    )
    assert shape(text) == [("粮食生产责任落实不够到位", 2), ("惠农资金监管存在漏洞", 1)]
    assert [p.number for p in parse(text).problems] == [None, None]


def test_di_ge_wen_ti_headings_under_aspects():
    text = notice(
        "二、巡察反馈问题整改落实情况\n（一）贯彻落实上级决策部署方面\n"
        "第一个问题：产业转型升级办法不多。\n整改情况：\n（1）编制方案。\n（2）改良品种。\n"
        "第二个问题：生态保护存在薄弱环节。\n整改情况：清理垃圾点位18处。\n"
        "（二）全面从严治党方面\n第三个问题：压力传导不够。\n整改情况：修订责任清单。\n"
    )
    assert shape(text) == [("产业转型升级办法不多", 2), ("生态保护存在薄弱环节", 1), ("压力传导不够", 1)]
    st = parse(text)
    assert [p.category for p in st.problems] == ["贯彻落实上级决策部署方面"] * 2 + ["全面从严治党方面"]
    assert st.problems[2].number == "第三个问题"


def test_inline_items_that_each_name_a_quoted_problem_are_problems():
    text = notice(
        "二、巡察反馈问题整改落实情况\n（一）政治建设方面\n"
        "一是“学习不够深入”的问题，已制定学习计划，已完成整改；二是“支部组织生活不规范，“三会一课”记录不完整”的问题，"
        "已补齐台账。\n"
        "（二）作风建设方面\n一是“廉政风险防控机制不健全”的问题，已梳理风险点31个；二是“宣传不到位”问题：已开设专栏。\n"
    )
    assert shape(text) == [("学习不够深入", 1), ("支部组织生活不规范，“三会一课”记录不完整", 1),
                           ("廉政风险防控机制不健全", 1), ("宣传不到位", 1)]
    st = parse(text)
    assert [p.category for p in st.problems] == ["政治建设方面"] * 2 + ["作风建设方面"] * 2
    assert st.problems[1].measures[0].text == "已补齐台账。"


def test_inline_items_not_all_quoted_problems_stay_measures():
    text = notice(
        "二、巡察反馈问题整改落实情况\n（一）学习不够深入的问题\n"
        "一是“第一议题”制度落实不到位的问题已整改；二是制定学习计划；三是开展专题研讨。\n"
        "（二）宣传不到位的问题\n一是“学习不够深入”的问题，已制定计划；二是“宣传不到位”的问题\n"
    )
    assert shape(text) == [("学习不够深入", 3), ("宣传不到位", 2)]  # （一）X的问题: the title is X (issue 12)


def test_inline_items_with_their_own_labels_under_an_aspect_are_problems():
    text = notice(
        "二、巡察反馈问题整改情况\n（一）政治建设方面\n"
        "一是理论学习不深入。整改情况：一是制定计划；二是开展研讨。\n二是宣传不到位。整改情况：开设专栏。\n"
        "（二）作风建设方面\n一是会风文风不实。整改措施：精简会议。\n二是督查检查过多。整改措施：统筹督查。\n"
    )
    assert shape(text) == [("理论学习不深入", 2), ("宣传不到位", 1), ("会风文风不实", 1), ("督查检查过多", 1)]
    assert [p.category for p in parse(text).problems] == ["政治建设方面"] * 2 + ["作风建设方面"] * 2


def test_unnumbered_labelled_blocks_are_problems():
    text = notice(
        "二、巡察反馈问题整改情况\n"
        "存在问题：理论学习不深入。\n整改措施：一是制定计划；二是开展研讨。\n整改时限：长期坚持。\n"
        "存在问题：宣传不到位。\n整改措施：开设专栏。\n"
    )
    assert shape(text) == [("理论学习不深入", 2), ("宣传不到位", 1)]
    assert parse(text).problems[0].measures[1].text == "开展研讨。"
    text = notice(
        "二、巡察反馈问题整改情况\n（一）政治建设方面\n"
        "问题表现：理论学习不深入。\n整改情况：一是制定计划；二是开展研讨。\n问题表现：宣传不到位。\n整改情况：开设专栏。\n"
        "（二）作风建设方面\n存在问题：会风文风不实。\n整改情况：精简会议。\n存在问题：督查过多。\n整改情况：统筹督查。\n"
    )
    assert shape(text) == [("理论学习不深入", 2), ("宣传不到位", 1), ("会风文风不实", 1), ("督查过多", 1)]
    assert [p.category for p in parse(text).problems] == ["政治建设方面"] * 2 + ["作风建设方面"] * 2


def test_one_labelled_problem_under_a_numbered_heading_stays_one():
    text = notice(
        "二、巡察反馈问题整改情况\n1.理论学习\n存在问题：理论学习不深入。\n整改措施：一是制定计划；二是开展研讨。\n"
        "2.宣传工作\n存在问题：宣传不到位。\n整改措施：开设专栏。\n"
    )
    assert [n for _, n in shape(text)] == [2, 1]


def test_arabic_di_tiao_items_numbered_across_aspects_with_circled_measures():
    def item(n, title, measures, progress):
        return (f"第{n}条：{title}。\n责任领导：分管副局长　责任处室：办公室\n整改措施：\n"
                + "".join(f"{'①②③④'[k]}{m}\n" for k, m in enumerate(measures)) + f"整改进展：{progress}\n")

    text = notice(
        "二、巡视反馈问题整改落实情况\n（一）政治建设方面\n"
        + item(1, "理论学习不够深入，学用结合不够", ["制定学习计划，开展专题研讨6次。", "举办培训班2期。", "建立台账，实行销号管理。"],
               "持续推进。一是加快推进剩余任务，二是加强跟踪问效。")
        + item(2, "林长制落实不够有力", ["修订考核办法。", "约谈6个县。"], "已完成。")
        + "（二）全面从严治党方面\n"
        + item(3, "主体责任落实不到位", ["制定责任清单。", "每半年专题研究一次。", "开展专项检查。", "通报典型案例。"], "长期坚持。")
    )
    assert shape(text) == [("理论学习不够深入，学用结合不够", 3), ("林长制落实不够有力", 2), ("主体责任落实不到位", 4)]
    st = parse(text)
    assert [p.category for p in st.problems] == ["政治建设方面"] * 2 + ["全面从严治党方面"]
    assert [p.number for p in st.problems] == ["第1条", "第2条", "第3条"]
    assert st.problems[0].measures[-1].text == "建立台账，实行销号管理。"  # the 整改进展 line is no measure


@pytest.mark.parametrize("mark", ["第1项", "第一项", "第1条", "问题1", "【问题1】"])
@pytest.mark.parametrize("label", ["督察反馈问题", "反馈问题", "存在问题", "问题"])
def test_a_label_alone_on_its_line_opens_the_labelled_problem_below_it(mark, label):
    second = mark.replace("1", "2").replace("一", "二")
    text = notice(
        "二、督察反馈问题整改情况\n"
        f"{mark}\n{label}：县城污水处理厂进水浓度偏低，雨污管网混接问题突出。\n责任单位：县住建局\n整改时限：2024年12月底\n"
        "整改目标：一是消除黑臭水体，二是通过验收销号。\n"
        "整改措施：一是开展管网排查；二是实施雨污分流改造；三是建立厂网一体运维机制。\n"
        "整改进展：持续推进。一是部分设施运行不稳定，二是汛期防控仍有短板。\n\n"
        f"{second}\n{label}：白沙溪水质不能稳定达标。\n责任单位：县农业农村局\n整改措施：关停禁养区内养殖场7家。\n整改进展：已完成。\n"
    )
    assert shape(text) == [("县城污水处理厂进水浓度偏低，雨污管网混接问题突出", 3), ("白沙溪水质不能稳定达标", 1)]
    st = parse(text)
    assert st.problems[0].number == mark.strip("【】")
    assert st.problems[0].span[0] == text.index(mark)
    assert st.problems[0].measures[-1].text == "建立厂网一体运维机制。"


def test_bracketed_problem_marks_and_labels():
    text = notice(
        "二、巡察反馈问题整改落实情况\n一、落实立德树人根本任务方面\n"
        "【问题1】学校党组织领导的校长负责制落实不到位，议事范围不清。\n【整改措施】\n"
        "1．修订议事规则，明确决策程序。\n2．建立前置研究清单，共列出事项18类。\n【整改结果】已完成整改。\n"
        "【问题2】思政课教师配备不足。\n【整改措施】\n1．公开招聘补充教师2名。\n【整改结果】阶段性完成，需长期坚持。\n"
        "二、落实全面从严治党责任方面\n"
        "【问题3】食堂管理存在漏洞。\n【整改措施】\n1．修订采购验收制度。\n2．安装视频监控。\n3．落实陪餐制度。\n"
        "【整改结果】已完成整改。\n"
    ).replace(PREAMBLE, "")
    assert shape(text) == [("学校党组织领导的校长负责制落实不到位，议事范围不清", 2), ("思政课教师配备不足", 1),
                           ("食堂管理存在漏洞", 3)]
    st = parse(text)
    assert [p.category for p in st.problems] == ["落实立德树人根本任务方面"] * 2 + ["落实全面从严治党责任方面"]
    assert [p.number for p in st.problems] == ["问题1", "问题2", "问题3"]
    assert st.problems[0].measures[-1].text == "建立前置研究清单，共列出事项18类。"


def test_quoted_feedback_paragraph_and_a_status_line_before_the_numbered_measures():
    """督察 lists that quote the feedback item (several sentences) and state the progress before the
    measures: the quotation is the title, the 整改措施 label (not the status line) leads the measures."""
    text = notice(
        "二、督察反馈问题整改情况\n"
        "第1项\n督察反馈问题：“县城污水处理厂进水浓度偏低。部分片区雨污管网混接错接，‘清污分流’不彻底。”\n"
        "整改进展情况：已完成。\n整改措施：\n1．开展管网排查。\n2．实施雨污分流改造。\n"
        "第2项\n督察反馈问题：“白沙溪水质不能稳定达标。”\n整改进展情况：持续推进。\n整改措施：关停养殖场7家；建设监测站。\n"
    )
    assert shape(text) == [("县城污水处理厂进水浓度偏低。部分片区雨污管网混接错接，‘清污分流’不彻底", 2),
                           ("白沙溪水质不能稳定达标", 1)]
    st = parse(text)
    assert [m.text for m in st.problems[0].measures] == ["开展管网排查。", "实施雨污分流改造。"]
    assert st.problems[1].measures[0].text == "关停养殖场7家；建设监测站。"


def test_a_progress_label_holding_measures_still_leads_them():
    text = notice(
        "二、督察反馈问题整改情况\n"
        "第1项\n督察反馈问题：县城污水处理厂进水浓度偏低。\n"
        "整改进展：一是完成管网排查126公里；二是完成雨污分流改造38公里。\n整改措施：建立厂网一体运维机制。\n"
        "第2项\n督察反馈问题：白沙溪水质不能稳定达标。\n整改进展：关停养殖场7家。\n"
    )
    assert shape(text) == [("县城污水处理厂进水浓度偏低", 2), ("白沙溪水质不能稳定达标", 1)]


def test_audit_problem_codes_and_latin_letter_measures():
    # An audit list numbers its problems by category and item, （1-2） or a bare 2-1; measures may
    # be a) b) c) lines; the 整改结果 line is no measure; 方面的问题 stays in the category.
    text = notice(
        "二、审计查出问题清单及整改情况\n"
        "1. 预算编制方面的问题\n"
        "（1-1）往来款项长期挂账未清理。\n整改责任科室：审计科\n整改措施：清理往来款项。\n整改结果：已整改。\n"
        "（1-2）工会经费使用不规范。\n整改措施：\na) 修订制度。\nb) 开展自查。\n整改结果：已整改。\n"
        "2. 财务管理方面的问题\n"
        "2-1 政府采购管理不规范。\n整改措施：\na) 完善采购办法。\nb) 开展培训。\nc) 约谈提醒。\n整改结果：已整改。\n"
    )
    assert shape(text) == [("往来款项长期挂账未清理", 1), ("工会经费使用不规范", 2), ("政府采购管理不规范", 3)]
    st = parse(text)
    assert [p.category for p in st.problems] == ["预算编制方面的问题"] * 2 + ["财务管理方面的问题"]
    assert [p.number for p in st.problems] == ["（1-1）", "（1-2）", "2-1"]
    assert [m.text for m in st.problems[2].measures] == ["完善采购办法。", "开展培训。", "约谈提醒。"]


def test_wechat_copy_with_emoji_separators_and_bold_quoted_headings():
    # A WeChat copy: emoji around its section lines and between problems, each problem a bold
    # **“…”** line with no number (inner ‘…’ kept), its measures 一是/二是 paragraphs.
    text = (
        OPENING + "👇👇👇\n"
        "🔸🔸🔸 整改工作推进情况 🔸🔸🔸\n街道党工委制定整改方案，共梳理问题2个。\n"
        "🔸🔸🔸 反馈问题整改情况 🔸🔸🔸\n"
        "**“党费收缴管理不规范，存在未按标准足额交纳情况”**\n一是开展党费专项检查。\n二是补交党费。\n"
        "➖➖➖➖➖\n"
        "**“监督执纪‘四种形态’运用不够精准”**\n一是制定实施办法。\n二是开展谈话提醒。\n三是通报典型案例。\n"
        "🔸🔸🔸 下一步打算 🔸🔸🔸\n一是坚持标准不降。二是坚持力度不减。\n"
        "📞 监督电话：028-87654213\n中共某某街道工作委员会\n2024年12月20日\n— END —\n阅读 1236  ❤ 在看 18\n"
    )
    from core.extract import extract

    result = extract(text)
    assert [(p["title"], len(p["measures"])) for p in result["problems"]] == [
        ("党费收缴管理不规范，存在未按标准足额交纳情况", 2), ("监督执纪‘四种形态’运用不够精准", 3)]
    assert result["problems"][0]["measures"][0]["text"] == "开展党费专项检查。"
    for p in result["problems"]:
        for m in p["measures"]:
            assert text[slice(*m["span"])] == m["text"]
    # titled headings are a layout of their own, not bare numbered paragraphs: no doubt raised
    assert not any("未找到问题清单的标题" in w for w in result["warnings"])


def test_headings_sharing_tasks_out_by_lead_department_are_categories():
    # No heading says 问题/方面: the problems sit under one top-level heading per lead department,
    # found by their content; those headings are the categories, not sections.
    text = (
        OPENING
        + "一、党委办公室牵头整改任务\n"
        "（一）整改任务：网络安全责任落实不到位。\n完成时限：2024年12月\n整改措施：\n1.开展安全检查。\n2.修订管理办法。\n整改进展：已完成。\n"
        "（二）整改任务：巡察整改不彻底。\n整改措施：\n1.建立整改台账。\n2.开展回头看。\n3.约谈提醒。\n"
        "二、计划财务处牵头整改任务\n"
        "（一）整改任务：培训经费使用效益不高。\n整改措施：\n1.制定培训计划。\n2.规范经费使用。\n"
        "（二）整改任务：公务用车管理不严格。\n整改措施：\n1.清理车辆台账。\n"
        + CLOSING
    )
    st = parse(text)
    assert [(p.title, len(p.measures), p.category) for p in st.problems] == [
        ("网络安全责任落实不到位", 2, "党委办公室牵头整改任务"),
        ("巡察整改不彻底", 3, "党委办公室牵头整改任务"),
        ("培训经费使用效益不高", 2, "计划财务处牵头整改任务"),
        ("公务用车管理不严格", 1, "计划财务处牵头整改任务"),
    ]


def test_a_circled_run_starting_inline_after_the_label_goes_on_in_lines_of_its_own():
    # 整改措施及进展：intro。①…\n②…\n③…: ① sits in the label's paragraph (the intro is its),
    # ② and ③ are paragraphs of their own; 整改状态 is no measure.
    text = notice(
        "二、反馈问题的整改落实情况\n"
        "第一个问题：生态环境保护责任落实不到位。\n"
        "整改措施及进展：针对这一问题，局党委逐项研究落实。①全面梳理问题。\n②开展专项检查。\n③修订制度。\n"
        "整改状态：已完成。\n"
        "第二个问题：公务用车管理不严格。\n"
        "整改措施及进展：①清理车辆。②规范审批。\n整改状态：持续推进。\n"
    )
    assert shape(text) == [("生态环境保护责任落实不到位", 3), ("公务用车管理不严格", 2)]
    st = parse(text)
    assert [m.text for m in st.problems[0].measures] == [
        "针对这一问题，局党委逐项研究落实。①全面梳理问题。", "开展专项检查。", "修订制度。"]
