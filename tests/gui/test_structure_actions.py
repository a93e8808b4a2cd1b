"""The 结构 menu (issue 12): 调整层级, 设为类别标题, 设置类别 for several problems, 拆分全部措施 — each
one action, undone by one 撤销, still undoable/redoable after the window is restarted."""
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QInputDialog, QMenu

from core.extract import extract
from core.store import Store
from tests.gui.notices import open_window

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
    window.store.close()
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


def test_set_category_for_several_selected_problems_in_one_action(qtbot, tmp_path, monkeypatch):
    window, path, notice_id = _window(qtbot, tmp_path, FLAT)
    panel = window.problem_panel
    ids = [p["id"] for p in window.notice["problems"]][1:]
    window.select_item("problem", ids[0])
    index = panel.proxy.mapFromSource(panel.model.index_of("problem", ids[1]))
    panel.tree.selectionModel().select(index, QItemSelectionModel.Select | QItemSelectionModel.Rows)
    assert [p["id"] for p in window.structure_actions.selected_problems()] == ids
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("思想建设方面", True))
    _trigger(window, "设置所选问题的类别…")
    assert [c for _, _, c in _shown(window)] == [None, "思想建设方面", "思想建设方面"]
    window = _restart(qtbot, window, path, notice_id)
    window.corrections.undo()   # one undo for both
    assert [c for _, _, c in _shown(window)] == [None, None, None]


def test_split_all_runs_of_a_measure_in_one_action(qtbot, tmp_path):
    window, path, notice_id = _window(qtbot, tmp_path, FLAT)
    last = window.notice["problems"][-1]
    assert len(last["measures"]) == 1
    window.select_item("measure", last["measures"][0]["id"])
    _trigger(window, "拆分全部措施")
    assert [m["text"] for m in window.notice["problems"][-1]["measures"]] == ["修订议事规则；", "规范会议记录；", "建立督办台账。"]
    window.corrections.undo()
    assert len(window.notice["problems"][-1]["measures"]) == 1
    window = _restart(qtbot, window, path, notice_id)
    window.corrections.redo()
    assert len(window.notice["problems"][-1]["measures"]) == 3
