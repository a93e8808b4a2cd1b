"""The original text's highlights: styles per item, the selected item, corrected items, no leaks."""
import sys

from PySide6.QtGui import QColor

from core.store import Store
from gui.source_view import OffsetMap, SourceView, styles
from gui.problem_model import COL_UNITS
from tests.gui.notices import add_notice, open_window


def _background(view, offset: int) -> str | None:
    """The highlight colour drawn under the character at str ``offset`` (None: none)."""
    position = view._map.to_qt(offset)
    block = view.document().findBlock(position)
    for piece in block.layout().formats():
        if piece.start <= position - block.position() < piece.start + piece.length:
            brush = piece.format.background()
            return brush.color().name() if brush.style() else None
    return None


def _underlined(view, offset: int) -> bool:
    position = view._map.to_qt(offset)
    block = view.document().findBlock(position)
    return any(piece.start <= position - block.position() < piece.start + piece.length
               and piece.format.underlineColor() == QColor("#e8710a")
               for piece in block.layout().formats())


def _colour(style: str) -> str:
    return styles()[style].background().color().name()


def _window(qtbot, tmp_path, **kwargs):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        add_notice(store, **kwargs)
    return open_window(qtbot, path)


def test_items_are_tinted_and_the_selected_item_painted_strongly(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    view = window.source_view
    problem = window.notice["problems"][1]
    first, second = problem["measures"]
    assert _background(view, problem["title_span"][0]) == _colour("heading")
    assert _background(view, first["span"][0]) == _colour("tint1")
    assert _background(view, second["span"][1] - 1) == _colour("tint0")
    assert _background(view, first["span"][0] - 1) is None          # "整改情况：" is no item

    window.select_item("measure", second["id"])
    assert _background(view, second["span"][0]) == _colour("selected")
    assert _background(view, second["span"][1] - 1) == _colour("selected")
    assert _background(view, second["span"][1]) is None             # just after it
    assert _background(view, first["span"][0]) == _colour("tint1")
    window.select_item("measure", first["id"])
    assert _background(view, second["span"][0]) == _colour("tint0")  # the old selection is gone
    assert _background(view, first["span"][0]) == _colour("selected")
    window.select_item("problem", problem["id"])                       # its whole passage
    for offset in (problem["span"][0], problem["title_span"][0], second["span"][1] - 1):
        assert _background(view, offset) == _colour("selected")
    assert _background(view, problem["span"][1]) is None


def test_a_corrected_item_is_underlined_until_reverted(qtbot, tmp_path):
    window = _window(qtbot, tmp_path)
    view = window.source_view
    problem = window.notice["problems"][0]
    window.select_item("problem", problem["id"])
    assert not _underlined(view, problem["title_span"][0])
    window.problem_panel.proxy.setData(window.tree.currentIndex().siblingAtColumn(COL_UNITS), "区委办")
    assert _underlined(view, problem["title_span"][0])
    assert not _underlined(view, problem["measures"][0]["span"][0])
    window.actions["undo"].trigger()
    assert not _underlined(view, problem["title_span"][0])


def test_astral_characters_shift_document_positions():
    text = "a𠀀b𠀁c"
    offsets = OffsetMap(text)
    assert [offsets.to_qt(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert [offsets.to_py(offsets.to_qt(i)) for i in range(len(text) + 1)] == list(range(len(text) + 1))


def test_highlights_follow_astral_characters(qtbot):
    view = SourceView()
    qtbot.addWidget(view)
    text = "𠀀标题\n措施𠀁一\n"
    notice = {"text": text, "problems": [
        {"id": 1, "title_span": [1, 3], "edited_fields": [], "measures": [
            {"id": 2, "seq": 1, "span": [4, 8], "edited_fields": []}]}]}
    view.set_notice(notice)
    assert _background(view, 0) is None
    assert _background(view, 1) == _colour("heading")
    assert _background(view, 7) == _colour("tint1")
    assert view.item_at(6) == ("measure", 2)


def test_redraws_keep_every_reference_to_none(qtbot, tmp_path):
    """PySide6 6.12's setExtraSelections() dropped a reference to None per selection; CPython
    3.11 aborts once None's count reaches zero. Selection changes and redraws must not leak."""
    window = _window(qtbot, tmp_path, problems=4, measures=3)
    ids = [("problem", p["id"]) for p in window.notice["problems"]]
    ids += [("measure", m["id"]) for p in window.notice["problems"] for m in p["measures"]]
    view = window.source_view
    window.select_item(*ids[0])
    view.viewport().repaint()
    before = sys.getrefcount(None)
    for i in range(300):
        window.select_item(*ids[i % len(ids)])
        view.viewport().repaint()
    # None's count moves a little with whatever Python allocates; a leak loses thousands
    assert sys.getrefcount(None) >= before - 50

    # edits and undo: the store call, the in-place refresh and the repaint of tree and text
    problem = window.notice["problems"][1]
    window.select_item("problem", problem["id"])
    before = sys.getrefcount(None)
    for i in range(60):
        window.problem_panel.proxy.setData(window.tree.currentIndex().siblingAtColumn(COL_UNITS), f"单位{i}")
        window.actions["undo"].trigger()
        window.repaint()
    assert sys.getrefcount(None) >= before - 50


def test_text_ocr_was_unsure_of_is_underlined(qtbot):
    view = SourceView()
    qtbot.addWidget(view)
    text = "一、关于学习不够的问题\n整改措施：加强学习。"
    view.set_notice({"text": text, "problems": [], "uncertain": [[2, 6]]})

    def dotted(offset):
        position = view._map.to_qt(offset)
        block = view.document().findBlock(position)
        return any(piece.start <= position - block.position() < piece.start + piece.length
                   and piece.format.underlineColor() == QColor("#d93025")
                   for piece in block.layout().formats())

    assert [dotted(k) for k in (1, 2, 5, 6)] == [False, True, True, False]
    view.set_notice({"text": text, "problems": []})
    assert not dotted(2)
