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
    """jieba's part-of-speech tokenizer sharing the same dictionary."""
    global _pos_tokenizer
    if _pos_tokenizer is None:
        tk = tokenizer()
        with _lock:
            if _pos_tokenizer is None:
                import jieba.posseg

                _pos_tokenizer = jieba.posseg.POSTokenizer(tk)
    return _pos_tokenizer


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
