"""Store benchmark at archive scale: search, list, filter, open, size and import, printed as figures.

    .venv/bin/python bench/store_bench.py [--count 10000] [--rebuild]

The database of ``--count`` notices is built once and kept in ``/tmp/zgtz-store-bench/`` (reused
while the schema is unchanged; ``--rebuild`` forces a new one). Notices are copies of the sample
notice (and ../shared/seeds/*.txt when present) with one line added, so each has its own text
and sha256; each base text is extracted once and stored with ``Store.add_extraction``, which is
the store's part of an import (read and extract are timed separately, once per base text).
Wall-clock figures include waiting for a core on a busy machine; CPU figures do not.
Targets (issue 15): search ≤ 100 ms worst, list ≤ 50 ms, filter ≤ 50 ms, ≤ 80 kB per notice,
store part of an import ≤ 30 ms per notice.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ZGTZ_HOME", tempfile.mkdtemp(prefix="zgtz-store-bench-"))

from core import paths  # noqa: E402
from core.store import Store  # noqa: E402
from core.store_schema import known_migrations  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "zgtz-store-bench"
QUERIES = ["招商引资", "干部 作风", "党风廉政建设", "整改台账", "营商环境", "巡视反馈 问题", "基层党建",
           "形式主义", "充电桩", "整改"]
KINDS = ("巡视", "巡察")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(fn, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each of ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def figure(name: str, runs: tuple[list[float], list[float]], target: str = "") -> None:
    walls, cpus = runs
    print(f"{name}: median {ms(statistics.median(walls))} (CPU {ms(statistics.median(cpus))}), "
          f"worst {ms(max(walls))}" + (f"  (target {target})" if target else ""))


def base_extractions() -> list[dict]:
    """The base notices' extraction dicts, extracted once and cached."""
    files = [paths.sample_notice_path(), *sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))]
    texts = list(dict.fromkeys(f.read_text(encoding="utf-8") for f in files))
    key = hashlib.sha256("".join(texts).encode()).hexdigest()[:12]
    cached = CACHE / f"extractions-{key}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    from core.extract import extract
    from core.ingest import from_text

    runs = []
    out = []
    for text in texts:
        start = time.perf_counter()
        out.append(extract(from_text(text).text))
        runs.append(time.perf_counter() - start)
    print(f"read + extract (once per base text): median {ms(statistics.median(runs))} per notice")
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return out


def variant(bases: list[dict], i: int) -> dict:
    """The i-th notice: a base with one line added and its own issuer, kind and date."""
    base = bases[i % len(bases)]
    meta = dict(base.get("meta") or {})
    meta.update(kind=KINDS[i % 2], issuer=f"{meta.get('issuer') or '某单位'}{i % 50:02d}",
                published=f"{2020 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                title=f"{meta.get('title') or '整改进展情况的通报'}（第{i}号）")
    return {**base, "text": base["text"] + f"\n副本编号：{i}\n", "source": {}, "meta": meta}


def add_all(store: Store, bases: list[dict], start: int, count: int, label: str) -> None:
    """Store ``count`` variants; prints the store's time per notice (first and last tenth)."""
    walls, cpus = [], []
    for i in range(start, start + count):
        extraction = variant(bases, i)
        wall, cpu = time.perf_counter(), time.process_time()
        store.add_extraction(extraction)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        if (i - start + 1) % 500 == 0:
            print(f"\r  {label}: {i - start + 1}/{count}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    tenth = max(1, count // 10)
    print(f"{label}: {count} notices, store part median {ms(statistics.median(walls))} per notice "
          f"(CPU {ms(statistics.median(cpus))}); first {tenth} {ms(statistics.mean(walls[:tenth]))}, "
          f"last {tenth} {ms(statistics.mean(walls[-tenth:]))}  (target ≤ 30 ms)")


def cached_db(count: int, bases: list[dict], rebuild: bool) -> Path:
    schema = hashlib.sha256(" ".join(known_migrations()).encode()).hexdigest()[:8]
    db = CACHE / f"notices-{count}-{schema}.sqlite3"
    if db.exists() and not rebuild:
        with Store.open(db) as store:
            if store.count_notices() == count:
                print(f"reusing {db}")
                return db
    for old in CACHE.glob(f"notices-{count}-*.sqlite3*"):
        old.unlink()
    CACHE.mkdir(parents=True, exist_ok=True)
    with Store.open(db) as store:
        # building only: no fsync, 100 notices a transaction (the import figure comes from a
        # normal database below)
        store.db.execute("PRAGMA synchronous = OFF")
        for start in range(0, count, 100):
            with store.db.atomic():
                for i in range(start, min(start + 100, count)):
                    store.add_extraction(variant(bases, i))
            print(f"\r  building: {min(start + 100, count)}/{count}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
    return db


def size_report(db: Path, count: int) -> None:
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    print(f"database size: {size / 1e6:.1f} MB, {size / count / 1e3:.1f} kB per notice  (target ≤ 80 kB)")
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
    except sqlite3.Error:   # SQLite built without dbstat
        rows = []
    finally:
        conn.close()
    for name, pages in rows[:10]:
        print(f"  {name:32s} {pages / count / 1e3:6.1f} kB per notice")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    args = parser.parse_args()

    bases = base_extractions()
    db = cached_db(args.count, bases, args.rebuild)
    # the import figure, also when the big database was reused: 200 more into a copy-free new db
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "import.sqlite3") as fresh:
        add_all(fresh, bases, 0, 200, "import into an empty database")

    with Store.open(db) as store:
        ids = store.notice_ids()
        print(f"notices: {len(ids)}, problems: {sum(n['problem_count'] for n in store.list_notices())}")
        store.search(QUERIES[0])  # the page cache
        per_query = []
        for q in QUERIES:
            runs = timed(lambda: store.search(q), 5)
            per_query.append(statistics.median(runs[0]))
            print(f"  search {q!r}: {len(store.search(q))} hits, median {ms(per_query[-1])}, worst {ms(max(runs[0]))}")
        print(f"search: median {ms(statistics.median(per_query))}, worst query {ms(max(per_query))}  (target ≤ 100 ms)")

        figure("list: first page (200)", timed(lambda: store.list_notices(limit=200), 20), "≤ 50 ms")
        figure("list: count", timed(lambda: store.count_notices(), 20))
        figure(f"list: all {len(ids)}", timed(lambda: store.list_notices(), 5))
        figure("filter: title/issuer text, first page", timed(lambda: store.list_notices("第12", limit=200), 20), "≤ 50 ms")
        figure("filter: kind + status + dates", timed(lambda: store.list_notices(
            kind="巡察", review_status="待审核", published_from="2022-01-01", published_to="2023-06",
            limit=200), 20), "≤ 50 ms")
        figure("filter: issuer", timed(lambda: store.list_notices(issuer=store.notice_summary(ids[7])["issuer"]), 20), "≤ 50 ms")
        figure("notice_summary (one row)", timed(lambda: store.notice_summary(random.choice(ids)), 50))
        rng = random.Random(1)
        figure("get_notice", timed(lambda: store.get_notice(rng.choice(ids)), 50), "≤ 50 ms")
    size_report(db, len(ids))
    return 0


if __name__ == "__main__":
    sys.exit(main())
