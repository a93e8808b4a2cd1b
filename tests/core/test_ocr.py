"""OCR of scans and photos: a notice typeset by LibreOffice, rasterised at 150 dpi by pdftoppm,
given light noise and a 1 degree skew, rebuilt as an image-only PDF and as PNG photos; after OCR
the extraction must match the notice's gold (problem F1 >= 0.95, measure counts >= 0.90)."""
import json
import shutil
from pathlib import Path

import pytest

from core.extract import extract_ingested
from core.ingest import read_file
from core.ingest.ocr import UNCERTAIN_BELOW, available, lines_from_boxes
from tests.format_files import GENRE, ROOT, has_soffice, make_scans, score

pytestmark = pytest.mark.skipif(not available(), reason="rapidocr-onnxruntime is not installed")
needs_tools = pytest.mark.skipif(not (has_soffice() and shutil.which("pdftoppm")),
                                 reason="LibreOffice and pdftoppm make the scans")
FIXTURE = GENRE / "03_xuncha_guanyu_pcn.txt"
SHARED = ROOT.parent / "shared"


def test_boxes_on_one_line_join_in_reading_order():
    words = [{"text": "整改", "x0": 300, "x1": 340, "top": 101, "bottom": 121, "score": 0.99},
             {"text": "一、关于", "x0": 100, "x1": 180, "top": 100, "bottom": 120, "score": 0.7},
             {"text": "下一行", "x0": 100, "x1": 160, "top": 140, "bottom": 160, "score": 0.98}]
    lines = lines_from_boxes(words)
    assert [line["text"] for line in lines] == ["一、关于整改", "下一行"]
    assert lines[0]["score"] == 0.7 < UNCERTAIN_BELOW and len(lines[0]["chars"]) == 6


def test_unsure_characters_become_uncertain_spans_punctuation_aside():
    from core.ingest import ocr

    def line(text, probabilities, top):
        return {"text": text, "x0": 100, "x1": 100 + 20 * len(text), "top": top, "bottom": top + 20,
                "score": min(probabilities), "probabilities": probabilities,
                "chars": [{"x0": 100 + 20 * k, "x1": 120 + 20 * k} for k in range(len(text))]}

    sure = 0.99
    pages = [[line("一、关于工作自标不清的问题", [sure] * 6 + [0.6, 0.7] + [sure] * 5, 100),
              line("整改情况：已完成，“川类”标准。", [sure] * 4 + [0.5] + [sure] * 4 + [0.4, 0.6] + [sure] * 4 + [0.3], 140)]]
    result = ocr._ingested(pages, "pdf")
    assert [result.text[s:e] for s, e in result.uncertain] == ["自标", "川"]  # ：“ 。 are punctuation


def test_the_recogniser_gives_each_character_a_probability():
    import numpy as np

    from core.ingest import ocr

    decoder = ocr.engine().text_rec.postprocess_op
    blank, first, second = 0, 5, 9
    index = np.array([[first, first, blank, second, blank]])
    probabilities = np.array([[0.9, 0.8, 0.99, 0.4, 0.99]])
    (text, mean), = decoder.decode(index, probabilities, is_remove_duplicate=True)
    assert text == decoder.character[first] + decoder.character[second]
    assert text.probabilities == [0.9, 0.4] and abs(mean - 0.65) < 1e-9


def test_seal_and_steep_boxes_are_dropped():
    import numpy as np

    from core.ingest import ocr

    image = np.full((100, 200, 3), 255, np.uint8)
    image[10:30, 10:90] = (40, 40, 220)  # red ink (BGR)
    image[60:80, 10:90] = (30, 30, 30)   # black ink
    red = np.array([[10, 10], [90, 10], [90, 30], [10, 30]], float)
    black = np.array([[10, 60], [90, 60], [90, 80], [10, 80]], float)
    assert ocr._red(image, red) and not ocr._red(image, black)
    assert ocr._steep(np.array([[0, 0], [50, 30], [40, 50], [-10, 20]], float))
    assert not ocr._steep(np.array([[0, 0], [500, 8], [500, 30], [0, 22]], float))


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    return make_scans(FIXTURE, tmp_path_factory.mktemp("scan"))


def _report(label, result, seconds=None):
    print(f"{label}: problem F1 {result['f1']:.3f}, measure counts {result['measures']:.3f} "
          f"({result['tp']}/{result['gold']} found, {result['found']} predicted)"
          + (f", {seconds:.1f} s" if seconds is not None else ""))


@pytest.mark.slow
@needs_tools
def test_scanned_pdf_matches_gold(scans):
    pdf, _ = scans
    seen = []
    ingested = read_file(pdf, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, len(seen) - 1) and seen[-1][0] == seen[-1][1]
    extraction = extract_ingested(ingested)
    assert any("OCR" in w for w in extraction["warnings"])
    gold = json.loads((GENRE / "gold" / f"{FIXTURE.stem}.json").read_text(encoding="utf-8"))
    result = score(gold, extraction)
    _report(f"{pdf.name} ({len(seen) - 1} pages)", result)
    assert result["f1"] >= 0.95 and result["measures"] >= 0.90
    for s, e in ingested.uncertain:  # spans index the normalised text
        assert 0 <= s < e <= len(ingested.text)
    unsure = sum(e - s for s, e in ingested.uncertain)
    print(f"uncertain: {len(ingested.uncertain)} spans, {unsure} of {len(ingested.text)} characters")
    assert unsure < 0.03 * len(ingested.text)  # the reviewer is pointed at a few, not everything


@pytest.mark.slow
@needs_tools
def test_png_photos_page_by_page(scans):
    """Each page photo read on its own: the text of every page comes back (a notice photographed
    page by page is imported as separate images)."""
    _, pages = scans
    source = FIXTURE.read_text(encoding="utf-8")
    import difflib
    import re

    strip = re.compile(r"[\s，,。.、：:；;“”\"（）()]")
    whole = strip.sub("", source)
    for page in pages:
        text = strip.sub("", read_file(page).text)
        matcher = difflib.SequenceMatcher(None, whole, text, autojunk=False)
        covered = sum(b.size for b in matcher.get_matching_blocks()) / len(text)
        print(f"{page.name}: {len(text)} characters, {covered:.1%} found in the source")
        assert covered >= 0.95


@pytest.mark.slow
@needs_tools
@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared (the seed notices) is absent")
def test_scanned_seed_matches_its_gold(tmp_path):
    seed = sorted((SHARED / "seeds").glob("003_*.txt"))[0]
    gold = json.loads((SHARED / "gold" / f"{seed.stem}.json").read_text(encoding="utf-8"))
    pdf, _ = make_scans(seed, tmp_path)
    result = score(gold, extract_ingested(read_file(pdf)))
    _report(seed.name, result)
    assert result["f1"] >= 0.95 and result["measures"] >= 0.90
