"""Writers of notice files in the formats offices receive, made by the tests from text fixtures:
OFD (an OFD is a zip of XML: a minimal valid one), a 问题清单 workbook, a PDF with a problems table,
.doc/.wps through LibreOffice, and scans (LibreOffice PDF -> pdftoppm 150 dpi -> noise + skew)."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENRE = ROOT / "tests" / "fixtures" / "genre"
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def write_ofd(paras: list[str], path: Path, *, per_line: int = 36, lines_per_page: int = 34,
              title: str = "通报", text_objects: bool = True) -> Path:
    """An OFD of A4 pages (mm units), one TextObject per printed line, first lines indented by two
    characters, a page number at the foot of each page. ``text_objects=False`` writes a page with
    only a signature-like image object (no text)."""
    size, left, top = 4.2, 25.0, 30.0
    pages, lines = [], []
    for para in paras:
        chunk, indent = para, 2
        while chunk:
            take = per_line - indent
            lines.append((indent, chunk[:take]))
            chunk, indent = chunk[take:], 0
    for start in range(0, len(lines), lines_per_page):
        pages.append(lines[start:start + lines_per_page])
    files = {}
    page_refs = []
    unit = 10
    for n, page in enumerate(pages):
        objects = []
        if text_objects:
            for k, (indent, text) in enumerate(page):
                unit += 1
                x = left + indent * size
                y = top + k * size * 1.6
                deltas = " ".join(["g", str(len(text) - 1), str(size)]) if len(text) > 1 else ""
                objects.append(
                    f'<ofd:TextObject ID="{unit}" Boundary="{x:.2f} {y:.2f} {len(text) * size:.2f} {size * 1.2:.2f}" '
                    f'Font="2" Size="{size}"><ofd:TextCode X="0" Y="{size:.2f}"'
                    + (f' DeltaX="{deltas}"' if deltas else "") + f">{_esc(text)}</ofd:TextCode></ofd:TextObject>")
            unit += 1
            objects.append(f'<ofd:TextObject ID="{unit}" Boundary="100 280 10 5" Font="2" Size="3.5">'
                           f'<ofd:TextCode X="0" Y="3.5">- {n + 1} -</ofd:TextCode></ofd:TextObject>')
        else:
            unit += 1
            objects.append(f'<ofd:ImageObject ID="{unit}" Boundary="120 200 40 40" CTM="40 0 0 40 0 0" ResourceID="3"/>')
        files[f"Doc_0/Pages/Page_{n}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content><ofd:Layer ID="{unit + 1}">'
            + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")
        unit += 1
        page_refs.append(f'<ofd:Page ID="{1000 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>')
    files["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.1" DocType="OFD"><ofd:DocBody>'
        f"<ofd:DocInfo><ofd:DocID>6c8f0b4b2f0f4a5f9d1e7a3c2b1a0f9e</ofd:DocID><ofd:Title>{_esc(title)}</ofd:Title>"
        "<ofd:CreationDate>2024-07-18</ofd:CreationDate></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    files["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData>'
        f"<ofd:MaxUnitID>{unit + 10}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
        "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f"<ofd:Pages>{''.join(page_refs)}</ofd:Pages></ofd:Document>")
    files["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {NS} BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in files.items():
            package.writestr(name, xml.encode("utf-8"))
    return path


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def problem_rows(extraction: dict) -> list[dict]:
    """序号, 问题, 整改措施 (one per line), 责任单位, 整改时限 of each problem of an extraction."""
    return [{"序号": str(k), "问题": p["title"], "整改措施": "\n".join(m["text"] for m in p["measures"]),
             "责任单位": "、".join(dict.fromkeys(u for m in p["measures"] for u in m["units"])) or "办公室",
             "整改时限": "2024年12月底"} for k, p in enumerate(extraction["problems"], 1)]


def write_xlsx(rows: list[dict], path: Path, *, title: str = "巡察反馈问题整改清单") -> Path:
    """A 问题清单 as offices keep it: a merged title row, a two-row header under merged cells
    (整改责任 over 责任单位 | 责任人), a blank row, data rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "问题", "整改措施", "整改责任", None, "整改时限"])
    sheet.append([None, None, None, "责任单位", "责任人", None])
    for col in "ABCF":
        sheet.merge_cells(f"{col}2:{col}3")
    sheet.merge_cells("D2:E2")
    sheet.append([])
    for row in rows:
        sheet.append([int(row["序号"]), row["问题"], row["整改措施"], row["责任单位"], "张三", row["整改时限"]])
    book.save(path)
    return path


def soffice_convert(source: Path, target_ext: str, out_dir: Path, filter_name: str | None = None) -> Path:
    """LibreOffice converts ``source`` into ``out_dir``; returns the file it made."""
    out_dir.mkdir(parents=True, exist_ok=True)
    spec = f"{target_ext}:{filter_name}" if filter_name else target_ext
    subprocess.run(["soffice", f"-env:UserInstallation={(out_dir / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", spec, "--outdir", str(out_dir), str(source)],
                   check=True, capture_output=True, timeout=180)
    return out_dir / f"{source.stem}.{target_ext}"


def has_soffice() -> bool:
    return shutil.which("soffice") is not None
