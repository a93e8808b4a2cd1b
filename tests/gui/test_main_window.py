"""The review window on a real Store: selection both ways, edits, undo/redo, structure edits, restart."""
from pathlib import Path

from PySide6.QtCore import Qt

from core.store import Store
from gui.problem_model import COL_UNITS
from tests.gui.notices import add_notice, notices_db, open_window, select_text


def _db(tmp_path, **kwargs):
    path = tmp_path / "t.sqlite3"
    return path, notices_db(path, **kwargs)[0]


def test_selecting_a_row_highlights_its_span(qtbot, tmp_path):
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    measure = window.notice["problems"][1]["measures"][0]
    window.select_item("measure", measure["id"])
    assert window.source_view._selected == tuple(measure["span"])
    cursor = window.source_view.textCursor()     # scrolled to, the cursor at its start
    assert window.source_view.cursor_offset() == measure["span"][0]
    assert cursor.block().text()[cursor.positionInBlock():].startswith(measure["text"])
    assert window.editor_panel.text_edit.toPlainText() == measure["text"]


def test_clicking_in_the_text_selects_the_item(qtbot, tmp_path):
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    measure = window.notice["problems"][2]["measures"][1]
    view = window.source_view
    cursor = view.textCursor()
    cursor.setPosition(measure["span"][0] + 3)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    point = view.cursorRect().center()
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point)
    entity, row = window.current_item()
    assert (entity, row["id"]) == ("measure", measure["id"])
    # a click on a problem heading selects the problem
    problem = window.notice["problems"][0]
    cursor.setPosition(problem["title_span"][0] + 2)
    view.setTextCursor(cursor)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.cursorRect().center())
    assert window.current_item()[1]["id"] == problem["id"]


def test_inline_edit_reaches_database_and_log_then_undo_redo(qtbot, tmp_path):
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    problem = window.notice["problems"][0]
    window.select_item("problem", problem["id"])
    index = window.tree.currentIndex().siblingAtColumn(COL_UNITS)
    assert window.problem_panel.proxy.setData(index, "区委组织部")
    with Store.open(path) as other:
        assert other.get_notice(notice_id)["problems"][0]["units"] == "区委组织部"
        assert other.edit_log(notice_id)[-1]["new"] == "区委组织部"
    window.tabs.setCurrentWidget(window.edit_log_view)
    assert window.edit_log_view.topLevelItemCount() == 1
    assert "区委组织部" in window.edit_log_view.topLevelItem(0).text(4)
    assert window.notice_model.index(0, 5).data() == "审核中"
    # the editor panel edits a ledger field and the long text
    window.editor_panel.lines["leader"].setText("张三")
    window.editor_panel.lines["leader"].editingFinished.emit()
    assert window.notice["problems"][0]["leader"] == "张三"

    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key_Z, Qt.ControlModifier)   # the window-wide shortcut
    assert window.notice["problems"][0]["leader"] is None
    window.actions["undo"].trigger()
    assert window.notice["problems"][0]["units"] != "区委组织部"
    assert not window.actions["undo"].isEnabled()
    window.actions["redo"].trigger()
    window.actions["redo"].trigger()
    assert window.notice["problems"][0]["units"] == "区委组织部"
    assert window.notice["problems"][0]["leader"] == "张三"
    assert window.tree.currentIndex().data(Qt.UserRole + 1)["id"] == problem["id"]


def test_check_and_next_goes_to_lowest_confidence(qtbot, tmp_path):
    path, notice_id = _db(tmp_path, problems=3, measures=1, confidence=[0.9, 0.4, 0.7])
    window = open_window(qtbot, path)
    problems = window.notice["problems"]
    window.select_item("problem", problems[0]["id"])
    window.actions["check_next"].trigger()
    assert window.notice["problems"][0]["checked"]
    assert window.current_item()[1]["id"] == problems[1]["id"]        # confidence 0.4
    window.actions["check_next"].trigger()
    assert window.current_item()[1]["id"] == problems[1]["measures"][0]["id"]
    window.actions["check_next"].trigger()
    assert window.current_item()[1]["id"] == problems[2]["id"]        # confidence 0.7


def test_create_from_selection_and_reanchor(qtbot, tmp_path):
    path, notice_id = _db(tmp_path, problems=2, measures=2)
    window = open_window(qtbot, path)
    text = window.notice["text"]
    tail = text.index("中共甲区委\n2024")
    select_text(window.source_view, tail, tail + 5)
    assert window.actions["as_problem"].isEnabled()
    window.actions["as_problem"].trigger()
    problems = window.notice["problems"]
    assert [p["title"] for p in problems][-1] == "中共甲区委"
    assert problems[-1]["span"] == [tail, tail + 5]
    assert window.current_item()[1]["id"] == problems[-1]["id"]

    # 添加为措施: the selection lies inside problem 1, so it becomes its measure in text order
    first = problems[0]
    m2 = first["measures"][1]
    start = m2["span"][0] + 2
    select_text(window.source_view, start, start + 6)
    window.actions["as_measure"].trigger()
    measures = window.notice["problems"][0]["measures"]
    assert [m["text"] for m in measures] == [first["measures"][0]["text"], m2["text"], text[start:start + 6]]
    assert measures[2]["span"] == [start, start + 6]

    # 重新定位: the current (new) measure now points at other words and takes them
    other = first["measures"][0]["span"]
    select_text(window.source_view, other[0], other[0] + 4)
    window.actions["reanchor"].trigger()
    new = window.notice["problems"][0]["measures"][2]
    assert new["span"] == [other[0], other[0] + 4] and new["text"] == text[other[0]:other[0] + 4]
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    assert len(window.notice["problems"]) == 2
    assert len(window.notice["problems"][0]["measures"]) == 2


def test_split_merge_move_delete(qtbot, tmp_path):
    path, notice_id = _db(tmp_path, problems=2, measures=2)
    window = open_window(qtbot, path)
    original = [m["text"] for m in window.notice["problems"][0]["measures"]]
    measure = window.notice["problems"][0]["measures"][0]
    window.select_item("measure", measure["id"])
    editor = window.editor_panel.text_edit
    cursor = editor.textCursor()
    cursor.setPosition(5)
    editor.setTextCursor(cursor)
    editor.setFocus()
    window.actions["split"].trigger()
    texts = [m["text"] for m in window.notice["problems"][0]["measures"]]
    assert texts[:2] == [measure["text"][:5], measure["text"][5:]]
    assert window.current_item()[1]["text"] == measure["text"][5:]     # the new measure

    # split in the original text at the cursor
    second = window.notice["problems"][0]["measures"][2]
    window.select_item("measure", second["id"])
    view = window.source_view
    view.setFocus()
    c = view.textCursor()
    c.setPosition(second["span"][0] + 3)
    view.setTextCursor(c)
    window.actions["split"].trigger()
    assert len(window.notice["problems"][0]["measures"]) == 4

    window.select_item("measure", measure["id"])
    window.actions["merge"].trigger()
    measures = window.notice["problems"][0]["measures"]
    assert measures[0]["text"] == measure["text"] and len(measures) == 3

    window.actions["move_down"].trigger()
    assert window.notice["problems"][0]["measures"][1]["id"] == measure["id"]
    assert window.current_item()[1]["id"] == measure["id"]
    window.actions["delete"].trigger()
    assert measure["id"] not in [m["id"] for m in window.notice["problems"][0]["measures"]]

    problem = window.notice["problems"][0]
    window.select_item("problem", problem["id"])
    window.actions["merge"].trigger()
    assert len(window.notice["problems"]) == 1
    for _ in range(6):
        window.actions["undo"].trigger()
    restored = window.notice["problems"][0]["measures"]
    assert [m["text"] for m in restored] == original
    with Store.open(path) as store:     # the database agrees with the window
        assert [m["text"] for m in store.get_notice(notice_id)["problems"][0]["measures"]] == original


def test_revert_field_and_item(qtbot, tmp_path):
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    problem = window.notice["problems"][0]
    window.select_item("problem", problem["id"])
    index = window.tree.currentIndex().siblingAtColumn(COL_UNITS)
    window.problem_panel.proxy.setData(index, "某单位")
    window.tree.setCurrentIndex(index)
    window.actions["revert_field"].trigger()
    assert window.notice["problems"][0]["units"] == problem["units"]
    window.editor_panel.text_edit.selectAll()
    window.editor_panel.text_edit.insertPlainText("新的标题")     # as if typed
    window.editor_panel.commit_text()
    assert window.notice["problems"][0]["title"] == "新的标题"
    assert "title" in window.notice["problems"][0]["edited_fields"]
    window.actions["revert_item"].trigger()
    assert window.notice["problems"][0]["title"] == problem["title"]


def test_restart_shows_everything_as_it_was(qtbot, tmp_path):
    path, notice_id = _db(tmp_path)
    with Store.open(path) as store:
        second = add_notice(store, tag="乙")
    window = open_window(qtbot, path)
    window.show_notice(second)
    problem = window.notice["problems"][1]
    window.select_item("problem", problem["id"])
    window.problem_panel.proxy.setData(window.tree.currentIndex().siblingAtColumn(COL_UNITS), "区审计局")
    window.actions["check_next"].trigger()
    window.meta_panel.edits["issuer"].setText("中共乙区委办公室")
    window.meta_panel.edits["issuer"].editingFinished.emit()
    window.resize(780, 560)          # fits the offscreen screen, so restoring does not clamp it
    window.main_splitter.setSizes([150, 400, 200])
    sizes = window.main_splitter.sizes()
    window.close()

    again = open_window(qtbot, path)
    assert again.notice["id"] == second                        # the last notice
    assert again.notice["issuer"] == "中共乙区委办公室"
    assert again.meta_panel.edits["issuer"].text() == "中共乙区委办公室"
    assert again.notice["problems"][1]["units"] == "区审计局"
    assert again.notice["problems"][1]["checked"]
    again.tabs.setCurrentWidget(again.edit_log_view)
    assert again.edit_log_view.topLevelItemCount() == 3
    assert again.main_splitter.sizes() == sizes
    again.actions["undo"].trigger()                             # undo works across restarts
    assert again.notice["issuer"] == "中共乙区委"
    again.close()


def test_attached_evidence_is_copied_and_opens_from_the_program(qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    problem = window.notice["problems"][0]
    window.select_item("problem", problem["id"])
    original = tmp_path / "会议纪要.txt"
    original.write_text("佐证", encoding="utf-8")
    window.editor_panel.evidence_add_requested.emit(problem["id"], str(original))
    panel = window.editor_panel
    assert panel.evidence_list.count() == 1 and panel.evidence_list.item(0).text() == "会议纪要.txt"
    panel.evidence_list.setCurrentRow(0)
    assert panel.evidence_open.isEnabled()
    panel.evidence_open.click()
    [copy] = opened
    assert copy != str(original) and Path(copy).read_text(encoding="utf-8") == "佐证"


def test_enter_opens_the_inline_editor_and_enter_commits_it(qtbot, tmp_path):
    """The keyboard path of every correction in the tree: Enter opens the cell's editor, typing
    replaces the value, Enter writes it to the database and the edit log."""
    from PySide6.QtWidgets import QApplication, QLineEdit

    path, notice_id = _db(tmp_path)
    window = open_window(qtbot, path)
    problem = window.notice["problems"][0]
    window.select_item("problem", problem["id"])
    tree = window.tree
    tree.setCurrentIndex(tree.currentIndex().siblingAtColumn(COL_UNITS))
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and tree.isAncestorOf(editor)
    editor.selectAll()
    editor.insert("区委宣传部")        # as an input method types it (QTest sends ASCII keys only)
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: window.notice["problems"][0]["units"] == "区委宣传部")
    assert tree.hasFocus()                                   # back in the tree, ready for the next key
    with Store.open(path) as store:
        assert store.get_notice(notice_id)["problems"][0]["units"] == "区委宣传部"
        [entry] = [e for e in store.edit_log(notice_id) if e["field"] == "units"]
        assert entry["new"] == "区委宣传部"
