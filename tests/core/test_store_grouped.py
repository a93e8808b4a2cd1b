"""Store.grouped_edits: several corrections of a notice as one undo step and one transaction."""
import pytest

from core.store import Store
from tests.gui.notices import make_extraction


def test_grouped_edits_undo_as_one_step_and_roll_back_together(tmp_path):
    with Store.open(tmp_path / "g.sqlite3") as store:
        notice_id, _ = store.add_extraction(make_extraction(problems=2))
        p1, p2 = (p["id"] for p in store.get_notice(notice_id)["problems"])
        store.update_field("problem", p1, "person", "甲")
        with store.grouped_edits(notice_id):
            store.update_field("problem", p1, "units", "区发改局")
            store.update_field("problem", p2, "leader", "张三")
            store.add_measure(p2, text="新增措施")
        assert len({e["group"] for e in store.edit_log(notice_id)}) == 2
        store.undo(notice_id)
        after = store.get_notice(notice_id)["problems"]
        assert (after[0]["person"], after[0]["units"], after[1]["leader"]) == ("甲", "甲区委办", None)
        assert [m["text"] for m in after[1]["measures"]][-1] != "新增措施"
        store.redo(notice_id)
        assert store.get_problem(p2)["leader"] == "张三"

        with pytest.raises(RuntimeError):
            with store.grouped_edits(notice_id):
                store.update_field("problem", p1, "remark", "半途")
                raise RuntimeError("stop")
        assert store.get_problem(p1)["remark"] is None
        assert not any(e["new"] == "半途" for e in store.edit_log(notice_id))
