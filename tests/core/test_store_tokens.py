"""The search index's character-pair tokens and what a search finds with them."""
import pytest

from core.store import Store
from core.store_tokens import index_tokens, match_expression, query_parts
from tests.core.test_store import sample_extraction


def test_tokens_are_pairs_of_chinese_and_words_of_the_rest():
    assert index_tokens("充电桩120个，ABC站") == "充电 电桩 桩 120 个 abc 站"
    assert index_tokens("，。 ") == ""
    assert query_parts("充电桩  执法 充电桩") == ["充电桩", "执法"]
    assert match_expression(["充电桩", "桩", "5g"]) == '"充电 电桩" AND "桩" * AND "5g"'


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "t.sqlite3")
    s.add_extraction(sample_extraction())
    yield s
    s.close()


@pytest.mark.parametrize("query, kinds", [
    ("充电桩", ["problem", "measure", "notice"]),   # the problem, its measure, then the notice
    ("电桩", ["problem", "measure", "notice"]),     # any run of characters, not only jieba's words
    ("桩", ["problem", "measure", "notice"]),       # one character
    ("120", ["measure", "notice"]),
    ("充电桩建设", ["problem", "notice"]),          # a run matches as written: contiguous
    ("建设充电桩", []),
    ("充电桩 运维", ["notice"]),                    # every part, in one item or in the notice
])
def test_what_a_search_finds(store, query, kinds):
    assert [r["kind"] for r in store.search(query)] == kinds


def test_an_edited_title_outside_the_notice_text_is_found(store):
    [nid] = store.notice_ids()
    problem = store.get_notice(nid)["problems"][1]
    store.update_field("problem", problem["id"], "title", "监督执法存在短板")
    assert [(r["kind"], r["problem_id"]) for r in store.search("短板")] == [("problem", problem["id"])]
    store.undo(nid)
    assert store.search("短板") == []
