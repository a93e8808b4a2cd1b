"""Near-duplicate notices (issue 10 item 5): one notice imported as .txt, .docx, a saved web page
with the site's chrome, a copy with other whitespace and full-width punctuation, or pasted, is
recognised as the notice already imported; other notices are not."""
import html

import pytest

from core.importer import import_paths, import_text
from core.store import Store
from core.store_duplicates import content_key, near_same
from tests.conftest import GENRE

NOTICE = GENRE / "01_shenji_yusuan.txt"
OTHER = GENRE / "02_ducha_diyixiang.txt"


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "d.sqlite3")
    yield s
    s.close()


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def _docx(text, path):
    from docx import Document

    doc = Document()
    for line in _lines(text):
        doc.add_paragraph(line)
    doc.save(path)
    return path


def _web_page(text, path):
    body = "".join(f"<p>{html.escape(line)}</p>" for line in _lines(text))
    path.write_text(
        "<html><head><meta charset='utf-8'><title>" + html.escape(_lines(text)[0]) + "</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> | <a href='/zw'>政务公开</a> | <a href='/xw'>新闻中心</a></div>"
        f"<div class='article'><h1>{html.escape(_lines(text)[0])}</h1>{body}</div>"
        "<div class='tools'>【字体：大 中 小】 打印本页 关闭窗口</div>"
        "<div class='footer'>主办单位：某某市人民政府办公室 网站标识码 4200000001</div></body></html>",
        encoding="utf-8")
    return path


def _respaced(text, path):
    """Other line breaks, spaces and full-width/half-width punctuation."""
    swapped = text.replace("，", ",").replace("：", ":").replace("；", ";").replace("(", "（").replace(")", "）")
    path.write_text("  " + swapped.replace("\n", "\n\n  ").replace("。", "。 "), encoding="utf-8")
    return path


def test_the_same_notice_in_other_containers_is_found(store, tmp_path):
    text = NOTICE.read_text(encoding="utf-8")
    files = [NOTICE, _docx(text, tmp_path / "同一份.docx"), _web_page(text, tmp_path / "同一份.html"),
             _respaced(text, tmp_path / "重排版.txt")]
    report = import_paths(store, files)
    assert not report.failed and not report.duplicates                 # four files, four sha256
    ids = [notice_id for _path, notice_id in report.imported]
    first = ids[0]
    for i, later in enumerate(ids[1:], 1):
        found = store.similar_notices(later)
        assert [f["id"] for f in found] == ids[:i], later                # every earlier copy
        assert found[0]["source_name"] == NOTICE.name and found[0]["edits"] == 0
    assert store.similar_notices(first) == []                           # only earlier ones are named
    pasted, duplicate = import_text(store, text + "\n")
    assert not duplicate and [f["id"] for f in store.similar_notices(pasted)][0] == first
    assert store.similar_notices(pasted)[0]["exact"]


def test_other_notices_are_not_duplicates(store, tmp_path):
    text = NOTICE.read_text(encoding="utf-8")
    first = import_paths(store, [NOTICE]).imported[0][1]
    other = import_paths(store, [OTHER]).imported[0][1]
    assert store.similar_notices(other) == []
    # the same heading over another body (a later progress report of the same office)
    lines = text.splitlines()
    later = "\n".join(lines[:3] + [line.replace("整改", "落实") + "第二次通报补充内容。" for line in lines[3:]])
    later_id = import_text(store, later)[0]
    assert first not in [f["id"] for f in store.similar_notices(later_id)]


def test_the_content_key_ignores_spacing_width_and_punctuation():
    assert content_key("一、整改情况：\n　完成３项，（已办结）") == content_key("一 整改情况:完成3项(已办结)")
    assert content_key("完成3项") != content_key("完成4项")
    assert near_same("甲" * 100 + "乙" * 20, "甲" * 100 + "乙" * 20 + "丙")
    assert not near_same("", "甲")


def test_the_migration_fills_the_key_of_stored_notices(tmp_path):
    from sqlite_utils import Database

    from core.store_schema import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="m011_content_key")
    with Store.open(tmp_path / "new.sqlite3") as fresh:
        fresh.add_extraction({"text": "通报全文。", "meta": {}, "problems": []})
    db.execute("INSERT INTO notices (text, sha256, imported_at) VALUES ('通报 全文', 'x', '2026-01-01')")
    db.conn.commit()
    db.close()
    with Store.open(path) as store:
        assert store.db.execute("SELECT content_key FROM notices").fetchone()[0] == content_key("通报全文")
