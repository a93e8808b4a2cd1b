"""Whatever text comes in, parse() returns a well-formed structure and never raises."""
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.extract.reading import Reading
from core.extract.structure import parse
from tests.conftest import notice_paths

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in notice_paths()]
# Characters that steer the parser: numbering, labels, quotes, punctuation, line breaks.
ALPHABET = "一二三四五六七八九十是第关于问题的整改情况措施方面“”‘’（）()【】、.．。，,：:；\n 123①②甲乙下步欢迎2024年月日项条督察"


def check(text: str, choice: str | None = None) -> None:
    """Problems and their measures in document order, never overlapping, inside the text; a
    title is the notice's characters of its span (web debris such as a line broken after a
    comma left out, as ``Reading`` reads it), a measure exactly its span."""
    reading = Reading(text)
    structure = parse(text, choice=choice)
    previous_end = 0
    for seq, p in enumerate(structure.problems, 1):
        s, e = p.span
        ts, te = p.title_span
        assert p.seq == seq
        assert previous_end <= s < e <= len(text)
        assert s <= ts <= te <= e and reading.clean(ts, te) == p.title
        inner_end = s
        for mseq, m in enumerate(p.measures, 1):
            a, b = m.span
            assert m.seq == mseq
            assert inner_end <= a < b <= e and text[a:b] == m.text
            inner_end = b
        previous_end = e
    if structure.problems:
        assert structure.body_span == (structure.problems[0].span[0], structure.problems[-1].span[1])
    else:
        assert structure.doubts


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_random_genre_characters(text):
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_random_unicode(text):
    check(text)


@st.composite
def splices(draw):
    """Concatenated slices of the seed notices: headings cut in half, sections out of order."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        seed = draw(st.sampled_from(SEED_TEXTS))
        start = draw(st.integers(0, len(seed)))
        parts.append(seed[start:start + draw(st.integers(0, 3000))])
    return "".join(parts)


# Splices Hypothesis found, shrunk: the problem role moved up onto a category holding a group
# that was chosen too (nested, out-of-order problems), and a title across a line broken after
# a comma (the title drops the break, as the reader reads it).
FOUND = [
    "（三）方面\n７．位\n８．格\n（２）建立\n（３）开展\n三、算",
    "6.。整改情况：\n7.关\n整改情况：\n（一）方面\n第一问题：进\n整改情况：\n（2）。\n（3）进",
    "第二，力\n整改情况：\n第三，防\n整改情况：\n（二）方面\n3.。\n7.府\n整改情况：\n三、工",
    "1.关于的问题\n2024年8月0日\n（二）账，\n实\n（六）关于意问题",
]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(splices())
@example(FOUND[0])
@example(FOUND[1])
@example(FOUND[2])
@example(FOUND[3])
def test_random_splices_of_seed_text(text):
    """The reading chosen and every alternative the reviewer can switch to (调整层级)."""
    check(text)
    for alternative in parse(text).layout.get("alternatives", []):
        check(text, alternative["name"])


# Labels alone on their line over the problem's title (第1项 / 【问题2】), bracketed labels and a
# table copied one cell a line, as the third blind batch lays them out.
LABELLED = [
    "第1项\n督察反馈问题：甲不到位。\n整改措施：一是乙；二是丙。\n整改进展：已完成。\n第2项\n第3项\n问题：\n",
    "【问题1】\n【整改措施】\n1．甲\n【问题2】乙不到位。\n【整改措施】\n1．丙\n2．丁\n【整改结果】已完成。\n问题3\n",
    "第1条：甲。\n整改措施：\n①乙\n②丙\n第2条\n\n2024年1月8日\n",
    "序号\n审计发现的问题\n整改措施\n整改情况\n（一）甲方面\n1\n乙\n1.丙；2.丁\n已整改。\n\n三、下一步\n",
]


def test_labelled_layouts_of_the_third_blind_batch():
    for text in LABELLED:
        check(text)
        for alternative in parse(text).layout.get("alternatives", []):
            check(text, alternative["name"])
        for cut in range(0, len(text), 3):  # and every text cut short
            check(text[:cut])
