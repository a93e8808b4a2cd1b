"""Merge back (回填): a ledger edited by a unit comes back as exactly the changes it holds."""
import datetime as dt
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from core import ledger
from core.cli import main
from core.ledger import merge
from core.ledger.readback import MergeError
from core.store import Store
from tests.gui.notices import make_extraction, notices_db


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "m.sqlite3"
    notices_db(path, "甲乙", problems=3, measures=2)
    return path


def _export(db, target, *args):
    assert main(["export", *args, "-o", str(target), "--db", str(db)]) == 0
    return target


def _sheet_columns(ws):
    for row in ws.iter_rows(min_row=1, max_row=20):
        if row[0].value == "序号":
            return row[0].row, {c.value: c.column for c in row if c.value}
    raise AssertionError("no header")


def _item_rows(ws, header_row):
    """序号 -> the first row of that problem."""
    found = {}
    for r in range(header_row + 1, ws.max_row + 1):
        value = ws.cell(r, 1).value
        if isinstance(value, int) and value not in found:
            found[value] = r
    return found


def _snapshot(db):
    with Store.open(db) as store:
        return {i: store.get_notice(i) for i in store.notice_ids()}


def _fields(notices):
    return {(p["id"], f): p[f] for n in notices.values() for p in n["problems"]
            for f in ledger.identity.PROBLEM_FIELDS} | {
        (m["id"], "m:" + f): m[f] for n in notices.values() for p in n["problems"]
        for m in p["measures"] for f in ("text", "status", "units", "person", "deadline", "progress")}


def _edit_single(path):
    """The edits a unit makes in the 甲 notice's sheet of a one-notice 工作版 measure-layout ledger."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row, cols = _sheet_columns(ws)
    rows = _item_rows(ws, header_row)
    ws.cell(rows[1], cols["责任单位"]).value = "区发改局"
    ws.cell(rows[2], cols["整改时限"]).value = dt.datetime(2025, 6, 30)
    ws.cell(rows[2] + 1, cols["整改状态"]).value = "已完成"  # problem 2, measure 2 (was 推进中)
    ws.cell(rows[3], cols["是否销号"]).value = "是"
    wb.save(path)
    return 4


def _expected(before):
    n = before[1]
    return {  # in the measure layout 责任单位, 整改时限 and 整改状态 belong to the measure's row
        (n["problems"][0]["measures"][0]["id"], "m:units"): ["区发改局"],
        (n["problems"][1]["measures"][0]["id"], "m:deadline"): "2025-06-30",
        (n["problems"][1]["measures"][1]["id"], "m:status"): "已完成",
        (n["problems"][2]["id"], "closed"): True,
    }


def test_round_trip_through_openpyxl_applies_exactly_the_changed_fields(db, tmp_path):
    path = _export(db, tmp_path / "甲.xlsx", "1", "--profile", "工作版", "--layout", "measure")
    before = _snapshot(db)
    _edit_single(path)
    with Store.open(db) as store:
        result = merge.preview(store, path)
        assert [(c.item, c.field) for c in result.changes] == [
            ("问题 1 措施 1", "units"), ("问题 2 措施 1", "deadline"), ("问题 2 措施 2", "status"),
            ("问题 3", "closed")]
        assert not result.conflicts and not result.new_measures and not result.flags
        assert _snapshot(db) == before  # nothing written before apply
        counts = merge.apply(store, result)
        assert counts == {"changes": 4, "new_measures": 0, "steps": 1}
        log = store.edit_log(1)
    after = _snapshot(db)
    changed = {k: v for k, v in _fields(after).items() if _fields(before)[k] != v}
    assert changed == _expected(before)
    assert {e["reviewer"] for e in log if e["field"] != "touched"} == {"回填：甲.xlsx"}
    with Store.open(db) as store:  # one undo step takes the whole merge back
        assert store.undo(1)
    assert _fields(_snapshot(db)) == _fields(before)


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (soffice)")
def test_round_trip_through_libreoffice_resaving(db, tmp_path):
    (tmp_path / "src").mkdir()
    path = _export(db, tmp_path / "src" / "甲.xlsx", "1", "--profile", "工作版", "--layout", "measure")
    before = _snapshot(db)
    _edit_single(path)
    out = tmp_path / "out"
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    resaved = out / "甲.xlsx"
    assert openpyxl.load_workbook(resaved).sheetnames == ["中共甲区委", "台账标识"]
    with Store.open(db) as store:
        result = merge.preview(store, resaved)
        assert not result.flags and not result.notes
        merge.apply(store, result)
    changed = {k: v for k, v in _fields(_snapshot(db)).items() if _fields(before)[k] != v}
    assert changed == _expected(before)


def test_a_conflict_is_shown_and_not_overwritten(db, tmp_path, capsys):
    path = _export(db, tmp_path / "甲.xlsx", "1", "--profile", "工作版")
    before = _snapshot(db)
    problem = before[1]["problems"][0]
    with Store.open(db) as store:  # edited in the program after the export
        store.update_field("problem", problem["id"], "units", "区委办公室")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row, cols = _sheet_columns(ws)
    ws.cell(_item_rows(ws, header_row)[1], cols["责任单位"]).value = "区发改局"
    wb.save(path)
    assert main(["merge-ledger", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "冲突 1 处" in out and "程序中 区委办公室；文件中 区发改局 → 保留程序中的值" in out
    with Store.open(db) as store:
        assert store.get_problem(problem["id"])["units"] == "区委办公室"
        result = merge.preview(store, path)
        (conflict,) = result.conflicts
        assert (conflict.base, conflict.old, conflict.new, conflict.apply) == (problem["units"], "区委办公室", "区发改局", False)
        conflict.apply = True  # the reviewer chose the file's value
        merge.apply(store, result)
        assert store.get_problem(problem["id"])["units"] == "区发改局"


def test_added_rows_are_offered_as_measures_and_deleted_rows_flagged(db, tmp_path):
    path = _export(db, tmp_path / "甲.xlsx", "1", "--profile", "工作版")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row, cols = _sheet_columns(ws)
    rows = _item_rows(ws, header_row)
    ws.cell(rows[3], 1).value = None  # problem 3's row emptied and its key removed: deleted
    for c in range(1, ws.max_column + 1):
        ws.cell(rows[3], c).value = None
    new_row = rows[1] + 1
    ws.insert_rows(new_row)
    ws.cell(new_row, cols["整改措施"]).value = "3. 区发改局建立月调度机制"
    wb.save(path)
    with Store.open(db) as store:
        result = merge.preview(store, path)
        (new,) = result.new_measures
        assert (new.item, new.text) == ("问题 1", "区发改局建立月调度机制")
        assert any("问题 3" in f and "删除" in f for f in result.flags)
        assert not result.changes
        merge.apply(store, result)
        measures = store.get_notice(1)["problems"][0]["measures"]
        assert measures[-1]["text"] == "区发改局建立月调度机制"
        assert len(store.get_notice(1)["problems"]) == 3  # never deleted silently


def test_text_in_a_date_cell_and_formula_cells(db, tmp_path):
    path = _export(db, tmp_path / "甲.xlsx", "1", "--profile", "工作版")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row, cols = _sheet_columns(ws)
    rows = _item_rows(ws, header_row)
    ws.cell(rows[1], cols["整改时限"]).value = "2024年底"
    ws.cell(rows[2], cols["责任人"]).value = '="王"&"五"'  # openpyxl saves no cached value
    ws.cell(rows[3], cols["整改状态"]).value = "基本完成"  # not one of the choices
    wb.save(path)
    with Store.open(db) as store:
        result = merge.preview(store, path)
    (change,) = result.changes
    assert (change.item, change.field, change.new) == ("问题 1", "deadline", "2024年底")
    assert "按文字保存" in change.note
    assert any("公式" in f and "计算结果" in f and "第" in f for f in result.flags)
    assert any("基本完成" in f for f in result.flags)


def test_an_error_cell_reads_as_its_error_not_as_an_emptied_cell(db, tmp_path):
    path = _export(db, tmp_path / "甲.xlsx", "1", "--profile", "工作版")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row, cols = _sheet_columns(ws)
    rows = _item_rows(ws, header_row)
    ws.cell(rows[1], cols["责任单位"]).value = "#N/A"  # openpyxl saves it as an error cell (t="e")
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert b't="e"' in z.read("xl/worksheets/sheet1.xml")
    with Store.open(db) as store:
        result = merge.preview(store, path)
    (change,) = result.changes
    assert (change.item, change.field, change.new) == ("问题 1", "units", "#N/A")


def test_rows_of_a_deleted_notice_are_flagged(db, tmp_path):
    path = _export(db, tmp_path / "all.xlsx", "--all", "--profile", "工作版")
    wb = openpyxl.load_workbook(path)
    ws = wb["中共乙区委"]
    header_row, cols = _sheet_columns(ws)
    ws.cell(_item_rows(ws, header_row)[1], cols["责任单位"]).value = "区发改局"
    wb.save(path)
    with Store.open(db) as store:
        store.delete_notice(2)
        result = merge.preview(store, path)
    assert not result.changes
    assert any("通报 2 已从程序中删除" in f for f in result.flags)


def test_rows_copied_into_a_new_file_are_matched_by_number_and_text(db, tmp_path):
    path = _export(db, tmp_path / "甲.xlsx", "1", "--profile", "工作版")
    wb = openpyxl.load_workbook(path)
    del wb["台账标识"]
    ws = wb.worksheets[0]
    header_row, cols = _sheet_columns(ws)
    ws.cell(_item_rows(ws, header_row)[2], cols["责任人"]).value = "王五"
    wb.save(tmp_path / "copy.xlsx")
    with Store.open(db) as store:
        result = merge.preview(store, tmp_path / "copy.xlsx")
    (change,) = result.changes
    assert (change.item, change.field, change.new) == ("问题 2", "person", "王五")
    assert "按序号和文字匹配" in change.note and result.notes


def test_same_cell_filled_differently_in_two_sheets_is_not_applied(db, tmp_path):
    path = _export(db, tmp_path / "all.xlsx", "--all", "--profile", "工作版")
    wb = openpyxl.load_workbook(path)
    ws = wb["中共甲区委"]
    header_row, cols = _sheet_columns(ws)
    ws.cell(_item_rows(ws, header_row)[1], cols["责任人"]).value = "王五"
    all_ws = wb["全部问题"]
    all_cols = {c.value: c.column for c in all_ws[1]}
    all_ws.cell(2, all_cols["责任人"]).value = "赵六"
    wb.save(path)
    with Store.open(db) as store:
        result = merge.preview(store, path)
    assert not result.changes and any("不同的填写" in f for f in result.flags)


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600), "密码"),
    (lambda p: p.with_suffix(".xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600), ".xls"),
    (lambda p: p.write_text("just text"), "不是 Excel"),
])
def test_files_that_cannot_be_merged_say_why(db, tmp_path, capsys, make, message):
    target = tmp_path / "x.xlsx"
    make(target)
    source = target if target.exists() else target.with_suffix(".xls")
    before = _snapshot(db)
    assert main(["merge-ledger", str(source), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err and "\n" not in err.strip()
    assert _snapshot(db) == before


def test_a_workbook_not_ours_and_a_file_open_in_excel(db, tmp_path, capsys):
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.save(other)
    assert main(["merge-ledger", str(other), "--db", str(db)]) == 2
    assert "不是本程序导出的整改台账" in capsys.readouterr().err
    path = _export(db, tmp_path / "甲.xlsx", "1")
    (tmp_path / "~$甲.xlsx").write_text("lock")
    assert main(["merge-ledger", str(path), "--db", str(db)]) == 2
    assert "关闭后再合并" in capsys.readouterr().err


def test_a_ledger_of_another_database_is_refused(db, tmp_path):
    path = _export(db, tmp_path / "甲.xlsx", "1")
    other = tmp_path / "other.sqlite3"
    with Store.open(other) as store:
        store.add_extraction(make_extraction(tag="甲"))
        store.set_setting("database_id", "another")
        with pytest.raises(MergeError, match="另一个数据库"):
            merge.preview(store, path)


def test_per_unit_files_are_merged_back_from_a_folder(db, tmp_path, capsys):
    folder = tmp_path / "分发"
    assert main(["export", "--all", "--per-unit", str(folder), "--db", str(db), "--layout", "measure",
                 "--profile", "工作版"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["乙区委办.xlsx", "甲区委办.xlsx"]
    assert openpyxl.load_workbook(folder / "甲区委办.xlsx").sheetnames == ["中共甲区委", "台账标识"]
    before = _snapshot(db)
    for path in folder.iterdir():
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        header_row, cols = _sheet_columns(ws)
        ws.cell(_item_rows(ws, header_row)[1], cols["责任人"]).value = "联络员" + path.stem[0]
        wb.save(path)
    assert main(["merge-ledger", str(folder), "--db", str(db), "--dry-run"]) == 0
    assert "试运行" in capsys.readouterr().out and _snapshot(db) == before
    assert main(["merge-ledger", str(folder), "--db", str(db)]) == 0
    after = _snapshot(db)
    first = [after[i]["problems"][0]["measures"][0]["person"] for i in (1, 2)]
    assert first == ["联络员甲", "联络员乙"]  # 责任人 of the measure whose row was filled


def _resave_with_libreoffice(path, tmp_path):
    out = tmp_path / "resaved"
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    return out / path.name


def _long_effect_db(db):
    long_text = "\n".join(f"第{i}段：区发改局牵头完善制度机制，督促各责任单位逐项落实整改任务，确保整改到位。" * 3
                          for i in range(1, 13))
    with Store.open(db) as store:
        problem = store.get_notice(1)["problems"][0]
        store.update_field("problem", problem["id"], "effect", long_text)
    return problem["id"], long_text


def test_a_long_item_continued_over_rows_comes_back_whole(db, tmp_path):
    problem_id, long_text = _long_effect_db(db)
    path = _export(db, tmp_path / "甲.xlsx", "1", "--profile", "工作版")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row, cols = _sheet_columns(ws)
    continued = [r for r in range(header_row + 1, ws.max_row + 1) if ws.cell(r, 1).value == "1续"]
    assert continued and all(ws.row_dimensions[r].height <= 409 for r in range(1, ws.max_row + 1))
    with Store.open(db) as store:
        assert merge.preview(store, path).is_empty()  # the parts join back to exactly the text
    last = continued[-1]
    ws.cell(last, cols["整改成效"]).value += "（已补充）"
    wb.save(path)
    with Store.open(db) as store:
        (change,) = merge.preview(store, path).changes
    assert change.new == long_text + "（已补充）" and change.old == long_text


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (soffice)")
def test_formulas_keep_their_cached_value_and_continued_rows_survive_libreoffice(db, tmp_path):
    problem_id, long_text = _long_effect_db(db)
    (tmp_path / "src").mkdir()
    path = _export(db, tmp_path / "src" / "甲.xlsx", "1", "--profile", "工作版")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header_row, cols = _sheet_columns(ws)
    assert any(ws.cell(r, 1).value == "1续" for r in range(header_row, ws.max_row + 1))
    ws.cell(_item_rows(ws, header_row)[2], cols["责任单位"]).value = '="区"&"财政局"'
    wb.save(path)
    resaved = _resave_with_libreoffice(path, tmp_path)
    with Store.open(db) as store:
        result = merge.preview(store, resaved)
    (change,) = result.changes
    assert (change.item, change.field, change.new) == ("问题 2", "units", "区财政局")
    assert "公式" in change.note and not result.flags
