"""The export verb, run in-process as main.py runs it, on real-style notices in the repo."""
import csv
import json

import openpyxl
import pytest

from core import ledger, paths
from core.cli import main
from core.extract import extract_file
from core.store import Store
from tests.conftest import notice_paths

SEEDS = notice_paths()[:2]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.sqlite3"
    store = Store.open(path)
    ids = [store.add_extraction(extract_file(p))[0] for p in SEEDS]
    problem = store.get_notice(ids[0])["problems"][0]
    store.update_field("problem", problem["id"], "leader", "张三")
    store.close()
    return path


def test_export_all_from_the_database(db, tmp_path, capsys):
    out_file = tmp_path / "台账.xlsx"
    assert main(["export", "--all", "-o", str(out_file), "--db", str(db), "--edit-log", "--profile", "工作版"]) == 0
    out, err = capsys.readouterr()
    assert "已导出 2 份通报" in out and "2/2" in err
    wb = openpyxl.load_workbook(out_file)
    assert wb.sheetnames[:2] == ["汇总", "全部问题"] and wb.sheetnames[-3:] == ["统计", "修改记录", "台账标识"]
    store = Store.open(db)
    notices = [store.get_notice(i) for i in store.notice_ids()]
    store.close()
    header = [c.value for c in wb["全部问题"][1]]
    assert header[:3] == ["通报", "序号", "问题类别"] and "核对" not in header  # only when asked
    title = header.index("反馈问题")
    all_titles = [r[title] for r in wb["全部问题"].iter_rows(min_row=2, values_only=True)
                  if isinstance(r[1], int)]  # not the rows a long problem continues in (3（续）)
    assert all_titles == [p["title"] for n in notices for p in n["problems"]]
    assert wb["全部问题"].cell(2, header.index("责任领导") + 1).value == "张三"
    log = [c.value for c in wb["修改记录"][2]]
    assert log[3:6] == ["修改", "问题 1 的“责任领导”", "（空） → 张三"]
    assert wb["修改记录"]["B2"].is_date


def test_export_ids_with_layout_hidden_columns_and_format(db, tmp_path, capsys):
    out_file = tmp_path / "one.data"
    assert main(["export", "2", "-o", str(out_file), "--db", str(db), "--format", "csv",
                 "--layout", "measure", "--hide", "evidence", "remark"]) == 0
    rows = list(csv.reader(out_file.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    assert "佐证材料" not in rows[0] and "备注" not in rows[0]
    store = Store.open(db)
    notice = store.get_notice(2)
    store.close()
    assert len(rows) - 1 == sum(max(1, len(p["measures"])) for p in notice["problems"])


def test_export_a_file_without_the_database(tmp_path, capsys):
    out_file = tmp_path / "direct.json"
    assert main(["export", str(SEEDS[0]), "-o", str(out_file)]) == 0
    data = json.loads(out_file.read_text(encoding="utf-8"))
    extraction = extract_file(SEEDS[0])
    assert [row["反馈问题"] for row in data] == [p["title"] for p in extraction["problems"]]
    assert not paths.default_db_path().exists()


def test_record_from_extraction_gives_the_rows_the_store_gives(tmp_path):
    extraction = extract_file(SEEDS[1])
    store = Store.open(tmp_path / "s.sqlite3")
    stored = store.get_notice(store.add_extraction(extraction)[0])
    store.close()
    direct = ledger.record_from_extraction(extraction)
    def shown(notice):  # the values the ledger prints, without the records they came from
        return [[{k: v for k, v in row.items() if not k.startswith("_")} for row in block]
                for block in ledger.problem_blocks(notice, "measure")]

    assert shown(direct) == shown(stored)
    assert ledger.notice_sheet.info_lines(direct) == ledger.notice_sheet.info_lines(stored)
    assert any(p["units"] for p in direct["problems"])


@pytest.mark.parametrize("argv, message", [
    (["export", "-o", "x.xlsx"], "--all"),
    (["export", "99", "-o", "x.xlsx"], "99"),
    (["export", "abc", "-o", "x.xlsx"], "abc"),
    (["export", "--all", "-o", "x.pdf"], "格式"),
])
def test_bad_requests_print_one_chinese_line(db, tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv + ["--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err
    assert not (tmp_path / "x.xlsx").exists()


def test_no_database_yet_is_an_expected_error_and_creates_none(tmp_path, capsys):
    db = tmp_path / "none.sqlite3"
    assert main(["export", "--all", "-o", str(tmp_path / "x.xlsx"), "--db", str(db)]) == 2
    assert "先导入" in capsys.readouterr().err and not db.exists()


def test_target_in_use_is_an_expected_error(db, tmp_path, capsys):
    (tmp_path / ".~lock.t.xlsx#").write_text("x")
    assert main(["export", "--all", "-o", str(tmp_path / "t.xlsx"), "--db", str(db)]) == 2
    assert "关闭" in capsys.readouterr().err


def test_report_profile_of_several_notices_is_for_reading(db, tmp_path):
    out_file = tmp_path / "上报.xlsx"
    assert main(["export", "--all", "-o", str(out_file), "--db", str(db)]) == 0
    wb = openpyxl.load_workbook(out_file)
    assert wb.sheetnames[0] == "汇总" and "全部问题" not in wb.sheetnames  # the desk's sheet is in 工作版
    assert wb.sheetnames[-2:] == ["统计", "台账标识"] and wb["台账标识"].sheet_state == "hidden"
    sheet = wb.worksheets[1]
    header = next([c.value for c in row] for row in sheet.iter_rows(max_row=12) if row[0].value == "序号")
    assert len([h for h in header if h and h != "行标识"]) <= 11 and "原文位置" not in header
    assert int(sheet.page_setup.paperSize) == 9 and sheet["A1"].font.sz == 18
