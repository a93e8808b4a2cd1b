"""The formats offices receive besides .txt/.html/.docx/.pdf: .doc/.wps (LibreOffice), OFD,
spreadsheets of problems, PDF tables, and the real format found by content, not by suffix.
Each file is made by the test from a genre fixture and must extract to its source's problems."""
import csv
import io
import shutil

import pytest

from core.errors import UnreadableFileError, UnsupportedFormatError
from core.extract import extract_file
from core.importer import collect_files
from core.ingest import SUFFIXES, read_file
from tests.format_files import (GENRE, has_soffice, paragraphs, problem_rows, soffice_convert, write_ofd,
                                write_xlsx)

SOURCE = GENRE / "03_xuncha_guanyu_pcn.txt"


@pytest.fixture(scope="module")
def source():
    return extract_file(SOURCE)


def _shape(extraction):
    return [(p["title"], len(p["measures"])) for p in extraction["problems"]]


# ---------------------------------------------------------------- OFD

def test_ofd_extracts_to_the_same_problems_as_its_source(tmp_path, source):
    path = write_ofd(paragraphs(SOURCE.read_text(encoding="utf-8")), tmp_path / "通报.ofd", title="整改通报")
    ingested = read_file(path)
    assert ingested.source["format"] == "ofd"
    assert ingested.title_hint == "整改通报"
    assert "- 1 -" not in ingested.text  # page numbers dropped
    assert _shape(extract_file(path)) == _shape(source)
    # wrapped lines joined: every source paragraph comes back whole
    assert set(paragraphs(SOURCE.read_text(encoding="utf-8"))) <= set(ingested.text.split("\n"))


def test_ofd_with_only_a_signature_says_so(tmp_path):
    path = write_ofd(["签章页"], tmp_path / "签章.ofd", text_objects=False)
    with pytest.raises(UnreadableFileError, match="没有文字"):
        read_file(path)


def test_damaged_ofd_is_one_line(tmp_path):
    path = tmp_path / "坏.ofd"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableFileError, match="OFD文件已损坏"):
        read_file(path)


# ---------------------------------------------------------------- spreadsheets

def test_problem_list_xlsx_with_merged_two_row_header_and_blank_rows(tmp_path, source):
    path = write_xlsx(problem_rows(source), tmp_path / "问题清单.xlsx")
    extraction = extract_file(path)
    assert _shape(extraction) == _shape(source)
    first = extraction["problems"][0]
    assert first["deadline"] == "2024-12-31"  # 2024年12月底
    assert first["person"] == "张三"  # a ledger field the store does not pre-fill yet travels as a key
    assert first["measures"][0]["units"][0] == source["problems"][0]["measures"][0]["units"][0] if \
        source["problems"][0]["measures"][0]["units"] else "办公室"
    text = extraction["text"]
    for p in extraction["problems"]:  # spans index the rendered text
        assert text[slice(*p["title_span"])] == p["title"]
        for m in p["measures"]:
            assert text[slice(*m["span"])] == m["text"]
    assert extraction["title"] if "title" in extraction else extraction["meta"]["title"] == "巡察反馈问题整改清单"


def test_problem_cell_merged_over_measure_rows_and_category_rows(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "问题描述", "整改措施", "牵头单位", "完成时限", "是否销号", "备注"])
    sheet.append(["一、党的建设方面"])
    sheet.append([1, "学习制度落实不到位", "修订学习制度", "办公室", "2024年6月30日", "是", None])
    sheet.append([None, None, "开展专题学习3次", "党建科", None, None, None])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["二、业务工作方面"])
    sheet.append([2, "项目推进缓慢", "一是建立台账；二是每月调度", "项目科、财务科", "长期坚持", "否", "跟踪"])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    problems = extract_file(path)["problems"]
    assert [(p["title"], p["category"], [m["text"] for m in p["measures"]]) for p in problems] == [
        ("学习制度落实不到位", "党的建设方面", ["修订学习制度", "开展专题学习3次"]),
        ("项目推进缓慢", "业务工作方面", ["一是建立台账；", "二是每月调度"]),
    ]
    assert problems[0]["closed"] is True and problems[1]["closed"] is False
    assert problems[1]["remark"] == "跟踪"
    assert problems[1]["measures"][0]["units"][:2] == ["项目科", "财务科"]
    assert problems[1]["rectify_type"] == "长期坚持"


def test_csv_in_gbk(tmp_path, source):
    buffer = io.StringIO()
    rows = problem_rows(source)
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "清单.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))
    assert _shape(extract_file(path)) == _shape(source)


def test_spreadsheet_without_a_problem_header_is_one_line(tmp_path):
    path = tmp_path / "工资.csv"
    path.write_text("姓名,金额\n张三,100\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="表头"):
        read_file(path)


# ---------------------------------------------------------------- PDF tables

def test_pdf_table_goes_through_the_table_path(tmp_path, source):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    rows = problem_rows(source)
    head = ["序号", "问题", "整改措施", "责任单位", "整改时限"]
    data = [[Paragraph(h, style) for h in head]] + [
        [Paragraph(r[h].replace("\n", "<br/>"), style) for h in head] for r in rows]
    table = Table(data, colWidths=[30, 110, 220, 70, 70], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    path = tmp_path / "表格.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph("关于巡察反馈问题整改情况的通报", style), table])
    extraction = extract_file(path)
    assert [p["title"] for p in extraction["problems"]] == [p["title"] for p in source["problems"]]
    # the same table in a .docx: the table path reads both alike, measures and all
    import docx

    document = docx.Document()
    document.add_paragraph("关于巡察反馈问题整改情况的通报")
    grid = document.add_table(rows=0, cols=len(head))
    for row in [dict(zip(head, head))] + rows:
        cells = grid.add_row().cells
        for cell, h in zip(cells, head):
            cell.text = row[h]
    document.save(tmp_path / "表格.docx")
    assert [[m["text"] for m in p["measures"]] for p in extraction["problems"]] == [
        [m["text"] for m in p["measures"]] for p in extract_file(tmp_path / "表格.docx")["problems"]]


# ---------------------------------------------------------------- the real format, by content

def test_a_doc_that_is_really_html_or_docx_or_text(tmp_path):
    html = tmp_path / "网页.doc"
    html.write_text("<html><head><meta charset='utf-8'><title>通报</title></head><body><p>一、问题</p>"
                    "<p>整改措施：加强学习。</p></body></html>", encoding="utf-8")
    assert read_file(html).source["format"] == "html"
    import docx

    document = docx.Document()
    document.add_paragraph("一、关于学习不够的问题")
    document.save(tmp_path / "x.docx")
    shutil.copy(tmp_path / "x.docx", tmp_path / "改名.doc")
    assert read_file(tmp_path / "改名.doc").source["format"] == "docx"
    text = tmp_path / "文字.doc"
    text.write_text("一、关于学习不够的问题\n整改措施：加强学习。", encoding="gbk")
    assert read_file(text).text.startswith("一、关于")


def test_folder_walk_and_suffixes_take_the_new_formats(tmp_path):
    for name in ("a.doc", "b.wps", "c.ofd", "d.xlsx", "e.xls", "f.et", "g.csv", "h.png", "i.jpg", "j.txt", "k.zip"):
        (tmp_path / name).write_bytes(b"x")
    found = {p.name for p in collect_files([tmp_path])}
    assert found == {"a.doc", "b.wps", "c.ofd", "d.xlsx", "e.xls", "f.et", "g.csv", "h.png", "i.jpg", "j.txt"}
    assert {".doc", ".wps", ".rtf", ".ofd", ".xlsx", ".xls", ".et", ".csv", ".png", ".jpg"} <= SUFFIXES
    with pytest.raises(UnsupportedFormatError, match=r"\.ofd"):
        read_file(tmp_path / "k.zip")


# ---------------------------------------------------------------- LibreOffice

needs_soffice = pytest.mark.skipif(not has_soffice(), reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def office_files(tmp_path_factory, source):
    """A .doc, a .wps (Word 97 bytes under WPS's suffix, as WPS writes them), an .rtf, and an .xls
    of the problem list, all made by LibreOffice from the fixtures."""
    import docx

    folder = tmp_path_factory.mktemp("office")
    document = docx.Document()
    for para in paragraphs(SOURCE.read_text(encoding="utf-8")):
        document.add_paragraph(para)
    document.save(folder / "通报.docx")
    made = {
        "doc": soffice_convert(folder / "通报.docx", "doc", folder / "doc", "MS Word 97"),
        "rtf": soffice_convert(folder / "通报.docx", "rtf", folder / "rtf"),
        "xls": soffice_convert(write_xlsx(problem_rows(source), folder / "问题清单.xlsx"), "xls", folder / "xls"),
    }
    made["wps"] = made["doc"].with_suffix(".wps")
    shutil.copy(made["doc"], made["wps"])
    made["et"] = made["xls"].with_suffix(".et")
    shutil.copy(made["xls"], made["et"])
    made["rtf_as_doc"] = made["rtf"].with_name("其实是RTF.doc")
    shutil.copy(made["rtf"], made["rtf_as_doc"])
    return made


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("kind", ["doc", "wps", "rtf_as_doc", "xls", "et"])
def test_office_formats_extract_to_the_same_problems(office_files, source, kind):
    assert _shape(extract_file(office_files[kind])) == _shape(source)


@pytest.mark.slow
def test_doc_without_libreoffice_names_what_to_install(tmp_path, monkeypatch):
    path = tmp_path / "旧.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere on PATH
    with pytest.raises(UnreadableFileError, match="LibreOffice") as caught:
        read_file(path)
    assert "\n" not in str(caught.value) and "安装" in str(caught.value)


# ---------------------------------------------------------------- saved web pages: main content

def _gov_page(paras, *, layout):
    import html as h

    title = h.escape(paras[0])
    chrome_top = ('<a href="/">首页</a> | <a>政务公开</a> | <a>政务服务</a> | <a>互动交流</a>',
                  "您现在的位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>通知公告</a>",
                  "发布时间：2024-07-18 来源：市审计局 浏览次数：1234 【字体：<a>大</a> <a>中</a> <a>小</a>】 打印本页 关闭窗口")
    body = "".join(f"<p>{h.escape(p)}</p>" for p in paras[1:])
    foot = "主办：某某市人民政府办公室 版权所有 网站标识码：1234567890 【打印本页】 【关闭窗口】"
    if layout == "table":  # an old site laid out in tables, no class names to go by
        rows = [*chrome_top[:2], f"<b>{title}</b>", chrome_top[2], body, foot]
        inner = "".join(f"<tr><td>{r}</td></tr>" for r in rows)
        return f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><table>{inner}</table></body></html>'
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="w1200 dh">{chrome_top[0]}</div><div class="w1200 wz">{chrome_top[1]}</div>'
            f'<div class="w1200 main"><div class="bt">{title}</div><div class="xx">{chrome_top[2]}</div>'
            f'<div id="zoom">{body}</div></div><div class="w1200 ft">{foot}</div></body></html>')


@pytest.mark.parametrize("layout", ["table", "divs"])
def test_web_page_chrome_is_gone_and_numbering_lines_stay(tmp_path, layout, source):
    paras = paragraphs(SOURCE.read_text(encoding="utf-8"))
    path = tmp_path / f"{layout}.html"
    path.write_text(_gov_page(paras, layout=layout), encoding="utf-8")
    text = read_file(path).text
    for chrome in ("首页", "政务公开", "字体", "打印本页", "关闭窗口", "版权所有", "当前位置", "您现在的位置"):
        assert chrome not in text
    lines = set(text.split("\n"))
    assert all(p in lines for p in paras[1:])
    assert _shape(extract_file(path)) == _shape(source)
