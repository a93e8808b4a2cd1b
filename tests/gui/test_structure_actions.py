"""The structural corrections through the window (gui/structure_actions.py): each one action on
a real Store, shown in 修改记录, undone and redone with the window's actions, and still there
(and undoable) after the window is closed and opened again."""
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core.store import Store
from gui import structure_actions
from tests.core.structure_notice import RUN, structure_extraction
from tests.gui.notices import open_window


def _db(tmp_path):
    path = tmp_path / "s.sqlite3"
    with Store.open(path) as store:
        notice_id, _ = store.add_extraction(structure_extraction())
    return path, notice_id


def _click(qtbot, window, problem_id, modifier=Qt.NoModifier):
    tree = window.tree
    panel = window.problem_panel
    index = panel.proxy.mapFromSource(panel.model.index_of("problem", problem_id))
    tree.scrollTo(index)
    qtbot.mouseClick(tree.viewport(), Qt.LeftButton, modifier, tree.visualRect(index).center())


def _titles(window):
    return [p["title"] for p in window.notice["problems"]]


def _log_rows(window):
    window.tabs.setCurrentWidget(window.edit_log_view)
    view = window.edit_log_view
    return [[view.topLevelItem(i).text(c) for c in range(5)] for i in range(view.topLevelItemCount())]


def _reopen(qtbot, window, path):
    window.close()
    return open_window(qtbot, path)


def test_set_category_for_all_selected_problems(qtbot, tmp_path, monkeypatch):
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    ids = [p["id"] for p in window.notice["problems"]]
    _click(qtbot, window, ids[2])
    _click(qtbot, window, ids[3], Qt.ControlModifier)
    _click(qtbot, window, ids[5], Qt.ControlModifier)
    assert [p["id"] for p in window.structure.selected_problems()] == [ids[2], ids[3], ids[5]]
    # the context menu on a selected row keeps the selection
    shown = []

    def close_menu():
        menu = QApplication.activePopupWidget()
        shown.extend(a.text() for a in menu.actions() if a.text())
        menu.close()
    QTimer.singleShot(50, close_menu)
    panel = window.problem_panel
    rect = window.tree.visualRect(panel.proxy.mapFromSource(panel.model.index_of("problem", ids[3])))
    panel._show_menu(rect.center())
    assert len(window.structure.selected_problems()) == 3
    assert "设置类别…" in shown and "设为类别标题" in shown

    asked = []

    def answer(parent, title, label, choices, current):
        asked.append((title, label))
        return "党的建设方面"
    monkeypatch.setattr(structure_actions, "ask_value", answer)
    window.activateWindow()                                         # back from the popup menu
    qtbot.waitUntil(window.isActiveWindow)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)   # the shortcut
    assert asked == [("设置类别", "所选 3 个问题的类别（留空则清除）：")]
    categories = [p["category"] for p in window.notice["problems"]]
    assert categories == [None, None, "党的建设方面", "党的建设方面", None, "党的建设方面"]
    assert _log_rows(window)[0][2:] == ["设置类别/分组", "问题 3、4、6", "类别：（空） → 党的建设方面"]

    window.actions["undo"].trigger()                                # one undo step for all three
    assert [p["category"] for p in window.notice["problems"]] == [None] * 6
    window.actions["redo"].trigger()
    assert [p["category"] for p in window.notice["problems"]] == categories

    again = _reopen(qtbot, window, path)
    assert [p["category"] for p in again.notice["problems"]] == categories
    again.actions["undo"].trigger()
    assert [p["category"] for p in again.notice["problems"]] == [None] * 6
    again.actions["redo"].trigger()
    # cancelling the question changes nothing
    monkeypatch.setattr(structure_actions, "ask_value", lambda *args: None)
    again.select_item("problem", ids[0])
    again.actions["set_group"].trigger()
    assert len(again.store.edit_log(notice_id)) == 3
    again.close()


def test_split_a_measure_at_every_item_of_its_run(qtbot, tmp_path):
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    problem = window.notice["problems"][2]
    run = problem["measures"][0]
    window.select_item("measure", run["id"])
    assert window.actions["split_runs"].isEnabled()
    window.actions["split_runs"].trigger()
    texts = [m["text"] for m in window.notice["problems"][2]["measures"]]
    assert texts == ["一是召开专题会议3次；", "二是制定学习计划，由区委组织部牵头；", "三是开展专题培训2期。"]
    assert window.current_item().row["id"] == run["id"]
    new_span = window.notice["problems"][2]["measures"][0]["span"]
    assert window.source_view._selected == tuple(new_span)          # its new span is highlighted
    assert window.notice["text"][new_span[0]:new_span[1]] == texts[0]
    assert _log_rows(window)[0][2:] == ["按编号拆分措施", "问题 3 措施 1", "按编号拆为 3 条措施"]

    window.actions["undo"].trigger()
    assert [m["text"] for m in window.notice["problems"][2]["measures"]] == [RUN]
    window.actions["redo"].trigger()
    assert [m["text"] for m in window.notice["problems"][2]["measures"]] == texts

    again = _reopen(qtbot, window, path)
    assert [m["text"] for m in again.notice["problems"][2]["measures"]] == texts
    again.actions["undo"].trigger()
    assert [m["text"] for m in again.notice["problems"][2]["measures"]] == [RUN]
    # a measure without numbering or semicolons: the store's reason, nothing changed
    last = again.notice["problems"][5]["measures"][0]
    again.select_item("measure", last["id"])
    again.actions["split_runs"].trigger()
    boxes = [b for b in again.findChildren(QMessageBox) if b.isVisible()]
    assert [b.windowTitle() for b in boxes] == ["无法拆分措施"] and "没有找到" in boxes[0].text()
    boxes[0].close()
    assert len(again.notice["problems"][5]["measures"]) == 1
    again.close()


def test_problem_to_category_heading_and_back(qtbot, tmp_path):
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    ids = [p["id"] for p in window.notice["problems"]]
    original = _titles(window)
    window.select_item("problem", ids[1])                           # （一）党的建设方面
    window.actions["make_heading"].trigger()
    assert _titles(window) == ["加强组织领导", "理论学习不够深入", "制度执行不严格", "全面从严治党方面", "监督执纪不到位"]
    assert [p["category"] for p in window.notice["problems"]][1:3] == ["党的建设方面"] * 2
    assert window.current_item().row["id"] == ids[2]               # the first problem under it
    assert "归入此类别" in _log_rows(window)[0][4]

    window.actions["undo"].trigger()
    assert _titles(window) == original
    assert window.current_item().row["id"] == ids[1]
    window.actions["redo"].trigger()
    assert _titles(window)[1] == "理论学习不够深入"

    again = _reopen(qtbot, window, path)
    assert _titles(again)[1] == "理论学习不够深入"
    again.select_item("problem", ids[3])                            # back, from a problem under it
    again.actions["restore_heading"].trigger()
    assert _titles(again) == original
    assert [p["category"] for p in again.notice["problems"]] == [None] * 6
    assert again.notice["problems"][1]["measures"][0]["text"] == "围绕党的建设方面问题逐项整改。"
    assert again.current_item().row["id"] == ids[1]
    assert _log_rows(again)[0][2] == "类别标题恢复为问题"
    again.actions["undo"].trigger()
    assert _titles(again)[1] == "理论学习不够深入"
    again.close()
    third = open_window(qtbot, path)
    third.actions["undo"].trigger()                                 # and the heading itself
    assert _titles(third) == original
    third.close()


def test_drop_headings_that_are_not_problems(qtbot, tmp_path):
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    ids = [p["id"] for p in window.notice["problems"]]
    _click(qtbot, window, ids[0])
    _click(qtbot, window, ids[1], Qt.ShiftModifier)                 # a range: the first two
    window.actions["drop_problems"].trigger()
    assert _titles(window) == ["理论学习不够深入", "制度执行不严格", "全面从严治党方面", "监督执纪不到位"]
    assert window.current_item().row["id"] == ids[2]
    assert window.summary_label.text().startswith("4 个问题，3 条措施")
    row = _log_rows(window)[0]
    assert row[2:4] == ["删除非问题的标题", "2 个问题"]
    assert row[4] == "删除：加强组织领导；党的建设方面（连同措施 2 条）"

    window.actions["undo"].trigger()
    assert len(window.notice["problems"]) == 6
    window.actions["redo"].trigger()
    again = _reopen(qtbot, window, path)
    assert len(again.notice["problems"]) == 4
    again.actions["undo"].trigger()
    assert _titles(again)[:2] == ["加强组织领导", "党的建设方面"]
    assert again.notice["problems"][0]["measures"][0]["text"] == "成立整改工作领导小组。"
    again.close()


def test_structure_menu_and_enabled_actions(qtbot, tmp_path):
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("结构(&T)") == titles.index("帮助(&H)") - 1
    problem = window.notice["problems"][2]
    window.select_item("problem", problem["id"])
    assert window.actions["make_heading"].isEnabled() and not window.actions["split_runs"].isEnabled()
    window.select_item("measure", problem["measures"][0]["id"])
    assert window.actions["split_runs"].isEnabled() and not window.actions["make_heading"].isEnabled()
    window.close()
