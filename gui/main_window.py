"""The review window: notice list, problem panel, original text, editor, metadata and edit log.

Every correction is one store service call returning a Change (``gui/corrections.py``);
``apply_change`` then refreshes only what that notice's fresh record changed (rows in place
unless the structure changed). Background work runs through ``gui/import_runner.py``; the
actions and menus are one table in ``gui/window_actions.py``.
"""
from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QEvent, QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.corrections import Corrections
from gui.edit_log_view import EditLogView
from gui.editor_panel import EditorPanel
from gui.hint_banner import HintBanner
from gui.import_runner import ImportRunner
from gui.messages import show_error
from gui.meta_panel import MetaPanel
from gui.notice_panel import NoticePanel
from gui.problem_model import Item
from gui.problem_panel import ProblemPanel
from gui.settings import Settings
from gui.source_view import SourceView
from gui.structure_actions import StructureActions
from gui.window_actions import (
    SOURCE_MENU,
    TREE_MENU,
    build_actions,
    build_menus,
    enabled_states,
    listed,
)
from gui.window_dialogs import WindowDialogs

log = logging.getLogger(__name__)

# store actions that change one problem, measure or evidence in place (no rows added, removed
# or moved): the window re-reads just the problem concerned
IN_PLACE_ACTIONS = {"update_field", "revert_field", "revert_item", "set_checked", "reanchor",
                    "add_evidence", "remove_evidence"}

WINDOW_SIZE = (1600, 1000)              # the designed size; smaller screens get it maximized
WINDOW_MARGINS = (6, 6, 6, 0)           # around the panels; the status bar closes the bottom
MAIN_SPLIT = [300, 860, 440]            # notices | problems and editor | original text
MIDDLE_SPLIT = [600, 360]               # problem tree over the editor tabs
# window shortcuts a text field would otherwise take for a cursor move (Ctrl+E: end of line on X11)
WINDOW_FIRST_KEYS = {QKeySequence("Ctrl+E")}


def _pressed(event) -> QKeySequence:
    """The key combination of a key event. PySide6 before 6.8 hands a ShortcutOverride to Python
    as a bare QInputEvent (no ``key()``): it is a QKeyEvent underneath, so it is wrapped as one."""
    if not isinstance(event, QKeyEvent):
        event = shiboken6.wrapInstance(shiboken6.getCppPointer(event)[0], QKeyEvent)
    return QKeySequence(QKeyCombination(event.modifiers(), Qt.Key(event.key())))


class MainWindow(QMainWindow):
    """``store`` may come later through ``attach_store`` (the window is shown before the
    database is opened, so it appears at once)."""

    def __init__(self, store=None, settings: Settings | None = None, parent=None):
        super().__init__(parent)
        self.store = None
        self.settings = settings or Settings()
        self.notice: dict | None = None
        self._shown_text = ""          # the shown notice's text as stored (原文 may differ)
        self.runner = ImportRunner(self)
        self.corrections = Corrections(self)
        self.dialogs = WindowDialogs(self)
        self._syncing = False
        self.setWindowTitle("整改台账助手")
        self.setAcceptDrops(True)
        self._build()
        self._build_actions()
        self.structure_actions = StructureActions(self)   # 结构 menu: 调整层级 and the other structural corrections
        self.problem_panel.set_menu_actions(listed(self.actions, TREE_MENU) + self.structure_actions.tree_menu(),
                                            self._before_tree_menu)
        self._connect()
        if not self.settings.restore_window(self, self._splitters(), self._headers()):
            self._fit_to_screen()
        self.problem_panel.user_sized = set(self.settings.user_sized_columns)
        if store is not None:
            self.attach_store(store)
        else:
            self._update_actions()
        QApplication.instance().installEventFilter(self)

    def attach_store(self, store) -> None:
        self.store = store
        self.runner.db_path = store.path
        self.problem_panel.model.set_store(store)
        self._update_actions()

    @property
    def workers(self) -> set:
        """The background jobs still running."""
        return self.runner.workers

    # ===== layout =========================================================================
    def _build(self) -> None:
        self.notice_panel = NoticePanel()
        self.notice_model = self.notice_panel.model

        self.problem_panel = ProblemPanel()
        self.tree = self.problem_panel.tree

        self.editor_panel = EditorPanel(settings=self.settings)
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
        self.middle_splitter.addWidget(self.problem_panel)
        self.middle_splitter.addWidget(self.tabs)
        self.middle_splitter.setSizes(MIDDLE_SPLIT)
        self.main_splitter = QSplitter(Qt.Horizontal)
        self.main_splitter.addWidget(self.notice_panel)
        self.main_splitter.addWidget(self.middle_splitter)
        self.main_splitter.addWidget(source)
        self.main_splitter.setSizes(MAIN_SPLIT)
        self.hint_banner = HintBanner()
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(*WINDOW_MARGINS)
        box.addWidget(self.hint_banner)
        box.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)
        self.summary_label = QLabel()
        self.statusBar().addPermanentWidget(self.summary_label)
        self.resize(*WINDOW_SIZE)

    def _fit_to_screen(self) -> None:
        """First start: the designed 1600×1000, maximized instead on a smaller screen (a laptop's
        1366×768 cut off the status bar and the original text)."""
        available = self.screen().availableGeometry()
        if self.width() > available.width() or self.height() > available.height():
            self.resize(self.size().boundedTo(available.size()))   # where maximizing is not honoured
            self.setWindowState(Qt.WindowMaximized)

    def _build_actions(self) -> None:
        self.actions = build_actions(self)
        build_menus(self, self.actions)
        # Enter edits only while the tree has focus, so it never steals Enter from text boxes
        self.actions["edit_cell"].setShortcutContext(Qt.WidgetShortcut)
        self.tree.addAction(self.actions["edit_cell"])
        self.source_view.set_context_actions(listed(self.actions, SOURCE_MENU))
        self.problem_panel.set_menu_actions(listed(self.actions, TREE_MENU), self._before_tree_menu)

    def _before_tree_menu(self, field: str | None) -> None:
        found = self.current_item()
        self.actions["revert_field"].setEnabled(bool(found and field in found.row.get("edited_fields", ())))

    def _connect(self) -> None:
        self.notice_panel.filter_changed.connect(self.refresh_notices)
        self.notice_panel.notice_chosen.connect(self.show_notice)
        self.problem_panel.current_changed.connect(self._tree_current_changed)
        model = self.problem_panel.model
        model.changed.connect(self.apply_change)
        model.failed.connect(lambda title, message: show_error(self, title, message))
        self.source_view.position_clicked.connect(self._source_clicked)
        self.source_view.selectionChanged.connect(self._update_actions)
        c = self.corrections
        self.editor_panel.field_edited.connect(c.field_edited)
        self.editor_panel.split_requested.connect(lambda mid, offset: c.call(self.store.split_measure, mid, offset))
        self.editor_panel.evidence_add_requested.connect(lambda pid, path: c.call(self.store.add_evidence, pid, path))
        self.editor_panel.evidence_remove_requested.connect(lambda eid: c.call(self.store.remove_evidence, eid))
        self.meta_panel.field_edited.connect(c.field_edited)
        self.edit_log_view.jump_requested.connect(self.select_item)
        self.tabs.currentChanged.connect(self._refresh_edit_log)

    def _splitters(self) -> dict:
        return {"main": self.main_splitter, "middle": self.middle_splitter}

    def _headers(self) -> dict:
        return {"tree": self.tree.header(), "notices": self.notice_panel.table.horizontalHeader()}

    # ===== loading ==========================================================================
    def load(self, select_id: int | None = None) -> None:
        """Fill the window after it is shown: notices, then the last (or given) notice."""
        self.refresh_notices()
        ids = self.notice_model.ids()
        wanted = select_id or self.settings.last_notice
        if ids:
            # shown even when its row is further down than the pages fetched so far
            self.show_notice(wanted if wanted and self.store.notice_summary(wanted) else ids[0])
        self.tree.setFocus()   # arrows, Enter and Ctrl+Enter work at once

    def refresh_notices(self) -> None:
        if self.store is None:   # typed into the filter before the database was open
            return
        store, text = self.store, self.notice_panel.filter_text()
        # the first page now, further pages as the list scrolls
        self.notice_model.set_source(
            lambda offset, limit: store.list_notices(text, limit=limit, offset=offset),
            store.count_notices(text))
        if self.notice:
            self.notice_panel.select(self.notice["id"])

    def show_notice(self, notice_id: int | None) -> None:
        notice = self.store.get_notice(notice_id) if notice_id is not None else None
        self.notice = notice
        self.problem_panel.set_notice(notice)
        self._shown_text = notice["text"] if notice else ""
        self.source_view.set_notice(notice)
        self._clear_source_selection()
        self.meta_panel.set_notice(notice)
        self.editor_panel.set_item(None, None)
        self._refresh_edit_log()
        self.settings.last_notice = notice_id
        if notice:
            self.notice_panel.select(notice_id)
        self.structure_actions.notice_shown(notice)   # read with a remembered 调整层级 choice
        self._update_summary()
        self._update_actions()

    # ===== refresh after a change ===========================================================
    def apply_change(self, change: dict | None, *, select: bool = False) -> None:
        """Refresh what a store call changed; ``select`` moves to the item it touched."""
        if not change:
            return
        notice_id = change.get("notice_id")
        # the notice's own list row, not the list: its counts and status
        summary = self.store.notice_summary(notice_id)
        self.notice_model.refresh_row(summary)
        if self.notice is None or notice_id != self.notice["id"]:
            return
        notice = self._fresh_notice(change, summary)
        self.notice = notice
        current = self.current_item()
        current = (current.entity, current.row["id"]) if current else None
        position = self.problem_panel.current_position()
        self.problem_panel.update_notice(notice)
        # compared with the record's text, not toPlainText(): Qt turns non-breaking spaces into
        # spaces there, and resetting the text scrolled 原文 to the top after every edit
        if notice["text"] != self._shown_text:
            self._shown_text = notice["text"]
            self.source_view.set_notice(notice)
        else:
            self.source_view.set_items(notice)
        if change.get("entity") == "notice":
            self.meta_panel.set_notice(notice)
        self._refresh_edit_log()
        self._select_after(change, select, current, position)
        self._refresh_current_item()   # the editor and 原文 show the fresh record, also when
        self._update_summary()         # the current row did not move (undo of a field edit)
        self._update_actions()

    def _select_after(self, change: dict, select: bool, current, position) -> None:
        """The row to show after ``change``: a row it created; with ``select`` the row it
        touched (the one that was current for the undo/redo of a move, whose log may name its
        neighbour); else the row that was current, or its neighbour when it is gone."""
        entity = change.get("entity")
        target = None
        if change.get("new_id") is not None:
            target = (entity, change["new_id"])
        elif select and entity in ("problem", "measure"):
            target = (entity, change["row_id"])
            if change.get("of") == "move" and current and self.problem_panel.has_item(*current):
                target = current
        if not (target and self.problem_panel.has_item(*target)):
            target = current if current and self.problem_panel.has_item(*current) else None
        if target:
            self.select_item(*target)
        elif position is not None:
            self.problem_panel.select_position(position)

    def _fresh_notice(self, change: dict, summary: dict | None) -> dict:
        """The shown notice after ``change``: an in-place edit re-reads only its problem (its
        review status comes from the notice's fresh list row ``summary``, fetched into the
        list or not: a notice far down a long list was read whole after every edit)."""
        action = change.get("of") if change["action"] in ("undo", "redo") else change["action"]
        problem_id = self._problem_of(change["entity"], change["row_id"]) if action in IN_PLACE_ACTIONS else None
        if problem_id is None or summary is None:
            return self.store.get_notice(self.notice["id"])
        fresh = self.store.get_problem(problem_id)
        problems = [fresh if p["id"] == problem_id else p for p in self.notice["problems"]]
        return {**self.notice, "problems": problems, "review_status": summary["review_status"]}

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
        self.source_view.select_span(found.row.get("span") if found else None, scroll=False)

    def _clear_source_selection(self) -> None:
        """No highlight and no selected text left from the notice shown before."""
        self.source_view.select_span(None)
        cursor = self.source_view.textCursor()
        cursor.clearSelection()
        self.source_view.setTextCursor(cursor)

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
        for name, on in enabled_states(self).items():
            self.actions[name].setEnabled(bool(on))
        self.structure_actions.update_actions(self.current_item())

    # ===== selection ========================================================================
    def current_item(self) -> Item | None:
        return self.problem_panel.current_item()

    def select_item(self, entity: str, row_id: int) -> None:
        self.problem_panel.select_item(entity, row_id)

    def clear_filters(self) -> None:
        self.problem_panel.clear_filters()

    def _tree_current_changed(self) -> None:
        self.editor_panel.commit_text()
        found = self.current_item()
        self.editor_panel.set_item(*(found or (None, None)))
        self.source_view.select_span(found.row.get("span") if found else None, scroll=not self._syncing)
        self._update_actions()

    def _source_clicked(self, offset: int) -> None:
        found = self.source_view.item_at(offset)
        if found:
            self._syncing = True
            self.select_item(*found)
            self._syncing = False

    # ===== import, export, search ==========================================================
    def start_import(self, paths: list[str]):
        """Import files/folders in a worker thread with a cancellable progress dialog."""
        return self.runner.import_paths(paths)

    # ===== window events ====================================================================
    def eventFilter(self, watched, event) -> bool:
        """Ctrl+E exports from anywhere in the window: a text field with the focus asks to keep
        it (a ShortcutOverride) for moving to the end of the line; the window says no."""
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QWidget)
                and watched.window() is self and _pressed(event) in WINDOW_FIRST_KEYS):
            event.ignore()
            return True
        return super().eventFilter(watched, event)

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
        self.runner.shutdown()
        self.settings.user_sized_columns = self.problem_panel.user_sized
        self.settings.save_window(self, self._splitters(), self._headers())
        if self.store is not None:
            self.notice_model.stop_fetching()   # the list must not read a closed store
            self.store.close()
        super().closeEvent(event)
