"""core.ingest: every format and encoding a notice arrives in, turned into the same normalised text."""
import hashlib
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from core.errors import ScannedPdfError, UnreadableFileError, UnsupportedFormatError
from core.ingest import from_text, normalize, read_file
from tests.conftest import notice_paths

NOTICE = (
    "中共某县委关于县委第二轮巡察整改进展情况的通报\n"
    "根据县委巡察工作统一部署，2024年3月19日至4月30日，县委第一巡察组对县发展和改革局党组进行了巡察。\n"
    "一、巡察整改组织领导情况\n"
    "（一）关于“学习贯彻党的二十大精神不够深入”的问题\n"
    "整改措施：一是制定学习计划；二是开展专题研讨3次。整改时限：长期坚持。\n"
)


# ---------------------------------------------------------------- normalisation

def test_normalize_cleans_invisible_characters_and_spacing():
    raw = (
        "\ufeff\n\n 标题\u200b\u200c\u200d\u2060 \u3000\r\n"
        "正文\t第一段，（半角(括号)与全角）不变。\u00a0\u3000\r"
        "\x07控制\x00字符\x1b去掉\r\n\r\n\r\n\n"
        "\u3000\u3000首行缩进保留 \n\n\n"
    )
    assert normalize(raw) == (
        " 标题\n"
        "正文 第一段，（半角(括号)与全角）不变。\n"
        "控制字符去掉\n"
        "\n"
        "\u3000\u3000首行缩进保留"
    )


@given(st.text())
def test_normalize_is_idempotent_and_clean(text):
    once = normalize(text)
    assert normalize(once) == once
    assert "\r" not in once and "\t" not in once and "\n\n\n" not in once
    assert once == once.strip("\n")
    assert all(line == line.rstrip() for line in once.split("\n"))


def test_from_text_records_pasted_source():
    ingested = from_text("  \r\n" + NOTICE + "\u200b\n\n")
    assert ingested.text == NOTICE.rstrip("\n")
    assert ingested.source == {
        "path": "剪贴板",
        "sha256": hashlib.sha256(NOTICE.rstrip("\n").encode("utf-8")).hexdigest(),
        "encoding": "utf-8",
        "format": "text",
    }
    assert ingested.title_hint is None
    assert from_text(NOTICE, name="粘贴1").source["path"] == "粘贴1"
    with pytest.raises(UnreadableFileError):
        from_text(" \u3000\n\u200b")


# ---------------------------------------------------------------- plain text

RARE = "䶮"  # CJK extension A: in GB18030, not in GBK


@pytest.mark.parametrize(
    ("codec", "text", "expected"),
    [
        ("utf-8", NOTICE + RARE, "utf-8"),
        ("utf-8-sig", NOTICE + RARE, "utf-8-sig"),
        ("gbk", NOTICE, "gb18030"),
        ("gb2312", NOTICE, "gb18030"),
        ("gb18030", NOTICE + RARE, "gb18030"),
        ("utf-16", NOTICE + RARE, "utf-16"),
        ("utf-16-le", NOTICE, "utf-16-le"),
        ("utf-16-be", NOTICE, "utf-16-be"),
    ],
)
def test_txt_encodings_round_trip(tmp_path, codec, text, expected):
    path = tmp_path / "通报.txt"
    data = text.encode(codec)
    path.write_bytes(data)
    ingested = read_file(path)
    assert ingested.text == normalize(text)
    assert ingested.source == {
        "path": str(path),
        "sha256": hashlib.sha256(data).hexdigest(),
        "encoding": expected,
        "format": "txt",
    }


def test_short_gbk_text_is_read_as_gb18030(tmp_path):
    # charset-normalizer ranks cp949 first for a title this short
    path = tmp_path / "短.txt"
    path.write_bytes("整改进展情况的通报".encode("gbk"))
    ingested = read_file(path)
    assert (ingested.text, ingested.source["encoding"]) == ("整改进展情况的通报", "gb18030")


@pytest.mark.parametrize("seed", notice_paths(), ids=lambda p: p.name)
def test_seed_text_is_its_normalised_file_text(seed):
    ingested = read_file(seed)
    assert ingested.text == normalize(seed.read_text(encoding="utf-8"))
    assert ingested.source["sha256"] == hashlib.sha256(seed.read_bytes()).hexdigest()


# ---------------------------------------------------------------- errors

def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFileError, match="不存在") as info:
        read_file(tmp_path / "没有.txt")
    assert type(info.value) is UnreadableFileError


def test_empty_file(tmp_path):
    path = tmp_path / "空.txt"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFileError, match="空"):
        read_file(path)


def test_unsupported_extension(tmp_path):
    path = tmp_path / "通报.xyz"
    path.write_text(NOTICE, encoding="utf-8")
    with pytest.raises(UnsupportedFormatError, match=r"\.xyz"):
        read_file(path)


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"plain text saved as docx"])
def test_damaged_docx(tmp_path, content):
    path = tmp_path / "坏.docx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError, match="损坏"):
        read_file(path)


def test_zip_that_is_not_a_docx(tmp_path):
    path = tmp_path / "坏.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "不是Word文件")
    with pytest.raises(UnreadableFileError, match="损坏"):
        read_file(path)


def test_damaged_pdf(tmp_path):
    path = tmp_path / "坏.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    with pytest.raises(UnreadableFileError, match="损坏"):
        read_file(path)


# ---------------------------------------------------------------- saved web pages

PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta charset="gbk">
<title>关于县委第二轮巡察整改进展情况的通报_某县人民政府网</title>
<style>.content p { text-indent: 2em; }</style>
<script>var nav = "首页"; document.write("脚本文字");</script>
</head>
<body>
<div class="header"><img alt="logo"><span>某县人民政府网</span>
  <ul class="nav-list"><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li></ul></div>
<nav><a href="/">网站导航</a></nav>
<div class="location">当前位置：首页 &gt; 通知公告</div>
<div class="article">
  <h1>关于县委第二轮巡察
      整改进展情况的通报</h1>
  <div class="info">发布时间：2024-07-18 <span class="share-bar">分享到：微信 微博</span></div>
  <div class="fontsize">【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
  <div class="content">
    <p>根据县委统一部署，县委第一巡察组
       对我局于2024年
       3月进行了 <b>常规</b>
       <span>巡察</span>。</p>
    <p>&nbsp;&nbsp;一、整改措施<br>一是建立台账；<br/>二是&nbsp;逐项销号。</p>
    <ul><li>（一）第一项</li><li>（二）第二项</li></ul>
    <table><tr><td>问题</td><td>措施</td></tr></table>
    <!-- 注释不是正文 -->
  </div>
  <div>打印本页 | 关闭窗口</div>
  <div style="display: none">隐藏的文字</div>
</div>
<footer>版权所有：某县人民政府 联系我们</footer>
<div id="footer">网站标识码 123456</div>
</body></html>
"""
PAGE_TEXT = (
    "关于县委第二轮巡察整改进展情况的通报\n"
    "发布时间：2024-07-18\n"
    "根据县委统一部署，县委第一巡察组对我局于2024年3月进行了 常规巡察。\n"
    "\u00a0\u00a0一、整改措施\n"
    "一是建立台账；\n"
    "二是\u00a0逐项销号。\n"
    "（一）第一项\n"
    "（二）第二项\n"
    "问题\n"
    "措施"
)


def test_html_gbk_page_drops_chrome_and_keeps_paragraphs(tmp_path):
    path = tmp_path / "通报.html"
    data = PAGE.encode("gbk")
    path.write_bytes(data)
    ingested = read_file(path)
    assert ingested.text == PAGE_TEXT
    assert ingested.title_hint == "关于县委第二轮巡察整改进展情况的通报_某县人民政府网"
    assert ingested.source["encoding"] == "gb18030"
    assert ingested.source["format"] == "html"
    assert ingested.source["sha256"] == hashlib.sha256(data).hexdigest()


def test_html_http_equiv_charset_is_honoured(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
            "<body><h1>整改通报</h1><p>第一段</p></body></html>")
    path = tmp_path / "通报.htm"
    path.write_bytes(page.encode("gb2312"))
    ingested = read_file(path)
    assert (ingested.text, ingested.title_hint, ingested.source["encoding"]) == ("整改通报\n第一段", "整改通报", "gb18030")


def test_html_with_a_wrong_declaration_falls_back_to_detection(tmp_path):
    page = f'<html><head><meta charset="utf-8"><title>通报</title></head><body><p>{NOTICE}</p></body></html>'
    path = tmp_path / "通报.html"
    path.write_bytes(page.encode("gbk"))
    ingested = read_file(path)
    assert ingested.source["encoding"] == "gb18030"
    assert ingested.text == NOTICE.replace("\n", "")  # source line breaks between Chinese vanish


# ---------------------------------------------------------------- Word documents

def test_docx_keeps_tables_in_reading_order(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.title = "整改进展情况的通报"
    document.add_paragraph("一、整改措施")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "整改台账"
    table.cell(1, 0).text = "问题"
    table.cell(1, 1).text = "措施"
    table.cell(1, 2).paragraphs[0].text = "第一行"
    table.cell(1, 2).add_paragraph("第二行")
    document.add_paragraph("二、下一步工作打算\u3000")
    path = tmp_path / "通报.docx"
    document.save(str(path))

    ingested = read_file(path)
    assert ingested.text == "一、整改措施\n整改台账\n问题\n措施\n第一行\n第二行\n二、下一步工作打算"
    assert ingested.title_hint == "整改进展情况的通报"
    assert (ingested.source["format"], ingested.source["encoding"]) == ("docx", None)


# ---------------------------------------------------------------- PDF

FONT = "STSong-Light"  # reportlab's built-in CID font: Chinese text without a font file
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
SIZE = 12
LEFT, RIGHT = 72, 523  # text block of an A4 page (595 pt wide)
LONG_PARAGRAPH = (
    "根据县委巡察工作统一部署，县委第一巡察组对县发展和改革局党组开展了常规巡察，并及时反馈了巡察意见。"
    "局党组高度重视，召开专题会议研究部署整改工作，逐项明确责任领导、责任部门和整改时限，确保件件有着落"
)
CONTINUED = "、事事有回音，整改工作取得阶段性成效"


def _wrap(text, first_indent):
    """Greedy line breaking by width, like a word processor does."""
    lines, line, x = [], "", LEFT + first_indent
    for char in text:
        if x + pdfmetrics.stringWidth(line + char, FONT, SIZE) > RIGHT:
            lines.append((x, line))
            line, x = "", LEFT
        line += char
    lines.append((x, line))
    return lines


def _pdf(path, pages):
    """pages: list of [(x, text), ...]; each page gets a running header and a page number."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number, lines in enumerate(pages, 1):
        pdf.setFont(FONT, 9)
        pdf.drawString(LEFT, 800, "某县巡察工作简报")
        pdf.drawCentredString(297, 40, f"— {number} —")
        pdf.setFont(FONT, SIZE)
        y = 740
        for x, text in lines:
            pdf.drawString(x, y, text)
            y -= 22
        pdf.showPage()
    pdf.save()


def test_pdf_joins_wrapped_lines_and_drops_running_lines(tmp_path):
    title = "关于县委第二轮巡察整改进展情况的通报"
    title_x = (595 - pdfmetrics.stringWidth(title, FONT, SIZE)) / 2
    body = _wrap(LONG_PARAGRAPH, 2 * SIZE)
    assert len(body) >= 3  # the paragraph really is wrapped
    heading = "一、巡察整改组织领导情况"
    short = "（一）坚持高位推动。"
    item = "二是建立问题清单。"
    page_one = [(title_x, title), *body, (LEFT, heading), (LEFT + 2 * SIZE, short), (LEFT + 2 * SIZE, item)]
    page_two = [(LEFT, CONTINUED), (LEFT + 2 * SIZE, "（二）压实整改责任。")]
    # an indented document: a full line ending in "。" and a flush "二是" line are one paragraph
    inline = "甲" * 34 + "。二是加强督导检查。"
    inline_lines = _wrap(inline, 2 * SIZE)
    assert inline_lines[0][1].endswith("。") and inline_lines[1][1].startswith("二是")
    page_one += inline_lines
    # page one's last line runs to the margin, so the paragraph goes on over the page break
    page_one.append(_wrap("一是健全工作机制，" * 6, 2 * SIZE)[0])
    path = tmp_path / "通报.pdf"
    _pdf(path, [page_one, page_two])

    ingested = read_file(path)
    assert ingested.text.split("\n") == [
        title,
        LONG_PARAGRAPH,
        heading,
        short,
        item,
        inline,
        page_one[-1][1] + CONTINUED,
        "（二）压实整改责任。",
    ]
    assert (ingested.source["format"], ingested.source["encoding"], ingested.title_hint) == ("pdf", None, None)


def test_pdf_without_indents_numbering_or_a_full_stop_ends_a_paragraph(tmp_path):
    full_line = _wrap("整改措施" * 30, 0)[0]
    [sentence] = _wrap("甲" * 36 + "。", 0)  # one full line that ends a sentence
    path = tmp_path / "通报.pdf"
    _pdf(path, [[full_line, (LEFT, "1.建立台账"), full_line], [(LEFT, "（2）逐项销号"), full_line, (LEFT, "一是"), sentence, (LEFT, "乙")]])
    assert read_file(path).text.split("\n") == [
        full_line[1], "1.建立台账", full_line[1], "（2）逐项销号", full_line[1], "一是", sentence[1], "乙"
    ]


def test_pdf_ragged_right_with_hanging_punctuation_joins_wrapped_lines(tmp_path):
    # Word leaves a line short when the next word (a number) does not fit and lets closing
    # punctuation hang past the margin: neither the short line nor the hanging one is a paragraph end.
    full = 37  # CJK characters that fit between LEFT and RIGHT
    lines = [
        (LEFT + 2 * SIZE, "关" * (full - 3) + "，"),   # ends at the margin
        (LEFT, "甲" * full + "，"),                    # the comma hangs a character past it
        (LEFT, "乙" * (full - 1)),                     # a character short: "2024" did not fit
        (LEFT, "2024年" + "丙" * (full - 3)),
        (LEFT, "丁" * (full - 1) + "。"),
        (LEFT + 2 * SIZE, "二是健全长效机制。"),
    ]
    path = tmp_path / "通报.pdf"
    _pdf(path, [lines])
    assert read_file(path).text.split("\n")[1:] == ["".join(t for _, t in lines[:5]), lines[5][1]]  # [0]: the header


def test_scanned_pdf_without_text_layer(tmp_path):
    path = tmp_path / "扫描.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(100, 100, 300, 500, fill=1)
    pdf.showPage()
    pdf.save()
    from core.ingest import ocr

    if ocr.available():  # OCR reads it and finds no text
        with pytest.raises(UnreadableFileError, match="没有识别出文字"):
            read_file(path)
    ocr_available, ocr.available = ocr.available, lambda: False
    try:
        with pytest.raises(ScannedPdfError, match="OCR.*rapidocr"):
            read_file(path)
    finally:
        ocr.available = ocr_available


def _add_list(document, levels):
    """A Word list (w:abstractNum + w:num) whose levels are (numFmt, lvlText); returns its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    number = 100 + len(numbering.xpath("./w:num"))
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{number}"><w:abstractNumId w:val="{number}"/></w:num>'))
    return number


def _numbered(document, text, num_id, level=0):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return paragraph


def test_docx_automatic_numbering_is_written_out(tmp_path):
    import docx

    document = docx.Document()
    outline = _add_list(document, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"),
                                   ("decimal", "%3."), ("bullet", "\uf0b7")])
    circled = _add_list(document, [("decimalEnclosedCircle", "%1")])
    _numbered(document, "组织领导情况", outline)
    _numbered(document, "高位推动", outline, 1)
    _numbered(document, "压实责任", outline, 1)
    _numbered(document, "建立台账", outline, 2)
    _numbered(document, "要点", outline, 3)
    _numbered(document, "整改落实情况", outline)
    _numbered(document, "学习不深入", outline, 1)
    _numbered(document, "完善制度", circled)
    for _ in range(9):
        _numbered(document, "条目", outline)
    document.add_paragraph("不编号的段落")
    path = tmp_path / "编号.docx"
    document.save(str(path))

    assert read_file(path).text.split("\n")[:10] == [
        "一、组织领导情况",
        "（一）高位推动",
        "（二）压实责任",
        "1.建立台账",
        "要点",
        "二、整改落实情况",
        "（一）学习不深入",
        "① 完善制度",
        "三、条目",
        "四、条目",
    ]
    assert read_file(path).text.split("\n")[-2:] == ["十一、条目", "不编号的段落"]
