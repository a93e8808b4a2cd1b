"""Every export of the real-style notices in the repo (and of the seeds, when they are beside
the clone): no row over 409 pt, dates as date cells, dropdowns and 预警 rules present."""
import datetime as dt
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest

from core import ledger
from core.extract import extract_file
from tests.conftest import HAVE_SEEDS, notice_paths, seed_paths


NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _records(paths):
    found = []
    for i, path in enumerate(paths, 1):
        record = ledger.record_from_extraction(extract_file(path))
        record["id"] = i  # as if stored, so the row identity is written too
        for p, problem in enumerate(record["problems"], 1):
            problem["id"] = i * 1000 + p
            for m, measure in enumerate(problem["measures"], 1):
                measure["id"] = i * 100000 + p * 100 + m
        found.append(record)
    return found


@pytest.fixture(scope="module")
def records():
    return _records(notice_paths())


@pytest.mark.parametrize("profile", ["上报版", "工作版"])
@pytest.mark.parametrize("layout", ["problem", "measure"])
def test_no_row_over_409_pt_dates_typed_validations_present(tmp_path, records, profile, layout):
    _check(ledger.export_workbook(records, tmp_path / "all.xlsx", profile=profile, layout=layout))


@pytest.mark.slow
@pytest.mark.skipif(not HAVE_SEEDS, reason="the real seed notices (../shared/seeds) are not beside this clone")
@pytest.mark.parametrize("layout", ["problem", "measure"])
def test_the_seeds_too(tmp_path, layout):
    seeds = _records(seed_paths())
    for profile in ("上报版", "工作版"):
        _check(ledger.export_workbook(seeds, tmp_path / f"{profile}.xlsx", profile=profile, layout=layout))


def _check(target):
    """Reads the sheets' XML for row heights, dropdowns and 预警 rules (openpyxl's full load of a
    merged-cell ledger takes half a minute) and the cells in read-only mode for the dates."""
    tallest, validated, formatted = 0.0, 0, 0
    with zipfile.ZipFile(target) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                root = ElementTree.fromstring(z.read(name))
                heights = [float(r.get("ht")) for r in root.iter(f"{NS}row") if r.get("ht")]
                tallest = max([tallest, *heights])
                lists = {f.text for f in root.iter(f"{NS}formula1")}
                if '"已完成,推进中,长期坚持"' in lists:  # 是否销号 too, where it is shown
                    validated += 1
                formatted += any(True for _ in root.iter(f"{NS}conditionalFormatting"))
    assert tallest <= 409
    wb = openpyxl.load_workbook(target, read_only=True)
    data_sheets = [ws for ws in wb.worksheets if ws.title not in ("汇总", "统计", "台账标识")]
    assert validated > 0 and formatted > 0
    dates, texts = 0, []
    for ws in data_sheets:
        rows = ws.iter_rows(values_only=True)
        header = next(r for r in rows if r and r[0] in ("序号", "通报"))
        if "整改时限" not in header:
            continue
        col = header.index("整改时限")
        for row in rows:
            value = row[col] if len(row) > col else None
            if isinstance(value, dt.datetime):
                dates += 1
            elif isinstance(value, str):
                texts.append(value)
    wb.close()
    assert dates > 0
    # what stays text is text that is not one whole date (年底, 长期坚持 …)
    assert all(ledger.clean.as_date(t) is None for t in texts)
