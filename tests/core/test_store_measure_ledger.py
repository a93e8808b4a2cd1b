"""A measure's own ledger fields: 责任人, 整改时限, 完成情况 (migration m006), edited and undone."""
import sqlite3
import shutil

from core.store import Store
from core.labels import field_label
from tests.conftest import ROOT
from tests.gui.notices import make_extraction


def test_measure_fields_are_read_edited_logged_and_undone(tmp_path):
    with Store.open(tmp_path / "m.sqlite3") as store:
        notice_id, _ = store.add_extraction(make_extraction(problems=1, measures=2))
        measure = store.get_notice(notice_id)["problems"][0]["measures"][0]
        assert (measure["person"], measure["deadline"], measure["progress"]) == (None, None, None)
        store.update_field("measure", measure["id"], "person", "王五")
        store.update_field("measure", measure["id"], "deadline", "2025-06-30")
        store.update_field("measure", measure["id"], "progress", "已完成制度修订")
        got = store.get_notice(notice_id)["problems"][0]["measures"][0]
        assert (got["person"], got["deadline"], got["progress"]) == ("王五", "2025-06-30", "已完成制度修订")
        assert [e["field"] for e in store.edit_log(notice_id) if e["field"] != "touched"][-3:] == [
            "person", "deadline", "progress"]
        store.undo(notice_id)
        assert store.get_notice(notice_id)["problems"][0]["measures"][0]["progress"] is None
    assert field_label("progress") == "完成情况"


def test_an_older_database_gets_the_columns(tmp_path):
    old = tmp_path / "v1.sqlite3"
    shutil.copy(ROOT / "tests" / "fixtures" / "db" / "store_v1.sqlite3", old)
    with Store.open(old) as store:
        ids = store.notice_ids()
        measures = [m for i in ids for p in store.get_notice(i)["problems"] for m in p["measures"]]
    assert measures and all("progress" in m and m["person"] is None for m in measures)
    columns = {r[1] for r in sqlite3.connect(old).execute("PRAGMA table_info(measures)")}
    assert {"person", "deadline", "progress"} <= columns
