"""Ingest benchmark: each seed notice saved as GB18030 text, a GBK web page with chrome, a .docx
and a typeset PDF (with and without first-line indents), read back with core.ingest.

    .venv/bin/python bench/ingest_bench.py [--repeat 3] [--ocr PAGES | --ocr-accuracy [--engine wheel] [--threads N]] [--html] [--limit]

Prints, per format, the median read time per file and how many of the seeds' paragraphs come
back exactly (PDF: lines the page width broke must be joined again, running headers and page
numbers dropped).

--ocr N: a genre fixture typeset by LibreOffice, rasterised at 150 dpi with noise and a 1 degree
skew (tests/format_files.make_scans), N pages read by OCR: wall and CPU seconds per A4 page, the
engine's load time, peak memory (RSS) of the process.
--ocr-accuracy: the same scans of the genre fixture and of each seed (../shared), read as scanned
PDFs through core.ingest and extracted: per notice the pages, wall and CPU seconds per page,
problem F1 and measure counts against the gold (score.py's alignment), how alike the text is to
the source (punctuation and spaces aside) and how many characters are underlined as unsure.
--engine wheel: either of the above with the PP-OCRv4 models inside the rapidocr-onnxruntime
wheel (the models used before PP-OCRv6 tiny); --threads N: ONNX Runtime intra-op threads.
--html: numbering lines kept and chrome left by the main-content extractors on the html fixtures.
--limit: import of the largest accepted text (core.ingest.MAX_TEXT_CHARS): seconds and peak memory.
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


def ocr_engine(kind: str, threads: int):
    """Load the OCR engine: the program's (PP-OCRv6 tiny) or the wheel's PP-OCRv4 models."""
    from core.ingest import ocr

    ocr.ENGINE_OPTIONS.update(intra_op_num_threads=threads)
    started, cpu = time.perf_counter(), time.process_time()
    if kind == "wheel":
        from rapidocr_onnxruntime import RapidOCR

        ocr._engine = RapidOCR(**ocr.ENGINE_OPTIONS)
        ocr._keep_character_probabilities(ocr._engine.text_rec.postprocess_op)
        models = "PP-OCRv4 det/rec from the rapidocr-onnxruntime wheel"
    else:
        ocr.engine()
        models = ", ".join(ocr.MODELS[:2])
    print(f"OCR engine load: {time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU; "
          f"{models}; options {ocr.ENGINE_OPTIONS}")


def bench_ocr(pages: int, kind: str, threads: int) -> None:
    import resource

    import cv2

    from core.ingest import ocr
    from tests.format_files import GENRE, make_scans

    with tempfile.TemporaryDirectory() as folder:
        _, images = make_scans(GENRE / "03_xuncha_guanyu_pcn.txt", Path(folder))
        ocr_engine(kind, threads)
        walls, cpus = [], []
        for k in range(pages):
            image = cv2.imread(str(images[k % len(images)]))
            started, cpu = time.perf_counter(), time.process_time()
            lines = ocr.page_lines(image)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            print(f"  page {k + 1}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU, {len(lines)} lines, "
                  f"{sum(len(line['text']) for line in lines)} characters")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"OCR per A4 page at 150 dpi: median {statistics.median(walls):.2f} s wall, "
              f"{statistics.median(cpus):.2f} s CPU; peak memory {peak:.0f} MB")


def bench_ocr_accuracy(kind: str, threads: int) -> None:
    import difflib
    import json
    import re
    import resource

    from core.extract import extract_ingested
    from tests.format_files import GENRE, make_scans, score

    notices = [(GENRE / "03_xuncha_guanyu_pcn.txt", GENRE / "gold" / "03_xuncha_guanyu_pcn.json")]
    notices += [(seed, ROOT.parent / "shared" / "gold" / f"{seed.stem}.json") for seed in SEEDS]
    strip = re.compile(r"[\s，,。.、：:；;“”‘’\"'（）()《》【】！!？?—\-…·]")
    ocr_engine(kind, threads)
    walls, cpus, rows = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for source, gold in notices:
            scan, _ = make_scans(source, Path(folder) / source.stem)
            marks = []
            ingested = read_file(scan, progress=lambda done, total: marks.append((time.perf_counter(), time.process_time())))
            wall = [b[0] - a[0] for a, b in zip(marks, marks[1:])]
            cpu = [b[1] - a[1] for a, b in zip(marks, marks[1:])]
            walls += wall
            cpus += cpu
            result = score(json.loads(gold.read_text(encoding="utf-8")), extract_ingested(ingested))
            a, b = strip.sub("", source.read_text(encoding="utf-8")), strip.sub("", ingested.text)
            blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
            alike = sum(block.size for block in blocks) / max(len(a), len(b))
            unsure = sum(e - s for s, e in ingested.uncertain)
            rows.append(result)
            print(f"{source.stem[:24]:24} {len(wall)} pages  {statistics.mean(wall):5.2f} s wall/page "
                  f"{statistics.mean(cpu):5.2f} s CPU/page  problem F1 {result['f1']:.3f}  measure counts "
                  f"{result['measures']:.3f} ({result['tp']}/{result['gold']})  text alike {alike:.2%}  "
                  f"unsure {unsure}/{len(ingested.text)} characters", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"all {len(walls)} pages: median {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
          f"per page (mean {statistics.mean(walls):.2f} / {statistics.mean(cpus):.2f}); lowest problem F1 "
          f"{min(r['f1'] for r in rows):.3f}, lowest measure counts {min(r['measures'] for r in rows):.3f}; "
          f"peak memory {peak:.0f} MB")


def bench_html() -> None:
    import re

    from core.ingest import web

    numbered = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]+是)")
    chrome = ("首页", "政务公开", "字体", "打印本页", "关闭窗口", "版权所有", "当前位置")

    def trafilatura_text(html):
        import trafilatura

        return trafilatura.extract(html, include_tables=True, favor_recall=True) or ""

    def readability_text(html):
        from bs4 import BeautifulSoup
        from readability import Document

        return BeautifulSoup(Document(html).summary(html_partial=True), "lxml").get_text("\n")

    for path in sorted((ROOT / "tests" / "fixtures" / "genre_files").glob("*.html")):
        html, _ = web._decode_html(path.read_bytes(), path)
        ours = read_file(path).text
        want = [line for line in ours.split("\n") if numbered.match(line)]
        for name, read in (("core.ingest", lambda h: ours), ("trafilatura", trafilatura_text),
                           ("readability", readability_text)):
            try:
                got = normalize(read(html))
            except ImportError:
                continue
            lines = set(got.split("\n"))
            print(f"{path.name:24} {name:12} numbering lines {sum(w in lines for w in want)}/{len(want)}  "
                  f"chrome left {[c for c in chrome if c in got]}")


def bench_limit() -> None:
    import subprocess

    from core.ingest import MAX_TEXT_CHARS
    from tests.format_files import GENRE

    notice = (GENRE / "03_xuncha_guanyu_pcn.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "largest.txt"
        path.write_text(normalize(notice * (MAX_TEXT_CHARS // len(notice)))[:MAX_TEXT_CHARS], encoding="utf-8")
        code = ("import resource, sys, time; from core.importer import import_paths; from core.store import Store;"
                "s = Store.open(sys.argv[2]); t = time.perf_counter(); r = import_paths(s, [sys.argv[1]]);"
                "from pathlib import Path; status = Path('/proc/self/status');"  # VmHWM: the child's own peak
                "hwm = [int(l.split()[1]) for l in status.read_text().splitlines() if l.startswith('VmHWM')]"
                " if status.exists() else [];"
                "print(len(r.imported), round(time.perf_counter() - t, 1),"
                " (hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) // 1024)")
        out = subprocess.run([sys.executable, "-c", code, str(path), str(Path(folder) / "db.sqlite3")],
                             cwd=ROOT, capture_output=True, text=True,
                             env={"PYTHONPATH": str(ROOT), "ZGTZ_HOME": folder, "PATH": "/usr/bin:/bin"})
        imported, seconds, peak = out.stdout.split()[-3:]
        print(f"largest accepted text ({MAX_TEXT_CHARS:,} characters): imported {imported}, {seconds} s, "
              f"peak memory {peak} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr", type=int, metavar="PAGES", help="OCR speed and memory on N scanned pages")
    parser.add_argument("--ocr-accuracy", action="store_true", help="OCR speed and accuracy on scanned notices")
    parser.add_argument("--engine", choices=("tiny", "wheel"), default="tiny", help="OCR models (default: the program's)")
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime intra-op threads for OCR")
    parser.add_argument("--html", action="store_true", help="main-content extractors on the html fixtures")
    parser.add_argument("--limit", action="store_true", help="import of the largest accepted text")
    args = parser.parse_args()
    if args.ocr:
        return bench_ocr(args.ocr, args.engine, args.threads)
    if args.ocr_accuracy:
        return bench_ocr_accuracy(args.engine, args.threads)
    if args.html:
        return bench_html()
    if args.limit:
        return bench_limit()
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
