"""An edit, undo, redo or 已核对 refreshes what it touched: no notice list read, no model reset,
no fitting of every column (which measured every cell of the tree: 0.25 s CPU per edit on a
60-problem notice). Counted calls, not timings."""
from PySide6.QtWidgets import QTreeView

from core.store import Store
from gui import notice_list_model
from gui.problem_model import COL_CATEGORY, COL_UNITS
from gui.problem_panel import CAPPED
from tests.gui.notices import add_notice, make_extraction, open_window


def _spy(window, monkeypatch) -> dict:
    calls = {"list_notices": 0, "count_notices": 0, "get_notice": 0, "fit_columns": 0,
             "resizeColumnToContents": 0, "cells measured": 0, "problem resets": 0, "list resets": 0}
    store = window.store

    def count(owner, name):
        original = getattr(owner, name)

        def counted(*args, **kwargs):
            calls[name if name != "_cell_width" else "cells measured"] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)

    for name in ("list_notices", "count_notices", "get_notice"):
        count(store, name)
    count(window.problem_panel, "fit_columns")
    count(window.problem_panel, "_cell_width")
    original_resize = QTreeView.resizeColumnToContents

    def resize(view, column):
        calls["resizeColumnToContents"] += 1
        return original_resize(view, column)

    monkeypatch.setattr(QTreeView, "resizeColumnToContents", resize)
    window.problem_panel.model.modelReset.connect(lambda: calls.__setitem__("problem resets", calls["problem resets"] + 1))
    window.notice_model.modelReset.connect(lambda: calls.__setitem__("list resets", calls["list resets"] + 1))
    return calls


def test_edit_undo_redo_and_check_refit_no_column_and_read_no_list(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        add_notice(store, tag="甲")
        notice_id, _ = store.add_extraction(make_extraction(problems=12, measures=4, tag="乙"))
    window = open_window(qtbot, path, notice_id)
    problem = window.notice["problems"][5]
    window.select_item("problem", problem["id"])
    calls = _spy(window, monkeypatch)
    c = window.corrections

    c.field_edited("problem", problem["id"], "leader", "张三")
    c.undo()
    c.redo()
    c.check_and_next()
    c.undo()
    measure = window.notice["problems"][7]["measures"][2]
    c.field_edited("measure", measure["id"], "status", "已完成")

    # six actions, each changing one problem row (a measure edit: the measure's row too), each
    # measured at most once per shown content column and level
    shown = len(window.problem_panel._free_content_columns())
    assert calls.pop("cells measured") <= 6 * 2 * shown
    assert calls == {"list_notices": 0, "count_notices": 0, "get_notice": 0, "fit_columns": 0,
                     "resizeColumnToContents": 0, "problem resets": 0, "list resets": 0}
    assert window.store.get_problem(problem["id"])["leader"] == "张三"


def test_a_notice_further_down_than_the_fetched_rows_is_not_read_whole_after_an_edit(
        qtbot, tmp_path, monkeypatch):
    """Its fresh review status comes from its summary row, fetched into the list or not."""
    monkeypatch.setattr(notice_list_model, "PAGE", 1)
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        add_notice(store, tag="甲")
        notice_id = add_notice(store, tag="乙")
    window = open_window(qtbot, path, notice_id)
    assert notice_id not in window.notice_model.ids()
    problem = window.notice["problems"][1]
    window.select_item("problem", problem["id"])
    calls = _spy(window, monkeypatch)
    window.corrections.field_edited("problem", problem["id"], "leader", "张三")
    assert window.notice["review_status"] == "审核中"
    window.corrections.check_and_next()
    window.corrections.undo()
    assert calls["get_notice"] == 0 and calls["fit_columns"] == 0 and calls["list_notices"] == 0
    assert window.notice["problems"][1]["leader"] == "张三" and not window.notice["problems"][1]["checked"]


def test_an_edit_widens_a_column_that_needs_it_and_shows_the_category_column(qtbot, tmp_path):
    extraction = make_extraction(problems=4, measures=2, tag="甲")
    for p in extraction["problems"]:
        p["category"] = None
        for m in p["measures"]:
            m["units"] = ["办"]
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        notice_id, _ = store.add_extraction(extraction)
    window = open_window(qtbot, path, notice_id)
    tree, header = window.tree, window.tree.header()
    assert tree.isColumnHidden(COL_CATEGORY)
    narrow = header.sectionSize(COL_UNITS)
    problem = window.notice["problems"][2]

    window.corrections.field_edited("problem", problem["id"], "units", "县纪委监委、县委组织部")
    assert narrow < header.sectionSize(COL_UNITS) <= CAPPED[COL_UNITS]

    window.corrections.field_edited("problem", problem["id"], "category", "全面从严治党方面")
    assert not tree.isColumnHidden(COL_CATEGORY)
    window.corrections.undo()
    assert tree.isColumnHidden(COL_CATEGORY)


def test_a_structural_change_fits_the_columns_once(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        notice_id = add_notice(store, tag="甲")
    window = open_window(qtbot, path, notice_id)
    calls = _spy(window, monkeypatch)
    problem = window.notice["problems"][0]
    window.corrections.call(window.store.add_measure, problem["id"], text="新增一条整改措施")
    assert calls["problem resets"] == 1 and calls["fit_columns"] == 1
    assert calls["resizeColumnToContents"] == 0 and calls["list_notices"] == 0


def test_fitting_measures_what_resize_to_contents_measures(qtbot, tmp_path):
    """The fit measures only the widest text of each column, yet gives Qt's own widths."""
    extraction = make_extraction(problems=6, measures=3, tag="甲")
    extraction["problems"][3]["measures"][1]["units"] = ["县发展和改革委员会"]
    extraction["problems"][4]["category"] = "一"
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        notice_id, _ = store.add_extraction(extraction)
    window = open_window(qtbot, path, notice_id)
    panel, header = window.problem_panel, window.tree.header()
    fitted = {c: header.sectionSize(c) for c in panel._free_content_columns()}
    panel._fitting = True    # Qt's own resize, not taken for the reviewer's
    for column, width in fitted.items():
        window.tree.resizeColumnToContents(column)
        assert width == min(header.sectionSize(column), CAPPED.get(column, width)), column
    panel._fitting = False


def test_checking_an_item_formats_no_span_of_the_original_text_again(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        notice_id = add_notice(store, tag="甲")
    window = open_window(qtbot, path, notice_id)
    problem = window.notice["problems"][1]
    window.select_item("problem", problem["id"])
    highlighter = window.source_view._highlighter
    calls = []
    original = highlighter.set_spans
    monkeypatch.setattr(highlighter, "set_spans", lambda spans: (calls.append(len(spans)), original(spans)))
    window.corrections.call(window.store.set_checked, "problem", problem["id"], True)
    assert calls == [] and window.notice["problems"][1]["checked"]
    window.corrections.field_edited("problem", problem["id"], "title", "新的标题")   # now marked as corrected
    assert len(calls) == 1
