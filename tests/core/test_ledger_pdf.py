"""The ledger prints: LibreOffice turns an exported seed into a PDF that shows every problem."""
import re
import shutil
import subprocess

import pytest

from core import ledger
from core.extract import extract_file
from tests.conftest import notice_paths

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                       reason="needs LibreOffice (soffice) and poppler (pdftotext)"),
]


def _to_pdf(workbook, folder):
    profile = folder / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    return folder / (workbook.stem + ".pdf")


def _squeeze(text):
    return re.sub(r"\s+", "", text)


def _column_text(pdf, header):
    """The text printed in the column under ``header`` on every page, top to bottom: cells wrap,
    so reading whole lines across the page would interleave neighbouring cells."""
    import pdfplumber

    parts = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            head = next(w for w in page.extract_words() if w["text"] == header)
            borders = [e["x0"] for e in page.edges if e["orientation"] == "v"]
            left = max(x for x in borders if x <= head["x0"])
            right = min(x for x in borders if x >= head["x1"])
            parts.append(page.crop((left, 0, right, page.height)).extract_text())
    return _squeeze("".join(parts))


@pytest.mark.parametrize("seed", [notice_paths()[0], notice_paths()[-1]], ids=lambda p: p.stem)
def test_every_problem_title_is_printed(tmp_path, seed):
    record = ledger.record_from_extraction(extract_file(seed))
    assert record["problems"]
    workbook = ledger.export_workbook([record], tmp_path / "ledger.xlsx", layout="measure")
    pdf = _to_pdf(workbook, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height  # A4 landscape
    titles = _column_text(pdf, "反馈问题")
    missing = [p["title"] for p in record["problems"] if _squeeze(p["title"]) not in titles]
    assert missing == []
    text = _squeeze(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout)
    assert text.count("序号") == pages  # the header row repeats on every page
    assert f"第1页共{pages}页" in text
