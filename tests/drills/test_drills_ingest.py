"""Failure drills of reading files (issue 11 items 6, 10, 13, 15, 16 and the load limit; issue 14's
bad input): every hostile file ends in a result or one clear Chinese line, and one bad file never
stops the rest of a folder import."""
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from core.errors import Cancelled, ScannedPdfError, UnreadableFileError
from core.importer import import_paths
from core.ingest import MAX_TEXT_CHARS, from_text, normalize, read_file
from core.store import Store
from tests.format_files import GENRE, has_soffice, paragraphs, write_ofd

ROOT = Path(__file__).resolve().parents[2]
NOTICE = (GENRE / "03_xuncha_guanyu_pcn.txt").read_text(encoding="utf-8")


def _one_line(exc) -> str:
    line = str(exc)
    assert "\n" not in line and "Traceback" not in line
    assert any("\u4e00" <= c <= "\u9fff" for c in line)
    return line


def _good_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    for para in paragraphs(NOTICE):
        document.add_paragraph(para)
    document.save(path)
    return path


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "db.sqlite3")
    yield s
    s.close()


# ---------------------------------------------------------------- item 6: zip bomb

def test_zip_bomb_docx_in_a_folder_import(drill, tmp_path, store):
    drill.case("a .docx whose document.xml inflates to 1.5 GB (a few MB zipped), first in a folder import",
               expected="refused with one Chinese line before inflating; the good file after it is imported")
    folder = tmp_path / "in"
    folder.mkdir()
    bomb = folder / "1_炸弹.docx"
    good = _good_docx(tmp_path / "x.docx")
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info))
        with out.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"<w:p/>" * (1 << 20)  # 6 MB of paragraphs, 250 times
            for _ in range(250):
                part.write(chunk)
    (folder / "2_好.docx").write_bytes(good.read_bytes())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    report = import_paths(store, [folder])
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert [p.name for p, _ in report.imported] == ["2_好.docx"]
    (path, message), = report.failed
    assert path == bomb and "过大" in message
    assert grown < 200 and seconds < 30
    drill.observed(f"{bomb.stat().st_size >> 20} MB bomb: “{message}”; good file imported; "
                   f"{seconds:.1f} s, peak memory grew {grown:.0f} MB")
    drill.lost_data(False)


def test_zip_entry_lying_about_its_size(drill, tmp_path):
    drill.case("a .docx whose zip directory understates document.xml's size",
               expected="inflating stops at the declared size; refused as damaged")
    good = _good_docx(tmp_path / "x.docx")
    lying = tmp_path / "谎报.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
    data = bytearray(lying.read_bytes())
    # shrink the declared uncompressed size of document.xml in the central directory
    with zipfile.ZipFile(lying) as z:
        info = z.getinfo("word/document.xml")
    central = data.rfind(b"PK\x01\x02" + data[data.find(b"PK\x01\x02") + 4:data.find(b"PK\x01\x02") + 4])
    at = data.find(b"word/document.xml", data.find(b"PK\x01\x02"))
    header = at - 46
    assert data[header:header + 4] == b"PK\x01\x02", central
    data[header + 24:header + 28] = (100).to_bytes(4, "little")
    lying.write_bytes(bytes(data))
    with pytest.raises(UnreadableFileError) as caught:
        read_file(lying)
    drill.observed(f"declared {info.file_size} → 100 bytes: “{_one_line(caught.value)}”")
    drill.lost_data(False)


# ---------------------------------------------------------------- item 10: noncharacters

def test_noncharacters_are_normalised_away(drill, tmp_path):
    drill.case("U+FFFE, U+FFFF, U+FDD0, U+10FFFF and a lone surrogate inside a notice and a paste",
               expected="dropped at ingest; the ledger writer accepts the text")
    odd = "\ufffe\uffff\ufdd0\U0010ffff\ud800"
    path = tmp_path / "怪字.txt"
    path.write_text("一、关于" + odd[:4] + "学习不够的问题\n整改措施：加强学习。", encoding="utf-8")
    text = read_file(path).text
    pasted = from_text("一、关于" + odd + "学习").text
    assert not any(c in text + pasted for c in odd)
    assert text.startswith("一、关于学习不够的问题")
    from openpyxl import Workbook

    book = Workbook()
    book.active.append([text, pasted])  # openpyxl raises on illegal characters
    book.save(tmp_path / "x.xlsx")
    drill.observed(f"ingested: {text[:12]!r}; pasted: {pasted!r}; workbook written")
    drill.lost_data(False)


# ---------------------------------------------------------------- item 13: deep HTML

def test_html_nested_100000_divs_deep(drill, tmp_path):
    drill.case("a saved page nested 100,000 <div>s deep (1.2 MB)",
               expected="read in bounded time and memory with its text")
    depth = 100_000
    path = tmp_path / "深.html"
    path.write_text("<html><body>" + "<div>" * depth + "一、关于学习不够的问题" + "</div>" * depth
                    + "<p>整改措施：加强学习。</p></body></html>", encoding="utf-8")
    started = time.perf_counter()
    text = read_file(path).text
    seconds = time.perf_counter() - started
    assert text == "一、关于学习不够的问题\n整改措施：加强学习。"
    assert seconds < 60
    drill.observed(f"{path.stat().st_size / 1e6:.1f} MB page read in {seconds:.1f} s: {text!r}")
    drill.lost_data(False)


# ---------------------------------------------------------------- item 15: docx without numbering

def test_valid_docx_without_numbering_part(drill, tmp_path):
    drill.case("a valid .docx without word/numbering.xml (as some producers write it)",
               expected="read like any .docx")
    good = _good_docx(tmp_path / "x.docx")
    bare = tmp_path / "无编号.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename == "word/numbering.xml":
                continue
            data = src.read(info)
            if info.filename in ("[Content_Types].xml", "word/_rels/document.xml.rels"):
                data = b"".join(part for part in data.replace(b"/>", b"/>\n").split(b"\n")
                                if b"numbering" not in part)
            out.writestr(info, data)
    with zipfile.ZipFile(bare) as z:
        assert "word/numbering.xml" not in z.namelist()
    text = read_file(bare).text
    assert text.split("\n")[:3] == paragraphs(NOTICE)[:3]
    drill.observed(f"read {len(text)} characters")
    drill.lost_data(False)


# ---------------------------------------------------------------- item 16: encrypted PDFs

def _encrypted_pdf(path, user, owner):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption(user, ownerPassword=owner, canCopy=0))
    pdf.setFont("STSong-Light", 12)
    y = 780
    for para in paragraphs(NOTICE)[:12]:
        for start in range(0, len(para), 38):
            pdf.drawString(60, y, para[start:start + 38])
            y -= 18
            if y < 60:
                pdf.showPage()
                pdf.setFont("STSong-Light", 12)
                y = 780
    pdf.showPage()
    pdf.save()
    return path


def test_password_protected_pdf(drill, tmp_path):
    drill.case("a PDF that needs a password to open", expected="says it is password-protected, not damaged")
    with pytest.raises(UnreadableFileError) as caught:
        read_file(_encrypted_pdf(tmp_path / "加密.pdf", "secret", "owner"))
    line = _one_line(caught.value)
    assert "密码" in line and "损坏" not in line
    drill.observed(line)
    drill.lost_data(False)


def test_owner_password_only_pdf_reads_its_text(drill, tmp_path):
    drill.case("an owner-password-only PDF (opens without a password, copying forbidden) that pdfminer "
               "reads as (cid:1780)… garbage", expected="its real text through PDFium, never (cid:…)")
    text = read_file(_encrypted_pdf(tmp_path / "限制.pdf", "", "owner")).text
    assert "(cid:" not in text
    assert paragraphs(NOTICE)[0] in text
    drill.observed(f"read {len(text)} characters, starting {text[:20]!r}")
    drill.lost_data(False)


def test_pdf_without_readable_text_and_no_ocr(drill, tmp_path, monkeypatch):
    drill.case("a PDF whose text layer is unmapped glyphs everywhere, OCR not installed",
               expected="one line: the text cannot be read, install OCR")
    from core.ingest import ocr, pdf

    monkeypatch.setattr(pdf, "_pdfium_pages", lambda path: [[{"text": "(cid:12)(cid:13)", "x0": 0, "x1": 1,
                                                               "top": 0, "bottom": 1, "chars": []}]])
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ScannedPdfError) as caught:
        read_file(_encrypted_pdf(tmp_path / "乱码.pdf", "", "owner"))
    line = _one_line(caught.value)
    assert "无法读取" in line and "OCR" in line
    drill.observed(line)
    drill.lost_data(False)


# ---------------------------------------------------------------- load: size limits

def test_50_mb_text_is_refused_quickly(drill, tmp_path, store):
    drill.case("a 50 MB text file in a folder with a good notice", expected="refused in seconds with one line, "
               "the good notice imported, memory well under 500 MB")
    folder = tmp_path / "in"
    folder.mkdir()
    big = folder / "1_巨大.txt"
    with big.open("w", encoding="utf-8") as out:
        for _ in range(50 * 1024 * 1024 // len(NOTICE.encode("utf-8")) + 1):
            out.write(NOTICE)
    (folder / "2_好.txt").write_text(NOTICE, encoding="utf-8")
    started = time.perf_counter()
    report = import_paths(store, [folder])
    seconds = time.perf_counter() - started
    (path, message), = report.failed
    assert path == big and "过大" in message and [p.name for p, _ in report.imported] == ["2_好.txt"]
    drill.observed(f"“{message}” after {seconds:.1f} s; good file imported")
    drill.lost_data(False)


def test_text_just_over_the_character_limit(drill, tmp_path):
    drill.case(f"a 4 MB text holding more than {MAX_TEXT_CHARS:,} characters", expected="refused with one line")
    path = tmp_path / "长.txt"
    path.write_text(NOTICE * (MAX_TEXT_CHARS // len(NOTICE) + 2), encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="文字过多") as caught:
        read_file(path)
    with pytest.raises(UnreadableFileError, match="文字过多"):
        from_text(NOTICE * (MAX_TEXT_CHARS // len(NOTICE) + 2))
    drill.observed(_one_line(caught.value))
    drill.lost_data(False)


@pytest.mark.slow
def test_largest_accepted_text_stays_under_500_mb(drill, tmp_path):
    drill.case(f"a text of {MAX_TEXT_CHARS:,} characters (the largest accepted) imported",
               expected="imported with peak memory under 500 MB")
    path = tmp_path / "最大.txt"
    path.write_text(normalize(NOTICE * (MAX_TEXT_CHARS // len(NOTICE)))[:MAX_TEXT_CHARS], encoding="utf-8")
    # the child's own peak: on Linux its VmHWM, since ru_maxrss carries the parent's peak over
    # the fork and exec that started it (this test process, large after the OCR tests)
    code = ("import resource, sys; from core.importer import import_paths; from core.store import Store;"
            "s = Store.open(sys.argv[2]); r = import_paths(s, [sys.argv[1]]); s.close();"
            "from pathlib import Path; status = Path('/proc/self/status');"
            "hwm = [int(l.split()[1]) for l in status.read_text().splitlines() if l.startswith('VmHWM')]"
            " if status.exists() else [];"
            "print(len(r.imported), (hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) // 1024)")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(path), str(tmp_path / "db.sqlite3")], cwd=ROOT,
                         capture_output=True, text=True, timeout=1800,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "ZGTZ_HOME": str(tmp_path / "home")})
    imported, peak = map(int, out.stdout.split()[-2:])
    assert imported == 1 and peak < 500
    drill.observed(f"imported in {time.perf_counter() - started:.0f} s, peak {peak} MB")
    drill.lost_data(False)


# ---------------------------------------------------------------- issue 14's bad input

def test_image_that_is_not_a_document(drill, tmp_path):
    drill.case("a photo without text (a gradient) given as a notice", expected="one line: no text recognised")
    from core.ingest import ocr

    if not ocr.available():
        pytest.skip("rapidocr-onnxruntime is not installed")
    import numpy as np
    from PIL import Image

    gradient = np.tile(np.linspace(40, 220, 800, dtype=np.uint8), (600, 1))
    path = tmp_path / "风景.jpg"
    Image.fromarray(np.stack([gradient, gradient[::-1], gradient], axis=2)).save(path)
    with pytest.raises(UnreadableFileError, match="没有识别出文字") as caught:
        read_file(path)
    drill.observed(_one_line(caught.value))
    drill.lost_data(False)


def test_broken_image(drill, tmp_path):
    drill.case("a .png that is not an image", expected="one line")
    path = tmp_path / "坏.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(UnreadableFileError) as caught:
        read_file(path)
    drill.observed(_one_line(caught.value))
    drill.lost_data(False)


def test_long_scan_is_cancelled_between_pages(drill, tmp_path, store, monkeypatch):
    drill.case("a 200-page image-only PDF imported, 取消 pressed during page 3",
               expected="page progress reported, cancel stops between pages, nothing half-stored")
    from PIL import Image

    from core.ingest import ocr

    pages = [Image.new("RGB", (620, 877), "white") for _ in range(200)]
    scan = tmp_path / "扫描200页.pdf"
    pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=75.0)
    read = []
    monkeypatch.setattr(ocr, "page_lines", lambda image: read.append(image.shape) or [])
    seen = []
    report = import_paths(store, [scan], cancelled=lambda: len(read) >= 3,
                          page_progress=lambda path, page, total: seen.append((page, total)))
    assert report.cancelled and not report.imported and not report.failed
    assert seen[:4] == [(0, 200), (1, 200), (2, 200), (3, 200)] and len(read) == 3
    assert store.notice_ids() == []
    drill.observed(f"pages read before cancel: {len(read)}; progress {seen[:4]}; notices stored: 0")
    drill.lost_data(False)


def test_ofd_with_missing_fonts(drill, tmp_path):
    drill.case("an OFD whose font resource is missing (PublicRes.xml absent)", expected="its text is read")
    path = write_ofd(paragraphs(NOTICE), tmp_path / "x.ofd")
    broken = tmp_path / "缺字体.ofd"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as out:
        for info in src.infolist():
            if not info.filename.endswith("PublicRes.xml"):
                out.writestr(info, src.read(info))
    text = read_file(broken).text
    assert paragraphs(NOTICE)[1] in text
    drill.observed(f"read {len(text)} characters")
    drill.lost_data(False)


def test_ofd_with_a_signature_only(drill, tmp_path):
    drill.case("an OFD holding only a signature image", expected="one line: no text in the OFD")
    with pytest.raises(UnreadableFileError) as caught:
        read_file(write_ofd(["x"], tmp_path / "签章.ofd", text_objects=False))
    drill.observed(_one_line(caught.value))
    drill.lost_data(False)


def test_spreadsheet_with_merged_header_and_blank_rows_and_gbk_csv(drill, tmp_path, store):
    drill.case("a 问题清单 .xlsx with merged header cells and blank rows, and the same list as GBK CSV",
               expected="each row a problem")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["某局巡察反馈问题整改台账"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "问题", "整改措施", "整改责任", None])
    sheet.append([None, None, None, "责任单位", "整改时限"])
    sheet.merge_cells("D2:E2")
    sheet.append([])
    sheet.append([1, "学习不深入", "制定学习计划", "办公室", "2024年6月底"])
    sheet.append([])
    sheet.append([2, "制度执行不严", "修订制度", "法规科", "长期坚持"])
    book.save(tmp_path / "台账.xlsx")
    csv_path = tmp_path / "台账.csv"
    csv_path.write_bytes("序号,问题,整改措施,责任单位,整改时限\n1,学习不深入,制定学习计划,办公室,2024年6月底\n\n"
                         "2,制度执行不严,修订制度,法规科,长期坚持\n".encode("gbk"))
    report = import_paths(store, [tmp_path / "台账.xlsx", csv_path])
    assert len(report.imported) == 2, report.failed
    for _, notice_id in report.imported:
        problems = store.get_notice(notice_id)["problems"]
        assert [(p["title"], p["deadline"]) for p in problems] == [("学习不深入", "2024-06-30"),
                                                                  ("制度执行不严", "长期坚持")]
        assert problems[0]["units"] == "办公室"
    drill.observed("xlsx and GBK CSV: 2 problems each with units and deadlines")
    drill.lost_data(False)


needs_soffice = pytest.mark.skipif(not has_soffice(), reason="LibreOffice (soffice) is not installed")


@pytest.mark.slow
@needs_soffice
def test_password_protected_doc(drill, tmp_path):
    drill.case("a password-protected Word .doc (encrypted OLE2)", expected="one line, within the time limit")
    docx_path = _good_docx(tmp_path / "x.docx")
    out = tmp_path / "enc"
    out.mkdir()
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to",
                    'doc:MS Word 97:{"EncryptionData":{"type":"[]com.sun.star.beans.NamedValue","value":'
                    '[{"Name":"OOXPassword","Value":{"type":"string","value":"secret"}}]},'
                    '"Password":{"type":"string","value":"secret"}}',
                    "--outdir", str(out), str(docx_path)], capture_output=True, timeout=180)
    made = next(out.glob("*.doc"), None)
    if made is None:
        pytest.skip("this LibreOffice cannot write an encrypted .doc")
    started = time.perf_counter()
    try:
        text = read_file(made).text
    except UnreadableFileError as exc:
        drill.observed(f"“{_one_line(exc)}” after {time.perf_counter() - started:.0f} s")
    else:  # LibreOffice wrote it unencrypted: then it must read
        assert paragraphs(NOTICE)[0] in text
        drill.observed("LibreOffice wrote the .doc without encryption; read normally")
    drill.lost_data(False)


@pytest.mark.slow
def test_doc_when_libreoffice_hangs(drill, tmp_path, monkeypatch):
    drill.case("a .doc while LibreOffice hangs (a stand-in soffice that sleeps)",
               expected="killed at the time limit with its process group, one line, the next file goes on")
    from core.ingest import office

    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nsleep 300 &\nsleep 300\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}/usr/bin{os.pathsep}/bin")
    monkeypatch.setattr(office, "TIMEOUT", 3)
    doc = tmp_path / "挂起.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    started = time.perf_counter()
    with pytest.raises(UnreadableFileError, match="超过") as caught:
        office.convert_to_docx(doc, timeout=3)
    seconds = time.perf_counter() - started
    leftover = subprocess.run(["pgrep", "-f", f"{fake}"], capture_output=True, text=True).stdout.split()
    assert seconds < 20 and not leftover
    drill.observed(f"“{_one_line(caught.value)}” after {seconds:.1f} s; no process left")
    drill.lost_data(False)


def test_doc_when_libreoffice_is_missing(drill, tmp_path, monkeypatch):
    drill.case("a .doc on a machine without LibreOffice (PATH stripped)", expected="one line naming what to install")
    from core.ingest import office

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(office.sys, "platform", "linux")
    doc = tmp_path / "旧.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    with pytest.raises(UnreadableFileError, match="LibreOffice") as caught:
        read_file(doc)
    assert "libreoffice" in str(caught.value)
    drill.observed(_one_line(caught.value))
    drill.lost_data(False)


def test_reader_bug_fails_one_file_not_the_batch(drill, tmp_path, store, monkeypatch):
    drill.case("a reader raising an unexpected error (a bug, or MemoryError) on the first of two files",
               expected="that file reported, the next imported")
    from core.ingest import web

    def boom(data, path):
        raise MemoryError()

    monkeypatch.setattr(web, "read_html", boom)
    (tmp_path / "1.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "2.txt").write_text(NOTICE, encoding="utf-8")
    report = import_paths(store, [tmp_path / "1.html", tmp_path / "2.txt"])
    assert len(report.imported) == 1 and len(report.failed) == 1
    drill.observed(f"failed: “{report.failed[0][1]}”; imported: {report.imported[0][0].name}")
    drill.lost_data(False)


def test_cancel_raised_from_reader_keeps_nothing_half_stored(drill, tmp_path, store):
    drill.case("Cancelled raised inside read_file", expected="the report says cancelled; earlier files stay")
    (tmp_path / "1.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "2.txt").write_text(NOTICE.replace("宜城", "襄阳"), encoding="utf-8")
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 1

    report = import_paths(store, [tmp_path / "1.txt", tmp_path / "2.txt"], cancelled=cancelled)
    assert report.cancelled and len(report.imported) == 1 and len(store.notice_ids()) == 1
    assert issubclass(Cancelled, Exception)
    drill.observed("first file kept, second not started")
    drill.lost_data(False)
