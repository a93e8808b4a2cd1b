"""Issue 12: the reading view (web debris, pinyin glitches, 繁體), the layout scoring and its
alternatives, the layouts it added, and issue 11 item 2 (1,000+ problems)."""
from core.extract import extract
from core.extract.layout import Candidate, choose, item_score
from core.extract.numbering import heading_marker, inline_items
from core.extract.reading import Reading, is_traditional, to_simplified
from core.extract.structure import parse

HEAD = "中共某某县某某镇委员会关于县委巡察整改进展情况的通报\n\n根据县委统一部署，县委第一巡察组对镇党委开展了巡察，并反馈了意见。现将整改进展情况通报如下。\n\n"
TAIL = "\n中共某某县某某镇委员会\n2024年11月5日\n"


def shape(text):
    return [(p["title"], len(p["measures"])) for p in extract(text)["problems"]]


def test_web_debris_is_skipped_but_spans_index_the_original():
    text = (
        "---\ntitle: 通报\ndate: 2024-09-12\n---\n\n" + HEAD
        + "**二、巡察反馈问题整改落实情况**\n\n"
        "**（一）关于党建<!-- 编辑 -->责任制不到位的问题**\n\n一是修订清单，<!--more-->明确职责。\n二是建立月报告制度，\n已报告8次。\n"
        "三是开展述职评议\n。\n\n"
        "**（二）关于财务管理不严格的问题**\n\n一是修订办法。\n二是清退款项2.3万元。\n" + TAIL
    )
    result = extract(text)
    assert [(p["title"], len(p["measures"])) for p in result["problems"]] == [
        ("党建责任制不到位", 3), ("财务管理不严格", 2)]
    first = result["problems"][0]
    assert "<!--" not in first["title"] and "**" not in first["title"]
    for p in result["problems"]:
        s, e = p["span"]
        assert text[s:e].lstrip("*").startswith("（")
        for m in p["measures"]:
            assert text[m["span"][0]:m["span"][1]] == m["text"]
    # the broken line and the lone 。 stay inside their measure
    assert first["measures"][1]["text"].endswith("已报告8次。")
    assert first["measures"][2]["text"].replace("\n", "").endswith("述职评议。")


def test_traditional_notice_is_read_through_opencc_and_keeps_its_characters():
    simplified = HEAD + "二、巡察反馈问题整改落实情况\n（一）关于学习贯彻上级决策部署不够深入的问题\n一是修订学习计划。二是开展专题学习10次。\n" \
        "（二）关于村级集体经济发展后劲不足的问题\n一是制定三年行动计划。二是盘活闲置资产12处。\n" + TAIL
    text = to_simplified(simplified)  # no-op on simplified text
    assert text == simplified
    import opencc
    traditional = opencc.OpenCC("s2t").convert(simplified).replace("關於學習", "關(guān)於學習")
    assert is_traditional(traditional) and not is_traditional(simplified)
    result = extract(traditional)
    titles = [p["title"] for p in result["problems"]]
    assert titles == ["學習貫徹上級決策部署不夠深入", "村級集體經濟發展後勁不足"]
    assert [len(p["measures"]) for p in result["problems"]] == [2, 2]
    assert result["meta"]["issuer"] == "中共某某縣某某鎮委員會"
    for p in result["problems"]:
        for m in p["measures"]:
            assert traditional[m["span"][0]:m["span"][1]] == m["text"]


def test_reading_maps_offsets_back():
    text = "甲**乙**丙<!-- x -->丁"
    r = Reading(text)
    assert r.text == "甲乙丙丁"
    assert r.span(1, 3) == (3, 7)  # 乙**丙 in the original
    assert r.chars(0, 4) == "甲乙丙丁"


def test_parenthesised_digits_and_half_brackets_are_measure_runs():
    text = HEAD + "二、巡察反馈问题整改落实情况\n" \
        "1.基层医疗服务能力偏弱。⑴配备设备28台；⑵组织专家下沉坐诊；⑶招聘乡村医生17名。\n" \
        "2.收费管理不规范。1)开展专项检查；2)清退多收费用8.7万元；3)建立月度自查制度。\n" \
        "3.行业作风建设抓得不紧。\n⑴开展集中整治，查处问题6起。⑵建立医德医风档案。\n" + TAIL
    assert shape(text) == [("基层医疗服务能力偏弱", 3), ("收费管理不规范", 3), ("行业作风建设抓得不紧", 2)]
    assert [m.value for m in inline_items("⑴甲；⑵乙", 0, 5)] == [1, 2]
    assert heading_marker("⑴开展集中整治", 0, 7).style == "par"


def test_unnumbered_task_blocks_with_numbered_measure_paragraphs():
    block = "整改任务：{t}\n整改目标：全面完成。\n整改完成情况：\n1、排查{n}处。\n2、建立机制。\n3、约谈负责人。\n责任科室：办公室\n\n"
    text = HEAD + "一、贯彻落实决策部署方面\n\n" + block.format(t="项目谋划储备不足", n=3) \
        + block.format(t="储备粮轮换不及时", n=4) + "二、全面从严治党方面\n\n" + block.format(t="主体责任落实不到位", n=5) \
        + "特此公示。\n" + TAIL
    result = extract(text)
    assert [(p["title"], len(p["measures"]), p["category"]) for p in result["problems"]] == [
        ("项目谋划储备不足", 3, "贯彻落实决策部署方面"), ("储备粮轮换不及时", 3, "贯彻落实决策部署方面"),
        ("主体责任落实不到位", 3, "全面从严治党方面")]
    lay = result["layout"]
    assert lay["choice"] == "labels"
    assert {a["name"] for a in lay["alternatives"]} >= {"rules"}
    assert [lv["role"] for lv in lay["levels"]] == ["category", "problem", "measure"]
    # the reviewer's 调整层级: the rules' reading is one click away
    forced = extract(text, layout_choice="rules")
    assert forced["layout"]["choice"] == "rules"
    assert len(forced["problems"]) == 9


def test_outcome_label_after_measures_is_not_a_measure_and_bare_wrapper_is_dropped():
    text = HEAD + "二、巡察反馈问题整改情况\n（一）干部队伍建设不够有力的问题\n" \
        "一是制定培养计划。\n二是开展培训4期。\n整改成效：干部能力明显提升，问题已完成整改。\n" \
        "（二）存在的问题\n一是清理台账。二是完善制度。\n" + TAIL
    assert shape(text) == [("干部队伍建设不够有力", 2), ("存在的问题", 2)]


def test_a_thousand_and_more_problems_are_all_read():
    parts = [HEAD, "二、巡察反馈问题整改情况"]
    for i in range(1, 1206):
        parts.append(f"{i}.关于第{i}号事项落实不到位的问题\n一是建立第{i}号台账。二是完成整改{i}处。")
    result = extract("\n".join(parts) + TAIL)
    assert len(result["problems"]) == 1205
    assert result["problems"][999]["number"] == "1000"
    assert result["problems"][-1]["title"] == "第1205号事项落实不到位"
    assert all(len(p["measures"]) == 2 for p in result["problems"])
    # a year at a paragraph start is not problem 2024
    assert heading_marker("2024．全年完成", 0, 7).decimal


def test_layout_scoring_prefers_problem_wording_and_reports_a_close_runner_up():
    assert item_score("财务管理制度执行不严格", measures=2, labelled=True) > \
        item_score("修订《财务管理办法》，清退款项2.3万元", measures=0, labelled=False)
    assert item_score("整改工作组织开展情况", measures=3, labelled=False) < 0
    a = Candidate("rules", [object()] * 4, set(), score=4.0)
    b = Candidate("up", [object()] * 2, set(), score=3.8)
    best, others, doubts = choose([a, b])
    assert best is a and others == [b] and doubts and "版式存疑" in doubts[0]
    c = Candidate("labels", [object()] * 6, set(), score=9.0)
    best, _, _ = choose([a, c])
    assert best is c  # clearly better than the rules' reading: chosen


def test_every_extraction_describes_its_layout():
    text = HEAD + "二、巡察反馈问题整改情况\n（一）政治建设方面\n1.学习不够深入\n一是制定计划。二是开展研讨。\n" \
        "2.民主集中制执行不严格\n一是修订规则。二是规范记录。\n" + TAIL
    lay = parse(text).layout
    roles = {lv["role"]: lv for lv in lay["levels"]}
    assert roles["category"]["example"].startswith("（一）") and roles["problem"]["count"] == 2
    assert roles["measure"]["style"] == "shi"
    assert lay["choice"] == "rules" and isinstance(lay["alternatives"], list)


def test_moving_the_problem_role_up_never_nests_problems():
    # Problem 1. sits right under its category, 2.'s items (1)(2) one level deeper: moving the
    # problem role up picks the category for 1. and the group 2. for (1)(2), which lies inside
    # it. The category alone is the problem; spans stay in order and never overlap.
    text = HEAD + "二、反馈问题整改情况\n（一）关于落实主体责任方面\n1.党组研究整改不够深入。\n" \
        "一是修订党组议事规则；二是每季度专题研究整改。\n2.督导检查不到位\n（1）基层督导频次不足。\n" \
        "一是制定督导计划；二是开展专项督导12次。\n（2）督导发现问题跟踪不够。\n一是建立问题台账；二是实行销号管理。\n" \
        "（二）关于作风建设方面\n1.文风会风改进不明显。\n一是精简会议；二是压减文件。\n" + TAIL
    best = parse(text)
    assert [p.title for p in best.problems] == ["党组研究整改不够深入", "基层督导频次不足",
                                                "督导发现问题跟踪不够", "文风会风改进不明显"]
    assert [a["name"] for a in best.layout["alternatives"]] == ["up"]
    up = parse(text, choice="up")
    assert [p.title for p in up.problems] == ["关于落实主体责任方面", "关于作风建设方面"]
    spans = [p.span for p in up.problems]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
