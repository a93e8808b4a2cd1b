"""Cost of the near-duplicate check after an import (``Store.similar_notices``, issue 10 item 5),
printed as figures.

    .venv/bin/python bench/duplicates_bench.py [--count 2000]

Builds a database of ``--count`` notices in a temporary folder: copies of the sample notice with
one line added (each its own sha256 and content key, all with the same title: the worst case,
every check compares ``CANDIDATES`` same-title texts) and, for contrast, the check of a notice
whose title no other has. Wall-clock figures include waiting for a core on a busy machine; CPU
figures do not.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ZGTZ_HOME", tempfile.mkdtemp(prefix="zgtz-dup-bench-"))

from core import paths  # noqa: E402
from core.extract import extract_file  # noqa: E402
from core.store import Store  # noqa: E402


def timed(call, repeat: int = 20) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    base = extract_file(paths.sample_notice_path())
    db = Path(tempfile.mkdtemp(prefix="zgtz-dup-bench-db-")) / "d.sqlite3"
    with Store.open(db) as store:
        with store.db.atomic():
            for i in range(args.count):
                store.add_extraction({**base, "text": base["text"] + f"\n副本编号：{i}\n",
                                      "source": {"format": "txt", "encoding": "utf-8"}})
        other = dict(base, meta={**base["meta"], "title": "另一个标题的通报"})
        lone = store.add_extraction({**other, "text": base["text"] + "\n独一份\n",
                                     "source": {"format": "txt", "encoding": "utf-8"}})[0]
        last = store.notice_ids()[-2]
        found = store.similar_notices(last)
        wall, cpu = timed(lambda: store.similar_notices(last))
        print(f"{args.count} notices, one title: similar_notices of the newest = {len(found)} found; "
              f"median {wall:.1f} ms wall, {cpu:.1f} ms CPU")
        wall, cpu = timed(lambda: store.similar_notices(lone))
        print(f"a notice whose title no other has: median {wall:.1f} ms wall, {cpu:.1f} ms CPU")


if __name__ == "__main__":
    main()
