"""textutil's part-of-speech tokenizer gives jieba's own words and tags: its HMM step for unknown
characters (``textutil.viterbi``) is checked against ``jieba.posseg.viterbi.viterbi``."""
import random
import re

import jieba.posseg as posseg
from hypothesis import given, settings
from hypothesis import strategies as st
from jieba.posseg.viterbi import viterbi as jieba_viterbi

from core import textutil
from tests.conftest import notice_paths

MODEL = (posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
TEXTS = [p.read_text(encoding="utf-8") for p in notice_paths()]
HAN_RUNS = [m.group() for t in TEXTS for m in re.finditer("[\u4e00-\u9fd5]+", t)]


def test_viterbi_equals_jiebas_on_notice_wording():
    rnd = random.Random(12)
    for _ in range(400):
        run = rnd.choice(HAN_RUNS)
        start = rnd.randrange(len(run))
        obs = run[start:start + rnd.randint(1, 12)]
        assert textutil.viterbi(obs, *MODEL) == jieba_viterbi(obs, *MODEL), obs


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FD5), min_size=1, max_size=8))
def test_viterbi_equals_jiebas_on_any_characters(obs):
    # rare characters have no state table entry: every state is possible, the widest search
    assert textutil.viterbi(obs, *MODEL) == jieba_viterbi(obs, *MODEL)


def test_pos_cut_equals_jiebas_over_the_notices():
    ours = textutil.pos_tokenizer()
    theirs = posseg.POSTokenizer(textutil.tokenizer())
    lines = [line for t in TEXTS[:12] for line in t.splitlines() if line.strip()]
    assert lines
    for line in lines:
        assert [(p.word, p.flag) for p in ours.cut(line)] == [(p.word, p.flag) for p in theirs.cut(line)], line
