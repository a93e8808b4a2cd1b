"""A 县/乡镇 notice with many short items: 60 one-line problems under three 方面 headings,
numbered straight through or afresh under each heading, in the item layouts such notices use."""
import pytest

from core.extract import extract

ASPECTS = ["贯彻落实上级决策部署方面", "全面从严治党方面", "基层党组织建设方面"]
PER_ASPECT = 20
LAYOUTS = {
    # number, problem sentence and what was done on one line
    "one_line": lambda num, n: f"{num}.第{n}项工作落实不到位。已完成整改，建立台账{n}本。\n",
    # the rectification as a paragraph of its own
    "two_paragraphs": lambda num, n: f"{num}、第{n}项工作落实不到位。\n已完成整改，建立台账{n}本。\n",
    # a 整改情况 label and inline 一是/二是 measures
    "labelled": lambda num, n: f"（{num}）第{n}项工作落实不到位。整改情况：一是建立台账{n}本；二是开展检查。\n",
}


def county_notice(layout, restart):
    lines = [
        "中共某某镇委员会关于县委巡察整改进展情况的通报\n",
        "根据县委统一部署，2024年3月4日至4月30日，县委第二巡察组对某某镇党委开展了常规巡察，"
        "并于2024年6月20日向镇党委反馈了巡察意见。现将巡察整改进展情况予以公布。\n",
        "一、整改工作组织情况\n镇党委成立整改工作领导小组，对巡察反馈的3个方面60个问题逐项制定整改措施。\n",
        "二、巡察反馈问题整改落实情况\n",
    ]
    n = 0
    for a, aspect in enumerate(ASPECTS):
        lines.append(f"（{'一二三'[a]}）{aspect}\n" if layout != "labelled" else f"{a + 1}.{aspect}\n")
        for k in range(1, PER_ASPECT + 1):
            n += 1
            lines.append(LAYOUTS[layout](k if restart else n, n))
    lines.append("三、下一步工作打算\n镇党委将持续巩固巡察整改成果。\n"
                 "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0710-1234567。\n"
                 "中共某某镇委员会\n2024年12月1日\n")
    return "".join(lines)


@pytest.mark.parametrize("restart", [False, True], ids=["numbered_through", "numbered_per_aspect"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_sixty_short_items_under_aspect_headings(layout, restart):
    text = county_notice(layout, restart)
    result = extract(text)
    problems = result["problems"]
    total = len(ASPECTS) * PER_ASPECT
    assert [p["title"] for p in problems] == [f"第{n}项工作落实不到位" for n in range(1, total + 1)]
    assert [p["category"] for p in problems] == [a for a in ASPECTS for _ in range(PER_ASPECT)]
    assert {p["group"] for p in problems} == {None}
    want_measures = 2 if layout == "labelled" else 1
    assert {len(p["measures"]) for p in problems} == {want_measures}
    first = problems[0]["measures"][0]
    assert first["text"] == ("建立台账1本；" if layout == "labelled" else "已完成整改，建立台账1本。")
    for p in problems:
        s, e = p["span"]
        assert text[s:e].endswith("二是开展检查。" if layout == "labelled" else f"建立台账{p['seq']}本。")
    assert not any("识别出" in w for w in result["warnings"])  # the stated 60 problems were all found
    assert result["meta"]["issuer"] == "中共某某镇委员会"
