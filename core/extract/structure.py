"""The body of a rectification notice: its problems, their measures and where they are.

The text is read paragraph by paragraph. Numbered paragraphs (一、 (一) 1. (1) ① 第一) build
a heading tree: a style already open is a sibling, a new style is a child. The problem
section is a top-level heading that speaks of problems / rectification progress (or the
top level itself when it holds 关于“…”问题 items); inside it, the items that hold measures
are the problems, and the headings above them are their category (方面) and group.
Measures are the numbered paragraphs under a problem, or its inline 一是/二是… runs, or
its whole rectification text when that is not enumerated. A heading whose own text lists
its problems inline (一是“X”的问题，已…; 一是X。整改情况：… under a 方面 heading) or as
unnumbered 存在问题：/整改措施： blocks gives one problem per item. A notice that lists its problems
in a table (``table.py``) is read from the table alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from core.extract import layout, table
from core.extract.numbering import Marker, continued_items, heading_marker, inline_items
from core.extract.reading import Reading

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
_CATEGORY_TITLE_RE = re.compile(r"方面(?:存在)?的?(?:主要)?(?:问题)?(?:整改(?:落实|进展)?情况)?$")
_PROGRESS_SUFFIX_RE = re.compile(r"的?(?:问题)?的?整改(?:落实|进展)?情况$|的问题$")  # X问题整改情况, X的问题 → X
_NOT_WRAPPER_RE = re.compile(r"(?:存在|方面|发现|反馈|指出|主要)的问题$")  # 存在的问题 is the title's own
_CATEGORY_WRAPPER_RE = re.compile(r"^关于|(?:存在)?的?(?:主要)?问题$")
_TITLE_END_RE = re.compile(r"[。：:；;！!？?]")
_SENTENCE_END_RE = re.compile(r"[。！!？?]")
_TRIM = " \u3000\u00a0\t\n，,。；;：:、"
MEASURE_LABEL_RE = re.compile(
    r"(?:^|(?<=[\n。；;]))\s*(?:整改(?:落实)?(?:情况|措施|进展(?:情况)?|成效|举措|结果)|落实情况|进展情况)\s*[：:]"
)
_OUTCOME_LABEL_RE = re.compile(r"成效|结果")
_PROBLEM_LABEL = r"(?:(?:存在|反馈|主要)?问题(?:表现|描述|内容)?|整改任务|反馈意见)\s*[：:]"
PROBLEM_LABEL_RE = re.compile(rf"\s*{_PROBLEM_LABEL}")
_PROBLEM_PARA_RE = re.compile(rf"^[ \t\u3000]*(?P<l>{_PROBLEM_LABEL})", re.M)  # a paragraph starting with one
# A problem's labelled parts: a paragraph starting with one belongs to the problem being read,
# never to one of its numbered measures, and ends the measure text before it.
FIELD_LABEL_RE = re.compile(
    r"^[ \t\u3000]*(?:(?:存在|反馈|主要)?问题(?:表现|描述|内容)?|整改任务|整改(?:落实)?(?:情况|措施|进展(?:情况)?|成效|举措|结果|目标"
    r"|时限|状态|效果|要求|类型)|整改(?:完成|销号)情况|验收(?:意见|情况)|(?:落实|进展|完成|销号)情况|(?:完成|办结)时限|责任(?:单位|领导|部门|人)"
    r"|牵头(?:单位|领导|部门)|配合单位|是否销号|备注)\s*[：:]",
    re.M,
)
# A top-level heading that may hold the problems; the organisational preamble and the closing
# plans never do (总体进展, 组织领导, 工作打算, 巩固…成果, 持续抓好…), whatever else they say.
_SECTION_RE = re.compile(r"问题|反馈|整改情况|整改落实|任务落实|进展|方面")
_NOT_SECTION_RE = re.compile(
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


@dataclass
class Measure:
    seq: int
    text: str
    span: tuple[int, int]
    read: str = ""  # the text as the reader read it (simplified characters): what fields are taken from
    read_span: tuple[int, int] = (0, 0)  # its span in the reading text


@dataclass
class Problem:
    seq: int
    number: str | None
    category: str | None
    group: str | None
    title: str
    span: tuple[int, int]
    title_span: tuple[int, int]
    measures: list[Measure]
    labelled: bool      # 关于…问题 wording, a 整改情况: label or enumerated measures: the usual layouts
    doubts: list[str] = field(default_factory=list)
    read_span: tuple[int, int] = (0, 0)  # the span in the reading text (``reading.Reading``)


@dataclass
class Structure:
    problems: list[Problem]
    body_span: tuple[int, int] | None
    doubts: list[str]
    layout: dict = field(default_factory=dict)  # levels, the chosen role assignment, the runners-up


@dataclass(eq=False)
class _Node:
    text: str
    marker: Marker
    para_end: int                   # end of the heading paragraph
    parent: _Node | None = None
    own_end: int = 0                # end of its own text, before the first child heading
    end: int = 0                    # end of its whole subtree
    children: list[_Node] = field(default_factory=list)
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
        # A labelled problem (存在问题：A；B。) is the whole sentence.
        cut = (_SENTENCE_END_RE if label else _TITLE_END_RE).search(text, pos, stop)
        end = cut.start() if cut else stop
        items = inline_items(text, pos, end)
        if items:
            end = items[0].start
        content = cut.end() if cut and cut.start() == end else end
        while end > pos and text[end - 1] in _TRIM:
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
    def item_problems(self) -> list[_Node]:
        """Problems printed as the inline items of its own text, one node per item, else []:
        items that each name a quoted problem and what was done about it (一是“X”的问题，已…；
        二是“Y”的问题，已…), or, under a 方面 heading, items that each hold their own
        整改情况: label (一是X。整改情况：…\n二是Y。整改情况：…); or unnumbered labelled
        blocks (存在问题：X\n整改措施：…\n存在问题：Y\n整改措施：…)."""
        if self.children or self.about:
            return []
        text, start, end = self.text, self.content_start, self.own_end
        inline = self._item_nodes(inline_items(text, start, end))
        if inline and all(n.about and text[n.content_start:n.own_end].strip(_TRIM) for n in inline):
            return inline
        blocks = [m.start("l") for m in _PROBLEM_PARA_RE.finditer(text, start, end)]
        blocks = self._item_nodes([Marker("lbl", i, s, s, "") for i, s in enumerate(blocks, 1)])
        for nodes in (inline if _CATEGORY_TITLE_RE.search(self.title) else [], blocks):
            if len(nodes) >= 2 and all(MEASURE_LABEL_RE.search(text, n.content_start, n.own_end) for n in nodes):
                return nodes
        return []

    def _item_nodes(self, marks: list[Marker]) -> list[_Node]:
        stops = [m.start for m in marks[1:]] + [self.own_end]
        return [_Node(self.text, m, stop, parent=self, own_end=stop, end=stop) for m, stop in zip(marks, stops)]

    @cached_property
    def has_items(self) -> bool:
        """Its own text looks like a problem's: a rectification label or enumerated measures."""
        start, end = self.content_start, self.own_end
        return bool(MEASURE_LABEL_RE.search(self.text, start, end) or inline_items(self.text, start, end))


def _paragraphs(text: str) -> list[tuple[int, int]]:
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


def _is_closing(text: str, paras: list[tuple[int, int]], i: int) -> bool:
    s, e = paras[i]
    if _CLOSING_RE.match(text, s, e) or _DATE_LINE_RE.fullmatch(text, s, e):
        return True
    nxt = paras[i + 1] if i + 1 < len(paras) else None  # a signature: a short line above the date
    return bool(nxt and _SIGNATURE_RE.fullmatch(text, s, e) and _DATE_LINE_RE.fullmatch(text, *nxt))


def _continues(marker: Marker, markers: list[Marker | None], i: int, stack: list[_Node]) -> bool:
    """Whether a mark that could be a decimal (1.2023年…) is a heading: item 1 when the next
    arabic heading is 2, a later item when it follows the open arabic heading."""
    if marker.value == 1:
        nxt = next((m for m in markers[i + 1:] if m and m.style == "ar"), None)
        return bool(nxt and nxt.value == 2)
    return any(n.marker.style == "ar" and n.marker.value == marker.value - 1 for n in stack)


def _tree(text: str, labels: bool = False) -> list[_Node]:
    """The heading tree of ``text``; with ``labels``, an unnumbered 整改任务：/问题： paragraph is a
    heading of its own level (a block list whose measures are numbered paragraphs)."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    paras = _paragraphs(text)
    markers = [heading_marker(text, s, e) for s, e in paras]
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
            if stack and _is_closing(text, paras, i):
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
        node = _Node(text, marker, e, parent=stack[-1] if stack else None, own_end=e, end=e)
        (stack[-1].children if stack else roots).append(node)
        for open_node in stack:
            open_node.end = e
        stack.append(node)
    return roots


def _is_container(node: _Node) -> bool:
    kids = node.children
    return any(k.about for k in kids) or (not node.about and (
        any(k.has_items or k.children for k in kids) or (bool(kids) and bool(_CATEGORY_TITLE_RE.search(node.title)))
    ))


def _continues_run(node: _Node, neighbour: _Node) -> bool:
    """Whether a heading next to a run of 关于…问题 items is one more problem of it: it carries
    on the run's numbering and reads like a problem: a rectification label, or enumerated or
    numbered measures under a title that is not the preamble's or the closing plans'."""
    if node.marker.style != neighbour.marker.style or abs(node.marker.value - neighbour.marker.value) != 1:
        return False
    if MEASURE_LABEL_RE.search(node.text, node.content_start, node.own_end):
        return True
    return (node.has_items or bool(node.children)) and not _NOT_SECTION_RE.search(node.title)


def _collect(kids: list[_Node], out: list[_Node]) -> None:
    about = [i for i, k in enumerate(kids) if k.about]
    if about:  # the run of 关于…问题 items and the problems numbered on from it; not the headings around it
        first, last = about[0], about[-1]
        while first > 0 and _continues_run(kids[first - 1], kids[first]):
            first -= 1
        while last + 1 < len(kids) and _continues_run(kids[last + 1], kids[last]):
            last += 1
        kids = kids[first:last + 1]
    for k in kids:
        if _is_container(k):
            _collect(k.children, out)
        elif k.item_problems:
            out.extend(k.item_problems)
        else:
            out.append(k)


def _find_problems(roots: list[_Node]) -> tuple[list[_Node], set[int], list[str]]:
    """The problem nodes, the ids of section headings (not categories), and doubts.

    A problem section is chosen by its content as much as by its title: among the top-level
    headings that are not preamble or closing plans, those whose title speaks of problems or
    rectification, or that hold 关于…问题 items; when some of them hold items that read like
    problems (关于…问题, a 整改情况 label, enumerated measures), the others are dropped. With
    no such title, the headings whose items read like problems are taken."""
    if any(r.about for r in roots):
        out: list[_Node] = []
        _collect(roots, out)
        return out, set(), []
    candidates = [r for r in roots if (r.children or r.item_problems) and not _NOT_SECTION_RE.search(r.title)]
    likeness = {id(r): _problem_likeness(r) for r in candidates}
    sections = [r for r in candidates if _SECTION_RE.search(r.title) or _subtree_has_about(r)]
    if any(likeness[id(r)] for r in sections):
        sections = [r for r in sections if likeness[id(r)]]
    elif not sections:
        sections = [r for r in candidates if likeness[id(r)] >= 2]
    if sections:
        out = []
        for section in sections:
            _section_items(section, out)
        return out, {id(r) for r in sections if "方面" not in r.title}, []
    enumerated = [r for r in roots if r.has_items]
    if len(enumerated) < 2:
        return [], set(), []
    out = []
    _collect(roots[roots.index(enumerated[0]):roots.index(enumerated[-1]) + 1], out)
    # A flat list of labelled items (问题1：… 整改措施：…) is a usual layout of its own.
    return out, set(), [] if all(n.has_labels for n in out) else ["未找到问题清单的标题，按编号段落识别问题"]


def _labelled_blocks(text: str) -> list[_Node]:
    """Unnumbered labelled blocks (整改任务：X / 整改目标：… / 整改措施：1、…；2、… / 完成情况：…)
    that make up a body with no numbered headings (a 销号公示): one problem per block."""
    first = _PROBLEM_PARA_RE.search(text)
    if not first:
        return []
    paras = _paragraphs(text)
    last = max(m.start() for m in _PROBLEM_PARA_RE.finditer(text))
    end = next((s for i, (s, e) in enumerate(paras) if s > last and _is_closing(text, paras, i)), len(text))
    root = _Node(text, Marker("doc", 0, first.start(), first.start(), ""), first.start(), own_end=end, end=end)
    return root.item_problems


def _section_items(section: _Node, out: list[_Node]) -> None:
    if section.children:
        _collect(section.children, out)
    else:
        out.extend(section.item_problems)


def _problem_likeness(section: _Node) -> int:
    """How many of the items a section would give read like problems."""
    out: list[_Node] = []
    _section_items(section, out)
    return sum(1 for n in out if n.about or n.has_labels or n.has_items or n.children)


def _subtree_has_about(node: _Node) -> bool:
    return any(k.about or _subtree_has_about(k) for k in node.children)


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in " \u3000\u00a0\t\n":
        e -= 1
    return s, e


def _measures(node: _Node) -> tuple[list[tuple[int, int]], bool]:
    """Measure spans of a problem node and whether a rectification label was found."""
    if node.measures is None:  # asked by the layout scoring and by the assembly
        node.measures = _node_measures(node)
    return node.measures


def _node_measures(node: _Node) -> tuple[list[tuple[int, int]], bool]:
    text = node.text
    start, end = node.content_start, node.own_end
    label = MEASURE_LABEL_RE.search(text, start, end)
    if label and _OUTCOME_LABEL_RE.search(label.group()) and text[start:label.start()].strip(_TRIM):
        end, label = label.start(), None  # 整改成效：… after the measures is not one of them
    if label:
        start = label.end()
        after = FIELD_LABEL_RE.search(text, start, end)  # 整改成效：… 整改状态：… after the measures
        if after:
            end = after.start()
    intro = _strip_span(text, start, end)
    if node.children:
        spans = []
        for k in node.children:  # a child ⑴… that goes on ⑵…⑶… in its own paragraph holds several
            bounds = [k.marker.end] + [m.end for m in continued_items(text, k.marker.end, k.own_end,
                                                                       k.marker.style, k.marker.value)]
            stops = [m.start for m in continued_items(text, k.marker.end, k.own_end, k.marker.style,
                                                      k.marker.value)] + [k.end]
            spans += [_strip_span(text, a, b) for a, b in zip(bounds, stops)]
        if intro[0] < intro[1]:
            spans[0] = (intro[0], spans[0][1])
    else:
        items = inline_items(text, start, end)
        bounds = [m.end for m in items] or [intro[0]]
        stops = [m.start for m in items[1:]] + [end]
        spans = [_strip_span(text, s, e) for s, e in zip(bounds, stops)]
        if items and intro[0] < items[0].start:
            spans[0] = (intro[0], spans[0][1])
    return [sp for sp in spans if sp[0] < sp[1]], bool(label)


def _table_problems(text: str) -> tuple[list[Problem], bool]:
    """The problems of the notice's tables, and whether it has a table header at all."""
    paras = _paragraphs(text)
    index = {span: i for i, span in enumerate(paras)}
    rows, has_table = table.rows(text, lambda s, e: (s, e) in index and _is_closing(text, paras, index[s, e]))
    problems = []
    for seq, row in enumerate(rows, 1):
        ts, te = row.title_span
        while te > ts and text[te - 1] in _TRIM:
            te -= 1
        problem = Problem(
            seq=seq, number=row.number, category=row.category and _CATEGORY_WRAPPER_RE.sub("", row.category),
            group=None, title=text[ts:te], span=row.span,
            title_span=(ts, te),
            measures=[Measure(i, text[a:b], (a, b)) for i, (a, b) in enumerate(row.measure_spans, 1)],
            labelled=True,
        )
        problem.doubts = _doubts(problem)
        problems.append(problem)
    return problems, has_table


def parse(text: str, reading: Reading | None = None, *, choice: str | None = None) -> Structure:
    """The structure of ``text``, read through ``Reading`` (debris removed, 繁體 converted);
    every span indexes ``text`` and every title and measure keeps the notice's characters.
    ``choice`` names a role assignment of ``layout.NAMES`` to read instead of the best-scoring
    one (the reviewer's 调整层级); an assignment the notice does not offer is ignored."""
    reading = reading or Reading(text)
    structure = _parse(reading.text, choice)
    for p in structure.problems:
        _own(reading, p)
    if structure.body_span:
        structure.body_span = reading.span(*structure.body_span)
    return structure


def _own(reading: Reading, p: Problem) -> None:
    """Problem ``p`` as read in ``reading.text``, moved onto the notice's own text."""
    p.read_span = p.span
    for m in p.measures:
        m.read, m.read_span = m.text, m.span
        if reading.changed:  # a measure is its span of the notice, as printed (titles drop the debris)
            m.span = reading.span(*m.span)
            m.text = reading.original[m.span[0]:m.span[1]]
    if not reading.changed:
        return
    ts, te = p.title_span
    p.title = reading.chars(ts, te)
    p.category = reading.own_of(p.category)
    p.group = reading.own_of(p.group)
    p.title_span = reading.span(ts, te)
    p.span = reading.span(*p.span)


def _parse(text: str, choice: str | None = None) -> Structure:
    inline_items.cache_clear()  # the cache serves one reading: a region is asked about many times
    problems, has_table = _table_problems(text)
    if problems:
        body = (problems[0].span[0], problems[-1].span[1])
        return Structure(problems, body, [], {"levels": [], "choice": "table", "alternatives": []})
    candidates = _candidates(text)
    for c in candidates:
        c.score = layout.score([_item(text, n) for n in c.nodes])
    best, others, layout_doubts = layout.choose(candidates)
    forced = next((c for c in candidates if c.name == choice), None)
    if forced is not None and forced is not best:
        others = [best] + [c for c in others if c is not forced]
        best, layout_doubts = forced, []
    problems = _assemble(text, best.nodes, best.sections)
    doubts = best.doubts + layout_doubts
    if has_table:
        doubts.append("通报中有问题表格，但未能逐行识别，请核对问题和措施")
    if not problems:
        doubts.append("未识别出反馈问题，请检查通报格式或手工添加问题")
    body = (problems[0].span[0], problems[-1].span[1]) if problems else None
    info = {
        "levels": _levels(text, best),
        "choice": best.name,
        "score": best.score,
        "alternatives": [{"name": c.name, "label": layout.NAMES[c.name], "score": c.score,
                          "problems": len(c.nodes)} for c in others],
    }
    return Structure(problems, body, doubts, info)


def _candidates(text: str) -> list[layout.Candidate]:
    """Role assignments to weigh: the rules' reading of the numbering tree, the labelled blocks
    as a level of their own, and the problem role one level up or down from the rules'."""
    roots = _tree(text)
    nodes, sections, doubts = _find_problems(roots)
    if not nodes:
        nodes, doubts = _labelled_blocks(text), []
        sections = {id(n.parent) for n in nodes}
    out = [layout.Candidate("rules", nodes, sections, doubts)]
    if len(_PROBLEM_PARA_RE.findall(text)) >= 2:
        lnodes = [n for n in _walk(_tree(text, labels=True)) if n.marker.style == "lbl"]
        lsections = {id(a) for n in lnodes for a in _ancestors(n)
                     if a.parent is None and _SECTION_RE.search(a.title) and "方面" not in a.title}
        if lnodes and [n.marker.start for n in lnodes] != [n.marker.start for n in nodes]:
            out.append(layout.Candidate("labels", lnodes, lsections))
    up = []
    for n in nodes:
        parent = n.parent if n.parent is not None and id(n.parent) not in sections else n
        if parent.marker.style in ("doc", "lbl") or n.marker.style in ("lbl",):
            parent = n
        if not up or up[-1] is not parent:
            up.append(parent)
    if len(up) < len(nodes):
        out.append(layout.Candidate("up", up, sections))
    down = [k for n in nodes for k in (n.children or [n])]
    if len(down) > len(nodes):
        out.append(layout.Candidate("down", down, sections))
    return out


def _walk(nodes: list[_Node]):
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _ancestors(node: _Node) -> list[_Node]:
    out = []
    while node.parent is not None:
        node = node.parent
        out.append(node)
    return out


def _item(text: str, node: _Node) -> tuple[str, int, bool]:
    """(title, measure count, labelled) of a node read as a problem: what ``layout`` scores."""
    spans, labelled = _measures(node)
    return node.title, len(spans), labelled or node.about or node.has_labels


_ROLE_NAMES = {"section": "部分", "category": "类别", "group": "分组", "problem": "问题", "measure": "措施"}


def _levels(text: str, chosen: layout.Candidate) -> list[dict]:
    """The numbering levels above and below the chosen problems: style, role, count, an example."""
    levels: dict[tuple[str, str], dict] = {}

    def note(node: _Node | None, role: str, style: str | None = None, example: str = "") -> None:
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


def _assemble(text: str, nodes: list[_Node], section_ids: set[int]) -> list[Problem]:
    problems = []
    for seq, node in enumerate(nodes, 1):
        chain = []
        parent = node.parent
        while parent is not None:
            if id(parent) not in section_ids and parent.marker.style != "doc":
                chain.insert(0, parent)
            parent = parent.parent
        category = next((a for a in chain if "方面" in a.title), chain[0] if chain else None)
        group = chain[-1] if chain and chain[-1] is not category else None
        spans, labelled = _measures(node)
        ts, te, _, _ = node._title
        wrapper = _PROGRESS_SUFFIX_RE.search(text, ts, te)
        if wrapper and wrapper.start() > ts and not _NOT_WRAPPER_RE.search(text, ts, te):
            te = wrapper.start()
        s, e = _strip_span(text, node.marker.start, node.end)
        problem = Problem(
            seq=seq,
            number=node.marker.printed or None,
            category=_CATEGORY_WRAPPER_RE.sub("", category.title) if category else None,
            group=_CATEGORY_WRAPPER_RE.sub("", group.title) if group else None,
            title=text[ts:te],
            span=(s, max(e, te)),
            title_span=(ts, te),
            measures=[Measure(i, text[a:b], (a, b)) for i, (a, b) in enumerate(spans, 1)],
            labelled=labelled or node.about or len(spans) >= 2,
        )
        problem.doubts = _doubts(problem)
        problems.append(problem)
    return problems


def _doubts(problem: Problem) -> list[str]:
    doubts = []
    if not problem.measures:
        doubts.append("未识别出整改措施")
    if len(problem.title) > 60:
        doubts.append("标题过长")
    elif len(problem.title) < 4:
        doubts.append("标题过短")
    if "。" in problem.title:
        doubts.append("标题含句号")
    if not problem.labelled:
        doubts.append("格式少见")
    return doubts
