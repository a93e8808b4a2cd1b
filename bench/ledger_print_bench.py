"""How the ledger prints: each notice in the repo (and ../shared's seeds when present) exported in
both profiles, printed to PDF by LibreOffice, text heights read with pdfplumber.

Run from the project root:  .venv/bin/python bench/ledger_print_bench.py [--seeds] [--out DIR]
Prints per profile: pages, median and smallest body text, smallest footer text (points as printed).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import ledger  # noqa: E402
from core.extract import extract_file  # noqa: E402
from tests.conftest import notice_paths, seed_paths  # noqa: E402
from tests.ledger_pdf import text_sizes, to_pdf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", action="store_true", help="the seeds of ../shared instead of the repo's notices")
    parser.add_argument("--out", help="keep the workbooks and PDFs here")
    args = parser.parse_args()
    paths = seed_paths() if args.seeds else notice_paths()
    records = [ledger.record_from_extraction(extract_file(p)) for p in paths]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out or tmp)
        for profile in ledger.PROFILE_NAMES:
            folder = out / profile
            folder.mkdir(parents=True, exist_ok=True)
            books = [ledger.export_workbook([r], folder / f"{p.stem}.xlsx", profile=profile)
                     for p, r in zip(paths, records)]
            sizes = [text_sizes(pdf) for pdf in to_pdf(books, folder / "pdf")]
            print(f"{profile}: {len(books)} notices, {sum(s['pages'] for s in sizes)} pages; body text median "
                  f"{statistics.median(s['median'] for s in sizes):.1f} pt (lowest median "
                  f"{min(s['median'] for s in sizes):.1f}), smallest {min(s['min'] for s in sizes):.1f} pt; "
                  f"footer {min(s['footer_min'] for s in sizes):.1f} pt")


if __name__ == "__main__":
    main()
