"""The review window: notice list, problem tree, original text, editor, metadata and edit log.

Every correction is one store service call returning a Change; ``apply_change`` then refreshes
only what that notice's fresh record changed (rows in place unless the structure changed).
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMainWindow,
    QScrollArea, QSplitter, QTableView, QTabWidget, QTreeView, QVBoxLayout, QWidget,
)

from core.errors import ExpectedError
from gui import labels
from gui.edit_log_view import EditLogView
from gui.editor_panel import EditorPanel
from gui.hint_banner import HintBanner
from gui.meta_panel import MetaPanel
from gui.notice_list_model import COL_DATE as NOTICE_DATE
from gui.notice_list_model import COL_ISSUER as NOTICE_ISSUER
from gui.notice_list_model import ID_ROLE, NoticeListModel
from gui.notice_list_model import ROW_ROLE as NOTICE_ROW_ROLE
from gui.problem_filter_proxy import ANY, UNSET, ProblemFilterProxy
from gui.problem_model import COL_CHECKED, COL_TITLE, COLUMNS, FIELD_ROLE, ProblemModel
from gui.settings import Settings
from gui.source_view import SourceView
from gui.worker import Worker

log = logging.getLogger(__name__)

# store actions that change one problem, measure or evidence in place (no rows added, removed
# or moved): the window re-reads just the problem concerned
IN_PLACE_ACTIONS = {"update_field", "revert_field", "revert_item", "set_checked", "reanchor",
                    "add_evidence", "remove_evidence"}

SAMPLE_HINT = ("已载入示例通报：在中间的表格中逐条核对问题和整改措施，右侧原文标出了所选项的位置。"
               "双击单元格可修改，Ctrl+Enter 标记已核对并转到下一项。"
               "导入自己的通报：把文件拖进窗口，或用“文件 → 打开文件”。")

NOTICE_FILE_FILTER = "通报文件 (*.txt *.htm *.html *.docx *.pdf);;所有文件 (*)"


def reextract_summary(summary: dict) -> str:
    """What a re-extraction did, for the reviewer."""
    text = (f"更新 {summary['updated']} 个问题，保留人工修改过的 {summary['kept']} 个，"
            f"新增 {summary['added']} 个，移除 {summary['removed']} 个。")
    if summary["conflicts"]:
        text += f"\n其中 {summary['conflicts']} 处人工修改与新的提取结果不同，已保留人工修改，请核对。"
    return text + "\n此操作不能撤销。"


class MainWindow(QMainWindow):
    """``store`` may come later through ``attach_store`` (the window is shown before the
    database is opened, so it appears at once)."""

    def __init__(self, store=None, settings: Settings | None = None, parent=None):
        super().__init__(parent)
        self.store = None
        self.settings = settings or Settings()
        self.notice: dict | None = None
        self.workers: set[Worker] = set()
        # one worker at a time, in the order started: the first-run sample is in before the
        # files named on the command line, and writers never wait on each other's locks
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.progress_dialog = None    # the import's QProgressDialog while one runs
        self.find_bar = None           # built on first use (Ctrl+F)
        self._syncing = False
        self.setWindowTitle("整改台账助手")
        self.setAcceptDrops(True)
        self._build()
        self._build_actions()
        self._build_menus()
        self._connect()
        if not self.settings.restore_window(self, self._splitters(), self._headers()):
            self._fit_to_screen()
        if store is not None:
            self.attach_store(store)
        else:
            self._update_actions()

    def attach_store(self, store) -> None:
        self.store = store
        self.problem_model.set_store(store)
        self._update_actions()

    # ===== layout =========================================================================
    def _build(self) -> None:
        self.notice_model = NoticeListModel(self)
        self.problem_model = ProblemModel(parent=self)
        self.problem_proxy = ProblemFilterProxy(self)
        self.problem_proxy.setSourceModel(self.problem_model)

        self.notice_filter = QLineEdit()
        self.notice_filter.setPlaceholderText("筛选通报：标题、单位…")
        self.notice_filter.setClearButtonEnabled(True)
        self.notice_table = QTableView()
        self.notice_table.setModel(self.notice_model)
        self.notice_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.notice_table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.notice_table.verticalHeader().hide()
        self.notice_table.setWordWrap(False)
        notice_header = self.notice_table.horizontalHeader()
        notice_header.setSectionResizeMode(QHeaderView.ResizeToContents)
        notice_header.setSectionResizeMode(0, QHeaderView.Stretch)
        # the issuer and date are in the title's tooltip: a narrow panel keeps room for the title
        for column in (NOTICE_ISSUER, NOTICE_DATE):
            self.notice_table.setColumnHidden(column, True)
        notices = QWidget()
        box = QVBoxLayout(notices)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("通报"))
        box.addWidget(self.notice_filter)
        box.addWidget(self.notice_table)

        self.status_filter = QComboBox()
        self.status_filter.addItem("全部状态", ANY)
        for status in labels.STATUSES:
            self.status_filter.addItem(status, status)
        self.status_filter.addItem("未填状态", UNSET)
        self.warning_filter = QComboBox()
        self.warning_filter.addItem("全部预警", ANY)
        self.warning_filter.addItem("有预警", "any")
        for mark in ("红", "黄", "绿"):
            self.warning_filter.addItem(f"{mark}色预警", mark)
        self.checked_filter = QComboBox()
        self.checked_filter.addItem("全部", ANY)
        self.checked_filter.addItem("未核对", False)
        self.checked_filter.addItem("已核对", True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("问题与措施"))
        filters.addStretch(1)
        for combo in (self.status_filter, self.warning_filter, self.checked_filter):
            filters.addWidget(combo)
        self.tree = QTreeView()
        self.tree.setModel(self.problem_proxy)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.tree.setIndentation(14)
        header = self.tree.header()
        # all eight columns fit the middle panel of a 1600 px window
        for column, width in enumerate([64, 80, 195, 195, 100, 84, 56, 56]):
            header.resizeSection(column, width)
        problems = QWidget()
        box = QVBoxLayout(problems)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(filters)
        box.addWidget(self.tree)

        self.editor_panel = EditorPanel()
        self.meta_panel = MetaPanel()
        self.edit_log_view = EditLogView()
        self.tabs = QTabWidget()
        # scrolled, so the ledger form does not take height from the tree above
        editor_scroll = QScrollArea()
        editor_scroll.setWidget(self.editor_panel)
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QFrame.NoFrame)
        self.tabs.addTab(editor_scroll, "编辑")
        self.tabs.addTab(self.meta_panel, "通报信息")
        self.tabs.addTab(self.edit_log_view, "修改记录")

        self.source_view = SourceView()
        source = QWidget()
        self._source_box = box = QVBoxLayout(source)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("原文"))
        box.addWidget(self.source_view)

        self.middle_splitter = QSplitter(Qt.Vertical)
        self.middle_splitter.addWidget(problems)
        self.middle_splitter.addWidget(self.tabs)
        self.middle_splitter.setSizes([600, 360])
        self.main_splitter = QSplitter(Qt.Horizontal)
        self.main_splitter.addWidget(notices)
        self.main_splitter.addWidget(self.middle_splitter)
        self.main_splitter.addWidget(source)
        self.main_splitter.setSizes([300, 860, 440])
        self.hint_banner = HintBanner()
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(6, 6, 6, 0)
        box.addWidget(self.hint_banner)
        box.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)
        self.summary_label = QLabel()
        self.statusBar().addPermanentWidget(self.summary_label)
        self.resize(1600, 1000)

    def _fit_to_screen(self) -> None:
        """First start: the designed 1600×1000, maximized instead on a smaller screen (a laptop's
        1366×768 cut off the status bar and the original text)."""
        available = self.screen().availableGeometry()
        if self.width() > available.width() or self.height() > available.height():
            self.resize(self.size().boundedTo(available.size()))   # where maximizing is not honoured
            self.setWindowState(Qt.WindowMaximized)

    def _action(self, name: str, text: str, slot, shortcut=None, tip: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.actions[name] = action
        return action

    def _build_actions(self) -> None:
        self.actions: dict[str, QAction] = {}
        a = self._action
        a("open", "打开文件…", self.open_files, QKeySequence.Open, "导入一个或多个通报文件")
        a("import_folder", "导入文件夹…", self.import_folder, None, "导入文件夹中的全部通报")
        a("paste", "粘贴通报", self.paste_notice, "Ctrl+Shift+V", "把剪贴板中的通报全文作为新通报导入")
        a("export", "导出台账…", self.export_ledger, "Ctrl+E", "把通报导出为 Excel 台账")
        a("delete_notice", "删除通报…", self.delete_notice, None, "从台账中删除当前通报（不能撤销）")
        a("quit", "退出", self.close, QKeySequence.Quit)
        a("undo", "撤销", self.undo, QKeySequence.Undo)
        a("redo", "重做", self.redo, ["Ctrl+Shift+Z", "Ctrl+Y"])
        a("edit_cell", "编辑单元格", self.edit_current_cell, ["Return", "Enter"])
        a("check_next", "标记已核对并转到下一项", self.check_and_next, ["Ctrl+Return", "Ctrl+Enter"])
        a("add_problem", "新增问题", self.add_problem, "Ctrl+Shift+N")
        a("add_measure", "新增措施", self.add_measure, "Ctrl+N")
        a("delete", "删除所选项", self.delete_item, QKeySequence.Delete)
        a("split", "在光标处拆分措施", self.split_at_cursor, "Ctrl+Shift+S")
        a("split_problem", "从此措施起拆为新问题", self.split_problem)
        a("merge", "与下一项合并", self.merge_with_next, "Ctrl+Shift+M")
        a("move_up", "上移", lambda: self.move_item(-1), "Alt+Up")
        a("move_down", "下移", lambda: self.move_item(1), "Alt+Down")
        a("as_problem", "设为新问题", self.selection_as_problem, None, "把原文中选中的文字设为一个新问题")
        a("as_measure", "添加为措施", self.selection_as_measure, None, "把原文中选中的文字添加为当前问题的措施")
        a("reanchor", "重新定位到所选文字", self.reanchor_to_selection, None, "把当前项在原文中的位置改为选中的文字")
        a("revert_field", "恢复提取值", self.revert_field, None, "撤回对当前单元格的修改，恢复提取出的值")
        a("revert_item", "恢复提取结果", self.revert_item, None, "撤回对当前项的全部修改")
        a("find", "在本通报中查找", self.start_find, QKeySequence.Find)
        a("search_all", "在全部通报中搜索…", self.search_all, "Ctrl+Shift+F")
        a("reextract", "重新提取…", self.reextract, "F5", "用当前的提取程序重新识别本通报，保留人工修改")
        a("finish_review", "完成审核", self.finish_review, None, "把当前通报标为已审核")
        a("clear_filters", "显示全部问题", self.clear_filters)
        a("usage", "使用说明", lambda: self._help("show_usage"), QKeySequence.HelpContents)
        a("shortcuts", "快捷键", lambda: self._help("show_shortcuts"))
        a("about", "关于", lambda: self._help("show_about"))
        # Enter edits only while the tree has focus, so it never steals Enter from text boxes
        self.actions["edit_cell"].setShortcutContext(Qt.WidgetShortcut)
        self.tree.addAction(self.actions["edit_cell"])
        self.source_view.set_context_actions(
            [self.actions[n] for n in ("as_problem", "as_measure", "reanchor", "split")]
        )

    def _build_menus(self) -> None:
        menus = {
            "文件(&F)": ["open", "import_folder", "paste", None, "export", None, "quit"],
            "编辑(&E)": ["undo", "redo", None, "edit_cell", "check_next", None, "add_problem", "add_measure",
                       "delete", None, "split", "split_problem", "merge", "move_up", "move_down", None,
                       "as_problem", "as_measure", "reanchor", None, "revert_field", "revert_item"],
            "查找(&S)": ["find", "search_all", None, "clear_filters"],
            "通报(&N)": ["reextract", "finish_review", None, "delete_notice"],
            "帮助(&H)": ["usage", "shortcuts", None, "about"],
        }
        for title, names in menus.items():
            menu = self.menuBar().addMenu(title)
            for name in names:
                if name is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.actions[name])

    def _connect(self) -> None:
        self._filter_timer = QTimer(self, singleShot=True, interval=200)
        self._filter_timer.timeout.connect(self.refresh_notices)
        self.notice_filter.textChanged.connect(self._filter_timer.start)
        self.notice_table.selectionModel().currentRowChanged.connect(self._notice_row_changed)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        for combo in (self.status_filter, self.warning_filter, self.checked_filter):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.problem_model.changed.connect(self.apply_change)
        self.problem_model.failed.connect(lambda message: self.show_message("无法修改", message))
        self.source_view.position_clicked.connect(self._source_clicked)
        self.source_view.selectionChanged.connect(self._update_actions)
        self.editor_panel.field_edited.connect(self._field_edited)
        self.editor_panel.split_requested.connect(lambda mid, offset: self._call(self.store.split_measure, mid, offset))
        self.editor_panel.evidence_add_requested.connect(lambda pid, path: self._call(self.store.add_evidence, pid, path))
        self.editor_panel.evidence_remove_requested.connect(lambda eid: self._call(self.store.remove_evidence, eid))
        self.meta_panel.field_edited.connect(self._field_edited)
        self.edit_log_view.jump_requested.connect(self.select_item)
        self.tabs.currentChanged.connect(self._refresh_edit_log)

    def _splitters(self) -> dict:
        return {"main": self.main_splitter, "middle": self.middle_splitter}

    def _headers(self) -> dict:
        return {"tree": self.tree.header(), "notices": self.notice_table.horizontalHeader()}

    # ===== loading ==========================================================================
    def load(self, select_id: int | None = None) -> None:
        """Fill the window after it is shown: notices, then the last (or given) notice."""
        self.refresh_notices()
        ids = self.notice_model.ids()
        wanted = select_id or self.settings.last_notice
        if ids:
            self.show_notice(wanted if wanted in ids else ids[0])
        self.tree.setFocus()   # arrows, Enter and Ctrl+Enter work at once

    def refresh_notices(self) -> None:
        if self.store is None:   # typed into the filter before the database was open
            return
        self.notice_model.set_rows(self.store.list_notices(self.notice_filter.text().strip()))
        if self.notice:
            row = self.notice_model.row_of(self.notice["id"])
            if row >= 0 and self.notice_table.currentIndex().row() != row:
                self._syncing = True
                self.notice_table.selectRow(row)
                self._syncing = False

    def show_notice(self, notice_id: int | None) -> None:
        notice = self.store.get_notice(notice_id) if notice_id is not None else None
        self.notice = notice
        self.problem_model.set_notice(notice)
        self.tree.expandAll()
        self.source_view.set_notice(notice)
        self.meta_panel.set_notice(notice)
        self.editor_panel.set_item(None, None)
        self._refresh_edit_log()
        self.settings.last_notice = notice_id
        row = self.notice_model.row_of(notice_id) if notice else -1
        if row >= 0 and self.notice_table.currentIndex().row() != row:
            self._syncing = True
            self.notice_table.selectRow(row)
            self._syncing = False
        self._update_summary()
        self._update_actions()

    def _notice_row_changed(self, current: QModelIndex, _previous=None) -> None:
        if not self._syncing and current.isValid():
            self.show_notice(current.data(ID_ROLE))

    # ===== refresh after a change ===========================================================
    def apply_change(self, change: dict | None, *, select: bool = False) -> None:
        """Refresh what a store call changed; ``select`` moves to the item it touched."""
        if not change:
            return
        notice_id = change.get("notice_id")
        if self.notice is None or notice_id != self.notice["id"]:
            self.refresh_notices()
            return
        self.refresh_notices()
        notice = self._fresh_notice(change)
        self.notice = notice
        if self.problem_model.update_notice(notice):
            self.tree.expandAll()
        if notice["text"] != self.source_view.toPlainText():
            self.source_view.set_notice(notice)
        else:
            self.source_view.set_items(notice)
        if change.get("entity") == "notice":
            self.meta_panel.set_notice(notice)
        self._refresh_edit_log()
        target = None
        if change.get("new_id") is not None:
            target = (change.get("entity"), change["new_id"])
        elif select and change.get("entity") in ("problem", "measure"):
            target = (change["entity"], change["row_id"])
        if target and self.problem_model.index_of(*target).isValid():
            self.select_item(*target)
        else:
            self._refresh_current_item()
        self._update_summary()
        self._update_actions()

    def _fresh_notice(self, change: dict) -> dict:
        """The shown notice after ``change``: an in-place edit re-reads only its problem."""
        action = change.get("of") if change["action"] in ("undo", "redo") else change["action"]
        problem_id = self._problem_of(change["entity"], change["row_id"]) if action in IN_PLACE_ACTIONS else None
        listed = self.notice_model.row_of(self.notice["id"])   # its fresh review status
        if problem_id is None or listed < 0:
            return self.store.get_notice(self.notice["id"])
        fresh = self.store.get_problem(problem_id)
        problems = [fresh if p["id"] == problem_id else p for p in self.notice["problems"]]
        review_status = self.notice_model.index(listed, 0).data(NOTICE_ROW_ROLE)["review_status"]
        return {**self.notice, "problems": problems, "review_status": review_status}

    def _problem_of(self, entity: str, row_id: int) -> int | None:
        """The shown problem that holds the row (None for the notice itself or an unknown row)."""
        for problem in self.notice["problems"]:
            if (entity == "problem" and problem["id"] == row_id
                    or entity == "measure" and any(m["id"] == row_id for m in problem["measures"])
                    or entity == "evidence" and any(e["id"] == row_id for e in problem["evidence"])):
                return problem["id"]
        return None

    def _refresh_edit_log(self, *_args) -> None:
        """The 修改记录 tab is read only while it is shown: the log grows with every correction,
        and re-listing it after each one made edits slow (25 ms CPU at 1,000 entries, was 8)."""
        if self.tabs.currentWidget() is self.edit_log_view:
            self.edit_log_view.set_entries(self.store.edit_log(self.notice["id"]) if self.notice else [])

    def _refresh_current_item(self) -> None:
        found = self.current_item()
        self.editor_panel.set_item(*(found or (None, None)))
        if found:
            self.source_view.select_span(found[1].get("span"), scroll=False)

    def _update_summary(self) -> None:
        if not self.notice:
            self.summary_label.setText("")
            return
        problems = self.notice["problems"]
        measures = sum(len(p["measures"]) for p in problems)
        checked = sum(p.get("checked", False) for p in problems)
        red = sum(p.get("warning") == "红" for p in problems)
        text = f"{len(problems)} 个问题，{measures} 条措施，已核对问题 {checked}/{len(problems)}"
        self.summary_label.setText(text + (f"，红色预警 {red}" if red else "") + f"　{self.notice['review_status']}")

    def _update_actions(self) -> None:
        has_notice = self.notice is not None
        found = self.current_item()
        entity = found[0] if found else None
        has_selection = self.source_view.textCursor().hasSelection()
        nid = self.notice["id"] if has_notice else None
        has_store = self.store is not None
        enabled = {
            "open": has_store, "import_folder": has_store, "paste": has_store, "search_all": has_store,
            "undo": has_notice and self.store.can_undo(nid),
            "redo": has_notice and self.store.can_redo(nid),
            "export": bool(self.notice_model.ids()),
            "delete_notice": has_notice, "add_problem": has_notice, "reextract": has_notice,
            "finish_review": has_notice and self.notice["review_status"] != "已审核",
            "find": has_notice, "edit_cell": found is not None, "check_next": has_notice,
            "add_measure": found is not None, "delete": found is not None, "merge": found is not None,
            "move_up": found is not None, "move_down": found is not None, "revert_item": found is not None,
            "revert_field": found is not None, "split": entity == "measure",
            "split_problem": entity == "measure",
            "as_problem": has_notice and has_selection, "as_measure": found is not None and has_selection,
            "reanchor": found is not None and has_selection,
        }
        for name, on in enabled.items():
            self.actions[name].setEnabled(bool(on))

    # ===== selection ========================================================================
    def current_item(self) -> tuple[str, dict] | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return self.problem_model.item(self.problem_proxy.mapToSource(index))

    def select_item(self, entity: str, row_id: int) -> None:
        source = self.problem_model.index_of(entity, row_id)
        if not source.isValid():
            return
        index = self.problem_proxy.mapFromSource(source)
        if not index.isValid():  # hidden by a filter: show everything
            self.clear_filters()
            index = self.problem_proxy.mapFromSource(source)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def _tree_current_changed(self, current: QModelIndex, _previous=None) -> None:
        self.editor_panel.commit_text()
        found = self.current_item()
        self.editor_panel.set_item(*(found or (None, None)))
        if found and not self._syncing:
            self.source_view.select_span(found[1].get("span"))
        elif found:
            self.source_view.select_span(found[1].get("span"), scroll=False)
        self._update_actions()

    def _source_clicked(self, offset: int) -> None:
        found = self.source_view.item_at(offset)
        if found:
            self._syncing = True
            self.select_item(*found)
            self._syncing = False

    def _apply_filters(self) -> None:
        self.problem_proxy.set_filters(
            status=self.status_filter.currentData(),
            warning=self.warning_filter.currentData(),
            checked=self.checked_filter.currentData(),
        )
        self.tree.expandAll()

    def clear_filters(self) -> None:
        for combo in (self.status_filter, self.warning_filter, self.checked_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._apply_filters()

    # ===== corrections ======================================================================
    def _call(self, service, *args, select: bool = False, **kwargs):
        """Run one store service; expected errors become a message. Returns the Change."""
        try:
            change = service(*args, **kwargs)
        except ExpectedError as exc:
            self.show_message("无法完成操作", str(exc))
            return None
        except ValueError as exc:  # the store refuses an edit that does not fit this item
            log.info("store refused %s%r: %s", service.__name__, args, exc)
            self.show_message("无法完成操作", "该操作不适用于当前项（例如最后一项无法与下一项合并）。")
            return None
        self.apply_change(change, select=select)
        return change

    def _field_edited(self, entity: str, row_id: int, field: str, value) -> None:
        self._call(self.store.update_field, entity, row_id, field, value)

    def edit_current_cell(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            if not index.flags() & Qt.ItemIsEditable:
                entity = index.data(Qt.UserRole + 2)
                index = index.siblingAtColumn(COL_TITLE if entity == "problem" else COLUMNS.index("整改措施"))
                self.tree.setCurrentIndex(index)
            self.tree.edit(index)

    def undo(self) -> None:
        if self.notice:
            self._call(self.store.undo, self.notice["id"], select=True)

    def redo(self) -> None:
        if self.notice:
            self._call(self.store.redo, self.notice["id"], select=True)

    def check_and_next(self) -> None:
        found = self.current_item()
        if found and not found[1].get("checked"):
            self._call(self.store.set_checked, found[0], found[1]["id"], True)
        target = self.next_unchecked()
        if target:
            self.select_item(*target)
        else:
            self.statusBar().showMessage("本通报的问题和措施都已核对", 5000)

    def next_unchecked(self) -> tuple[str, int] | None:
        """The next unchecked item: problems by rising confidence, each followed by its measures."""
        if not self.notice:
            return None
        for problem in sorted(self.notice["problems"], key=lambda p: (p.get("confidence", 1.0), p["seq"])):
            if not problem.get("checked"):
                return "problem", problem["id"]
            for measure in problem["measures"]:
                if not measure.get("checked"):
                    return "measure", measure["id"]
        return None

    def _current_problem(self) -> dict | None:
        found = self.current_item()
        if not found:
            return None
        entity, row = found
        if entity == "problem":
            return row
        return next(p for p in self.notice["problems"] if p["id"] == row["problem_id"])

    def add_problem(self) -> None:
        if not self.notice:
            return
        problem = self._current_problem()
        index = self.notice["problems"].index(problem) + 1 if problem else len(self.notice["problems"])
        change = self._call(self.store.add_problem, self.notice["id"], title="新问题", index=index,
                            category=problem.get("category") if problem else None)
        if change:
            self.edit_current_cell()

    def add_measure(self) -> None:
        found = self.current_item()
        problem = self._current_problem()
        if not problem:
            return
        index = len(problem["measures"])
        if found[0] == "measure":
            index = [m["id"] for m in problem["measures"]].index(found[1]["id"]) + 1
        if self._call(self.store.add_measure, problem["id"], text="新措施", index=index):
            self.edit_current_cell()

    def delete_item(self) -> None:
        found = self.current_item()
        if found:
            self._call(self.store.delete, found[0], found[1]["id"])

    def split_at_cursor(self) -> None:
        """Split the current measure where the cursor is: in the original text or the editor."""
        found = self.current_item()
        if not found or found[0] != "measure":
            return
        span = found[1].get("span")
        if self.source_view.hasFocus() and span:
            offset = self.source_view.cursor_offset() - span[0]
            if 0 < offset < span[1] - span[0]:
                self._call(self.store.split_measure, found[1]["id"], offset)
                return
        if not self.editor_panel.split_at_cursor():
            self.statusBar().showMessage("请先把光标放在要拆开的位置（措施文字中间）", 5000)

    def split_problem(self) -> None:
        found = self.current_item()
        if found and found[0] == "measure":
            problem = self._current_problem()
            index = [m["id"] for m in problem["measures"]].index(found[1]["id"])
            self._call(self.store.split_problem, problem["id"], index)

    def merge_with_next(self) -> None:
        found = self.current_item()
        if found:
            self._call(self.store.merge_with_next, found[0], found[1]["id"], select=True)

    def move_item(self, delta: int) -> None:
        found = self.current_item()
        if found:
            self._call(self.store.move, found[0], found[1]["id"], delta, select=True)

    def selection_as_problem(self) -> None:
        span = self.source_view.selected_span()
        if not self.notice or not span:
            return
        index = sum(1 for p in self.notice["problems"] if p.get("span") and p["span"][0] < span[0])
        self._call(self.store.add_problem, self.notice["id"], title=self.source_view.selected_text().strip(),
                   span=list(span), index=index)

    def selection_as_measure(self) -> None:
        span = self.source_view.selected_span()
        if not self.notice or not span:
            return
        holder = self.source_view.item_at(span[0])
        problem = None
        if holder:
            problem = next((p for p in self.notice["problems"]
                            if (holder[0] == "problem" and p["id"] == holder[1])
                            or any(m["id"] == holder[1] for m in p["measures"] if holder[0] == "measure")), None)
        problem = problem or self._current_problem()
        if not problem:
            return
        index = sum(1 for m in problem["measures"] if m.get("span") and m["span"][0] < span[0])
        self._call(self.store.add_measure, problem["id"], text=self.source_view.selected_text().strip(),
                   span=list(span), index=index)

    def reanchor_to_selection(self) -> None:
        span = self.source_view.selected_span()
        found = self.current_item()
        if span and found:
            self._call(self.store.reanchor, found[0], found[1]["id"], list(span))

    def revert_field(self) -> None:
        index = self.tree.currentIndex()
        found = self.current_item()
        field = index.data(FIELD_ROLE) if index.isValid() else None
        if found and field and field in found[1].get("edited_fields", ()):
            self._call(self.store.revert_field, found[0], found[1]["id"], field)
        else:
            self.statusBar().showMessage("当前单元格没有修改过", 5000)

    def revert_item(self) -> None:
        found = self.current_item()
        if found:
            self._call(self.store.revert_item, found[0], found[1]["id"])

    def finish_review(self) -> None:
        if self.notice:
            unchecked = self.next_unchecked()
            self._call(self.store.finish_review, self.notice["id"])
            if unchecked:
                self.statusBar().showMessage("已完成审核（仍有未核对的项）", 5000)

    def reextract(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        if not self.notice:
            return
        answer = QMessageBox.question(
            self, "重新提取",
            f"用当前的提取程序重新识别“{labels.notice_name(self.notice)}”？\n\n"
            "人工修改、新增和已核对的项会保留。重新提取不能撤销，此前的修改也不能再撤销。",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return
        try:
            summary = self.store.reextract(self.notice["id"])
        except ExpectedError as exc:
            self.show_message("无法重新提取", str(exc))
            return
        self.show_notice(self.notice["id"])
        self.show_message("重新提取完成", reextract_summary(summary), information=True)

    def _tree_menu(self, pos) -> None:
        from PySide6.QtWidgets import QMenu

        index = self.tree.indexAt(pos)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        names = ["edit_cell", "check_next", None, "revert_field", "revert_item", None, "add_problem",
                 "add_measure", "delete", None, "split", "split_problem", "merge", "move_up", "move_down"]
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions[name])
        field = index.data(FIELD_ROLE) if index.isValid() else None
        found = self.current_item()
        self.actions["revert_field"].setEnabled(bool(found and field in found[1].get("edited_fields", ())))
        menu.exec(self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()

    # ===== import, export, search ==========================================================
    def open_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        paths, _ = QFileDialog.getOpenFileNames(self, "打开通报文件", "", NOTICE_FILE_FILTER)
        if paths:
            self.start_import(paths)

    def import_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "选择包含通报的文件夹")
        if folder:
            self.start_import([folder])

    def paste_notice(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.show_message("无法粘贴", "剪贴板中没有文字。请先在网页或文档中复制通报全文。")
            return
        from core.importer import import_text

        self._start_worker(lambda store, progress, cancelled: import_text(store, text), self._pasted)

    def _pasted(self, result) -> None:
        notice_id, duplicate = result
        self.hint_banner.hide()   # the first-run hint ends with the user's own first notice
        self.refresh_notices()
        self.show_notice(notice_id)
        self.statusBar().showMessage("该通报已导入过，已打开原记录" if duplicate else "已导入剪贴板中的通报", 5000)

    def start_import(self, paths: list[str]) -> Worker:
        """Import files/folders in a worker thread with a cancellable progress dialog."""
        from PySide6.QtWidgets import QProgressDialog

        from core.importer import import_paths

        def job(store, progress, cancelled):
            return import_paths(store, paths, progress=progress, cancelled=cancelled)

        dialog = QProgressDialog("正在导入通报…", "取消", 0, 0, self)
        dialog.setWindowTitle("导入")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        worker = self._start_worker(job, self._imported)
        dialog.canceled.connect(worker.cancel)
        worker.signals.progress.connect(self._import_progress)
        return worker

    def _import_progress(self, done: int, total: int) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setMaximum(total)
            self.progress_dialog.setValue(done)
            self.progress_dialog.setLabelText(f"正在导入通报…（{done}/{total}）")

    def _start_worker(self, job, on_done, on_failed=None) -> Worker:
        """Run ``job(store, progress, cancelled)`` in a worker; a failure is shown in a message
        box unless ``on_failed(message)`` takes it."""
        worker = Worker(self.store.path, job)
        self.workers.add(worker)

        def finished(result):
            self._worker_done(worker)
            on_done(result)

        def failed(message):
            self._worker_done(worker)
            if on_failed:
                on_failed(message)
            else:
                self.show_message("导入失败", message)

        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        self.pool.start(worker)
        return worker

    def _worker_done(self, worker: Worker) -> None:
        self.workers.discard(worker)
        if self.progress_dialog is not None and not self.workers:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def start_backup(self) -> Worker:
        """The day's backup of the database (at most one a day), off the UI thread; silent
        unless it fails."""
        from core.backup import rolling_backup

        return self._start_worker(
            lambda store, progress, cancelled: rolling_backup(store.path), lambda _made: None,
            lambda message: self.statusBar().showMessage(f"自动备份数据库失败：{message}"))

    def start_sample_import(self) -> Worker | None:
        """First run (no notices yet): import the sample notice off the UI thread (it loads
        jieba), then show it with a hint of what to do next."""
        if self.notice_model.ids():
            return None
        from core.importer import ensure_sample

        return self._start_worker(lambda store, progress, cancelled: ensure_sample(store), self._sample_imported)

    def _sample_imported(self, notice_id: int | None) -> None:
        if notice_id is None:
            return
        self.refresh_notices()
        if self.notice is None:
            self.show_notice(notice_id)
        self.hint_banner.show_hint(SAMPLE_HINT)

    def _imported(self, report) -> None:
        self.refresh_notices()
        if report.imported:
            self.hint_banner.hide()   # the first-run hint ends with the user's own first notice
        if report.imported or report.duplicates:
            last = (report.imported or report.duplicates)[-1][1]
            self.show_notice(last)
        parts = [f"导入 {len(report.imported)} 份通报"]
        if report.duplicates:
            parts.append(f"{len(report.duplicates)} 份已导入过")
        if report.cancelled:
            parts.append("已取消，其余文件未导入")
        self.statusBar().showMessage("，".join(parts), 8000)
        if report.failed:
            lines = "\n".join(f"{Path(path).name}：{message}" for path, message in report.failed)
            self.show_message("部分文件无法导入", f"以下文件无法导入：\n{lines}")

    def export_ledger(self) -> None:
        from gui.export_dialog import run_export_dialog

        current = [self.notice["id"]] if self.notice else []
        path = run_export_dialog(self, self.store.path, current, self.notice_model.ids())
        if path:
            self.statusBar().showMessage(f"已导出：{path}", 8000)

    def delete_notice(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        if not self.notice:
            return
        answer = QMessageBox.question(
            self, "删除通报",
            f"确定删除“{labels.notice_name(self.notice)}”及其全部问题、措施和修改记录？\n\n删除后不能撤销。",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer == QMessageBox.Yes:
            self.store.delete_notice(self.notice["id"])
            self.notice = None
            self.refresh_notices()
            ids = self.notice_model.ids()
            self.show_notice(ids[0] if ids else None)

    def start_find(self) -> None:
        """Ctrl+F: the find bar under the original text, built the first time it is asked for."""
        if self.find_bar is None:
            from gui.find_bar import FindBar

            self.find_bar = FindBar(self.source_view)
            self._source_box.addWidget(self.find_bar)
        self.find_bar.start()

    def search_all(self) -> None:
        from gui.search_dialog import SearchDialog

        dialog = SearchDialog(self.store.search, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.open_requested.connect(self.open_hit)
        dialog.show()
        self.search_dialog = dialog

    def open_hit(self, notice_id: int, entity: str, row_id) -> None:
        if not self.notice or self.notice["id"] != notice_id:
            self.show_notice(notice_id)
        if entity in ("problem", "measure") and row_id is not None:
            self.select_item(entity, int(row_id))

    def _help(self, name: str) -> None:
        from gui import help_dialogs

        getattr(help_dialogs, name)(self)

    def show_message(self, title: str, text: str, *, information: bool = False):
        """A non-blocking message box (window-modal): a warning, or ``information``."""
        from PySide6.QtWidgets import QMessageBox

        icon = QMessageBox.Information if information else QMessageBox.Warning
        box = QMessageBox(icon, title, text, QMessageBox.Ok, self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()
        return box

    # ===== window events ====================================================================
    def dragEnterEvent(self, event) -> None:
        if self.store is not None and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.start_import(paths)

    def closeEvent(self, event) -> None:
        self.editor_panel.commit_text()
        for worker in list(self.workers):
            worker.cancel()
        self.pool.waitForDone()
        self.settings.save_window(self, self._splitters(), self._headers())
        if self.store is not None:
            self.store.close()
        super().closeEvent(event)
