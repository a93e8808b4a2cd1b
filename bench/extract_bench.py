"""Extraction benchmark: per-notice milliseconds and KB/s over the seed notices.

    .venv/bin/python bench/extract_bench.py [--repeat 30] [FILE ...]

jieba (used by the unit finder in ``fields``) is loaded first and reported separately; then
each notice is timed for ``structure.parse`` alone and for the whole ``extract``: the first run,
then ``--repeat`` runs with the unit finder's word cache emptied before each, so that a notice
is timed as if it were the first of its office (``cpu ms`` is their median CPU time,
``cpu min`` the least, ``wall ms`` the median wall-clock time), and ``warm ms`` keeps the cache,
as an import of many notices from one office does. On a shared machine the CPU time is the
steadier figure; the load average is printed with it. Target (issue 12): the 43 KB seed in
≤ 20 ms once jieba is loaded.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import textutil  # noqa: E402
from core.extract import extract, fields  # noqa: E402
from core.extract.structure import parse  # noqa: E402


def runs(repeat: int, fn, *args, clock=time.process_time, cold: bool = False) -> list[float]:
    """``repeat`` timings of ``fn(*args)`` in seconds; ``cold`` empties the word cache before each."""
    times = []
    for _ in range(repeat):
        if cold:
            fields.clear_cache()
        start = clock()
        fn(*args)
        times.append(clock() - start)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    files = args.files or sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))

    start = time.perf_counter()
    textutil.tokenizer()
    print(f"jieba load: {(time.perf_counter() - start) * 1000:.0f} ms (once per process)")
    textutil.pos_tokenizer()
    if hasattr(os, "getloadavg"):
        print("load average: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(f"{'notice':<28}{'KB':>6}{'problems':>9}{'first ms':>9}{'parse ms':>9}{'cpu ms':>8}{'cpu min':>8}"
          f"{'wall ms':>8}{'warm ms':>8}{'KB/s':>7}")
    total_kb = total_s = 0.0
    for path in files:
        text = path.read_text(encoding="utf-8")
        kb = len(text.encode("utf-8")) / 1024
        start = time.perf_counter()
        problems = len(extract(text)["problems"])  # the first run also fills jieba's word caches
        first_s = time.perf_counter() - start
        parse_s = statistics.median(runs(args.repeat, parse, text))
        cpu = runs(args.repeat, extract, text, cold=True)
        cpu_s = statistics.median(cpu)
        wall_s = statistics.median(runs(args.repeat, extract, text, cold=True, clock=time.perf_counter))
        warm_s = statistics.median(runs(args.repeat, extract, text))
        total_kb += kb
        total_s += cpu_s
        print(f"{path.name:<28}{kb:>6.1f}{problems:>9}{first_s * 1000:>9.1f}{parse_s * 1000:>9.1f}"
              f"{cpu_s * 1000:>8.1f}{min(cpu) * 1000:>8.1f}{wall_s * 1000:>8.1f}{warm_s * 1000:>8.1f}"
              f"{kb / cpu_s:>7.0f}")
    print(f"overall: {total_kb:.0f} KB in {total_s * 1000:.0f} ms CPU (median per notice), {total_kb / total_s:.0f} KB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
