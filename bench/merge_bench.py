"""Merge-back benchmark: a ledger of N notices x P problems exported, edited as a unit would
(a change every few rows), then previewed and applied back into the database.

Run from the project root:  .venv/bin/python bench/merge_bench.py [--notices 1000] [--problems 30]
Prints the set-up (database, export, the unit's edits) and then the measured steps: preview
(reading the workbook: values by calamine, formula and error cells only where the XML has any;
comparing with the exported values; fetching the records of the notices with changed cells) and
apply, wall and CPU seconds, and the peak resident memory (getrusage) of the process that merges (a fresh one: the set-up's
own memory, the unit's edits made with openpyxl, would hide it).
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import ledger  # noqa: E402
from core.ledger import merge  # noqa: E402
from core.store import Store  # noqa: E402
from tests.gui.notices import make_extraction  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=1000)
    parser.add_argument("--problems", type=int, default=30)
    parser.add_argument("--measures", type=int, default=3)
    parser.add_argument("--every", type=int, default=10, help="the unit changes one row in this many")
    parser.add_argument("--profile", default="上报版", choices=list(ledger.PROFILE_NAMES))
    parser.add_argument("--measure", nargs=2, metavar=("DB", "XLSX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure[0]), Path(args.measure[1]), args)
        return

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        start = time.perf_counter()
        store = Store.open(folder / "bench.sqlite3")
        for i in range(args.notices):
            store.add_extraction(make_extraction(args.problems, args.measures, tag=f"第{i}单位"))
        ids = store.notice_ids()
        notices = [store.get_notice(i) for i in ids]
        db_id = ledger.identity.database_id(store)
        store.close()
        print(f"set-up: database of {len(ids)} notices in {time.perf_counter() - start:.0f} s", flush=True)

        start = time.perf_counter()
        target = ledger.export_workbook(notices, folder / "台账.xlsx", profile=args.profile, database_id=db_id)
        del notices
        print(f"set-up: export in {time.perf_counter() - start:.1f} s ({target.stat().st_size / 2**20:.1f} MB)", flush=True)
        start = time.perf_counter()
        edits = _edit(target, args.every)
        print(f"set-up: {edits} cells changed as a unit would, in {time.perf_counter() - start:.0f} s", flush=True)
        # The merge runs in a fresh process, so its peak memory is its own, not the set-up's.
        subprocess.run([sys.executable, __file__, *sys.argv[1:], "--measure", str(folder / "bench.sqlite3"),
                        str(target)], check=True)


def measure(db: Path, target: Path, args) -> None:
    store = Store.open(db)
    rss_before = _rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    result = merge.preview(store, target)
    preview_s, preview_cpu = time.perf_counter() - start, time.process_time() - cpu
    preview_rss = _rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    counts = merge.apply(store, result)
    apply_s, apply_cpu = time.perf_counter() - start, time.process_time() - cpu
    store.close()
    print(f"merge of {args.notices} notices x {args.problems} problems ({args.profile}): preview {preview_s:.1f} s "
          f"({preview_cpu:.1f} s CPU), {len(result.changes)} changes, {len(result.flags)} flagged; apply "
          f"{apply_s:.1f} s ({apply_cpu:.1f} s CPU), {counts['changes']} edits in {counts['steps']} undo steps; "
          f"total {preview_s + apply_s:.1f} s; peak RSS of the merging process {preview_rss:.0f} MB after the "
          f"preview, {_rss_mb():.0f} MB after applying ({rss_before:.0f} MB before, the store open)")


def _edit(path: Path, every: int) -> int:
    """Fill 责任人 in every ``every``-th problem row (openpyxl, as a unit's spreadsheet would save it)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    edits = 0
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        header = next((r for r in range(1, 20) if ws.cell(r, 1).value == "序号"), None)
        if header is None:
            continue
        cols = {c.value: c.column for c in ws[header] if c.value}
        target = cols.get("责任单位")
        if target is None:
            continue
        for r in range(header + 1, ws.max_row + 1):
            if isinstance(ws.cell(r, 1).value, int) and ws.cell(r, 1).value % every == 1:
                ws.cell(r, target).value = f"区发改局（{r}）"
                edits += 1
    wb.save(path)
    return edits


def _rss_mb() -> float:
    """The process's peak resident memory. VmHWM belongs to the running program (getrusage's
    maxrss carries the parent's over the fork and exec of the fresh process)."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


if __name__ == "__main__":
    main()
