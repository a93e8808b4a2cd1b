"""The problem panel: the filter combos over the problem tree (ProblemModel behind a
ProblemFilterProxy), the current item and selecting an item by id."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QMenu, QTreeView, QVBoxLayout, QWidget

from gui import labels
from gui.problem_filter_proxy import ANY, UNSET, ProblemFilterProxy
from gui.problem_model import FIELD_ROLE, Item, ProblemModel

# the tree's first column widths: all eight columns fit the middle panel of a 1600 px window
COLUMN_WIDTHS = [64, 80, 195, 195, 100, 84, 56, 56]
TREE_INDENT = 14   # px per level: measures sit just right of their problem
WARNING_MARKS = ("红", "黄", "绿")


class ProblemPanel(QWidget):
    # the current row or cell of the tree changed (the window refreshes the editor and 原文)
    current_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = ProblemModel(parent=self)
        self.proxy = ProblemFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._menu_actions: list = []
        self._before_menu = None

        self.status_filter = QComboBox()
        self.status_filter.addItem("全部状态", ANY)
        for status in labels.STATUSES:
            self.status_filter.addItem(status, status)
        self.status_filter.addItem("未填状态", UNSET)
        self.warning_filter = QComboBox()
        self.warning_filter.addItem("全部预警", ANY)
        self.warning_filter.addItem("有预警", "any")
        for mark in WARNING_MARKS:
            self.warning_filter.addItem(f"{mark}色预警", mark)
        self.checked_filter = QComboBox()
        self.checked_filter.addItem("全部", ANY)
        self.checked_filter.addItem("未核对", False)
        self.checked_filter.addItem("已核对", True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("问题与措施"))
        filters.addStretch(1)
        for combo in self.filters():
            filters.addWidget(combo)

        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.tree.setContextMenuPolicy(Qt.CustomContextMenu)
        self.tree.setIndentation(TREE_INDENT)
        header = self.tree.header()
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(filters)
        box.addWidget(self.tree)

        self.tree.selectionModel().currentChanged.connect(lambda *_args: self.current_changed.emit())
        self.tree.customContextMenuRequested.connect(self._show_menu)
        for combo in self.filters():
            combo.currentIndexChanged.connect(self.apply_filters)

    def filters(self) -> tuple[QComboBox, QComboBox, QComboBox]:
        return self.status_filter, self.warning_filter, self.checked_filter

    # --- the notice shown ---------------------------------------------------------------
    def set_notice(self, notice: dict | None) -> None:
        self.model.set_notice(notice)
        self.tree.expandAll()

    def update_notice(self, notice: dict) -> None:
        """A fresh record of the shown notice: rows in place unless the structure changed."""
        if self.model.update_notice(notice):
            self.tree.expandAll()

    # --- current item ---------------------------------------------------------------------
    def current_item(self) -> Item | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return self.model.item(self.proxy.mapToSource(index))

    def current_field(self) -> str | None:
        """The store field behind the current cell (None for a read-only column)."""
        index = self.tree.currentIndex()
        return index.data(FIELD_ROLE) if index.isValid() else None

    def current_problem(self) -> dict | None:
        """The current problem, or the problem holding the current measure."""
        found = self.current_item()
        if not found:
            return None
        if found.entity == "problem":
            return found.row
        return next(p for p in self.model.problems() if p["id"] == found.row["problem_id"])

    def has_item(self, entity: str, row_id: int) -> bool:
        return self.model.index_of(entity, row_id).isValid()

    def select_item(self, entity: str, row_id: int) -> None:
        source = self.model.index_of(entity, row_id)
        if not source.isValid():
            return
        index = self.proxy.mapFromSource(source)
        if not index.isValid():  # hidden by a filter: show everything
            self.clear_filters()
            index = self.proxy.mapFromSource(source)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

    def set_current_index(self, index: QModelIndex) -> None:
        self.tree.setCurrentIndex(index)

    # --- filters ------------------------------------------------------------------------
    def apply_filters(self) -> None:
        self.proxy.set_filters(
            status=self.status_filter.currentData(),
            warning=self.warning_filter.currentData(),
            checked=self.checked_filter.currentData(),
        )
        self.tree.expandAll()

    def clear_filters(self) -> None:
        for combo in self.filters():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.apply_filters()

    # --- context menu -------------------------------------------------------------------
    def set_menu_actions(self, actions: list, before_show=None) -> None:
        """The tree's context menu: ``actions`` (None for a separator); ``before_show(field)``
        runs after the clicked row became current, with the clicked cell's field (or None)."""
        self._menu_actions = actions
        self._before_menu = before_show

    def _show_menu(self, pos) -> None:
        index = self.tree.indexAt(pos)
        if index.isValid() and self.tree.selectionModel().isSelected(index):   # keep a multi-selection
            self.tree.selectionModel().setCurrentIndex(index, QItemSelectionModel.NoUpdate)
        elif index.isValid():
            self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        for action in self._menu_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        if self._before_menu is not None:
            self._before_menu(index.data(FIELD_ROLE) if index.isValid() else None)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()
