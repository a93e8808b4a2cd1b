"""Extraction benchmark: per-notice milliseconds and KB/s over the seed notices.

    .venv/bin/python bench/extract_bench.py [--repeat 5] [FILE ...]

jieba (used by the unit finder in ``fields``) is loaded first and reported separately; then
each notice is timed for ``structure.parse`` alone and for the whole ``extract`` (the first run, then the best of ``--repeat`` runs). Target: a 45 KB notice well under 100 ms once jieba is loaded.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import textutil  # noqa: E402
from core.extract import extract  # noqa: E402
from core.extract.structure import parse  # noqa: E402


def best_of(repeat: int, fn, *args) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
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

    print(f"{'notice':<28}{'KB':>7}{'problems':>10}{'first ms':>10}{'parse ms':>10}{'extract ms':>12}{'KB/s':>9}")
    total_kb = total_s = 0.0
    for path in files:
        text = path.read_text(encoding="utf-8")
        kb = len(text.encode("utf-8")) / 1024
        start = time.perf_counter()
        problems = len(extract(text)["problems"])  # the first run also fills jieba's word caches
        first_s = time.perf_counter() - start
        parse_s = best_of(args.repeat, parse, text)
        extract_s = best_of(args.repeat, extract, text)
        total_kb += kb
        total_s += extract_s
        print(f"{path.name:<28}{kb:>7.1f}{problems:>10}{first_s * 1000:>10.1f}{parse_s * 1000:>10.1f}{extract_s * 1000:>12.1f}"
              f"{kb / extract_s:>9.0f}")
    print(f"overall: {total_kb:.0f} KB in {total_s * 1000:.0f} ms, {total_kb / total_s:.0f} KB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
