"""The problem panel: the filter combos over the problem tree (ProblemModel behind a
ProblemFilterProxy), the current item and selecting an item by id."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QMenu, QStyleOptionViewItem, QTreeView,
    QVBoxLayout, QWidget,
)

from gui import labels
from gui.problem_filter_proxy import ANY, UNSET, ProblemFilterProxy
from gui.problem_model import (
    COL_CATEGORY, COL_CHECKED, COL_DEADLINE, COL_MEASURE, COL_SEQ, COL_STATUS, COL_TITLE, COL_UNITS, FIELD_ROLE,
    Item, ProblemModel,
)

# Columns fit the panel without a horizontal scroll bar: the short ones to their contents (类别
# and 责任单位 up to a cap, 类别 hidden when no problem of the notice has one), 问题 and 整改措施
# share the rest. A column the reviewer resized keeps that width (remembered with the window).
CONTENT_COLUMNS = (COL_SEQ, COL_CATEGORY, COL_UNITS, COL_DEADLINE, COL_STATUS, COL_CHECKED)
CAPPED = {COL_CATEGORY: 130, COL_UNITS: 130}
TEXT_COLUMNS = (COL_TITLE, COL_MEASURE)
MIN_TEXT_WIDTH = 120
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
        self.checked_filter.addItem("全部核对状态", ANY)
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
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.user_sized: set[int] = set()   # columns the reviewer resized by hand
        self._fitting = False
        self._changed_rows: list | None = None   # rows refreshed in place, while update_notice runs
        self.model.dataChanged.connect(self._note_changed)
        header.sectionResized.connect(self._section_resized)
        self.tree.viewport().installEventFilter(self)
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
        self.fit_columns()

    def update_notice(self, notice: dict) -> None:
        """A fresh record of the shown notice: rows in place unless the structure changed.
        Columns are fitted again only after a structural change; an in-place edit widens a
        column only if one of the rows it changed needs more room (never a pass over all rows:
        that cost 0.25 s of CPU per edit on a 60-problem notice)."""
        self._changed_rows = []
        if self.model.update_notice(notice):
            self._changed_rows = None
            self.tree.expandAll()
            self.fit_columns()
            return
        rows, self._changed_rows = self._changed_rows, None
        if rows:
            self._widen_for(rows)

    # --- columns --------------------------------------------------------------------------
    def fit_columns(self) -> None:
        """Fit the content columns to the notice's rows: the widest text of each column (per
        level of the tree) is found from the text, and only those few cells are measured by
        the view's delegate, as ``resizeColumnToContents`` would measure every cell."""
        self._fitting = True
        try:
            self.tree.setColumnHidden(COL_CATEGORY, not self._has_categories())
            rows = [(row, None) for row in range(self.model.rowCount())]
            rows += [(row, mrow) for row in range(self.model.rowCount())
                     for mrow in range(self.model.rowCount(self.model.index(row, 0)))]
            for column in self._free_content_columns():
                self.tree.header().resizeSection(column, self._fitted_width(column, rows))
            self._fit_text_columns()
        finally:
            self._fitting = False

    def _has_categories(self) -> bool:
        return any(p.get("category") for p in self.model.problems())

    def _free_content_columns(self) -> list[int]:
        """The content columns shown that the reviewer has not sized by hand."""
        return [c for c in CONTENT_COLUMNS if c not in self.user_sized and not self.tree.isColumnHidden(c)]

    def _fitted_width(self, column: int, rows: list[tuple[int, int | None]]) -> int:
        """The width ``column`` needs for ``rows`` ((problem row, measure row or None) of the
        model): its header's, or the widest of its cells, capped for 类别 and 责任单位."""
        header = self.tree.header()
        width = 0 if header.isHidden() else header.sectionSizeHint(column)
        for index, level in self._widest_cells(column, rows):
            width = max(width, self._cell_width(index, level))
        return min(width, CAPPED.get(column, width))

    def _widest_cells(self, column: int, rows):
        """Per level (problems, measures): the cell of ``column`` whose text is widest."""
        metrics = self.tree.fontMetrics()
        widest: dict[int, tuple[int, object]] = {}
        for row, mrow in rows:
            if mrow is None:
                index, level = self.model.index(row, column), 0
            else:
                index, level = self.model.index(mrow, column, self.model.index(row, 0)), 1
            if not index.isValid():
                continue
            text = self.model.data(index, Qt.DisplayRole) or ""
            advance = metrics.horizontalAdvance(text)
            if level not in widest or advance > widest[level][0]:
                widest[level] = (advance, index)
        return [(index, level) for level, (_advance, index) in widest.items()]

    def _cell_width(self, index, level: int) -> int:
        """What ``QTreeView.resizeColumnToContents`` counts for one cell: the delegate's size
        hint, plus the indentation of its level in the tree's own column."""
        option = QStyleOptionViewItem()
        self.tree.initViewItemOption(option)
        width = self.tree.itemDelegateForIndex(index).sizeHint(option, index).width()
        if index.column() == self.tree.header().logicalIndex(self.tree.treePosition()):
            width += self.tree.indentation() * (level + (1 if self.tree.rootIsDecorated() else 0))
        return width

    def _note_changed(self, top_left, bottom_right, _roles=()) -> None:
        """Rows the model refreshed in place during ``update_notice``."""
        if self._changed_rows is None:
            return
        parent = top_left.parent()
        for row in range(top_left.row(), bottom_right.row() + 1):
            self._changed_rows.append((parent.row(), row) if parent.isValid() else (row, None))

    def _widen_for(self, rows: list[tuple[int, int | None]]) -> None:
        """After an in-place edit: a column widens if a changed row needs it (a narrower value
        leaves it as it is until the next fit); 类别 shows or hides with the notice's categories."""
        if self.tree.isColumnHidden(COL_CATEGORY) == self._has_categories():
            self.fit_columns()
            return
        header = self.tree.header()
        self._fitting = True
        try:
            widened = False
            for column in self._free_content_columns():
                width = self._fitted_width(column, rows)
                if width > header.sectionSize(column):
                    header.resizeSection(column, width)
                    widened = True
            if widened:
                self._fit_text_columns()
        finally:
            self._fitting = False

    def _fit_text_columns(self) -> None:
        header = self.tree.header()
        free = [c for c in TEXT_COLUMNS if c not in self.user_sized]
        if not free:
            return
        used = sum(header.sectionSize(c) for c in range(header.count())
                   if c not in free and not self.tree.isColumnHidden(c))
        width = max(MIN_TEXT_WIDTH, (self.tree.viewport().width() - used) // len(free))
        for column in free:
            header.resizeSection(column, width)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self.user_sized.add(column)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize and not self._fitting:
            self._fitting = True
            try:
                self._fit_text_columns()
            finally:
                self._fitting = False
        return super().eventFilter(watched, event)

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

    def current_position(self) -> tuple[int, int | None] | None:
        """Where the current row sits: (problem row, measure row or None) in the tree shown."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        parent = index.parent()
        return (parent.row(), index.row()) if parent.isValid() else (index.row(), None)

    def select_position(self, position: tuple[int, int | None]) -> None:
        """Make the row at ``position`` current, or the nearest one before it (after a delete,
        the row that took the deleted one's place)."""
        problem_row, measure_row = position
        count = self.proxy.rowCount()
        if not count:
            return
        index = self.proxy.index(min(problem_row, count - 1), 0)
        if measure_row is not None and self.proxy.rowCount(index):
            index = self.proxy.index(min(measure_row, self.proxy.rowCount(index) - 1), 0, index)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)

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
