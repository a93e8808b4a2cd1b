"""Problems listed in a table, as core.ingest renders .docx and .html tables: one cell paragraph a line."""
import docx
import pytest

from core.extract import extract_file

HEADER = ["序号", "反馈问题", "整改目标", "整改措施", "责任单位", "整改时限", "整改进展"]
ROWS = [
    ["1", "城区污水管网建设滞后，部分片区雨污混流。", "",
     ["一是完成城区污水管网排查。", "二是实施老城区雨污分流改造。", "三是建立厂网一体运维机制。"],
     "县住建局", "2025年12月底前", "正在推进"],
    ["2", "历史遗留矿山生态修复进展缓慢。", "完成9处矿山修复", ["编制修复实施方案，推进治理。"],
     "县自然资源和规划局", "2025年6月底前", "已完成6处"],
    ["3", "部分养殖场粪污处理设施不配套。", "设施配套率100%", ["（1）逐一下达整改通知书；（2）依法查处偷排行为。"],
     "", "2024年10月底前", "已完成"],
]
EXPECTED = [
    ("城区污水管网建设滞后，部分片区雨污混流", 3),
    ("历史遗留矿山生态修复进展缓慢", 1),
    ("部分养殖场粪污处理设施不配套", 2),
]


def _docx(path, header=HEADER, rows=ROWS, after=()):
    document = docx.Document()
    document.add_paragraph("某某县关于中央生态环境保护督察反馈问题整改情况的公示")
    document.add_paragraph("根据督察整改工作要求，现将我县督察反馈问题整改落实情况公示如下。")
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    for c, name in enumerate(header):
        table.cell(0, c).text = name
    for r, row in enumerate(rows, 1):
        if isinstance(row, str):  # a merged row across the table
            table.cell(r, 0).merge(table.cell(r, len(header) - 1)).text = row
            continue
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            paragraphs = value if isinstance(value, list) else [value]
            cell.text = paragraphs[0]
            for more in paragraphs[1:]:
                cell.add_paragraph(more)
    for line in after:
        document.add_paragraph(line)
    document.add_paragraph("某某县生态环境保护督察整改工作领导小组办公室")
    document.add_paragraph("2025年1月10日")
    document.save(path)
    return path


def _shape(result):
    text = result["text"]
    for p in result["problems"]:
        s, e = p["span"]
        assert text[slice(*p["title_span"])] == p["title"]
        for m in p["measures"]:
            a, b = m["span"]
            assert s <= a < b <= e and text[a:b] == m["text"]
    return [(p["title"], len(p["measures"])) for p in result["problems"]]


def test_docx_table_rows_are_problems(tmp_path):
    result = extract_file(_docx(tmp_path / "t.docx"))
    assert _shape(result) == EXPECTED
    first, _, last = result["problems"]
    assert first["measures"][1]["text"] == "实施老城区雨污分流改造。"
    assert first["measures"][-1]["text"] == "建立厂网一体运维机制。"  # the unit cell after it is not a measure
    assert "2025年1月10日" not in result["text"][slice(*last["span"])]
    assert result["meta"]["published"] == "2025-01-10"


def test_table_without_target_column_and_measures_last(tmp_path):
    header = ["序号", "存在问题", "责任单位", "整改措施"]
    rows = [[r[0], r[1], r[4], r[3]] for r in ROWS]
    result = extract_file(_docx(tmp_path / "t.docx", header, rows))
    assert _shape(result) == EXPECTED


def test_html_table(tmp_path):
    cells = "".join(
        "<tr>" + "".join(f"<td>{'<br>'.join(v) if isinstance(v, list) else v}</td>" for v in row) + "</tr>"
        for row in ROWS
    )
    page = (
        "<html><head><meta charset='utf-8'><title>整改情况公示</title></head><body>"
        "<p>某某县关于中央生态环境保护督察反馈问题整改情况的公示</p>"
        "<p>根据督察整改工作要求，现将我县督察反馈问题整改落实情况公示如下。</p><table>"
        "<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>" + cells + "</table>"
        "<p>某某县生态环境保护督察整改工作领导小组办公室</p><p>2025年1月10日</p></body></html>"
    )
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    assert _shape(extract_file(path)) == EXPECTED


@pytest.mark.parametrize("lines", [
    "序号\n整改措施\n责任单位\n",           # no problem column
    "反馈问题\n整改措施\n责任单位\n1\n某问题\n",  # no 序号 column
])
def test_not_a_problem_table(lines, tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("某某局关于巡察整改情况的通报\n" + lines, encoding="utf-8")
    assert extract_file(path)["problems"] == []


# 序号 | 问题 | 整改措施 | 责任单位 | 完成时限 | 进展, with merged 方面 rows: (一) before the first row
MERGED_HEADER = ["序号", "问题", "整改措施", "责任单位", "完成时限", "进展"]
MERGED_ROWS = [
    "（一）水环境治理方面",
    *([r[0], r[1], r[3], r[4], r[5], r[6]] for r in ROWS[:2]),
    "（二）农业农村污染治理方面",
    [ROWS[2][0], ROWS[2][1], ROWS[2][3], "县农业农村局", ROWS[2][5], ROWS[2][6]],
]
AFTER = ["三、下一步工作打算", "我县将持续压实整改责任，确保按期完成整改任务。"]


def test_docx_table_with_merged_category_rows(tmp_path):
    result = extract_file(_docx(tmp_path / "t.docx", MERGED_HEADER, MERGED_ROWS, AFTER))
    assert _shape(result) == EXPECTED
    assert [p["category"] for p in result["problems"]] == ["水环境治理方面"] * 2 + ["农业农村污染治理方面"]
    last = result["problems"][-1]
    assert result["text"][slice(*last["span"])].endswith("已完成")  # the section after the table is not in it


def test_html_table_with_merged_category_rows(tmp_path):
    def row(cells):
        if isinstance(cells, str):
            return f"<tr><td colspan='{len(MERGED_HEADER)}'>{cells}</td></tr>"
        return "<tr>" + "".join(f"<td>{'<br>'.join(v) if isinstance(v, list) else v}</td>" for v in cells) + "</tr>"

    page = (
        "<html><head><meta charset='utf-8'><title>整改情况公示</title></head><body>"
        "<p>某某县关于中央生态环境保护督察反馈问题整改情况的公示</p><table>"
        "<tr>" + "".join(f"<th>{h}</th>" for h in MERGED_HEADER) + "</tr>"
        + "".join(row(r) for r in MERGED_ROWS) + "</table>"
        + "".join(f"<p>{line}</p>" for line in AFTER)
        + "<p>某某县生态环境保护督察整改工作领导小组办公室</p><p>2025年1月10日</p></body></html>"
    )
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    result = extract_file(path)
    assert _shape(result) == EXPECTED
    assert [p["category"] for p in result["problems"]] == ["水环境治理方面"] * 2 + ["农业农村污染治理方面"]


def test_a_table_whose_rows_cannot_be_read_is_reported(tmp_path):
    # the rows do not start with their numbers: the text below the header is read as prose
    path = tmp_path / "t.txt"
    path.write_text(
        "某某局关于巡察整改情况的通报\n序号\n反馈问题\n整改措施\n责任单位\n"
        "一、关于理论学习不深入的问题\n1．制定学习计划。\n2．开展专题研讨。\n局办公室\n", encoding="utf-8")
    result = extract_file(path)
    assert "通报中有问题表格，但未能逐行识别，请核对问题和措施" in result["warnings"]


# 整改时限 cells holding full dates: a unit cell above its date reads like a signature above the
# notice's date, and must not end the table (nor the last row before its date cell)
DATED_ROWS = [[*r[:5], date, r[6]] for r, date in zip(ROWS, ["2025年12月31日", "2025年6月30日", "2024-10-31"])]


@pytest.mark.parametrize("progress_last", [True, False])
def test_full_date_deadline_cells_do_not_end_the_table(tmp_path, progress_last):
    header, rows = HEADER, DATED_ROWS
    if not progress_last:  # the date column last: the last row's date is right above the signature
        header = HEADER[:5] + [HEADER[6], HEADER[5]]
        rows = [[*r[:5], r[6], r[5]] for r in DATED_ROWS]
    result = extract_file(_docx(tmp_path / "t.docx", header, rows))
    assert _shape(result) == EXPECTED
    last = result["problems"][-1]["span"]
    assert "2024-10-31" in result["text"][slice(*last)]        # the last row keeps its date cell
    assert "领导小组办公室" not in result["text"][slice(*last)]   # and not the notice's signature
    assert result["meta"]["published"] == "2025-01-10"


def test_full_date_deadline_cells_in_plain_text_rows(tmp_path):
    lines = ["序号", "问题", "整改措施", "责任单位", "整改时限"]
    for n, (_, problem, _, measures, unit, *_), date in zip("123", ROWS, ["2025年6月30日", "2025年9月30日", "2025年12月31日"]):
        lines += [n, problem, *measures, unit, date]
    path = tmp_path / "t.txt"
    path.write_text("某某县关于巡视整改情况的通报\n" + "\n".join(lines) + "\n\n中共某某县委员会\n2025年10月15日\n",
                    encoding="utf-8")
    result = extract_file(path)
    assert _shape(result) == EXPECTED
    assert result["text"][slice(*result["problems"][-1]["span"])].endswith("2025年12月31日")


def test_audit_findings_table_copied_from_a_web_page(tmp_path):
    """序号 | 审计发现的问题 | 整改措施 | 整改情况, one cell a line, 方面 rows inside the table, measure cells
    1.…；2.… on one line, a status cell closing each row, then a blank line and the next section."""
    lines = ["序号", "审计发现的问题", "整改措施", "整改情况", "（一）预算执行和财务管理方面",
             "1", "预算编制不够科学，2022年预算调整率达37.6%", "1.完善预算论证机制；2.开展项目可行性评估。", "已整改。",
             "2", "超范围列支费用38.5万元", "将超范围列支的38.5万元调整至正确科目。", "已完成整改。",
             "（二）工程项目管理方面",
             "3", "8个已完工项目未及时转固", "1.委托第三方开展竣工决算审计；2.完成转固6个；3.建立台账。", "部分整改，剩余2个正在办理。",
             "4", "工程款多计多付94.7万元", "1.全额追回工程款；2.约谈施工单位。", "已整改。"]
    path = tmp_path / "t.txt"
    path.write_text("某某市交通运输局关于经济责任审计发现问题整改情况的公告\n二、审计发现问题的整改情况\n"
                    + "\n".join(lines) + "\n\n三、下一步工作\n我局将进一步健全内部控制制度。\n\n某某市交通运输局\n2024年9月10日\n",
                    encoding="utf-8")
    result = extract_file(path)
    assert _shape(result) == [("预算编制不够科学，2022年预算调整率达37.6%", 2), ("超范围列支费用38.5万元", 1),
                              ("8个已完工项目未及时转固", 3), ("工程款多计多付94.7万元", 2)]
    assert [p["category"] for p in result["problems"]] == ["预算执行和财务管理方面"] * 2 + ["工程项目管理方面"] * 2
    assert [m["text"] for m in result["problems"][-1]["measures"]] == ["全额追回工程款；", "约谈施工单位。"]
    # the 整改情况 cell after the measures is the row's status
    assert [p["status"] for p in result["problems"]] == ["已完成", "已完成", "推进中", "已完成"]
