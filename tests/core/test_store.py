"""Store basics: opening, adding extractions, reading, locks, schema checks, search."""
import datetime as dt
import sqlite3

import pytest

from core import paths
from core.errors import DatabaseCorruptError, DatabaseLockedError, NewerSchemaError
from core.store import Store, deadline_warning

NOTICE_TEXT = (
    "根据区委统一部署，区委第一巡察组对区城管局党组开展了巡察。\n"
    "二、巡察反馈问题整改情况\n"
    "1.关于“充电桩建设推进缓慢”的问题\n"
    "整改情况：一是加快充电桩布点建设，新建充电桩120个。二是完善运维机制，由区城管局牵头。\n"
    "2.关于“执法监督不到位”的问题\n"
    "整改情况：制定执法监督办法，于2024年12月底前完成。\n"
)


def _span_of(text, part):
    start = text.index(part)
    return [start, start + len(part)]


def sample_extraction(text=NOTICE_TEXT, sha=None):
    """A small extraction dict in the shape of the JSON contract, spans into ``text``."""
    m1 = "一是加快充电桩布点建设，新建充电桩120个。"
    m2 = "二是完善运维机制，由区城管局牵头。"
    m3 = "制定执法监督办法，于2024年12月底前完成。"
    source = {"path": "/tmp/notice.txt", "encoding": "utf-8", "format": "txt"}
    if sha:
        source["sha256"] = sha
    return {
        "text": text,
        "source": source,
        "meta": {"title": "关于巡察整改进展情况的通报", "kind": "巡察", "issuer": "区城管局党组",
                 "inspector": "区委第一巡察组", "round": None, "inspection_start": None,
                 "inspection_end": None, "feedback_date": None, "published": "2024-07-18",
                 "disclosure": None, "contact": {"phone": ["027-1"], "email": [], "address": None}},
        "warnings": ["示例警告"],
        "outcomes": [{"text": "新建充电桩120个", "quantity": 120, "unit": "个",
                      "span": _span_of(text, "新建充电桩120个")}],
        "problems": [
            {"seq": 1, "number": "1", "category": None, "group": None, "title": "充电桩建设推进缓慢",
             "span": [_span_of(text, "1.关于")[0], _span_of(text, m2)[1]],
             "title_span": _span_of(text, "充电桩建设推进缓慢"), "status": "推进中",
             "rectify_type": "限期整改", "deadline": "2024-12-31", "confidence": 0.9,
             "measures": [
                 {"seq": 1, "text": m1, "span": _span_of(text, m1), "status": "已完成",
                  "units": ["区城管局"], "dates": [],
                  "quantities": [{"text": "120个", "quantity": 120, "unit": "个"}]},
                 {"seq": 2, "text": m2, "span": _span_of(text, m2), "status": "推进中",
                  "units": ["区城管局", "区发改局"], "dates": [], "quantities": []},
             ]},
            {"seq": 2, "number": "2", "category": None, "group": None, "title": "执法监督不到位",
             "span": [_span_of(text, "2.关于")[0], _span_of(text, m3)[1]],
             "title_span": _span_of(text, "执法监督不到位"), "status": "已完成",
             "confidence": 0.8,
             "measures": [{"seq": 1, "text": m3, "span": _span_of(text, m3), "status": "已完成",
                           "units": ["区司法局"], "dates": ["2024-12-31"], "quantities": []}]},
        ],
    }


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "t.sqlite3", reviewer="张三")
    yield s
    s.close()


@pytest.fixture
def notice_id(store):
    return store.add_extraction(sample_extraction())[0]


def test_open_default_location_and_pragmas(tmp_path):
    with Store.open() as s:
        assert s.path == paths.default_db_path()
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    with Store.open(tmp_path / "x.db") as s:
        assert s.path == tmp_path / "x.db"
        assert s.notice_ids() == []


def test_add_extraction_and_get_notice(store):
    nid, dup = store.add_extraction(sample_extraction(), source_path="/data/通报.txt")
    assert dup is False
    n = store.get_notice(nid, today=dt.date(2024, 12, 25))
    assert n["title"] == "关于巡察整改进展情况的通报"
    assert n["source"]["name"] == "通报.txt" and len(n["source"]["sha256"]) == 64
    assert n["contact"] == {"phone": ["027-1"], "email": [], "address": None}
    assert n["review_status"] == "待审核" and n["warnings"] == ["示例警告"]
    assert n["outcomes"][0]["quantity"] == 120 and n["outcomes"][0]["span"] is not None
    p1, p2 = n["problems"]
    assert (p1["seq"], p1["title"], p1["status"], p1["rectify_type"]) == (1, "充电桩建设推进缓慢", "推进中", "限期整改")
    assert p1["units"] == "区城管局、区发改局"
    assert p1["warning"] == "黄" and p2["warning"] is None  # p2 已完成
    assert [m["seq"] for m in p1["measures"]] == [1, 2]
    assert p1["measures"][0]["quantities"][0]["quantity"] == 120
    assert p1["edited_fields"] == [] and p1["evidence"] == []
    assert n["text"][slice(*p1["measures"][1]["span"])] == p1["measures"][1]["text"]


def test_duplicate_is_stored_once(store):
    first = store.add_extraction(sample_extraction())
    second = store.add_extraction(sample_extraction())
    assert first == (first[0], False) and second == (first[0], True)
    assert store.notice_ids() == [first[0]]
    other = store.add_extraction(sample_extraction(sha="ab" * 32))
    assert other[1] is False and len(store.notice_ids()) == 2


def test_list_notices_counts_and_filter(store, notice_id):
    store.set_checked("problem", store.get_notice(notice_id)["problems"][0]["id"])
    [row] = store.list_notices()
    assert row["problem_count"] == 2 and row["measure_count"] == 3 and row["checked_count"] == 1
    assert row["review_status"] == "审核中" and row["issuer"] == "区城管局党组"
    assert store.list_notices("城管") == [row]
    assert store.list_notices("不存在的单位") == []


def test_delete_notice_removes_everything(store, notice_id, tmp_path):
    pid = store.get_notice(notice_id)["problems"][0]["id"]
    evidence = tmp_path / "照片.jpg"
    evidence.write_bytes(b"x")
    store.add_evidence(pid, evidence)
    store.delete_notice(notice_id)
    assert store.notice_ids() == [] and store.search("充电桩") == []
    assert not (paths.evidence_dir() / str(notice_id)).exists()
    assert store.db.execute("SELECT count(*) FROM edit_log").fetchone()[0] == 0


def test_settings_are_kept_in_the_database(tmp_path):
    db = tmp_path / "s.sqlite3"
    with Store.open(db) as store:
        assert store.get_setting("missing") is None and store.get_setting("missing", 3) == 3
        store.set_setting("name", "台账")
        store.set_setting("flags", {"a": [1, True]})
        store.set_setting("name", "新台账")
    with Store.open(db) as store:
        assert store.get_setting("name") == "新台账"
        assert store.get_setting("flags") == {"a": [1, True]}


def test_second_exclusive_open_refused(tmp_path):
    db = tmp_path / "lock.sqlite3"
    first = Store.open(db, exclusive=True)
    with pytest.raises(DatabaseLockedError) as info:
        Store.open(db, exclusive=True)
    assert "另一个" in str(info.value)
    with Store.open(db) as worker:  # a worker thread's non-exclusive store is fine
        assert worker.notice_ids() == []
    first.close()
    Store.open(db, exclusive=True).close()


def test_newer_schema_refused_untouched(tmp_path):
    db = tmp_path / "newer.sqlite3"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('zhenggai_taizhang', 'm999_future', 'x')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(NewerSchemaError) as info:
        Store.open(db)
    assert "更新版本" in str(info.value)
    assert db.read_bytes() == before
    assert list(paths.backup_dir().iterdir()) == []


def test_corrupt_database_refused(tmp_path):
    db = tmp_path / "bad.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseCorruptError):
        Store.open(db)


@pytest.mark.parametrize("deadline,status,closed,expected", [
    ("2024-06-01", "推进中", False, "红"),
    ("2024-06-20", "推进中", False, "黄"),
    ("2024-06-10", None, False, "黄"),
    ("2024年7月底", "推进中", False, "绿"),
    ("2024年6月", "推进中", False, "绿"),
    ("2024-06-01", "已完成", False, None),
    ("2024-06-01", "推进中", True, None),
    ("长期坚持", "长期坚持", False, None),
    (None, None, False, None),
])
def test_deadline_warning(deadline, status, closed, expected):
    assert deadline_warning(deadline, status, closed, today=dt.date(2024, 6, 10)) == expected


def test_search_tokens_and_snippets(store, notice_id):
    results = store.search("充电桩")
    assert {r["kind"] for r in results} == {"notice", "problem", "measure"}
    assert all("充电桩" in r["snippet"] for r in results)
    problem = next(r for r in results if r["kind"] == "problem")
    assert problem["snippet"] == "充电桩建设推进缓慢"  # the original text, not jieba tokens
    assert problem["notice_title"] == "关于巡察整改进展情况的通报" and problem["measure_id"] is None
    measure = next(r for r in results if r["kind"] == "measure")
    assert measure["problem_id"] == problem["problem_id"]
    # every token must match: 充电桩 and 执法 never meet in one problem or measure
    assert [r["kind"] for r in store.search("充电桩 执法")] == ["notice"]
    assert store.search("") == [] and store.search("，。") == []
    assert len(store.search("充电桩", limit=1)) == 1


def test_search_finds_the_sample_notices_charging_pile_problems(store):
    from tests.conftest import SAMPLE
    from core.extract import extract_file

    seed = SAMPLE
    nid = store.add_extraction(extract_file(seed))[0]
    expected = {p["id"] for p in store.get_notice(nid)["problems"]
                if "充电桩" in p["title"] or any("充电桩" in m["text"] for m in p["measures"])}
    found = {r["problem_id"] for r in store.search("充电桩") if r["problem_id"]}
    assert expected and found == expected
