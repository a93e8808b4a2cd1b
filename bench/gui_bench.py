"""Time to show a notice of 60 problems / 250 measures, and to apply one edit; prints figures.

    .venv/bin/python bench/gui_bench.py        (QT_QPA_PLATFORM=offscreen is set if unset)

Each figure is given as wall-clock time and as this process's CPU time: on a busy machine the
wall-clock time includes waiting for a core, the CPU time does not.
"""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ZGTZ_HOME", tempfile.mkdtemp(prefix="zgtz-bench-"))

from PySide6.QtWidgets import QApplication  # noqa: E402

from core.store import Store  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.problem_model import COL_UNITS  # noqa: E402
from tests.gui.notices import make_extraction  # noqa: E402


def big_extraction() -> dict:
    """60 problems with 250 measures (4 or 5 each)."""
    extraction = make_extraction(problems=60, measures=5, tag="基准")
    removed = 0
    for problem in extraction["problems"]:
        if removed < 50:
            problem["measures"].pop()
            removed += 1
    return extraction


def timed(action) -> tuple[float, float]:
    """(wall-clock ms, CPU ms) of ``action()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def report(name: str, figures: list[tuple[float, float]], target: int) -> None:
    walls, cpus = zip(*figures)
    print(f"{name}: median {statistics.median(walls):.1f} ms (CPU {statistics.median(cpus):.1f} ms), "
          f"max {max(walls):.1f} ms (target < {target} ms)")


def main(rounds: int = 10) -> None:
    app = QApplication.instance() or QApplication([])
    db = Path(os.environ["ZGTZ_HOME"]) / "bench.sqlite3"
    with Store.open(db) as store:
        big, _ = store.add_extraction(big_extraction())
        small, _ = store.add_extraction(make_extraction(problems=2, tag="小"))
    window = MainWindow(Store.open(db, exclusive=True))
    window.show()
    window.load(small)
    app.processEvents()

    shows = []
    for _ in range(rounds):
        window.show_notice(small)
        app.processEvents()
        # includes painting the tree and the highlighted text
        shows.append(timed(lambda: (window.show_notice(big), app.processEvents())))
    n = window.notice
    print(f"notice: {len(n['problems'])} problems, {sum(len(p['measures']) for p in n['problems'])} measures, "
          f"{len(n['text'])} characters")
    report("show notice", shows, 150)

    edits = []
    for i in range(rounds * 2):
        problem = window.notice["problems"][i % 60]
        window.select_item("problem", problem["id"])
        app.processEvents()
        index = window.tree.currentIndex().siblingAtColumn(COL_UNITS)
        edits.append(timed(lambda: (window.problem_panel.proxy.setData(index, f"单位{i}"), app.processEvents())))
    report("apply one edit (store write + log + refresh)", edits, 20)
    window.close()


if __name__ == "__main__":
    main()
