"""Regression tests for the window defects of issue 10, one or more per item (numbered as there)."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from core.store import Store
from gui.problem_model import COL_SEQ
from tests.gui.notices import add_notice, open_window


def _db(tmp_path, tags=("甲",), **kwargs):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        ids = [add_notice(store, tag=tag, **kwargs) for tag in tags]
    return path, ids


def _select_text(view, start, end):
    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.KeepAnchor)
    view.setTextCursor(cursor)


def _current(window):
    found = window.current_item()
    return (found.entity, found.row["id"]) if found else None


# --- 0. Ctrl+Enter and 完成审核 with a problem made by hand -----------------------------------
def test_check_round_and_finish_review_with_a_hand_made_problem(qtbot, tmp_path):
    path, _ids = _db(tmp_path, problems=2, measures=1, confidence=[0.9, 0.4])
    window = open_window(qtbot, path)
    text = window.notice["text"]
    tail = text.index("中共甲区委\n2024")
    _select_text(window.source_view, tail, tail + 5)
    window.actions["as_problem"].trigger()
    made = window.notice["problems"][-1]
    assert made.get("confidence") is None
    index = window.tree.currentIndex().siblingAtColumn(COL_SEQ)
    assert index.data(Qt.ToolTipRole) and "人工添加" in index.data(Qt.ToolTipRole)
    first = window.notice["problems"][0]
    window.select_item("problem", first["id"])
    seen = []
    for _ in range(6):
        window.actions["check_next"].trigger()
        seen.append(_current(window))
    problems = window.notice["problems"]
    # 0.4 then its measure, 0.9's measure, then the one made by hand, and nothing left
    assert seen[:3] == [("problem", problems[1]["id"]), ("measure", problems[1]["measures"][0]["id"]),
                        ("measure", problems[0]["measures"][0]["id"])]
    assert ("problem", made["id"]) in seen
    assert all(p["checked"] for p in window.notice["problems"])
    window.actions["finish_review"].trigger()
    assert window.notice["review_status"] == "已审核"
