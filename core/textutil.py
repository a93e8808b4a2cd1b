"""Chinese text helpers on top of jieba, loaded lazily and once.

jieba costs about 0.6 s to load (less with its cache), so nothing imports it at start-up:
the first caller pays, and the cache lives in the user cache folder.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

from core import paths
from core.errors import ExpectedError

log = logging.getLogger(__name__)

_lock = threading.Lock()
_tokenizer = None
_pos_tokenizer = None

# Words jieba's default dictionary splits badly in this genre; added with a high frequency.
GENRE_WORDS = (
    "充电桩", "巡视组", "巡察组", "整改台账", "党工委", "党组", "纪工委", "纪检监察组",
    "一岗双责", "两个维护", "第一议题", "三重一大", "立行立改", "限期整改", "长期坚持",
    "经信局", "发改局", "科创局", "投促局", "水务局", "城管局", "住建局", "自然资源和规划局",
)


def tokenizer():
    """The shared jieba Tokenizer, initialised on first use with its cache in the cache folder."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                _initialize(tk)
                for word in GENRE_WORDS:
                    tk.add_word(word, freq=50000)
                _tokenizer = tk
    return _tokenizer


CACHE_NAME = "jieba.cache"


def _initialize(tk) -> None:
    """Load jieba's dictionary, from the cache in the cache folder when there is one.

    jieba writes a missing cache through a temporary file that it leaves behind when the write
    fails (disk full) and reports with a traceback on stderr. So it writes into a private
    folder that is always removed, its logger is quiet meanwhile, and the finished cache is
    moved into place here. Without a usable cache folder it simply runs without a cache."""
    import jieba

    try:
        cache_dir = paths.cache_dir()
    except ExpectedError as exc:
        log.info("jieba runs without a cache: %s", exc)
        cache_dir = None
    if cache_dir is not None and (cache_dir / CACHE_NAME).is_file():
        tk.tmp_dir, tk.cache_file = str(cache_dir), CACHE_NAME
        tk.initialize()
        return
    private = None
    try:
        private = Path(tempfile.mkdtemp(prefix=".jieba-", dir=cache_dir))
    except OSError:
        private = Path(tempfile.mkdtemp(prefix="zgtz-jieba-"))
        cache_dir = None  # the cache folder is not writable: nothing to keep
    jieba_log, level = jieba.default_logger, jieba.default_logger.level
    jieba_log.setLevel(logging.CRITICAL)
    try:
        tk.tmp_dir, tk.cache_file = str(private), CACHE_NAME
        tk.initialize()
        built = private / CACHE_NAME
        if cache_dir is not None and built.is_file():
            try:
                os.replace(built, cache_dir / CACHE_NAME)
            except OSError as exc:
                log.info("jieba cache not kept: %s", exc)
    finally:
        jieba_log.setLevel(level)
        shutil.rmtree(private, ignore_errors=True)


def pos_tokenizer():
    """jieba's part-of-speech tokenizer sharing the same dictionary (see ``_pos_tokenizer_class``)."""
    global _pos_tokenizer
    if _pos_tokenizer is None:
        tk = tokenizer()
        with _lock:
            if _pos_tokenizer is None:
                _pos_tokenizer = _pos_tokenizer_class()(tk)
    return _pos_tokenizer


def _pos_tokenizer_class():
    """jieba's ``POSTokenizer`` whose HMM step for runs of unknown characters is ``viterbi``
    below: the same model, arithmetic and choices, so the same words and tags, faster."""
    import jieba.posseg as posseg

    class POSTokenizer(posseg.POSTokenizer):
        def _POSTokenizer__cut(self, sentence):  # jieba 0.42's private ``__cut``, calling ``viterbi``
            _, pos_list = viterbi(sentence, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P,
                                  posseg.emit_P)
            begin, nexti = 0, 0
            for i, char in enumerate(sentence):
                pos = pos_list[i][0]
                if pos == "B":
                    begin = i
                elif pos == "E":
                    yield posseg.pair(sentence[begin:i + 1], pos_list[i][1])
                    nexti = i + 1
                elif pos == "S":
                    yield posseg.pair(char, pos_list[i][1])
                    nexti = i + 1
            if nexti < len(sentence):
                yield posseg.pair(sentence[nexti:], pos_list[nexti][1])

    return POSTokenizer


_MIN_FLOAT = -3.14e100  # jieba.posseg.viterbi's floor for an unseen emission
_MIN_INF = float("-inf")  # and for a transition that does not exist
_predecessors_of: dict[int, dict] = {}


def viterbi(obs, states, start_p, trans_p, emit_p):
    """``jieba.posseg.viterbi.viterbi`` (the part-of-speech HMM over jieba's 256 word-position ×
    tag states), walking for each state only the states that can precede it.

    jieba's version scores every (previous, next) pair, 256 × the next states per character,
    most of them transitions that do not exist and score -inf; that is the dearest step of a
    measure's unit finding. A -inf candidate never wins a ``max`` that has a finite one, and
    each kept candidate is computed with jieba's expression in jieba's order, so probabilities,
    tie-breaks and the path are the same. ``tests/core/test_textutil_viterbi.py`` checks this
    against jieba's own function."""
    preds = _predecessors_of.get(id(trans_p))
    if preds is None:
        preds = {}
        for y0, nexts in trans_p.items():
            for y in nexts:
                preds.setdefault(y, set()).add(y0)
        _predecessors_of[id(trans_p)] = preds
    V = [{}]
    mem_path = [{}]
    all_states = trans_p.keys()
    for y in states.get(obs[0], all_states):
        V[0][y] = start_p[y] + emit_p[y].get(obs[0], _MIN_FLOAT)
        mem_path[0][y] = ""
    for t in range(1, len(obs)):
        last_v = V[t - 1]
        prev_states = [x for x in mem_path[t - 1].keys() if len(trans_p[x]) > 0]
        prev_set = set(prev_states)
        expect_next = {y for x in prev_states for y in trans_p[x].keys()}
        obs_states = set(states.get(obs[t], all_states)) & expect_next
        if not obs_states:
            obs_states = expect_next if expect_next else all_states
        now_v, now_path = {}, {}
        char = obs[t]
        for y in obs_states:
            emit = emit_p[y].get(char, _MIN_FLOAT)
            froms = prev_set.intersection(preds.get(y, ()))
            if froms:
                prob, state = max((last_v[y0] + trans_p[y0][y] + emit, y0) for y0 in froms)
            else:  # no state can lead here: jieba's own expression (-inf everywhere, or its error)
                prob, state = max((last_v[y0] + trans_p[y0].get(y, _MIN_INF) + emit, y0) for y0 in prev_states)
            now_v[y] = prob
            now_path[y] = state
        V.append(now_v)
        mem_path.append(now_path)
    prob, state = max((V[-1][y], y) for y in mem_path[-1].keys())
    route = [None] * len(obs)
    i = len(obs) - 1
    while i >= 0:
        route[i] = state
        state = mem_path[i][state]
        i -= 1
    return prob, route


def cut(text: str) -> list[str]:
    return list(tokenizer().cut(text))


def cut_pos(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech flag) pairs."""
    return [(p.word, p.flag) for p in pos_tokenizer().cut(text)]


def search_tokens(text: str) -> list[str]:
    """Tokens for the full-text index and for queries: jieba's search mode, no punctuation or spaces."""
    return [t for t in tokenizer().cut_for_search(text) if t.strip() and any(ch.isalnum() for ch in t)]


def search_text(text: str) -> str:
    """``text`` as space-separated search tokens, the form stored in the FTS5 index."""
    return " ".join(search_tokens(text))
