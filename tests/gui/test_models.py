"""The three models: Qt's model tester, edits through setData, cheap in-place refresh, filters."""
from PySide6.QtCore import Qt

from core.store import Store
from gui.notice_list_model import NoticeListModel
from gui.problem_filter_proxy import ProblemFilterProxy
from gui.problem_model import COL_CHECKED, COL_MEASURE, COL_TITLE, COL_UNITS, ENTITY_ROLE, ROW_ROLE, ProblemModel
from tests.gui.notices import add_notice, make_extraction


def _store(tmp_path):
    return Store.open(tmp_path / "t.sqlite3")


def test_notice_list_model(qtmodeltester, tmp_path):
    store = _store(tmp_path)
    add_notice(store, tag="甲")
    add_notice(store, tag="乙", problems=4)
    model = NoticeListModel()
    model.set_rows(store.list_notices())
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(1, 0).data() == "中共乙区委关于巡察整改进展情况的通报"
    assert model.index(1, 3).data() == "4"
    assert model.index(1, 4).data() == "0/4"
    store.close()


def test_a_notice_without_a_title_line_is_named_after_its_issuer(tmp_path):
    store = _store(tmp_path)
    untitled = make_extraction(tag="丙")
    untitled["meta"]["title"] = None
    notice_id, _ = store.add_extraction(untitled)
    anonymous = make_extraction(tag="丁")
    anonymous["meta"].update(title=None, issuer=None)
    anonymous_id, _ = store.add_extraction(anonymous)
    model = NoticeListModel()
    model.set_rows(store.list_notices())
    assert model.index(0, 0).data() == "中共丙区委 2024-07-18"
    assert "原文没有标题行" in model.index(0, 0).data(Qt.ToolTipRole)
    assert model.index(1, 0).data() == f"通报 {anonymous_id}"
    assert store.get_notice(notice_id)["title"] is None          # the data keeps no title
    store.close()


def test_problem_model_tree(qtmodeltester, tmp_path):
    store = _store(tmp_path)
    notice_id = add_notice(store, problems=3, measures=2)
    model = ProblemModel(store)
    model.set_notice(store.get_notice(notice_id))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    first = model.index(0, 0)
    assert model.rowCount(first) == 2
    assert model.index(0, COL_TITLE).data() == "甲问题1学习研究不够深入"
    child = model.index(1, COL_MEASURE, first)
    assert child.data().startswith("二是甲单位")
    assert child.data(ENTITY_ROLE) == "measure"
    assert model.index(1, 0, first).data() == "1.2"
    assert model.index(0, 0).data(ROW_ROLE)["id"] == store.get_notice(notice_id)["problems"][0]["id"]
    store.close()


def test_set_data_reaches_store_and_refreshes_one_row(qtbot, tmp_path):
    store = _store(tmp_path)
    notice_id = add_notice(store)
    model = ProblemModel(store)
    model.set_notice(store.get_notice(notice_id))
    problem_id = model.problems()[1]["id"]
    with qtbot.waitSignal(model.changed) as changed:
        assert model.setData(model.index(1, COL_UNITS), "区纪委监委")
    assert changed.args[0]["row_id"] == problem_id
    assert store.get_notice(notice_id)["problems"][1]["units"] == "区纪委监委"
    log = store.edit_log(notice_id)
    assert (log[-1]["field"], log[-1]["new"]) == ("units", "区纪委监委")

    resets, changes = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda a, b: changes.append((a.row(), a.parent().isValid())))
    model.update_notice(store.get_notice(notice_id))
    assert resets == [] and changes == [(1, False)]   # only the edited row repaints
    assert model.index(1, COL_UNITS).data() == "区纪委监委"
    model.update_notice(store.get_notice(notice_id))
    assert changes == [(1, False)]                    # nothing new: nothing repainted
    assert model.setData(model.index(1, COL_CHECKED), Qt.Checked.value, Qt.CheckStateRole)
    model.update_notice(store.get_notice(notice_id))
    assert resets == [] and changes == [(1, False), (1, False)]
    assert model.index(1, COL_CHECKED).data(Qt.CheckStateRole) == Qt.Checked
    # an edited cell says what was extracted
    store.update_field("problem", problem_id, "title", "改过的标题")
    model.update_notice(store.get_notice(notice_id))
    assert "甲问题2学习研究不够深入" in model.index(1, COL_TITLE).data(Qt.ToolTipRole)
    store.close()


def test_filter_proxy(qtmodeltester, tmp_path):
    store = _store(tmp_path)
    notice_id = add_notice(store, problems=4)
    problems = store.get_notice(notice_id)["problems"]
    store.update_field("problem", problems[0]["id"], "status", "已完成")
    store.update_field("problem", problems[2]["id"], "deadline", "2020-01-01")
    store.set_checked("problem", problems[3]["id"], True)
    model = ProblemModel(store)
    model.set_notice(store.get_notice(notice_id))
    proxy = ProblemFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)

    def titles():
        return [proxy.index(r, COL_TITLE).data()[:4] for r in range(proxy.rowCount())]

    proxy.set_filters(status="已完成")
    assert titles() == ["甲问题1"]
    assert proxy.rowCount(proxy.index(0, 0)) == 2      # measures follow their problem
    proxy.set_filters(warning="红")
    assert titles() == ["甲问题3"]
    proxy.set_filters(checked=True)
    assert titles() == ["甲问题4"]
    proxy.set_filters(checked=False, status="推进中")
    assert titles() == ["甲问题2", "甲问题3"]
    proxy.set_filters()
    assert len(titles()) == 4
    qtmodeltester.check(proxy)
    store.close()
