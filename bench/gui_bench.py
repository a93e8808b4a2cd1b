"""The window at archive scale: edit, undo, check, switch notice and filter the list, timed.

    .venv/bin/python bench/gui_bench.py [--notices 10000] [--rounds 20]

The database is the store benchmark's (``bench/store_bench.py``, built once and cached under
``/tmp/zgtz-store-bench/``) copied once to ``/tmp/zgtz-gui-bench/`` with a notice of 60 problems
and 250 measures added; every edit made here is undone again at the end. Each figure is the
wall-clock time of the action and of processing the events it posted (painting included), with
the process's CPU time beside it: on a busy machine the wall-clock time includes waiting for a
core. Targets (issue 15): each ≤ 20 ms, switching to the 60-problem notice ≤ 150 ms.
QT_QPA_PLATFORM=offscreen is set if unset.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ZGTZ_HOME", tempfile.mkdtemp(prefix="zgtz-gui-bench-"))

from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.store_bench import base_extractions, cached_db  # noqa: E402
from core.store import Store  # noqa: E402
from tests.gui.notices import make_extraction  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "zgtz-gui-bench"


def big_extraction() -> dict:
    """60 problems with 250 measures (4 or 5 each)."""
    extraction = make_extraction(problems=60, measures=5, tag="基准")
    for problem in extraction["problems"][:50]:
        problem["measures"].pop()
    return extraction


def database(count: int) -> tuple[Path, int, int]:
    """The cached benchmark database with the big notice; (path, big id, a small id)."""
    source = cached_db(count, base_extractions(), rebuild=False)
    target = CACHE / source.name
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob("*.sqlite3*"):
            old.unlink()
        src, dst = sqlite3.connect(source), sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    with Store.open(target) as store:
        big, _ = store.add_extraction(big_extraction())
        small = store.notice_ids()[count // 2]
    return target, big, small


def timed(app, action) -> tuple[float, float]:
    """(wall-clock ms, CPU ms) of ``action()`` and the events it posted."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    app.processEvents()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def report(name: str, figures: list[tuple[float, float]], target: int) -> None:
    """Median and worst wall-clock time, each with CPU time beside it: a worst time far above its
    CPU time waited for a core (or the disk) rather than worked."""
    walls, cpus = zip(*figures)
    worst = max(range(len(walls)), key=walls.__getitem__)
    print(f"{name}: median {statistics.median(walls):.1f} ms (CPU {statistics.median(cpus):.1f} ms), "
          f"worst {walls[worst]:.1f} ms (CPU {cpus[worst]:.1f} ms; most CPU {max(cpus):.1f} ms)  "
          f"(target ≤ {target} ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from gui.main_window import MainWindow

    db, big, small = database(args.notices)
    start = time.perf_counter()
    window = MainWindow(Store.open(db, exclusive=True))
    window.show()
    window.load(big)
    app.processEvents()
    print(f"{window.notice_model.total()} notices listed ({window.notice_model.rowCount()} fetched); "
          f"window loaded in {(time.perf_counter() - start) * 1000:.0f} ms")
    c, rounds = window.corrections, args.rounds

    switches = []
    for _ in range(rounds):
        timed(app, lambda: window.show_notice(small))
        switches.append(timed(app, lambda: window.show_notice(big)))
    n = window.notice
    print(f"big notice: {len(n['problems'])} problems, "
          f"{sum(len(p['measures']) for p in n['problems'])} measures, {len(n['text'])} characters")
    report("switch to the 60-problem notice", switches, 150)

    edits, undos, checks = [], [], []
    for i in range(rounds):
        problem = window.notice["problems"][i % 60]
        window.select_item("problem", problem["id"])
        app.processEvents()
        edits.append(timed(app, lambda: c.field_edited("problem", problem["id"], "units", f"单位{i}")))
        undos.append(timed(app, c.undo))
        checks.append(timed(app, c.check_and_next))
        timed(app, c.undo)
    report("edit one field (store write + log + refresh)", edits, 20)
    report("undo", undos, 20)
    report("check and go to the next item", checks, 20)

    filters = []
    for i in range(rounds):
        text = ["第1", "中共", "", "第12", "区委"][i % 5]
        window.notice_panel.filter.setText(text)
        filters.append(timed(app, window.refresh_notices))
    report("filter the notice list (first page)", filters, 20)
    window.notice_panel.filter.setText("")
    window.refresh_notices()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
