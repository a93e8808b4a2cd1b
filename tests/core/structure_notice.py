"""A notice whose extraction has the structural mistakes of issue 12, for the structural
corrections' tests (core and window): an organisational item and two category headings read
as problems, a 一是…二是…三是 run left as one measure, the categories lost."""
from __future__ import annotations

RUN = "一是召开专题会议3次；二是制定学习计划，由区委组织部牵头；三是开展专题培训2期。"
LINES = [
    "中共丙区委关于巡察整改进展情况的通报",
    "一、整改工作开展情况",
    "1.加强组织领导",
    "成立整改工作领导小组。",
    "二、整改落实情况",
    "（一）党的建设方面",
    "围绕党的建设方面问题逐项整改。",
    "1.理论学习不够深入",
    "整改情况：" + RUN,
    "2.制度执行不严格",
    "整改情况：修订制度5项；建立台账1本。",
    "（二）全面从严治党方面",
    "1.监督执纪不到位",
    "整改情况：开展专项检查2次。",
    "中共丙区委",
    "2024年7月18日",
]
TEXT = "\n".join(LINES) + "\n"

# (number, title, [measure texts]); every title and measure occurs once in TEXT
PROBLEMS = [
    ("1", "加强组织领导", ["成立整改工作领导小组。"]),
    ("（一）", "党的建设方面", ["围绕党的建设方面问题逐项整改。"]),
    ("1", "理论学习不够深入", [RUN]),
    ("2", "制度执行不严格", ["修订制度5项；建立台账1本。"]),
    ("（二）", "全面从严治党方面", []),
    ("1", "监督执纪不到位", ["开展专项检查2次。"]),
]


def structure_extraction(tag: str = "丙") -> dict:
    text = TEXT.replace("丙", tag)
    problems = []
    for seq, (number, title, measures) in enumerate(PROBLEMS, 1):
        title_span = [text.index(f"{number}{'' if number.endswith('）') else '.'}{title}")
                      + len(number) + (0 if number.endswith("）") else 1)]
        title_span.append(title_span[0] + len(title))
        ms = []
        for mseq, m in enumerate(measures, 1):
            start = text.index(m, title_span[1])
            ms.append({"seq": mseq, "text": m, "span": [start, start + len(m)], "status": "推进中",
                       "units": [], "dates": [], "quantities": []})
        end = ms[-1]["span"][1] if ms else title_span[1]
        problems.append({"seq": seq, "number": number, "category": None, "group": None,
                         "title": title, "span": [title_span[0] - len(number), end],
                         "title_span": title_span, "status": "推进中", "confidence": 0.8,
                         "measures": ms})
    return {
        "text": text,
        "source": {"path": None, "sha256": None, "encoding": "utf-8", "format": "text"},
        "meta": {"title": f"中共{tag}区委关于巡察整改进展情况的通报", "kind": "巡察",
                 "issuer": f"中共{tag}区委", "published": "2024-07-18"},
        "warnings": [], "outcomes": [], "problems": problems,
    }
