"""Regression tests for the window defects of issue 10, one or more per item (numbered as there)."""
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from core.store import Store
from gui.problem_model import COL_SEQ
from tests.gui.notices import add_notice, notices_db, open_window, select_text


def _db(tmp_path, tags=("甲",), **kwargs):
    path = tmp_path / "t.sqlite3"
    return path, notices_db(path, tags, **kwargs)


def _current(window):
    found = window.current_item()
    return (found.entity, found.row["id"]) if found else None


# --- 0. Ctrl+Enter and 完成审核 with a problem made by hand -----------------------------------
def test_check_round_and_finish_review_with_a_hand_made_problem(qtbot, tmp_path):
    path, _ids = _db(tmp_path, problems=2, measures=1, confidence=[0.9, 0.4])
    window = open_window(qtbot, path)
    text = window.notice["text"]
    tail = text.index("中共甲区委\n2024")
    select_text(window.source_view, tail, tail + 5)
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


# --- 1. the 原文 highlight goes with the item it marked ------------------------------------
def test_switching_notices_after_a_selection_leaves_no_highlight(qtbot, tmp_path):
    path, (first, second) = _db(tmp_path, tags=("甲", "乙"))
    window = open_window(qtbot, path, first)
    measure = window.notice["problems"][1]["measures"][0]
    window.select_item("measure", measure["id"])
    select_text(window.source_view, 3, 9)
    assert window.source_view._selected == tuple(measure["span"])
    window.show_notice(second)
    assert window.source_view._selected is None
    assert not window.source_view.textCursor().hasSelection()
    window.show_notice(first)                   # the same text again (a second paste)
    assert window.source_view._selected is None


def test_undoing_an_add_and_reextracting_clear_the_highlight(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    path, _ids = _db(tmp_path)
    window = open_window(qtbot, path)
    text = window.notice["text"]
    tail = text.index("中共甲区委\n2024")
    select_text(window.source_view, tail, tail + 5)
    window.actions["as_problem"].trigger()
    assert window.source_view._selected == (tail, tail + 5)
    window.actions["undo"].trigger()
    assert window.source_view._selected != (tail, tail + 5)
    window.select_item("problem", window.notice["problems"][0]["id"])
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.Yes)
    window.actions["reextract"].trigger()
    assert window.source_view._selected is None


# --- 2. the 编辑 panel follows undo/redo and deletes --------------------------------------------
def test_editor_follows_undo_and_redo_of_a_field_edit_and_a_reanchor(qtbot, tmp_path):
    path, _ids = _db(tmp_path)
    window = open_window(qtbot, path)
    problem = window.notice["problems"][0]
    window.select_item("problem", problem["id"])
    window.corrections.field_edited("problem", problem["id"], "units", "区委办")
    assert window.editor_panel.lines["units"].text() == "区委办"
    window.actions["undo"].trigger()
    assert window.editor_panel.lines["units"].text() == (problem.get("units") or "")
    window.actions["redo"].trigger()
    assert window.editor_panel.lines["units"].text() == "区委办"

    measure = problem["measures"][0]
    window.select_item("measure", measure["id"])
    start = measure["span"][0]
    select_text(window.source_view, start, start + 4)
    window.actions["reanchor"].trigger()
    assert window.editor_panel.text_edit.toPlainText() == window.notice["text"][start:start + 4]
    window.actions["undo"].trigger()
    assert window.editor_panel.text_edit.toPlainText() == measure["text"]
    assert window.source_view._selected == tuple(measure["span"])
    window.actions["redo"].trigger()
    assert window.source_view._selected == (start, start + 4)


def test_after_delete_a_neighbour_is_selected_and_the_editor_shows_it(qtbot, tmp_path):
    path, _ids = _db(tmp_path, problems=2, measures=3)
    window = open_window(qtbot, path)
    measures = window.notice["problems"][0]["measures"]
    window.select_item("measure", measures[1]["id"])
    window.actions["delete"].trigger()
    assert _current(window) == ("measure", measures[2]["id"])        # took the deleted one's place
    assert window.editor_panel.text_edit.toPlainText() == measures[2]["text"]
    window.actions["undo"].trigger()
    assert _current(window) == ("measure", measures[1]["id"])
    window.actions["redo"].trigger()
    assert _current(window) is not None and window.editor_panel.isEnabled()
    last = window.notice["problems"][-1]["measures"][-1]
    window.select_item("measure", last["id"])
    window.actions["delete"].trigger()                               # the last one: the one before
    assert _current(window) == ("measure", window.notice["problems"][-1]["measures"][-1]["id"])


def test_an_empty_editor_shows_nothing_of_the_previous_item(qtbot):
    from gui.editor_panel import EditorPanel

    panel = EditorPanel()
    qtbot.addWidget(panel)
    panel.set_item("problem", {"id": 1, "seq": 1, "title": "题", "status": "已完成", "units": "甲局",
                               "measures": [], "evidence": []})
    panel.set_item(None, None)
    assert panel.status_combo.currentText() == "" and panel.lines["units"].text() == ""


def test_undo_of_a_move_keeps_the_moved_item_selected(qtbot, tmp_path):
    path, _ids = _db(tmp_path, problems=1, measures=3)
    window = open_window(qtbot, path)
    moved = window.notice["problems"][0]["measures"][0]
    window.select_item("measure", moved["id"])
    window.actions["move_down"].trigger()
    assert _current(window) == ("measure", moved["id"])
    window.actions["undo"].trigger()
    assert window.notice["problems"][0]["measures"][0]["id"] == moved["id"]
    assert _current(window) == ("measure", moved["id"])
    window.actions["redo"].trigger()
    assert _current(window) == ("measure", moved["id"])


# --- 13. an edit keeps 原文 where it was, also with non-breaking spaces --------------------------
def test_an_edit_does_not_scroll_the_text_with_non_breaking_spaces(qtbot, tmp_path):
    from tests.gui.notices import make_extraction

    extraction = make_extraction(problems=12, measures=3)
    extraction["text"] = extraction["text"].replace("整改情况：", "整改情况\u00a0")   # same length
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        store.add_extraction(extraction)
    window = open_window(qtbot, path)
    window.resize(1000, 500)
    problem = window.notice["problems"][-1]
    window.select_item("problem", problem["id"])
    bar = window.source_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0)
    before = bar.value()
    window.corrections.field_edited("problem", problem["id"], "units", "区委办")
    assert bar.value() == before


# --- 3. Ctrl+E exports from a text field too -----------------------------------------------
def test_ctrl_e_exports_while_typing_in_a_text_field(qtbot, tmp_path, monkeypatch):
    import gui.export_dialog

    path, _ids = _db(tmp_path)
    window = open_window(qtbot, path)
    calls = []
    monkeypatch.setattr(gui.export_dialog, "run_export_dialog", lambda *args: calls.append(args))
    window.select_item("problem", window.notice["problems"][0]["id"])
    for field in (window.notice_panel.filter, window.editor_panel.lines["units"]):
        window.tabs.setCurrentIndex(0)
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        qtbot.keyClick(field, Qt.Key_E, Qt.ControlModifier)
    assert len(calls) == 2
    window.tabs.setCurrentWidget(window.meta_panel)
    line = next(w for w in window.meta_panel.findChildren(QLineEdit) if w.isVisible())
    line.setFocus()
    qtbot.waitUntil(line.hasFocus)
    qtbot.keyClick(line, Qt.Key_E, Qt.ControlModifier)
    assert len(calls) == 3


class _X11LineEdit(QLineEdit):
    """A line edit that claims Ctrl+E as X11's key bindings make QLineEdit do (end of line);
    the offscreen platform's bindings do not, so the test brings its own."""

    def event(self, event):
        if event.type() == event.Type.ShortcutOverride and event.key() == Qt.Key_E:
            event.accept()
            return True
        return super().event(event)


def test_ctrl_e_wins_over_a_text_field_that_claims_it(qtbot, tmp_path, monkeypatch):
    import gui.export_dialog

    path, _ids = _db(tmp_path)
    window = open_window(qtbot, path)
    calls = []
    monkeypatch.setattr(gui.export_dialog, "run_export_dialog", lambda *args: calls.append(args))
    field = _X11LineEdit()
    window.notice_panel.layout().addWidget(field)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key_E, Qt.ControlModifier)
    assert len(calls) == 1


# --- 16. after an export: open the file or its folder -------------------------------------
def test_after_an_export_the_file_and_its_folder_can_be_opened(qtbot, tmp_path, monkeypatch):
    import gui.export_dialog
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox, QPushButton

    path, _ids = _db(tmp_path)
    window = open_window(qtbot, path)
    target = tmp_path / "out" / "台账.xlsx"
    monkeypatch.setattr(gui.export_dialog, "run_export_dialog", lambda *args: target)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window.actions["export"].trigger()
    [box] = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert str(target) in box.text()
    box.findChild(QPushButton, "openFolder").click()
    assert opened == [str(target.parent)]
    window.actions["export"].trigger()
    box = [b for b in window.findChildren(QMessageBox) if b.isVisible()][-1]
    box.findChild(QPushButton, "openFile").click()
    assert opened[-1] == str(target)


# --- 4. file dialogs: Chinese, readable, starting where the reviewer was -----------------------
def test_file_dialog_is_chinese_with_room_for_types_and_remembers_the_folder(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QDateTime, QLocale, QStandardPaths
    from PySide6.QtWidgets import QApplication, QFileDialog, QHeaderView, QLabel, QTreeView

    from gui import app as gui_app
    from gui import file_dialogs
    from gui.settings import Settings

    app = QApplication.instance()
    translator = gui_app.install_qt_translations(app)
    before = QLocale()
    assert gui_app._c_locale({}) and gui_app._c_locale({"LANG": "C.UTF-8"})
    assert not gui_app._c_locale({"LANG": "zh_CN.UTF-8"}) and not gui_app._c_locale({"LC_TIME": "en_GB.UTF-8"})
    try:
        gui_app._application([])
        assert QLocale().name() == "zh_CN"
        assert QLocale().toString(QDateTime.fromString("2026-12-01T04:03", "yyyy-MM-ddTHH:mm"),
                                  QLocale.FormatType.ShortFormat) == "2026/12/1 04:03"
        settings = Settings(tmp_path / "window.ini")
        dialog = file_dialogs.make_dialog(None, settings, "打开通报文件")
        qtbot.addWidget(dialog)
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        assert dialog.directory().absolutePath() in (documents, str(tmp_path.home()))
        texts = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
        plain = {name: re.sub(r"\(&\w\)", "", text) for name, text in texts.items()}  # Qt 6.7 has no (&L)
        assert plain["lookInLabel"] == "查找范围：" and plain["fileTypeLabel"] == "文件类型："
        assert plain["fileNameLabel"] == "文件名："
        english = [t for t in texts.values()
                   if any("a" <= ch.lower() <= "z" for ch in re.sub(r"\(&\w\)", "", t))]
        assert not english, english
        view = dialog.findChild(QTreeView, "treeView")
        header = view.header()
        folder_type = view.model().index(str(tmp_path), 0)
        assert view.model().type(folder_type) == "文件夹"
        assert header.sectionSize(2) >= 160 and header.sectionResizeMode(2) == QHeaderView.ResizeMode.Interactive

        folder = tmp_path / "通报"
        folder.mkdir()
        notice = folder / "甲.txt"
        notice.write_text("通报", encoding="utf-8")

        def accept(self):
            self.selectFile(str(notice))
            return QFileDialog.DialogCode.Accepted

        monkeypatch.setattr(QFileDialog, "exec", accept)
        assert file_dialogs.open_notice_files(None, settings) == [str(notice)]
        assert settings.last_folder == str(folder)
        again = file_dialogs.make_dialog(None, settings, "打开通报文件")
        qtbot.addWidget(again)
        assert again.directory().absolutePath() == str(folder)
    finally:
        app.removeTranslator(translator)
        app.removeTranslator(translator.missing)
        QLocale.setDefault(before)


# --- 8. 首选项: 审核人, the database's folder, the default export profile ------------------------
def test_preferences_set_the_reviewer_the_profile_and_the_folder(qtbot, tmp_path, monkeypatch):
    from gui.preferences_dialog import PreferencesDialog

    path, (notice_id,) = _db(tmp_path)
    window = open_window(qtbot, path)
    elsewhere = tmp_path / "另一个文件夹"
    elsewhere.mkdir()

    def fill_in(dialog):
        assert dialog.folder.text() == str(path.parent)
        dialog.reviewer.setText("张三")
        dialog.profile.setCurrentIndex(dialog.profile.findData("工作版"))
        dialog.folder.setText(str(elsewhere))
        dialog.accept()
        return PreferencesDialog.DialogCode.Accepted

    monkeypatch.setattr(PreferencesDialog, "exec", fill_in)
    assert window.actions["preferences"].isEnabled()
    window.actions["preferences"].trigger()
    settings = window.settings
    assert (settings.reviewer, settings.export_profile, settings.data_folder) == ("张三", "工作版", str(elsewhere))
    problem = window.notice["problems"][0]
    window.corrections.field_edited("problem", problem["id"], "units", "区委办")
    assert window.store.edit_log(notice_id)[-1]["reviewer"] == "张三"

    from PySide6.QtCore import QSettings    # the key the export dialog reads
    assert QSettings(settings._qs.fileName(), QSettings.Format.IniFormat).value("export/profile") == "工作版"


def test_the_folder_of_the_preferences_holds_the_database_from_the_next_start(tmp_path, monkeypatch):
    from core.paths import DB_FILENAME
    from gui.app import database_path
    from gui.settings import Settings

    settings = Settings(tmp_path / "window.ini")
    assert database_path(None, settings).name == DB_FILENAME      # the data folder
    settings.data_folder = str(tmp_path / "台账")
    assert database_path(None, settings) == tmp_path / "台账" / DB_FILENAME
    assert database_path(str(tmp_path / "x.sqlite3"), settings) == tmp_path / "x.sqlite3"   # --db wins
    monkeypatch.setenv("ZGTZ_DB", str(tmp_path / "env.sqlite3"))
    assert database_path(None, settings) == tmp_path / "env.sqlite3"


# --- 15. columns fit the panel, empty 类别 hidden, the reviewer's widths kept -------------------
def test_columns_fit_a_1280_by_720_window_and_keep_the_reviewers_widths(qtbot, tmp_path):
    from tests.gui.notices import make_extraction

    extraction = make_extraction(problems=3, measures=2)
    for problem in extraction["problems"]:
        problem["category"] = None
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        store.add_extraction(extraction)
        add_notice(store, tag="乙")
    window = open_window(qtbot, path, 1)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    panel = window.problem_panel
    panel.fit_columns()
    tree = window.tree
    assert tree.isColumnHidden(1)                                  # no 类别 in this notice
    assert not tree.horizontalScrollBar().isVisible() or tree.horizontalScrollBar().maximum() == 0
    metrics = tree.fontMetrics()
    deadline = tree.header().sectionSize(5)
    assert deadline >= metrics.horizontalAdvance("2024-06-30")       # 整改时限 not cut
    assert tree.header().sectionSize(2) >= metrics.horizontalAdvance("甲问题1学习研究不够")
    assert window.problem_panel.checked_filter.itemText(0) == "全部核对状态"

    tree.header().resizeSection(3, 333)                            # the reviewer widens 整改措施
    window.show_notice(2)
    assert not tree.isColumnHidden(1)                              # this notice has categories
    assert tree.header().sectionSize(3) == 333
    window.close()
    again = open_window(qtbot, path, 1)
    assert again.tree.header().sectionSize(3) == 333               # remembered with the window


# --- 5. a file that is the sample notice is said to be ------------------------------------
def test_importing_the_sample_again_says_it_is_the_sample(qtbot, tmp_path):
    import shutil

    from core.paths import sample_notice_path

    window = open_window(qtbot, tmp_path / "t.sqlite3")
    window.runner.sample()
    qtbot.waitUntil(lambda: window.notice is not None and not window.workers, timeout=30000)
    copy = tmp_path / "通报003.txt"
    shutil.copy(sample_notice_path(), copy)
    window.start_import([str(copy)])
    qtbot.waitUntil(lambda: not window.workers, timeout=30000)
    message = window.statusBar().currentMessage()
    assert "通报003.txt 就是启动时载入的示例通报" in message and "已导入过" not in message


# --- 14 (its 操作 column): the column fits its longest entry ---------------------------------
def test_the_edit_log_action_column_is_not_cut(qtbot, tmp_path):
    path, (notice_id,) = _db(tmp_path)
    window = open_window(qtbot, path)
    problem = window.notice["problems"][0]
    window.select_item("problem", problem["id"])
    window.corrections.field_edited("problem", problem["id"], "title", "新的标题文字")
    window.actions["revert_item"].trigger()
    window.corrections.call(window.store.drop_problems, [window.notice["problems"][-1]["id"]])   # 删除非问题的标题
    window.tabs.setCurrentWidget(window.edit_log_view)
    view = window.edit_log_view
    texts = [view.topLevelItem(i).text(2) for i in range(view.topLevelItemCount())]
    assert texts
    metrics = view.fontMetrics()
    assert "删除非问题的标题" in texts
    assert view.header().sectionSize(2) >= max(metrics.horizontalAdvance(t) for t in texts)


# --- 12. 恢复提取结果 on a split measure takes its split-off part back ----------------------------
def test_reverting_the_first_half_of_a_split_measure_does_not_say_it_twice(qtbot, tmp_path):
    path, _ids = _db(tmp_path, problems=1, measures=2)
    window = open_window(qtbot, path)
    measure = window.notice["problems"][0]["measures"][0]
    window.select_item("measure", measure["id"])
    window.corrections.call(window.store.split_measure, measure["id"], 5)
    assert len(window.notice["problems"][0]["measures"]) == 3
    window.select_item("measure", measure["id"])
    window.actions["revert_item"].trigger()
    texts = [m["text"] for m in window.notice["problems"][0]["measures"]]
    assert texts[0] == measure["text"] and len(texts) == 2          # whole again, the tail gone
    assert "".join(texts).count(measure["text"][5:]) == 1
    window.actions["undo"].trigger()                                  # one step, undone as one
    assert [m["text"] for m in window.notice["problems"][0]["measures"]][:2] == [measure["text"][:5], measure["text"][5:]]


# --- 11. 重新提取 keeps the reviewer's moves and names each conflict -------------------------
def test_reextract_keeps_moves_and_lists_conflicts_by_item(qtbot, tmp_path, monkeypatch):
    import copy
    import sys
    import types

    from PySide6.QtWidgets import QMessageBox

    from core.extract import extract_file
    from tests.conftest import SAMPLE

    extraction = extract_file(SAMPLE)
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        store.add_extraction(extraction)
    window = open_window(qtbot, path)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.Yes)
    first = window.notice["problems"][0]
    window.select_item("problem", first["id"])
    window.actions["move_down"].trigger()
    window.actions["move_down"].trigger()                             # problem 1 is now the 3rd
    last = window.notice["problems"][4]["measures"][-1]
    window.select_item("measure", last["id"])
    window.actions["move_up"].trigger()
    third = window.notice["problems"][5]
    window.select_item("measure", third["measures"][1]["id"])
    window.actions["split_problem"].trigger()                         # a measure moved to a new problem
    order = [(p["id"], [m["id"] for m in p["measures"]]) for p in window.notice["problems"]]

    window.actions["reextract"].trigger()
    assert [(p["id"], [m["id"] for m in p["measures"]]) for p in window.notice["problems"]] == order
    box = [b for b in window.findChildren(QMessageBox) if b.isVisible()][-1]
    assert box.windowTitle() == "重新提取完成" and "人工修改与新的提取结果不同" not in box.text()
    box.close()

    # the extractor now reads problem 1 (the reviewer's 3rd) with another 类别, and the issuer
    # the reviewer corrected differently: each is named in the summary
    window.corrections.field_edited("notice", window.notice["id"], "issuer", "人工改的发布单位")
    new = copy.deepcopy(extraction)
    new["problems"][0]["category"] = "新的类别"
    new["meta"]["issuer"] = "另一个发布单位"
    module = types.ModuleType("core.extract")
    module.extract = lambda text, **kwargs: new
    monkeypatch.setitem(sys.modules, "core.extract", module)
    window.actions["reextract"].trigger()
    assert [(p["id"], [m["id"] for m in p["measures"]]) for p in window.notice["problems"]] == order
    box = [b for b in window.findChildren(QMessageBox) if b.isVisible()][-1]
    text = box.text()
    assert "以下 2 处人工修改与新的提取结果不同" in text
    assert f"问题 3“{first['title'][:20]}" in text and "类别提取为“新的类别”" in text
    assert "通报的“发布单位”：保留“人工改的发布单位”，新的提取结果为“另一个发布单位”" in text


# --- 5. the same notice as another file, or pasted: offered to keep one --------------------------
def _visible_box(window, name):
    from PySide6.QtWidgets import QMessageBox

    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible() and b.objectName() == name]
    return boxes[-1] if boxes else None


def test_the_same_notice_as_another_file_or_pasted_is_offered_to_keep_one(qtbot, tmp_path):
    from docx import Document
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QPushButton

    from gui.notice_list_model import COL_TITLE
    from tests.conftest import GENRE

    source = GENRE / "01_shenji_yusuan.txt"
    text = source.read_text(encoding="utf-8")
    copy = tmp_path / "审计整改公告.docx"
    doc = Document()
    for line in filter(None, (line.strip() for line in text.splitlines())):
        doc.add_paragraph(line)
    doc.save(copy)
    path = tmp_path / "t.sqlite3"
    Store.open(path).close()
    window = open_window(qtbot, path)
    window.start_import([str(source)])
    qtbot.waitUntil(lambda: not window.workers, timeout=30000)
    [first] = window.notice_model.ids()
    assert _visible_box(window, "duplicatesBox") is None            # nothing to offer yet
    tooltip = window.notice_model.index(0, COL_TITLE).data(Qt.ToolTipRole)
    assert f"来源文件：{source.name}" in tooltip

    window.start_import([str(copy)])                                 # the .docx of the same notice
    qtbot.waitUntil(lambda: not window.workers, timeout=30000)
    box = _visible_box(window, "duplicatesBox")
    assert box is not None and box.windowTitle() == "发现重复的通报"
    assert f"来源：{copy.name}" in box.text() and f"来源：{source.name}" in box.text()
    assert "是同一份通报" in box.text()
    second = window.notice_model.ids()[-1]
    assert "来源文件：审计整改公告.docx" in window.notice_model.index(1, COL_TITLE).data(Qt.ToolTipRole)
    box.findChild(QPushButton, "keepOld").click()
    assert window.notice_model.ids() == [first] and window.notice["id"] == first
    assert second not in window.store.notice_ids()

    window.corrections.field_edited("notice", first, "issuer", "人工改的发布单位")
    QGuiApplication.clipboard().setText(text.replace("\n", "\n\n"))   # pasted: other line breaks
    window.runner.paste()
    qtbot.waitUntil(lambda: not window.workers, timeout=30000)
    box = _visible_box(window, "duplicatesBox")
    assert box is not None and "从剪贴板粘贴" in box.text() and "1 处人工修改" in box.text()
    pasted = window.notice_model.ids()[-1]
    box.findChild(QPushButton, "keepNew").click()
    assert window.store.notice_ids() == [pasted] and window.notice["id"] == pasted


# --- 10. 核对进度: one count (checked problems of all problems), the same in the list and the window --
def test_progress_counts_problems_the_same_in_the_list_and_the_summary(qtbot, tmp_path):
    from gui.notice_list_model import COL_PROGRESS, COLUMNS

    path, (notice_id,) = _db(tmp_path, problems=2, measures=3)
    window = open_window(qtbot, path)

    def listed():
        return window.notice_model.index(window.notice_model.row_of(notice_id), COL_PROGRESS).data()

    assert COLUMNS[COL_PROGRESS] == "核对进度" and listed() == "0/2"
    first, second = window.notice["problems"]
    for measure in first["measures"]:                                  # measures do not count
        window.corrections.call(window.store.set_checked, "measure", measure["id"], True)
    assert listed() == "0/2" and "已核对问题 0/2" in window.summary_label.text()
    window.corrections.call(window.store.set_checked, "problem", first["id"], True)
    assert listed() == "1/2" and "已核对问题 1/2" in window.summary_label.text()
    window.select_item("problem", second["id"])
    for _ in range(4):                                                 # the problem and its 3 measures
        window.actions["check_next"].trigger()
    assert all(m["checked"] for p in window.notice["problems"] for m in p["measures"])
    # every item checked: 2 of 2 problems, not 2 of 8 items
    assert listed() == "2/2" and "已核对问题 2/2" in window.summary_label.text()


# --- 17. 发布日期: the contract's signature date, and the page's fuller date beside it -------------
def test_the_page_date_is_shown_beside_a_signature_date_that_stops_at_the_month(qtbot, tmp_path):
    from core.importer import import_text
    from tests.gui.notices import notice_text

    body = notice_text("甲").replace("2024年7月18日", "2025年4月")
    title, rest = body.split("\n", 1)
    web_copy = f"{title}\n时间:2025-04-29 18:39    来源:甲区纪检监察网\n{rest}"   # as seed 004 has it
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        month_only = import_text(store, web_copy)[0]
        full_date = import_text(store, notice_text("乙"))[0]
    window = open_window(qtbot, path, month_only)
    panel = window.meta_panel
    assert window.notice["published"] == "2025-04"           # the contract's field: the signature's date
    assert panel.edits["published"].text() == "2025-04"
    window.tabs.setCurrentWidget(panel)
    assert panel.page_day_label.isVisible() and "2025-04-29" in panel.page_day_label.text()
    assert "落款日期只写到月" in panel.page_day_label.text()
    window.show_notice(full_date)                              # a full signature date: nothing beside it
    assert window.notice["published"] == "2024-07-18" and not panel.page_day_label.isVisible()


def test_the_reextract_summary_says_what_could_not_be_kept():
    from gui.corrections import reextract_summary

    summary = {"updated": 0, "kept": 1, "added": 0, "removed": 0, "conflicts": 2, "details": [
        {"entity": "problem", "row_id": 7, "place": None, "title": "已删除的那一条", "deleted": True,
         "gone": True, "fields": [], "extracted": {}, "measures_changed": False, "kept": True},
        {"entity": "notice", "row_id": 1, "field": "layout", "kept": False}]}
    text = reextract_summary(summary)
    assert "以下 1 处人工修改与新的提取结果不同" in text
    assert "· 已删除的问题“已删除的那一条”：新的提取结果中已没有这一项" in text
    assert "未能保留：\n· 本通报的“调整层级”" in text and text.endswith("此操作不能撤销。")


def test_several_duplicates_of_one_import_are_offered_at_once(qtbot, tmp_path):
    import shutil

    from PySide6.QtWidgets import QPushButton

    from tests.conftest import GENRE

    source = GENRE / "02_ducha_diyixiang.txt"
    text = source.read_text(encoding="utf-8")
    folder = tmp_path / "再次收到"
    folder.mkdir()
    (folder / "副本一.txt").write_text(text.replace("\n", "\r\n"), encoding="gb18030")   # other bytes, same notice
    (folder / "副本二.txt").write_text("\n" + text.replace("，", ","), encoding="utf-8")
    shutil.copy(GENRE / "03_xuncha_guanyu_pcn.txt", folder / "另一份.txt")
    path = tmp_path / "t.sqlite3"
    Store.open(path).close()
    window = open_window(qtbot, path)
    window.start_import([str(source)])
    qtbot.waitUntil(lambda: not window.workers, timeout=30000)
    [first] = window.notice_model.ids()
    window.start_import([str(folder)])
    qtbot.waitUntil(lambda: not window.workers, timeout=30000)
    assert len(window.notice_model.ids()) == 4
    box = _visible_box(window, "duplicatesBox")
    assert "刚导入的 2 份通报与已有的通报是同一份" in box.text() and box.findChild(QPushButton, "keepNew") is None
    box.findChild(QPushButton, "keepOld").click()
    names = [window.store.get_notice(i)["source"]["name"] for i in window.notice_model.ids()]
    assert names == [source.name, "另一份.txt"] and window.notice["id"] == first
