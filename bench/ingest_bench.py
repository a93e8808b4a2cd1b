"""Ingest benchmark: each seed notice saved as GB18030 text, a GBK web page with chrome, a .docx
and a typeset PDF (with and without first-line indents), read back with core.ingest.

    .venv/bin/python bench/ingest_bench.py [--repeat 3]

Prints, per format, the median read time per file and how many of the seeds' paragraphs come
back exactly (PDF: lines the page width broke must be joined again, running headers and page
numbers dropped).
"""
from __future__ import annotations

import argparse
import html
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.ingest import normalize, read_file  # noqa: E402

SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
FONT, SIZE, LEFT, RIGHT, TOP, BOTTOM = "STSong-Light", 14, 80, 515, 770, 80


def paragraphs(text: str) -> list[str]:
    return [line for line in normalize(text).split("\n") if line.strip()]


def write_txt(paras, path):
    path.write_bytes("\r\n".join(paras).encode("gb18030"))


def write_html(paras, path):
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>通报</title>'
        "<script>var a = 1;</script><style>p { margin: 0 }</style></head><body>"
        '<div class="header"><ul class="nav"><li>首页</li><li>政务公开</li></ul></div>'
        '<div class="crumb">当前位置：首页 &gt; 通知公告</div>'
        f'<div class="article"><div class="content">{body}</div><div>【字体：大 中 小】 打印 关闭窗口</div></div>'
        '<div id="footer">版权所有 网站标识码</div></body></html>'
    )
    path.write_bytes(page.encode("gbk", errors="xmlcharrefreplace"))


def write_docx(paras, path):
    import docx

    document = docx.Document()
    for p in paras:
        document.add_paragraph(p)
    document.save(str(path))


def write_pdf(paras, path, indent=True):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    page, y = 1, TOP

    def new_page():
        nonlocal page, y
        pdf.setFont(FONT, 9)
        pdf.drawString(LEFT, 805, "巡视整改进展情况通报")
        pdf.drawCentredString(297, 45, f"— {page} —")
        pdf.setFont(FONT, SIZE)

    new_page()
    for p in paras:
        line, x = "", LEFT + (2 * SIZE if indent else 0)
        for char in p + "\n":
            if char == "\n" or x + pdfmetrics.stringWidth(line + char, FONT, SIZE) > RIGHT:
                if y < BOTTOM:
                    pdf.showPage()
                    page, y = page + 1, TOP
                    new_page()
                pdf.drawString(x, y, line)
                y -= SIZE * 1.6
                line, x = "", LEFT
            if char != "\n":
                line += char
    pdf.showPage()
    pdf.save()


WRITERS = {
    "txt (gb18030)": (".txt", write_txt),
    "html (gbk)": (".html", write_html),
    "docx": (".docx", write_docx),
    "pdf": (".pdf", write_pdf),
    "pdf (no indent)": (".pdf", lambda paras, path: write_pdf(paras, path, indent=False)),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(f"{len(SEEDS)} seeds, {args.repeat} reads each")
        for label, (suffix, write) in WRITERS.items():
            times, exact, total, misses = [], 0, 0, []
            for i, seed in enumerate(SEEDS):
                paras = paragraphs(seed.read_text(encoding="utf-8"))
                path = Path(folder) / f"{i}{suffix}"
                write(paras, path)
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    got = read_file(path).text
                    times.append(time.perf_counter() - start)
                got_paras = set(paragraphs(got))
                total += len(paras)
                exact += sum(p in got_paras for p in paras)
                misses += [p for p in paras if p not in got_paras][:2]
            print(f"{label:16} median {statistics.median(times) * 1000:7.1f} ms/file   "
                  f"paragraphs back exactly {exact}/{total} ({exact / total:.1%})")
            for miss in misses[:3]:
                print(f"{'':18}missed: {miss[:60]}")


if __name__ == "__main__":
    main()
