"""The structural corrections through the window (gui/structure_actions.py, the 结构 menu):
调整层级, 设置类别/分组 for several selected problems, 按编号拆分措施, 设为类别标题 and back,
删除非问题的标题 — each one action on a real Store, shown in 修改记录, undone and redone with the
window's actions, and still there (and undoable) after the window is closed and opened again."""
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMenu, QMessageBox

from core.extract import extract
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


@pytest.mark.qt_log_ignore("does not support grabbing the keyboard")   # the offscreen popup menu
def test_set_category_for_all_selected_problems(qtbot, tmp_path, monkeypatch):
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    ids = [p["id"] for p in window.notice["problems"]]
    _click(qtbot, window, ids[2])
    _click(qtbot, window, ids[3], Qt.ControlModifier)
    _click(qtbot, window, ids[5], Qt.ControlModifier)
    assert [p["id"] for p in window.structure_actions.selected_problems()] == [ids[2], ids[3], ids[5]]
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
    assert len(window.structure_actions.selected_problems()) == 3
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
    assert [b.windowTitle() for b in boxes] == ["无法按编号拆分措施"] and "没有找到" in boxes[0].text()
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


HEAD = "中共某某县某某镇委员会关于县委巡察整改进展情况的通报\n\n根据县委统一部署，县委第一巡察组对镇党委开展了巡察，并反馈了意见。现将整改进展情况通报如下。\n\n"
TAIL = "\n中共某某县某某镇委员会\n2024年11月5日\n"
BLOCK = "整改任务：{t}\n整改目标：全面完成。\n整改完成情况：\n1、排查{n}处。\n2、建立机制。\n3、约谈负责人。\n\n"
BLOCKS = HEAD + "一、贯彻落实决策部署方面\n\n" + BLOCK.format(t="项目谋划储备不足", n=3) \
    + BLOCK.format(t="储备粮轮换不及时", n=4) + "特此公示。\n" + TAIL
FLAT = HEAD + "二、巡察反馈问题整改情况\n" \
    "（一）政治建设方面\n一是修订学习制度。二是开展研讨4次。\n" \
    "（二）学习不够深入的问题\n一是制定计划；二是开展专题学习；三是纳入考核。\n" \
    "（三）民主集中制执行不严格的问题\n修订议事规则；规范会议记录；建立督办台账。\n" + TAIL


def _window(qtbot, tmp_path, text):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        notice_id, _ = store.add_extraction(extract(text))
    return open_window(qtbot, path, notice_id), path, notice_id


def _trigger(window, text):
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "结构(&T)")
    next(a for a in menu.actions() if a.text() == text).trigger()


def _shown(window):
    return [(p["title"], len(p["measures"]), p["category"]) for p in window.notice["problems"]]


def _restart(qtbot, window, path, notice_id):
    window.close()
    return open_window(qtbot, path, notice_id)


def test_relevel_offers_the_other_readings_and_one_undo_brings_the_first_back(qtbot, tmp_path, monkeypatch):
    window, path, notice_id = _window(qtbot, tmp_path, BLOCKS)
    before = _shown(window)
    assert [t for t, _, _ in before] == ["项目谋划储备不足", "储备粮轮换不及时"]
    asked = []

    def get_item(parent, title, prompt, items, current, editable):
        asked.append((prompt, items))
        return next(i for i in items if i.startswith("按编号层级识别")), True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    _trigger(window, "调整层级…")
    [(prompt, items)] = asked
    assert "问题：项目谋划储备不足" in prompt and "措施：" in prompt   # the levels with an example each
    assert len(_shown(window)) == 6
    assert "重新识别" in window.statusBar().currentMessage() and "可撤销" in window.statusBar().currentMessage()
    window.corrections.undo()
    assert _shown(window) == before
    window = _restart(qtbot, window, path, notice_id)
    assert _shown(window) == before
    window.corrections.redo()
    assert len(_shown(window)) == 6
    window.corrections.undo()
    assert _shown(window) == before


NESTED = HEAD + "二、巡察反馈问题整改情况\n（一）政治建设方面\n1.学习不够深入\n一是制定计划；二是开展专题学习。\n" \
    "2.民主集中制执行不严格\n修订议事规则。\n（二）作风建设方面\n1.违规发放津贴\n清退资金3万元。\n" + TAIL


def test_make_heading_then_restore_then_undo(qtbot, tmp_path):
    result = extract(NESTED)
    # as an extractor that missed the level would give it: the 方面 heading read as a problem
    heading = {**result["problems"][0], "number": "（一）", "title": "政治建设方面", "category": None,
               "measures": result["problems"][1]["measures"][:1]}
    for p in result["problems"]:
        p["category"] = None
    result["problems"].insert(0, heading)
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        notice_id, _ = store.add_extraction(result)
    window = open_window(qtbot, path, notice_id)
    window.select_item("problem", window.notice["problems"][0]["id"])
    _trigger(window, "设为类别标题")
    assert _shown(window)[:2] == [("学习不够深入", 2, "政治建设方面"), ("民主集中制执行不严格", 1, "政治建设方面")]
    assert _shown(window)[2][2] is None
    assert window.store.edit_log(notice_id)[-1]["action"] == "make_heading"
    window.select_item("problem", window.notice["problems"][0]["id"])
    _trigger(window, "类别标题恢复为问题")
    assert [t for t, _, _ in _shown(window)][:2] == ["政治建设方面", "学习不够深入"]
    window.corrections.undo()   # the restore undone: the heading is a category again
    assert _shown(window)[0] == ("学习不够深入", 2, "政治建设方面")


def test_set_category_for_problems_selected_through_the_selection_model(qtbot, tmp_path, monkeypatch):
    window, path, notice_id = _window(qtbot, tmp_path, FLAT)
    panel = window.problem_panel
    ids = [p["id"] for p in window.notice["problems"]][1:]
    window.select_item("problem", ids[0])
    index = panel.proxy.mapFromSource(panel.model.index_of("problem", ids[1]))
    panel.tree.selectionModel().select(index, QItemSelectionModel.Select | QItemSelectionModel.Rows)
    assert [p["id"] for p in window.structure_actions.selected_problems()] == ids
    monkeypatch.setattr(structure_actions, "ask_value", lambda *a: "思想建设方面")
    _trigger(window, "设置类别…")
    assert [c for _, _, c in _shown(window)] == [None, "思想建设方面", "思想建设方面"]
    window = _restart(qtbot, window, path, notice_id)
    window.corrections.undo()   # one undo for both
    assert [c for _, _, c in _shown(window)] == [None, None, None]


def test_split_runs_of_an_extracted_measure_at_semicolons(qtbot, tmp_path):
    window, path, notice_id = _window(qtbot, tmp_path, FLAT)
    last = window.notice["problems"][-1]
    assert len(last["measures"]) == 1
    window.select_item("measure", last["measures"][0]["id"])
    _trigger(window, "按编号拆分措施")
    assert [m["text"] for m in window.notice["problems"][-1]["measures"]] == ["修订议事规则；", "规范会议记录；", "建立督办台账。"]
    window.corrections.undo()
    assert len(window.notice["problems"][-1]["measures"]) == 1
    window = _restart(qtbot, window, path, notice_id)
    window.corrections.redo()
    assert len(window.notice["problems"][-1]["measures"]) == 3


def test_the_level_choice_is_remembered_for_the_issuer_and_the_window_says_so(qtbot, tmp_path, monkeypatch):
    window, path, first = _window(qtbot, tmp_path, BLOCKS)
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda parent, title, prompt, items, current, editable:
                        (next(i for i in items if i.startswith("按编号层级识别")), True))
    _trigger(window, "调整层级…")
    assert "以后导入的编号相同的通报也将按此读法识别" in window.statusBar().currentMessage()
    chosen = [len(p["measures"]) for p in window.notice["problems"]]
    assert not window.hint_banner.isVisible()
    # the next notice of the same 发布单位, numbered the same way
    second_text = BLOCKS.replace("项目谋划储备不足", "农村道路养护不到位").replace("储备粮轮换不及时", "集体资产台账不全")
    second, _ = window.store.add_extraction(extract(second_text))
    window.refresh_notices()
    window.show_notice(second)
    assert [len(p["measures"]) for p in window.notice["problems"]] == chosen
    assert window.hint_banner.isVisible() and "按编号层级识别" in window.hint_banner.label.text()
    assert window.meta_panel.warnings.item(0).text() == window.hint_banner.label.text()
    window.show_notice(first)
    assert not window.hint_banner.isVisible()
    again = _restart(qtbot, window, path, second)
    assert again.hint_banner.isVisible()
    again.close()
