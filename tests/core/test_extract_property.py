"""Whatever text comes in, parse() returns a well-formed structure and never raises."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.extract.structure import parse
from tests.conftest import notice_paths

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in notice_paths()]
# Characters that steer the parser: numbering, labels, quotes, punctuation, line breaks.
ALPHABET = "一二三四五六七八九十是第关于问题的整改情况措施方面“”‘’（）()、.．。，,：:；\n 123①②甲乙下步欢迎2024年月日"


def check(text: str) -> None:
    structure = parse(text)
    previous_end = 0
    for seq, p in enumerate(structure.problems, 1):
        s, e = p.span
        ts, te = p.title_span
        assert p.seq == seq
        assert previous_end <= s < e <= len(text)
        assert s <= ts <= te <= e and text[ts:te] == p.title
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


# Known bug, open: over the genre fixtures (not only the seeds) Hypothesis finds splices where
# parse() returns problem spans out of order (a 第N个问题 run cut mid-measure by another notice's
# title). Recorded in the issue-12 note; not strict so that a fix is noticed without failing CI.
@pytest.mark.xfail(reason="problem spans out of order on some spliced genre texts (open bug)", strict=False)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(splices())
def test_random_splices_of_seed_text(text):
    check(text)
