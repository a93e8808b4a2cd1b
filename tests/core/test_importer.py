"""core.importer: folders, bad files, duplicates, progress, cancel, pasted text, first-run sample."""
import pytest

from core import paths
from core.importer import collect_files, ensure_sample, import_paths, import_text
from core.store import Store

SAMPLE = paths.sample_notice_path().read_text(encoding="utf-8")


def variant(i: int) -> str:
    """The sample notice with one line changed, so each copy is a different notice."""
    return SAMPLE + f"\n副本编号：{i}\n"


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "t.sqlite3")
    yield s
    s.close()


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "in"
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text(variant(1), encoding="utf-8")
    (root / "b" / "c.TXT").write_text(variant(2), encoding="gb18030")
    html = "<html><head><title>通报</title></head><body>" + "".join(
        f"<p>{line}</p>" for line in variant(3).splitlines()
    ) + "</body></html>"
    (root / "b" / "d.html").write_text(html, encoding="utf-8")
    (root / "notes.md").write_text(variant(4), encoding="utf-8")  # not a notice format: skipped
    (root / "~$a.docx").write_bytes(b"lock")  # Word's lock file: skipped
    return root


def test_folder_is_walked_recursively_and_sorted(folder):
    assert [p.relative_to(folder).as_posix() for p in collect_files([folder])] == [
        "a.txt", "b/c.TXT", "b/d.html",
    ]


def test_import_folder_then_again_gives_duplicates(store, folder):
    first = import_paths(store, [folder])
    assert [p.name for p, _ in first.imported] == ["a.txt", "c.TXT", "d.html"]
    assert first.failed == [] and first.duplicates == [] and not first.cancelled
    ids = [i for _, i in first.imported]
    assert sorted(store.notice_ids()) == sorted(ids)
    assert all(store.get_notice(i)["problems"] for i in ids)

    again = import_paths(store, [folder / "a.txt", folder / "b"])
    assert again.imported == []
    assert [i for _, i in again.duplicates] == ids
    assert sorted(store.notice_ids()) == sorted(ids)


def test_bad_files_are_reported_and_skipped(store, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(variant(1), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    odd = tmp_path / "table.xyz"
    odd.write_text("x", encoding="utf-8")
    missing = tmp_path / "missing.txt"

    report = import_paths(store, [empty, odd, missing, good])

    assert [p for p, _ in report.failed] == [empty, odd, missing]
    for _, message in report.failed:
        assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert [p for p, _ in report.imported] == [good]
    assert store.notice_ids() == [report.imported[0][1]]


def test_progress_after_each_file(store, folder):
    calls = []
    import_paths(store, [folder], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_cancel_between_files_keeps_finished_ones(store, folder):
    done = []
    report = import_paths(
        store, [folder], progress=lambda d, t: done.append(d), cancelled=lambda: len(done) > 2
    )
    assert report.cancelled
    assert [p.name for p, _ in report.imported] == ["a.txt", "c.TXT"]
    assert sorted(store.notice_ids()) == sorted(i for _, i in report.imported)


def test_import_text(store):
    notice_id, duplicate = import_text(store, variant(7))
    assert not duplicate
    notice = store.get_notice(notice_id)
    assert "副本编号：7" in notice["text"]
    assert notice["source"]["format"] == "text"
    assert import_text(store, variant(7)) == (notice_id, True)


def test_ensure_sample_only_on_an_empty_database(store):
    notice_id = ensure_sample(store)
    assert store.notice_ids() == [notice_id]
    assert store.get_notice(notice_id)["problems"]
    assert ensure_sample(store) is None
    assert store.notice_ids() == [notice_id]


def test_ensure_sample_leaves_a_used_database_alone(store):
    own, _ = import_text(store, variant(1))
    assert ensure_sample(store) is None
    assert store.notice_ids() == [own]
    store.delete_notice(own)     # emptied by the user: still no sample
    assert ensure_sample(store) is None and store.notice_ids() == []


def test_ensure_sample_is_remembered_in_the_database(tmp_path):
    """Once offered, the sample never comes back, also after the user deleted every notice."""
    db = tmp_path / "once.sqlite3"
    with Store.open(db) as store:
        notice_id = ensure_sample(store)
        store.delete_notice(notice_id)
    with Store.open(db) as store:
        assert ensure_sample(store) is None
        assert store.notice_ids() == []
    with Store.open(tmp_path / "other.sqlite3") as other:   # another database has its own first run
        assert ensure_sample(other) is not None
