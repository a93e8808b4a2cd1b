"""How the ledger prints: each notice in the repo (and ../shared's seeds when present) exported in
both profiles, printed to PDF by LibreOffice, text heights read with pdfplumber.

Run from the project root:  .venv/bin/python bench/ledger_print_bench.py [--seeds] [--out DIR]
Prints per profile: pages, median and smallest body text, smallest footer text (points as printed).
``--screenshots`` (re)writes docs/screenshots/ledger-*.png from the bundled sample notice: the
first page of each profile and the page where a long problem continues (续) after a page break.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import ledger  # noqa: E402
from core.extract import extract_file  # noqa: E402
from tests.conftest import notice_paths, seed_paths  # noqa: E402
from tests.ledger_pdf import text_sizes, to_pdf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", action="store_true", help="the seeds of ../shared instead of the repo's notices")
    parser.add_argument("--out", help="keep the workbooks and PDFs here")
    parser.add_argument("--screenshots", action="store_true", help="write docs/screenshots/ledger-*.png")
    args = parser.parse_args()
    if args.screenshots:
        screenshots(ROOT / "docs" / "screenshots")
        return
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


def screenshots(folder: Path) -> None:
    import subprocess

    import pdfplumber

    record = ledger.record_from_extraction(extract_file(notice_paths()[0]))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        books = {key: ledger.export_workbook([record], tmp / f"{key}.xlsx", profile=name)
                 for key, name in (("report", "上报版"), ("work", "工作版"))}
        pdfs = dict(zip(books, to_pdf(list(books.values()), tmp / "pdf")))
        with pdfplumber.open(pdfs["report"]) as doc:
            broken = next((i for i, page in enumerate(doc.pages, 1) if "（续）" in (page.extract_text() or "")), None)
        shots = [("report", 1, "ledger-report"), ("work", 1, "ledger-work")]
        if broken:
            shots.append(("report", broken, "ledger-page-break"))
        for key, page, name in shots:
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdfs[key]), str(folder / name)], check=True)
            print(f"{folder / name}.png: {key} page {page}")


if __name__ == "__main__":
    main()
