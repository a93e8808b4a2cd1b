"""How a notice lays out its problems: the levels of its numbering, the roles the reader gave
them, and how well other role assignments would explain the text.

``structure`` proposes role assignments (candidates): the reading its rules give, the one
that takes unnumbered 整改任务：/问题： paragraphs as a heading level, and the ones that move the
problem role one level up or down the numbering tree. Each is scored here by the content of
the items it calls problems (shortcoming wording such as 不够/不到位/缺乏/存在…问题 counts for a
problem; action wording, dates and quantities count for a measure; 组织领导/整改工作/下一步 for an
organisational section) and by its consistency (problems that carry measures or labels,
sibling headings that share the role). The best-scoring assignment is read; the runners-up
are kept with their scores, and a close runner-up is a layout doubt for the reviewer.

A new layout is a new feature or weight here, not a new branch in the reader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.extract.numbering import inline_items

SHORTCOMING_RE = re.compile(
    r"不够|不到位|不足|不力|不严|不实|不细|不深|不高|不强|不全|不准|不清|不规范|不完善|不健全|不彻底|不及时|不明显|不扎实"
    r"|不紧|不充分|不平衡|不精准|不科学|不合理|不严格|缺乏|缺失|欠缺|薄弱|短板|差距|偏[松软弱少低高慢长大]|滞后|缓慢|乏力"
    r"|流于形式|存在|问题|漏洞|空白|未[按能建落完及有经]|没有|尚未|较少|较弱|有待|打折扣|走过场|形式主义|失职|违规|违反"
)
ACTION_START_RE = re.compile(
    r"^(?:制定|修订|修改|建立|健全|开展|组织|召开|完善|印发|出台|成立|落实|推行|实行|实施|设立|聘请|邀请|选派|引进|培育|新建"
    r"|清理|清退|追回|收回|整改|督促|约谈|对|将|由|按照|根据|通过|全面|深入|持续|进一步|坚持|已|目前|截至)"
)
QUANTITY_RE = re.compile(r"\d+(?:\.\d+)?(?:余|多)?(?:个|项|次|人|名|万元|元|份|场|期|件|条|家|处|篇|%|人次)")
ORGANISATIONAL_RE = re.compile(r"组织领导|整改工作(?:开展|总体|基本)?情况|总体情况|下一步|工作打算|巩固.{0,8}成果|长效机制|主要做法|工作措施")
ASPECT_RE = re.compile(r"方面")

# Weights of the features, per item called a problem.
WEIGHTS = {
    "shortcoming": 1.0,    # its title names a shortcoming
    "action": -0.8,        # its title starts like an action taken (a measure read as a problem)
    "quantity": -0.4,      # its title counts what was done
    "organisational": -1.5,  # its title is an organisational or closing section's
    "aspect": -0.3,        # its title names a whole 方面 (a category read as a problem)
    "measures": 0.3,       # it carries measures
    "labelled": 0.4,       # 关于…问题 wording or labelled parts (问题：/整改措施：)
    "empty": -1.0,         # it has no title
    "long": -0.3,          # its title runs past 120 characters (a paragraph read as a title)
}
CLOSE = 0.9  # a runner-up scoring at least this share of the best is a layout doubt


@dataclass
class Candidate:
    name: str              # rules / labels / up / down
    nodes: list            # the problem nodes (structure.Node)
    sections: set          # ids of the headings that are sections, not categories
    doubts: list[str] = field(default_factory=list)
    score: float = 0.0


NAMES = {"rules": "按编号层级识别", "labels": "按“问题/整改任务”标签分块", "up": "问题上移一级（原类别作问题）",
         "down": "问题下移一级（原措施作问题）"}


def item_score(title: str, *, measures: int, labelled: bool) -> float:
    if not title:
        return WEIGHTS["empty"]
    score = 0.0
    if SHORTCOMING_RE.search(title):
        score += WEIGHTS["shortcoming"]
    if ACTION_START_RE.search(title):
        score += WEIGHTS["action"]
    if QUANTITY_RE.search(title):
        score += WEIGHTS["quantity"]
    if ORGANISATIONAL_RE.search(title):
        score += WEIGHTS["organisational"]
    if ASPECT_RE.search(title):
        score += WEIGHTS["aspect"]
    if measures:
        score += WEIGHTS["measures"]
    if labelled:
        score += WEIGHTS["labelled"]
    if len(title) > 120:
        score += WEIGHTS["long"]
    return score


def score(items: list[tuple[str, int, bool]]) -> float:
    """A candidate's score: the sum of its items' scores (title, measure count, labelled)."""
    return round(sum(item_score(t, measures=m, labelled=lb) for t, m, lb in items), 2)


def choose(candidates: list[Candidate]) -> tuple[Candidate, list[Candidate], list[str]]:
    """The best candidate, the others best first, and a layout doubt where a runner-up is close.
    The rules' reading is kept unless another one scores clearly better (by more than one item's worth)."""
    rules = candidates[0]
    ranked = sorted(candidates, key=lambda c: -c.score)
    best = ranked[0]
    if best is not rules and best.score - rules.score <= 1.0:
        best = rules
    others = [c for c in ranked if c is not best]
    doubts = []
    for c in others:
        if best.score > 0 and c.score >= CLOSE * best.score and len(c.nodes) != len(best.nodes):
            doubts.append(f"版式存疑：“{NAMES[c.name]}”的得分与所选版式接近（{c.score:g} / {best.score:g}），请核对问题层级")
            break
    return best, others, doubts


_ROLE_NAMES = {"section": "部分", "category": "类别", "group": "分组", "problem": "问题", "measure": "措施"}


def levels(text: str, chosen: Candidate) -> list[dict]:
    """The numbering levels above and below the chosen problems: style, role, count, an example."""
    levels: dict[tuple[str, str], dict] = {}

    def note(node: object | None, role: str, style: str | None = None, example: str = "") -> None:
        key = (role, style or node.marker.style)
        level = levels.setdefault(key, {"style": key[1], "role": role, "name": _ROLE_NAMES[role],
                                        "example": "", "count": 0, "seen": set()})
        ident = id(node) if node is not None else example
        if ident not in level["seen"]:
            level["seen"].add(ident)
            level["count"] += 1
            if not level["example"]:
                mark = node.marker.printed if node is not None else ""
                level["example"] = (mark + " " if mark else "") + (node.title if node is not None else example)[:30]

    for n in chosen.nodes:
        chain = []
        parent = n.parent
        while parent is not None:
            chain.insert(0, parent)
            parent = parent.parent
        chain = [a for a in chain if a.marker.style != "doc"]
        kept = [a for a in chain if id(a) not in chosen.sections]
        for a in chain:
            if id(a) in chosen.sections:
                note(a, "section")
        category = next((a for a in kept if "方面" in a.title), kept[0] if kept else None)
        for a in kept:
            note(a, "category" if a is category else "group")
        note(n, "problem")
        if n.children:
            for k in n.children:
                note(k, "measure")
        else:
            items = inline_items(text, n.content_start, n.own_end)
            for m in items:
                note(None, "measure", m.style, example=text[m.end:m.end + 30].split("\n")[0] + f"#{m.start}")
    order = {"section": 0, "category": 1, "group": 2, "problem": 3, "measure": 4}
    out = []
    for level in sorted(levels.values(), key=lambda lv: order[lv["role"]]):
        level.pop("seen")
        level["example"] = level["example"].split("#")[0]
        out.append(level)
    return out
