"""Builds the one-folder app with packaging/zhenggai.spec and checks the built program.

The built program must give the same results as ``main.py`` (so the spec bundles every module
and data file the program needs: the CLI verbs imported by name, jieba's dictionary, resources)
and its window must start (``--self-test``: open the window offscreen, load, exit 0).
"""
import json
import os
import shutil
import subprocess
import sys
import tomllib

import pytest

from core import paths
from tests.conftest import ROOT, notice_paths

pytestmark = pytest.mark.slow

SPEC = ROOT / "packaging" / "zhenggai.spec"
NAME = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
HANG_GUARD = 300  # seconds; a guard against a hung child, not a measurement


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory):
    build = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
         "--distpath", str(build / "dist"), "--workpath", str(build / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    yield build / "dist" / NAME
    shutil.rmtree(build, ignore_errors=True)  # a build is ~250 MB


def _run(command, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1")
    result = subprocess.run(command, capture_output=True, encoding="utf-8", env=env,
                            cwd=tmp_path, timeout=HANG_GUARD)
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def _frozen(app_dir, name):
    return [str(app_dir / f"{name}{EXE_SUFFIX}")]


SOURCE = [sys.executable, str(ROOT / "main.py")]


def test_bundles_resources_and_jieba_dictionary(app_dir):
    internal = app_dir / "_internal"
    for name in ("icon.png", "icon.ico", "help.md", "sample/sample_notice.txt"):
        assert (internal / "resources" / name).is_file(), name
    for name in ("dict.txt", "analyse/idf.txt", "finalseg/prob_emit.p", "posseg/prob_emit.p"):
        assert (internal / "jieba" / name).is_file(), name
    assert (internal / "pyproject.toml").is_file()
    # OCR works offline: RapidOCR's config and the classifier it builds travel with the app, the
    # PP-OCRv6 tiny models with the resources; the wheel's unused PP-OCRv4 models stay out
    for name in ("config.yaml", "models/ch_ppocr_mobile_v2.0_cls_infer.onnx"):
        assert (internal / "rapidocr_onnxruntime" / name).is_file(), name
    assert not list((internal / "rapidocr_onnxruntime").glob("models/ch_PP-OCRv4_*.onnx"))
    for name in ("PP-OCRv6_det_tiny.onnx", "PP-OCRv6_rec_tiny.onnx", "PP-OCRv6_rec_tiny_dict.txt"):
        assert (internal / "resources" / "ocr" / name).is_file(), name


def test_ocr_of_a_photo_matches_source(app_dir, tmp_path):
    """A page of a genre PDF as a photo (PNG): the packaged OCR reads what the source reads."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(ROOT / "tests" / "fixtures" / "genre_files" / "08_pdf_xuncha.pdf"))
    photo = tmp_path / "照片.png"
    pdf[0].render(scale=150 / 72).to_pil().save(photo)
    pdf.close()
    frozen = json.loads(_run(_frozen(app_dir, f"{NAME}-cli") + ["extract", str(photo), "--json"], tmp_path))
    source = json.loads(_run(SOURCE + ["extract", str(photo), "--json"], tmp_path))
    for result in (frozen, source):
        del result["source"]["path"]
    assert frozen["problems"], "OCR found no problem on the page"
    assert frozen == source


@pytest.mark.parametrize("executable", [NAME, f"{NAME}-cli"])
def test_extract_json_matches_source(app_dir, tmp_path, executable):
    seed = str(notice_paths()[0])
    frozen = json.loads(_run(_frozen(app_dir, executable) + ["extract", seed, "--json"], tmp_path))
    source = json.loads(_run(SOURCE + ["extract", seed, "--json"], tmp_path))
    for result in (frozen, source):
        del result["source"]["path"]
    assert frozen["problems"], "the extraction found nothing"
    assert frozen == source


def test_import_and_search_match_source(app_dir, tmp_path):
    """Search tokens come from jieba: a missing dictionary would change the hits."""
    seeds = [str(p) for p in notice_paths()[:5]]
    outputs = []
    for name, command in (("frozen", _frozen(app_dir, f"{NAME}-cli")), ("source", SOURCE)):
        db = str(tmp_path / f"{name}.sqlite3")
        _run(command + ["import", *seeds, "--db", db], tmp_path)
        outputs.append(_run(command + ["search", "整改", "--db", db], tmp_path))
    assert outputs[0].strip()
    assert outputs[0] == outputs[1]


def test_window_self_test(app_dir, tmp_path):
    _run(_frozen(app_dir, NAME) + ["--self-test"], tmp_path)
    assert paths.default_db_path().is_file()  # the window opened its store in ZGTZ_HOME
