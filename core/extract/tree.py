"""The numbering tree of a notice body and what a heading node says of itself.

Paragraphs numbered 一、 (一) 1. (1) ① 第一 第1条 问题1 【问题1】 (and, when asked, unnumbered
整改任务：/问题： blocks) build a tree: a style already open is a sibling, a new style is a child.
A label alone on its line (第1项, 【问题1】) heads the paragraph below it, its title. A node knows
its title (关于…问题 and labelled wording read: 督察反馈问题：X。, a quoted “A。B。”), its own text,
its inline items and its measures (after 整改措施：/【整改措施】; a status-only 整改进展：已完成。 line
before that label is no measure).
Closing paragraphs (下一步, contact, signature, date) end the tree. ``structure`` decides which
nodes are the problems; ``layout`` weighs how well that explains the notice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from core.extract.numbering import Marker, bare_label, continued_items, heading_marker, inline_items

# 关于“X”的问题 / 关于“X”问题的整改情况 / 关于X问题: the title is X. The wrapper is the last
# 问题 of the heading (关于上轮巡察反馈问题整改不彻底的问题); only when the heading runs on
# after it with a comma does the first 问题 end the title.
_WRAPPER = r"的?问题(?:的)?(?:整改(?:落实|进展)?情况)?"
_QUOTED = r"“(?:[^“”\n]|“[^“”\n]*”)*”"  # a quotation, which may hold one level of inner quotes
# One unit of a title: a quotation (“X” ‘X’ 《X》, whose 问题 and punctuation are its own) or a character.
_TITLE_UNIT = rf"(?:{_QUOTED}|‘[^‘’\n]*’|《[^《》\n]*》|[^“‘《。：:\n])"
_ABOUT_RES = (
    re.compile(rf"关于(?P<t>{_QUOTED}{_TITLE_UNIT}*?){_WRAPPER}[。：:，,；;]?"),
    re.compile(rf"关于(?P<t>{_TITLE_UNIT}+?){_WRAPPER}(?:[。：:；;！!？?]|$)"),
    re.compile(rf"关于(?P<t>{_TITLE_UNIT}+?){_WRAPPER}[。：:，,；;]?"),
    re.compile(rf"(?P<t>{_QUOTED}){_WRAPPER}[。：:，,；;]?"),
)
_QUOTED_RE = re.compile(_QUOTED)
# 关于X方面(存在的)问题 heads a category, 关于审计发现问题的整改情况 a section: not items.
_ASPECT_RE = re.compile(r"方面(?:存在)?的?$|(?:发现|反馈|指出|提出|交办|移交|查出)(?:的)?$")
# A 方面 heading (X方面, 关于X方面存在的问题, X方面问题整改情况) names a category, never one problem.
CATEGORY_TITLE_RE = re.compile(r"方面(?:存在)?的?(?:主要)?(?:问题)?(?:整改(?:落实|进展)?情况)?$")
PROGRESS_SUFFIX_RE = re.compile(r"的?(?:问题)?的?整改(?:落实|进展)?情况$|的问题$")  # X问题整改情况, X的问题 → X
NOT_WRAPPER_RE = re.compile(r"(?:存在|方面|发现|反馈|指出|主要)的问题$")  # 存在的问题 is the title's own
CATEGORY_WRAPPER_RE = re.compile(r"^关于|(?:存在)?的?(?:主要)?问题$")  # a group's wrappers
# A category keeps its heading as written (extract-json.md: "the whole 在“…”方面"), a leading
# 关于 included; only a trailing 存在的问题 is dropped (关于X方面存在的问题 → 关于X方面).
CATEGORY_SUFFIX_RE = re.compile(r"存在的?(?:主要)?问题$")
_TITLE_END_RE = re.compile(r"[。：:；;！!？?]")
_SENTENCE_END_RE = re.compile(r"[。！!？?]")
TRIM = " \u3000\u00a0\t\n，,。；;：:、"
# A label is written 整改措施： or 【整改措施】.
_MEASURE_WORDS = r"整改(?:落实)?(?:情况|措施(?:及(?:进展|落实)(?:情况)?)?|进展(?:情况)?|成效|举措|结果)|落实情况|进展情况"
MEASURE_LABEL_RE = re.compile(
    rf"(?:^|(?<=[\n。；;]))\s*(?:【(?:{_MEASURE_WORDS})】|(?:{_MEASURE_WORDS})\s*[：:])"
)
_OUTCOME_LABEL_RE = re.compile(r"成效|结果")
_PROBLEM_LABEL = r"(?:(?:督察|巡视|巡察|审计)?(?:存在|反馈|主要|发现)?问题(?:表现|描述|内容)?|整改任务|反馈意见)\s*[：:]"
PROBLEM_LABEL_RE = re.compile(rf"\s*{_PROBLEM_LABEL}")
PROBLEM_PARA_RE = re.compile(rf"^[ \t\u3000]*(?P<l>{_PROBLEM_LABEL})", re.M)  # a paragraph starting with one
# A problem's labelled parts: a paragraph starting with one belongs to the problem being read,
# never to one of its numbered measures, and ends the measure text before it.
_FIELD_WORDS = (
    r"(?:督察|巡视|巡察|审计)?(?:存在|反馈|主要|发现)?问题(?:表现|描述|内容)?|整改任务|整改(?:落实)?(?:情况|措施|进展(?:情况)?|成效|举措|结果|目标"
    r"|时限|状态|效果|要求|类型)|整改(?:完成|销号)情况|验收(?:意见|情况)|(?:落实|进展|完成|销号)情况|(?:完成|办结)时限|责任(?:单位|领导|部门|人)"
    r"|牵头(?:单位|领导|部门)|配合单位|是否销号|备注"
)
FIELD_LABEL_RE = re.compile(rf"^[ \t\u3000]*(?:【(?:{_FIELD_WORDS})】|(?:{_FIELD_WORDS})\s*[：:])", re.M)
# A top-level heading that may hold the problems; the organisational preamble and the closing
# plans never do (总体进展, 组织领导, 工作打算, 巩固…成果, 持续抓好…), whatever else they say.
SECTION_RE = re.compile(r"问题|反馈|整改情况|整改落实|任务落实|进展|方面")
NOT_SECTION_RE = re.compile(
    r"打算|下一步|今后|组织领导|成果转化|成果运用|总体.{0,4}情况|工作开展情况|巩固.{0,10}成果|长效机制"
    r"|^(?:持续|继续|进一步)"
)
# Paragraphs after which the body is over: plans, the call for supervision, contact, chrome.
_CLOSING_RE = re.compile(
    r"(?:下一步|今后|欢迎|联系(?:方式|电话|地址|人)|公开期限|公示(?:时间|期限|期间)|特此|原文链接|来源[:：]|主办单位|承办单位|技术支持"
    r"|打印|分享到|\[?免责声明|版权所有|附件[:：])"
)
_DATE_LINE_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}-\d{1,2}-\d{1,2}")
_SIGNATURE_RE = re.compile(r"[^，,。：:；;！!？?]{2,40}")


@dataclass(eq=False)
class Node:
    text: str
    marker: Marker
    para_end: int                   # end of the heading paragraph
    parent: Node | None = None
    own_end: int = 0                # end of its own text, before the first child heading
    end: int = 0                    # end of its whole subtree
    children: list[Node] = field(default_factory=list)
    measures: tuple | None = None   # (measure spans, labelled), once asked for

    @cached_property
    def _title(self) -> tuple[int, int, int, bool]:
        """(title start, title end, content start, is a 关于…问题 item)."""
        text, pos, stop = self.text, self.marker.end, self.para_end
        if self.marker.style == "brk":  # 【title】
            stop -= 1
        label = PROBLEM_LABEL_RE.match(text, pos, stop)
        if label:
            pos = label.end()
            line_end = text.find("\n", pos, stop)  # a labelled problem is its own line
            stop = stop if line_end < 0 else line_end
        m = next((m for r in _ABOUT_RES if (m := r.match(text, pos, stop))), None)
        if m and not _ASPECT_RE.search(m.group("t")):
            s, e = m.span("t")
            if _QUOTED_RE.fullmatch(text, s, e):
                s, e = s + 1, e - 1
            return s, e, m.end(), True
        if label:  # 督察反馈问题：“A。B。” — the quotation filling the line is the title, sentences and all
            q = _QUOTED_RE.match(text, pos + len(text[pos:stop]) - len(text[pos:stop].lstrip(" \u3000")), stop)
            if q and not text[q.end():stop].strip(TRIM):
                s, e = q.start() + 1, q.end() - 1
                while e > s and text[e - 1] in TRIM:
                    e -= 1
                if s < e:
                    return s, e, q.end(), False
        # A labelled problem (存在问题：A；B。) is the whole sentence.
        cut = (_SENTENCE_END_RE if label else _TITLE_END_RE).search(text, pos, stop)
        end = cut.start() if cut else stop
        items = inline_items(text, pos, end)
        if items:
            end = items[0].start
        content = cut.end() if cut and cut.start() == end else end
        if self.marker.style == "brk" and end == stop:  # the closing 】 / ” is the title's, not content
            content = self.para_end
        while end > pos and text[end - 1] in TRIM:
            end -= 1
        return pos, end, content, False

    @property
    def title(self) -> str:
        s, e, _, _ = self._title
        return self.text[s:e]

    @property
    def about(self) -> bool:
        return self._title[3]

    @property
    def content_start(self) -> int:
        return self._title[2]

    @property
    def has_labels(self) -> bool:
        """A labelled problem (存在问题：…, 整改措施：…) or a 关于…问题 item: what labelled paragraphs belong to."""
        return self.about or bool(
            PROBLEM_LABEL_RE.match(self.text, self.marker.end, self.para_end)
            or MEASURE_LABEL_RE.search(self.text, self.marker.end, self.own_end)
        )

    @cached_property
    def item_problems(self) -> list[Node]:
        """Problems printed as the inline items of its own text, one node per item, else []:
        items that each name a quoted problem and what was done about it (一是“X”的问题，已…；
        二是“Y”的问题，已…), or, under a 方面 heading, items that each hold their own
        整改情况: label (一是X。整改情况：…\n二是Y。整改情况：…); or unnumbered labelled
        blocks (存在问题：X\n整改措施：…\n存在问题：Y\n整改措施：…)."""
        if self.children or self.about:
            return []
        text, start, end = self.text, self.content_start, self.own_end
        inline = self._item_nodes(inline_items(text, start, end))
        if inline and all(n.about and text[n.content_start:n.own_end].strip(TRIM) for n in inline):
            return inline
        blocks = [m.start("l") for m in PROBLEM_PARA_RE.finditer(text, start, end)]
        blocks = self._item_nodes([Marker("lbl", i, s, s, "") for i, s in enumerate(blocks, 1)])
        for nodes in (inline if CATEGORY_TITLE_RE.search(self.title) else [], blocks):
            if len(nodes) >= 2 and all(MEASURE_LABEL_RE.search(text, n.content_start, n.own_end) for n in nodes):
                return nodes
        return []

    def _item_nodes(self, marks: list[Marker]) -> list[Node]:
        stops = [m.start for m in marks[1:]] + [self.own_end]
        return [Node(self.text, m, stop, parent=self, own_end=stop, end=stop) for m, stop in zip(marks, stops)]

    @cached_property
    def has_items(self) -> bool:
        """Its own text looks like a problem's: a rectification label or enumerated measures."""
        start, end = self.content_start, self.own_end
        return bool(MEASURE_LABEL_RE.search(self.text, start, end) or inline_items(self.text, start, end))


def paragraphs(text: str) -> list[tuple[int, int]]:
    paras = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            paras.append((s, e))
    return paras


def is_closing(text: str, paras: list[tuple[int, int]], i: int) -> bool:
    s, e = paras[i]
    if _CLOSING_RE.match(text, s, e) or _DATE_LINE_RE.fullmatch(text, s, e):
        return True
    nxt = paras[i + 1] if i + 1 < len(paras) else None  # a signature: a short line above the date
    return bool(nxt and _SIGNATURE_RE.fullmatch(text, s, e) and _DATE_LINE_RE.fullmatch(text, *nxt))


def _continues(marker: Marker, markers: list[Marker | None], i: int, stack: list[Node]) -> bool:
    """Whether a mark that could be a decimal (1.2023年…) is a heading: item 1 when the next
    arabic heading is 2, a later item when it follows the open arabic heading."""
    if marker.value == 1:
        nxt = next((m for m in markers[i + 1:] if m and m.style == "ar"), None)
        return bool(nxt and nxt.value == 2)
    return any(n.marker.style == "ar" and n.marker.value == marker.value - 1 for n in stack)


def build_tree(text: str, labels: bool = False) -> list[Node]:
    """The heading tree of ``text``; with ``labels``, an unnumbered 整改任务：/问题： paragraph is a
    heading of its own level (a block list whose measures are numbered paragraphs)."""
    roots: list[Node] = []
    stack: list[Node] = []
    paras = paragraphs(text)
    markers = [heading_marker(text, s, e) for s, e in paras]
    for i in range(len(paras) - 2, -1, -1):  # 第1项 alone on its line: the next paragraph is its title
        if markers[i] is None and markers[i + 1] is None and not is_closing(text, paras, i + 1):
            bare = bare_label(text, *paras[i])
            if bare is not None:
                title_start = paras[i + 1][0]
                paras[i:i + 2] = [(paras[i][0], paras[i + 1][1])]
                markers[i:i + 2] = [Marker(bare.style, bare.value, bare.start, title_start, bare.printed)]
    if labels:
        blocks = 0
        for i, (s, e) in enumerate(paras):
            if markers[i] is None and PROBLEM_LABEL_RE.match(text, s, e):
                blocks += 1
                markers[i] = Marker("lbl", blocks, s, s, "")
    for i, (s, e) in enumerate(paras):
        marker = markers[i]
        if marker is not None and marker.decimal and not _continues(marker, markers, i, stack):
            marker = None
        if marker is None:
            if stack and is_closing(text, paras, i):
                stack = []
            elif stack:
                if FIELD_LABEL_RE.match(text, s, e) and not stack[-1].has_labels:
                    owner = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].has_labels), None)
                    if owner is not None:
                        del stack[owner + 1:]
                for node in stack:
                    node.end = e
                if not stack[-1].children:  # text after its children is not its own text
                    stack[-1].own_end = e
            continue
        styles = [n.marker.style for n in stack]
        if marker.style in styles:
            del stack[styles.index(marker.style):]
        node = Node(text, marker, e, parent=stack[-1] if stack else None, own_end=e, end=e)
        (stack[-1].children if stack else roots).append(node)
        for open_node in stack:
            open_node.end = e
        stack.append(node)
    return roots


def strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in TRIM:
        s += 1
    while e > s and text[e - 1] in " \u3000\u00a0\t\n":
        e -= 1
    return s, e


def node_measures(node: Node) -> tuple[list[tuple[int, int]], bool]:
    """Measure spans of a problem node and whether a rectification label was found."""
    if node.measures is None:  # asked by the layout scoring and by the assembly
        node.measures = _measure_spans(node)
    return node.measures


_ACTION_LABEL_RE = re.compile(r"措施|举措")
_STATUS_LINE_MAX = 20  # a progress label's line this short states a status, not measures


def _measure_label(text: str, start: int, end: int) -> re.Match | None:
    """The label the measures follow: the first one, or a 整改措施：/整改举措： label after a
    progress label whose line is only a status (整改进展情况：已完成。\n整改措施：\n1．…)."""
    labels = list(MEASURE_LABEL_RE.finditer(text, start, end))
    if len(labels) >= 2 and not _ACTION_LABEL_RE.search(labels[0].group()):
        action = next((m for m in labels[1:] if _ACTION_LABEL_RE.search(m.group())), None)
        between = text[labels[0].end():action.start()].strip(TRIM) if action is not None else ""
        if 0 < len(between) <= _STATUS_LINE_MAX and "\n" not in between:
            return action
    return labels[0] if labels else None


def _measure_spans(node: Node) -> tuple[list[tuple[int, int]], bool]:
    text = node.text
    start, end = node.content_start, node.own_end
    label = _measure_label(text, start, end)
    if label and _OUTCOME_LABEL_RE.search(label.group()) and text[start:label.start()].strip(TRIM):
        end, label = label.start(), None  # 整改成效：… after the measures is not one of them
    if label:
        start = label.end()
        after = FIELD_LABEL_RE.search(text, start, end)  # 整改成效：… 整改状态：… after the measures
        if after:
            end = after.start()
    intro = strip_span(text, start, end)
    if node.children:
        spans = []
        for k in node.children:  # a child ⑴… that goes on ⑵…⑶… in its own paragraph holds several
            bounds = [k.marker.end] + [m.end for m in continued_items(text, k.marker.end, k.own_end,
                                                                       k.marker.style, k.marker.value)]
            stops = [m.start for m in continued_items(text, k.marker.end, k.own_end, k.marker.style,
                                                      k.marker.value)] + [k.end]
            spans += [strip_span(text, a, b) for a, b in zip(bounds, stops)]
        first = node.children[0]
        lead = continued_items(text, intro[0], intro[1], first.marker.style, 0) if first.marker.value > 1 else []
        if lead and lead[-1].value == first.marker.value - 1:
            # 整改措施：intro。①…\n②…\n③…: the run starts inline in the label's paragraph and
            # goes on in paragraphs of its own; the intro belongs to ①
            bounds = [intro[0]] + [m.end for m in lead[1:]]
            stops = [m.start for m in lead[1:]] + [first.marker.start]
            spans = [strip_span(text, a, b) for a, b in zip(bounds, stops)] + spans
        elif intro[0] < intro[1]:
            spans[0] = (intro[0], spans[0][1])
    else:
        items = inline_items(text, start, end)
        bounds = [m.end for m in items] or [intro[0]]
        stops = [m.start for m in items[1:]] + [end]
        spans = [strip_span(text, s, e) for s, e in zip(bounds, stops)]
        if items and intro[0] < items[0].start:
            spans[0] = (intro[0], spans[0][1])
    return [sp for sp in spans if sp[0] < sp[1]], bool(label)
