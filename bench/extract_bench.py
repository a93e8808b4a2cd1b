"""Extraction benchmark: per-notice milliseconds and KB/s over the seed notices.

    .venv/bin/python bench/extract_bench.py [--repeat 5] [FILE ...]

jieba (used by the unit finder in ``fields``) is loaded first and reported separately; then
each notice is timed for ``structure.parse`` alone and for the whole ``extract`` (the first run,
then the best of ``--repeat`` runs with the unit finder's word cache emptied before each, so
that a notice is timed as if it were the first of its office; ``warm ms`` keeps the cache, as
an import of many notices from one office does). Wall-clock and CPU figures are both printed:
on a shared machine the CPU time is the steadier one. Target (issue 12): the 43 KB seed in
≤ 20 ms once jieba is loaded.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import textutil  # noqa: E402
from core.extract import extract, fields  # noqa: E402
from core.extract.structure import parse  # noqa: E402


def best_of(repeat: int, fn, *args, clock=time.perf_counter, cold: bool = False) -> float:
    times = []
    for _ in range(repeat):
        if cold:
            fields.clear_cache()
        start = clock()
        fn(*args)
        times.append(clock() - start)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    files = args.files or sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))

    start = time.perf_counter()
    textutil.tokenizer()
    print(f"jieba load: {(time.perf_counter() - start) * 1000:.0f} ms (once per process)")

    textutil.pos_tokenizer()
    print(f"{'notice':<28}{'KB':>7}{'problems':>10}{'first ms':>10}{'parse ms':>10}{'extract ms':>12}"
          f"{'cpu ms':>9}{'warm ms':>9}{'KB/s':>9}")
    total_kb = total_s = 0.0
    for path in files:
        text = path.read_text(encoding="utf-8")
        kb = len(text.encode("utf-8")) / 1024
        start = time.perf_counter()
        problems = len(extract(text)["problems"])  # the first run also fills jieba's word caches
        first_s = time.perf_counter() - start
        parse_s = best_of(args.repeat, parse, text)
        extract_s = best_of(args.repeat, extract, text, cold=True)
        cpu_s = best_of(args.repeat, extract, text, cold=True, clock=time.process_time)
        warm_s = best_of(args.repeat, extract, text)
        total_kb += kb
        total_s += extract_s
        print(f"{path.name:<28}{kb:>7.1f}{problems:>10}{first_s * 1000:>10.1f}{parse_s * 1000:>10.1f}"
              f"{extract_s * 1000:>12.1f}{cpu_s * 1000:>9.1f}{warm_s * 1000:>9.1f}{kb / extract_s:>9.0f}")
    print(f"overall: {total_kb:.0f} KB in {total_s * 1000:.0f} ms, {total_kb / total_s:.0f} KB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
