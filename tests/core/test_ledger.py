"""The Excel ledger: reopened with openpyxl and checked cell by cell."""
import datetime as dt
import os
import csv
import json
import zipfile

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from hypothesis import given
from hypothesis import strategies as st

from core import ledger
from core.errors import Cancelled, ExportError, TargetInUseError
from tests.ledger_records import make_notice


def _export(tmp_path, notices, name="ledger.xlsx", **kwargs):
    kwargs.setdefault("profile", "工作版")
    target = ledger.export_workbook(notices, tmp_path / name, **kwargs)
    return openpyxl.load_workbook(target)


def _row(ws, r):
    return [c.value for c in ws[r]]


def _find_row(ws, first_value):
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == first_value)


def test_one_notice_sheet_title_info_header_and_rows(tmp_path):
    notice = make_notice(1, problems=3, measures=2)
    wb = _export(tmp_path, [notice])
    assert wb.sheetnames == ["中共某某区委", "台账标识"]
    ws = wb.active
    assert ws["A1"].value == "《中共某某区委关于巡察整改进展情况的通报（1）》整改台账"
    assert "A1:Q1" in {str(r) for r in ws.merged_cells.ranges}
    assert (ws["A1"].font.name, ws["A1"].font.bold, ws["A1"].font.sz) == ("宋体", True, 18)
    assert [ws.cell(r, 1).value for r in range(2, 8)] == [
        "被巡察单位：中共某某区委", "巡察组：区委第一巡察组", "巡察时间：2024-03-01至2024-04-30",
        "反馈时间：2024-06-15", "通报日期：2024-12-28", "来源文件：notice1.txt"]
    assert ws["A8"].value.startswith("预警")
    header = _row(ws, 9)[:-1]
    assert header == [c.header for c in ledger.COLUMNS if c.key not in ("checked", "location")]
    assert ws["A9"].font.name == "黑体" and ws["A9"].border.bottom.style == "thin"
    assert ws.column_dimensions["R"].hidden and ws["R10"].value == "R1"  # the row identity key
    first = dict(zip(header, _row(ws, 10)))
    assert first["序号"] == 1
    assert first["反馈问题"] == "第1号通报问题1落实不够到位"
    assert first["整改措施"] == ("1. 措施1-1：召开专题会议研究部署，建立长效机制。\n"
                             "2. 措施1-2：召开专题会议研究部署，建立长效机制。")
    assert first["完成情况"] == "已完成1项、长期坚持1项"
    assert (first["是否销号"], first["佐证材料"]) == ("否", "会议纪要1.pdf")
    assert first["整改时限"] == dt.datetime(2024, 12, 31)
    assert _row(ws, 12)[0] == 3 and ws.max_row == 12
    body = ws["D10"]
    assert body.font.name == "宋体" and body.alignment.wrap_text and body.border.left.style == "thin"


def test_warning_is_conditional_formatting_on_the_deadline(tmp_path):
    ws = _export(tmp_path, [make_notice(1, problems=4)]).active
    deadline = [c.header for c in ledger.COLUMNS if c.key not in ("checked", "location")].index("整改时限")
    letter = "ABCDEFGHIJKLMNOPQ"[deadline]
    rules = {str(rng.sqref): [r for r in rng.rules] for rng in ws.conditional_formatting}
    (sqref, found), = rules.items()
    assert sqref.startswith(f"{letter}10:{letter}")
    formulas = [r.formula[0] for r in found]
    assert "TODAY()" in formulas[1] and "<=15" in formulas[2]
    fills = [r.dxf.fill.bgColor.rgb[-6:] for r in found]
    assert fills == ["A9D08E", "FF9C9C", "FFE699"]
    # no cell holds a formula: the colours are worked out by the spreadsheet on opening
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row)


def test_warning_of_a_measure_row_reads_its_problems_closed_cell(tmp_path):
    """In the measure layout 是否销号 is merged down a problem's rows, so only its first row holds
    it: the later rows' 预警 must read that cell (a closed problem's later measures are not red)."""
    ws = _export(tmp_path, [make_notice(1, problems=3, measures=3)], layout="measure", profile="上报版").active
    header = _row(ws, 8)
    deadline, closed = (get_column_letter(header.index(h) + 1) for h in ("整改时限", "是否销号"))
    rules = {str(rng.sqref): [r.formula[0] for r in rng.rules] for rng in ws.conditional_formatting}
    whole = next(k for k in rules if " " in k)  # the column, less the problems' later rows
    assert whole.split() == [f"{deadline}9", f"{deadline}12", f"{deadline}15", f"{deadline}18:{deadline}217"]
    assert f'${closed}9="是"' in rules[whole][0]
    for top in (9, 12, 15):
        later = rules[f"{deadline}{top + 1}:{deadline}{top + 2}"]
        assert len(later) == 3 and all(f'${closed}${top}="是"' in f for f in later)
        assert f"${deadline}{top + 1}<TODAY()" in later[1]
    priorities = [r.priority for rng in ws.conditional_formatting for r in rng.rules]
    assert sorted(priorities) == list(range(1, len(priorities) + 1))


def test_cell_text_is_written_exactly_and_never_as_a_formula(tmp_path):
    """The rows are written as XML text (sheet._Rows): markup characters, carriage returns, edge
    spaces, a leading = and an over-long text come back as a spreadsheet reads them."""
    notice = make_notice(1, problems=3)
    tricky = "  =SUM(A1)&\"x\" <b>a</b> 1 < 2 > 0\r\n第二行\t末尾  "
    notice["problems"][0]["remark"] = tricky
    notice["problems"][1]["remark"] = "长" * 40000
    notice["problems"][2]["effect"] = "=1+1"
    ws = _export(tmp_path, [notice], profile="工作版").active
    header = _row(ws, 9)
    remark, effect = header.index("备注") + 1, header.index("整改成效") + 1
    cells = [ws.cell(r, remark) for r in range(10, ws.max_row + 1) if ws.cell(r, remark).value]
    assert cells[0].value == tricky and cells[0].data_type == "s"
    assert all(len(c.value) <= 32767 for c in cells) and "".join(c.value for c in cells[1:]).startswith("长")
    formula_like = next(ws.cell(r, effect) for r in range(10, ws.max_row + 1) if ws.cell(r, effect).value == "=1+1")
    assert formula_like.data_type == "s"


def test_print_settings_of_an_official_ledger(tmp_path):
    ws = _export(tmp_path, [make_notice()]).active
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
    assert ws.print_title_rows == "$9:$9"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.freeze_panes == "A10"
    assert ws.auto_filter.ref == "A9:Q12"
    assert ws.column_dimensions["E"].width == 40
    assert ws.row_dimensions[10].height >= 2 * ledger.LINE_HEIGHT  # two wrapped measures
    assert int(_export(tmp_path, [make_notice()], name="r.xlsx", profile="上报版").active.page_setup.paperSize) == 9
    assert int(ws.page_setup.paperSize) == 8  # 工作版: A3


def test_hidden_columns_are_left_out(tmp_path):
    ws = _export(tmp_path, [make_notice()], hidden_columns=("group", "remark"), shown_columns=("location",)).active
    header = _row(ws, 9)[:-1]
    assert "问题分组" not in header and "备注" not in header and "原文位置" in header and "核对" not in header
    assert len(header) == len(ledger.COLUMNS) - 3
    assert "A1:P1" in {str(r) for r in ws.merged_cells.ranges}
    with pytest.raises(ValueError):
        ledger.export_workbook([make_notice()], tmp_path / "x.xlsx", hidden_columns=("nonsense",))


def test_measure_layout_merges_problem_cells_down(tmp_path):
    ws = _export(tmp_path, [make_notice(1, problems=2, measures=3)], layout="measure").active
    header = _row(ws, 9)
    measures_col = header.index("整改措施") + 1
    status_col = header.index("整改状态") + 1
    assert [ws.cell(r, measures_col).value[:6] for r in range(10, 16)] == [
        "1. 措施1", "2. 措施1", "3. 措施1", "1. 措施2", "2. 措施2", "3. 措施2"]
    assert [ws.cell(r, status_col).value for r in range(10, 13)] == ["长期坚持", "已完成", "推进中"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A10:A12", "D10:D12", "H10:H12", "Q10:Q12", "A13:A15"} <= merged  # 序号, 反馈问题, 责任领导, 备注
    per_measure = [header.index(h) + 1 for h in ("整改措施", "完成情况", "责任单位", "责任人", "整改时限", "整改状态")]
    assert not any(r.min_col in per_measure for r in ws.merged_cells.ranges if r.min_row >= 10)
    assert ws.cell(11, 4).value is None  # the title lives in the merged range's first cell only
    assert ws.cell(12, 4).border.bottom.style == "thin"


def test_many_notices_summary_all_problems_sheets_and_stats(tmp_path):
    notices = [make_notice(1, problems=3), make_notice(2, problems=5, issuer="区发改局[党组]/机关*"),
               make_notice(3, problems=2, issuer="区发改局党组机关")]
    wb = _export(tmp_path, notices)
    assert wb.sheetnames == ["汇总", "全部问题", "中共某某区委", "区发改局党组机关", "区发改局党组机关(2)", "统计", "台账标识"]

    summary = wb["汇总"]
    header = _row(summary, 2)
    assert header[:7] == ["序号", "通报", "单位", "类型", "通报日期", "问题数", "措施数"]
    assert {"已完成", "推进中", "长期坚持", "逾期", "已核对", "成果（人）", "成果（万元）"} <= set(header)
    second = dict(zip(header, _row(summary, 4)))
    assert (second["问题数"], second["措施数"], second["逾期"]) == (5, 10, 1)
    assert second["已核对"] == pytest.approx(0.2) and summary.cell(4, header.index("已核对") + 1).number_format == "0%"
    assert second["成果（人）"] == 2 and second["成果（万元）"] == 3.5
    total = dict(zip(header, _row(summary, 6)))
    assert (total["通报"], total["问题数"], total["成果（万元）"]) == ("合计", 10, 10.5)
    assert summary["A4"].hyperlink.location == "'区发改局党组机关'!A1"
    assert summary.auto_filter.ref == "A2:P5"  # the 合计 row stays out of sorting

    all_sheet = wb["全部问题"]
    assert _row(all_sheet, 1)[:2] == ["通报", "序号"]
    assert all_sheet.max_row == 1 + 10 and all_sheet.auto_filter.ref == "A1:R11"
    assert all_sheet.freeze_panes == "A2" and all_sheet.print_title_rows == "$1:$1"
    assert all_sheet["A7"].value == notices[1]["title"]

    stats = wb["统计"]
    rows = {r[0]: r for r in stats.iter_rows(min_row=3, values_only=True)}
    assert rows["方面1"][1] == 6 and rows["方面3"][1] == 1 and rows["合计"][1] == 10
    assert sum(rows["合计"][2:6]) == 10
    assert stats.auto_filter.ref == f"A2:H{2 + len(rows) - 1}"


def test_edit_log_sheet(tmp_path):
    notices = [make_notice(1), make_notice(2)]
    logs = {2: [{"id": 1, "at": "2026-01-02T09:00:00", "reviewer": "王五", "entity": "problem", "row_id": 2001,
                 "field": "units", "old": "甲局", "new": ["乙局", "丙局"], "action": "update_field",
                 "undone": True, "group": 7}]}
    wb = _export(tmp_path, notices, edit_logs=logs)
    assert wb.sheetnames[-2:] == ["修改记录", "台账标识"]
    ws = wb["修改记录"]
    assert _row(ws, 1) == ["通报", "时间", "审核人", "操作", "对象", "修改内容", "已撤销"]
    # the item by its number in the record (no "item" from the store here), values as read
    assert _row(ws, 2) == [notices[1]["title"], dt.datetime(2026, 1, 2, 9, 0), "王五", "修改", "问题 1 的“责任单位”",
                           "甲局 → 乙局、丙局", "是"]
    assert ws["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert _export(tmp_path, [make_notice()], name="one.xlsx", edit_logs=logs).sheetnames == [
        "中共某某区委", "修改记录", "台账标识"]


INJECTIONS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "=HYPERLINK(\"http://x\",\"y\")"]


def test_formula_like_text_stays_text(tmp_path):
    notice = make_notice(1, problems=len(INJECTIONS))
    for problem, text in zip(notice["problems"], INJECTIONS):
        problem["title"] = text
        problem["remark"] = text
    notice["issuer"] = "=cmd|' /C calc'!A0"
    target = ledger.export_workbook([notice, make_notice(2)], tmp_path / "inj.xlsx", profile="工作版")
    with zipfile.ZipFile(target) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8"), name
    wb = openpyxl.load_workbook(target)
    ws = wb["全部问题"]
    col = _row(ws, 1).index("反馈问题") + 1
    titles = [ws.cell(r, col) for r in range(2, 2 + len(INJECTIONS))]
    assert [c.value for c in titles] == INJECTIONS
    assert all(c.data_type == "s" for c in titles)
    assert wb["汇总"]["C3"].value == "=cmd|' /C calc'!A0" and wb["汇总"]["C3"].data_type == "s"


def test_characters_xml_forbids_are_removed(tmp_path):
    notice = make_notice(1, problems=1)
    notice["problems"][0]["title"] = "问题\x07标题\x1b\ufffe\uffff"
    notice["problems"][0]["remark"] = "备\ud800注"
    ws = _export(tmp_path, [notice]).active
    assert ws["D10"].value == "问题标题"
    assert "备注" in [c.value for c in ws[10]]


def test_csv_has_bom_same_rows_and_quotes_formulas(tmp_path):
    notices = [make_notice(1, problems=2), make_notice(2, problems=1)]
    notices[1]["problems"][0]["title"] = "=1+1"
    target = ledger.export_csv(notices, tmp_path / "ledger.csv", hidden_columns=("evidence",), profile="工作版")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0][:3] == ["通报", "序号", "问题类别"] and "佐证材料" not in rows[0]
    assert len(rows) == 4
    assert rows[3][rows[0].index("反馈问题")] == "'=1+1"
    measure_rows = list(csv.reader(ledger.export_csv(notices, tmp_path / "m.csv", layout="measure", profile="工作版")
                                   .read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    assert len(measure_rows) == 1 + 3 * 2


def test_json_has_the_same_rows(tmp_path):
    notices = [make_notice(1, problems=2)]
    data = json.loads(ledger.export_json(notices, tmp_path / "ledger.json").read_text(encoding="utf-8"))
    assert len(data) == 2
    assert data[1]["通报"] == notices[0]["title"] and data[1]["序号"] == 2 and data[1]["是否销号"] == "是"


def test_target_open_elsewhere_raises_and_keeps_the_file(tmp_path):
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")
    (tmp_path / ".~lock.台账.xlsx#").write_text("lock")
    with pytest.raises(TargetInUseError) as info:
        ledger.export_workbook([make_notice()], target)
    assert "关闭" in str(info.value)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".~lock.台账.xlsx#", "台账.xlsx"]


def test_windows_refusing_the_replace_is_target_in_use(tmp_path, monkeypatch):
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise PermissionError(13, "used by another process")

    monkeypatch.setattr(ledger.files.os, "replace", refuse)
    with pytest.raises(TargetInUseError):
        ledger.export_csv([make_notice()], target)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_progress_and_cancel(tmp_path):
    calls = []
    ledger.export_workbook([make_notice(i) for i in range(1, 4)], tmp_path / "a.xlsx",
                           progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)

    target = tmp_path / "b.xlsx"
    seen = []

    def cancelled():
        return len(seen) >= 2

    with pytest.raises(Cancelled):
        ledger.export_workbook([make_notice(i) for i in range(1, 4)], target,
                               progress=lambda done, total: seen.append(done), cancelled=cancelled)
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]


@pytest.mark.parametrize("export", [ledger.export_workbook, ledger.export_csv, ledger.export_json])
def test_nothing_to_export_is_an_expected_error(tmp_path, export):
    with pytest.raises(ExportError):
        export([], tmp_path / "empty.out")
    assert list(tmp_path.iterdir()) == []


def test_existing_target_is_replaced_whole(tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")
    wb = _export(tmp_path, [make_notice()], name="a.xlsx")
    assert wb.sheetnames == ["中共某某区委", "台账标识"]
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


def test_location_without_text_uses_characters():
    notice = make_notice(1, problems=1, text="")
    row = ledger.problem_blocks(notice)[0][0]
    start, end = notice["problems"][0]["span"]
    assert row["location"] == f"第{start}–{end}字"


@given(st.lists(st.text(max_size=40), min_size=1, max_size=12))
def test_sheet_names_are_valid_and_unique(names):
    make_name = ledger._SheetNames(("汇总",))
    made = [make_name(n) for n in names]
    assert len({m.lower() for m in made}) == len(made)
    for m in made:
        assert 0 < len(m) <= 31
        assert not set(m) & set("[]:*?/\\") and m.lower() not in ("汇总", "history")
        assert not m.startswith("'") and not m.endswith("'")


def test_summary_links_reach_sheets_with_apostrophes(tmp_path):
    wb = _export(tmp_path, [make_notice(1, issuer="张'三党支部"), make_notice(2)])
    assert wb.sheetnames[2] == "张'三党支部"
    assert wb["汇总"]["A3"].hyperlink.location == "'张''三党支部'!A1"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_exported_file_gets_ordinary_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        ledger.export_workbook([make_notice()], tmp_path / "a.xlsx")
    finally:
        os.umask(old)
    assert (tmp_path / "a.xlsx").stat().st_mode & 0o777 == 0o644


def test_measure_fields_per_row_and_their_roll_up_per_problem(tmp_path):
    notice = make_notice(1, problems=1, measures=2)
    problem = notice["problems"][0]
    problem.update(units=None, person=None, deadline=None, status=None)
    first, second = problem["measures"]
    first.update(units=["区发改局"], person="王五", deadline="2025-03-31", status="已完成", progress="已修订制度")
    second.update(units=["区财政局"], person="赵六", deadline="2025-06-30", status="推进中")
    (row,), = ledger.problem_blocks(notice, "problem")
    assert (row["units"], row["person"], row["deadline"], row["status"]) == (
        "区发改局、区财政局", "王五、赵六", "2025-06-30", "推进中")
    rows, = ledger.problem_blocks(notice, "measure")
    assert [(r["units"], r["person"], r["deadline"], r["status"], r["progress"]) for r in rows] == [
        ("区发改局", "王五", "2025-03-31", "已完成", "已修订制度"), ("区财政局", "赵六", "2025-06-30", "推进中", "")]
