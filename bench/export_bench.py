"""Export benchmark: N notices x P problems into one ledger workbook (and CSV).

Run from the project root:  .venv/bin/python bench/export_bench.py [--notices 1000] [--problems 30]
Prints wall and CPU seconds (CPU time is steadier on a shared machine) and the process's peak resident memory (getrusage), before and after the export.
tracemalloc is not used: it slows openpyxl's many small allocations down threefold.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import ledger  # noqa: E402
from tests.ledger_records import make_notice  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=1000)
    parser.add_argument("--problems", type=int, default=30)
    parser.add_argument("--measures", type=int, default=3)
    parser.add_argument("--layout", choices=ledger.LAYOUTS, default="problem")
    parser.add_argument("--profile", choices=list(ledger.PROFILE_NAMES), default=ledger.DEFAULT_PROFILE)
    parser.add_argument("--format", choices=("xlsx", "csv", "json"), default="xlsx")
    args = parser.parse_args()

    export = {"xlsx": ledger.export_workbook, "csv": ledger.export_csv, "json": ledger.export_json}[args.format]
    notices = [make_notice(i, args.problems, args.measures) for i in range(1, args.notices + 1)]
    before = _rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"ledger.{args.format}"
        start, cpu_start = time.perf_counter(), time.process_time()
        export(notices, target, layout=args.layout, profile=args.profile)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        size = target.stat().st_size / 2**20
    print(f"{args.format} {ledger.profile_of(args.profile).name} {args.layout}: {args.notices} notices x {args.problems} problems x "
          f"{args.measures} measures in {seconds:.1f} s ({cpu:.1f} s CPU); peak RSS {_rss_mb():.0f} MB "
          f"({before:.0f} MB before the export, records included); file {size:.1f} MB")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


if __name__ == "__main__":
    main()
