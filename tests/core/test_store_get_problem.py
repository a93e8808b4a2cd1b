"""Store.get_problem: one problem record, the same as its entry in get_notice(), after edits too."""
import pytest

from core.store import Store
from tests.core.test_store import sample_extraction


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "t.sqlite3") as store:
        yield store


def _same_as_in_notice(store, notice_id):
    problems = store.get_notice(notice_id)["problems"]
    assert problems
    for problem in problems:
        assert store.get_problem(problem["id"]) == problem


def test_each_problem_reads_as_in_the_notice(store, tmp_path):
    notice_id, _ = store.add_extraction(sample_extraction())
    store.add_extraction(sample_extraction(text=sample_extraction()["text"] + "（另一份）", sha="b"))
    _same_as_in_notice(store, notice_id)
    first = store.get_notice(notice_id)["problems"][0]
    assert [m["seq"] for m in store.get_problem(first["id"])["measures"]] == [1, 2]


def test_edits_checks_evidence_and_order_changes_show(store, tmp_path):
    notice_id, _ = store.add_extraction(sample_extraction())
    first, second = store.get_notice(notice_id)["problems"]
    store.update_field("problem", first["id"], "units", "区城管局")
    store.set_checked("measure", first["measures"][0]["id"], True)
    evidence = tmp_path / "佐证.txt"
    evidence.write_text("材料", encoding="utf-8")
    store.add_evidence(first["id"], evidence)
    store.delete("measure", first["measures"][1]["id"])
    record = store.get_problem(first["id"])
    assert record["units"] == "区城管局" and "units" in record["edited_fields"]
    assert record["measures"][0]["checked"] and len(record["measures"]) == 1
    assert [e["name"] for e in record["evidence"]] == ["佐证.txt"]
    store.move("problem", second["id"], -1)
    assert store.get_problem(second["id"])["seq"] == 1
    assert store.get_problem(first["id"])["seq"] == 2
    store.add_problem(notice_id, title="新问题", index=0)
    _same_as_in_notice(store, notice_id)


def test_an_unknown_problem_is_a_key_error(store):
    with pytest.raises(KeyError):
        store.get_problem(999)
