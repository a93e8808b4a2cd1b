"""The body of a rectification notice: its problems, their measures and where they are.

The text is read paragraph by paragraph into a numbering tree (``tree.py``). The problem
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

from dataclasses import dataclass, field

from core.extract import layout, numbering, table
from core.extract.numbering import Marker, inline_items
from core.extract.reading import Reading
from core.extract.tree import (
    CATEGORY_SUFFIX_RE, CATEGORY_TITLE_RE, CATEGORY_WRAPPER_RE, MEASURE_LABEL_RE, NOT_SECTION_RE, NOT_WRAPPER_RE, PROBLEM_PARA_RE,
    PROGRESS_SUFFIX_RE, SECTION_RE, TRIM, Node, build_tree, is_closing, node_measures, paragraphs, strip_span,
)


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
    status_span: tuple[int, int] | None = None  # a table row's progress cell, in the reading text


@dataclass
class Structure:
    problems: list[Problem]
    body_span: tuple[int, int] | None
    doubts: list[str]
    layout: dict = field(default_factory=dict)  # levels, the chosen role assignment, the runners-up


def _is_container(node: Node) -> bool:
    kids = node.children
    return any(k.about for k in kids) or (not node.about and (
        any(k.has_items or k.children for k in kids) or (bool(kids) and bool(CATEGORY_TITLE_RE.search(node.title)))
    ))


def _continues_run(node: Node, neighbour: Node) -> bool:
    """Whether a heading next to a run of 关于…问题 items is one more problem of it: it carries
    on the run's numbering and reads like a problem: a rectification label, or enumerated or
    numbered measures under a title that is not the preamble's or the closing plans'."""
    if node.marker.style != neighbour.marker.style or abs(node.marker.value - neighbour.marker.value) != 1:
        return False
    if MEASURE_LABEL_RE.search(node.text, node.content_start, node.own_end):
        return True
    return (node.has_items or bool(node.children)) and not NOT_SECTION_RE.search(node.title)


def _collect(kids: list[Node], out: list[Node]) -> None:
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


def _find_problems(roots: list[Node]) -> tuple[list[Node], set[int], list[str]]:
    """The problem nodes, the ids of section headings (not categories), and doubts.

    A problem section is chosen by its content as much as by its title: among the top-level
    headings that are not preamble or closing plans, those whose title speaks of problems or
    rectification, or that hold 关于…问题 items; when some of them hold items that read like
    problems (关于…问题, a 整改情况 label, enumerated measures), the others are dropped. With
    no such title, the headings whose items read like problems are taken."""
    if any(r.about for r in roots):
        out: list[Node] = []
        _collect(roots, out)
        return out, set(), []
    candidates = [r for r in roots if (r.children or r.item_problems) and not NOT_SECTION_RE.search(r.title)]
    likeness = {id(r): _problem_likeness(r) for r in candidates}
    sections = [r for r in candidates if SECTION_RE.search(r.title) or _subtree_has_about(r)]
    by_content = False
    if any(likeness[id(r)] for r in sections):
        sections = [r for r in sections if likeness[id(r)]]
    elif not sections:
        sections = [r for r in candidates if likeness[id(r)] >= 2]
        by_content = True
    if sections:
        out = []
        for section in sections:
            _section_items(section, out)
        if by_content and len(sections) >= 2:  # 一、X牵头整改任务 / 二、Y牵头…: headings that share the problems out are categories
            return out, set(), []
        return out, {id(r) for r in sections if "方面" not in r.title}, []
    enumerated = [r for r in roots if r.has_items]
    if len(enumerated) < 2:
        return [], set(), []
    out = []
    _collect(roots[roots.index(enumerated[0]):roots.index(enumerated[-1]) + 1], out)
    # A flat list of labelled items (问题1：… 整改措施：…) is a usual layout of its own, and so is
    # one of titled headings (【…】 or a “…” line): neither was read from bare numbered paragraphs.
    deliberate = all(n.has_labels or n.marker.style == "brk" for n in out)
    return out, set(), [] if deliberate else ["未找到问题清单的标题，按编号段落识别问题"]


def _labelled_blocks(text: str) -> list[Node]:
    """Unnumbered labelled blocks (整改任务：X / 整改目标：… / 整改措施：1、…；2、… / 完成情况：…)
    that make up a body with no numbered headings (a 销号公示): one problem per block."""
    first = PROBLEM_PARA_RE.search(text)
    if not first:
        return []
    paras = paragraphs(text)
    last = max(m.start() for m in PROBLEM_PARA_RE.finditer(text))
    end = next((s for i, (s, e) in enumerate(paras) if s > last and is_closing(text, paras, i)), len(text))
    root = Node(text, Marker("doc", 0, first.start(), first.start(), ""), first.start(), own_end=end, end=end)
    return root.item_problems


def _section_items(section: Node, out: list[Node]) -> None:
    if section.children:
        _collect(section.children, out)
    else:
        out.extend(section.item_problems)


def _problem_likeness(section: Node) -> int:
    """How many of the items a section would give read like problems."""
    out: list[Node] = []
    _section_items(section, out)
    return sum(1 for n in out if n.about or n.has_labels or n.has_items or n.children)


def _subtree_has_about(node: Node) -> bool:
    return any(k.about or _subtree_has_about(k) for k in node.children)


def _table_problems(text: str) -> tuple[list[Problem], bool]:
    """The problems of the notice's tables, and whether it has a table header at all."""
    paras = paragraphs(text)
    index = {span: i for i, span in enumerate(paras)}
    rows, has_table = table.rows(text, lambda s, e: (s, e) in index and is_closing(text, paras, index[s, e]))
    problems = []
    for seq, row in enumerate(rows, 1):
        ts, te = row.title_span
        while te > ts and text[te - 1] in TRIM:
            te -= 1
        problem = Problem(
            seq=seq, number=row.number, category=row.category and CATEGORY_SUFFIX_RE.sub("", row.category),
            group=None, title=text[ts:te], span=row.span,
            title_span=(ts, te),
            measures=[Measure(i, text[a:b], (a, b)) for i, (a, b) in enumerate(row.measure_spans, 1)],
            labelled=True,
            status_span=row.status_span,
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
    numbering.clear_cache()  # the cache serves one reading: a region is asked about many times
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
        "levels": layout.levels(text, best),
        "choice": best.name,
        "score": best.score,
        "alternatives": [{"name": c.name, "label": layout.NAMES[c.name], "score": c.score,
                          "problems": len(c.nodes)} for c in others],
    }
    return Structure(problems, body, doubts, info)


def _candidates(text: str) -> list[layout.Candidate]:
    """Role assignments to weigh: the rules' reading of the numbering tree, the labelled blocks
    as a level of their own, and the problem role one level up or down from the rules'."""
    roots = build_tree(text)
    nodes, sections, doubts = _find_problems(roots)
    if not nodes:
        nodes, doubts = _labelled_blocks(text), []
        sections = {id(n.parent) for n in nodes}
    out = [layout.Candidate("rules", nodes, sections, doubts)]
    if len(PROBLEM_PARA_RE.findall(text)) >= 2:
        lnodes = [n for n in _walk(build_tree(text, labels=True)) if n.marker.style == "lbl"]
        lsections = {id(a) for n in lnodes for a in _ancestors(n)
                     if a.parent is None and SECTION_RE.search(a.title) and "方面" not in a.title}
        if lnodes and [n.marker.start for n in lnodes] != [n.marker.start for n in nodes]:
            out.append(layout.Candidate("labels", lnodes, lsections))
    up = []
    for n in nodes:
        parent = n.parent if n.parent is not None and id(n.parent) not in sections else n
        if parent.marker.style in ("doc", "lbl") or n.marker.style in ("lbl",):
            parent = n
        if not up or up[-1] is not parent:
            up.append(parent)
    up = _outermost(up)
    if len(up) < len(nodes):
        out.append(layout.Candidate("up", up, sections))
    down = [k for n in nodes for k in (n.children or [n])]
    if len(down) > len(nodes):
        out.append(layout.Candidate("down", down, sections))
    return out


def _outermost(nodes: list[Node]) -> list[Node]:
    """``nodes`` without those inside another of them, in document order: problems never hold
    problems. Moving the role up can pick both a heading and one of its sub-headings (a problem
    right under a category and others one level deeper, under a group of the same category)."""
    chosen = {id(n) for n in nodes}
    kept = [n for n in nodes if not any(id(a) in chosen for a in _ancestors(n))]
    unique = list({id(n): n for n in kept}.values())
    return sorted(unique, key=lambda n: n.marker.start)


def _walk(nodes: list[Node]):
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _ancestors(node: Node) -> list[Node]:
    out = []
    while node.parent is not None:
        node = node.parent
        out.append(node)
    return out


def _item(text: str, node: Node) -> tuple[str, int, bool]:
    """(title, measure count, labelled) of a node read as a problem: what ``layout`` scores."""
    spans, labelled = node_measures(node)
    return node.title, len(spans), labelled or node.about or node.has_labels


def _assemble(text: str, nodes: list[Node], section_ids: set[int]) -> list[Problem]:
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
        spans, labelled = node_measures(node)
        ts, te, _, _ = node._title
        wrapper = PROGRESS_SUFFIX_RE.search(text, ts, te)
        if wrapper and wrapper.start() > ts and not NOT_WRAPPER_RE.search(text, ts, te):
            te = wrapper.start()
        s, e = strip_span(text, node.marker.start, node.end)
        problem = Problem(
            seq=seq,
            number=node.marker.printed or None,
            category=CATEGORY_SUFFIX_RE.sub("", category.title) if category else None,
            group=CATEGORY_WRAPPER_RE.sub("", group.title) if group else None,
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
