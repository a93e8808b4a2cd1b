"""上报版 on paper: every notice in the repo exported as 上报版, printed to PDF by LibreOffice,
its text heights read with pdfplumber — median body text ≥ 10 pt, nothing below 9 pt but the footer."""
import shutil

import pytest

from core import ledger
from core.extract import extract_file
from tests.conftest import HAVE_SEEDS, notice_paths, seed_paths
from tests.ledger_pdf import text_sizes, to_pdf

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (soffice)"),
]


def _print_all(paths, folder):
    workbooks = [ledger.export_workbook([ledger.record_from_extraction(extract_file(p))],
                                        folder / f"{p.stem}.xlsx", profile="上报版") for p in paths]
    return {wb.stem: text_sizes(pdf) for wb, pdf in zip(workbooks, to_pdf(workbooks, folder / "pdf"))}


def _check(sizes):
    small = {name: s for name, s in sizes.items() if s["median"] < 10 or s["min"] < 9}
    assert small == {}
    assert all(s["chars"] and s["pages"] for s in sizes.values())


def test_report_profile_prints_readably(tmp_path):
    sizes = _print_all(notice_paths(), tmp_path)
    assert len(sizes) == len(notice_paths())
    _check(sizes)


@pytest.mark.skipif(not HAVE_SEEDS, reason="the real seed notices (../shared/seeds) are not beside this clone")
def test_the_seeds_print_readably_too(tmp_path):
    _check(_print_all(seed_paths(), tmp_path))
