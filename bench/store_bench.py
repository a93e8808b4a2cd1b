"""Store benchmark: fill a database with N notices, then time FTS search and opening a notice.

    .venv/bin/python bench/store_bench.py [--count 1000] [--db PATH]

Copies are the sample notice (and ../shared/seeds/*.txt when present) with one line added, so
each has its own text and sha256; they are imported with ``import_paths`` (read → extract →
store), which also gives the per-file import time.
Targets: search < 100 ms, open < 50 ms.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import paths  # noqa: E402
from core.importer import import_paths  # noqa: E402
from core.store import Store  # noqa: E402

QUERIES = ["招商引资", "干部 作风", "党风廉政建设", "整改台账", "营商环境", "巡视反馈 问题", "基层党建", "形式主义"]


def variant(text: str, i: int) -> str:
    return text + f"\n副本编号：{i}\n"


def base_texts() -> list[str]:
    files = [paths.sample_notice_path(), *sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))]
    return list(dict.fromkeys(f.read_text(encoding="utf-8") for f in files))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def fill(store: Store, count: int, work: Path) -> None:
    """Write ``count`` notice files and import them the way the program does."""
    bases = base_texts()
    for i in range(count):
        (work / f"n{i:05d}.txt").write_text(variant(bases[i % len(bases)], i), encoding="utf-8")

    stamps = []  # finishing time of each file, to show whether importing slows as the db grows

    def progress(done: int, total: int) -> None:
        stamps.append(time.perf_counter())
        if done % 50 == 0 or done == total:
            print(f"\r  importing {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    report = import_paths(store, [work], progress=progress)
    took = stamps[-1] - stamps[0]
    print(f"import (read + extract + store): {count} files in {took:.0f} s, {ms(took / count)} per file, "
          f"{len(report.failed)} failed, {len(report.duplicates)} duplicates")
    tenth = count // 10
    if tenth:
        first, last = stamps[tenth] - stamps[0], stamps[-1] - stamps[-1 - tenth]
        print(f"  per file: first {tenth} {ms(first / tenth)}, last {tenth} {ms(last / tenth)}")


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--db", type=Path, help="database to fill (default: a temporary one)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = args.db or work / "bench.sqlite3"
        (work / "in").mkdir()
        store = Store.open(db)
        fill(store, args.count, work / "in")
        ids = store.notice_ids()
        print(f"notices: {len(ids)}, problems: {sum(n['problem_count'] for n in store.list_notices())}")

        store.search(QUERIES[0])  # warm jieba and the page cache
        per_query = []
        for q in QUERIES:
            runs = timed(lambda: store.search(q), 5)
            per_query.append(statistics.median(runs))
            print(f"  search {q!r}: {len(store.search(q))} hits, median {ms(per_query[-1])}")
        print(f"search: median {ms(statistics.median(per_query))}, worst query {ms(max(per_query))} (target < 100 ms)")

        rng = random.Random(1)
        opens = timed(lambda: store.get_notice(rng.choice(ids)), 50)
        print(f"open (get_notice): median {ms(statistics.median(opens))}, max {ms(max(opens))} (target < 50 ms)")

        listing = timed(lambda: store.list_notices(), 5)
        print(f"list_notices: median {ms(statistics.median(listing))}")
        store.close()
        size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
        print(f"database size: {size / 1e6:.1f} MB ({size / max(len(ids), 1) / 1e3:.1f} kB per notice)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
