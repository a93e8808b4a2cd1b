"""The left panel: the notice filter over the list of imported notices. The current row is the
notice shown; Ctrl/Shift+click select more for 导出台账 (选中的通报)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QLineEdit, QStyle, QStyleOptionViewItem, QTableView, QVBoxLayout,
    QWidget,
)

from core.vocab import REVIEW_STATUSES
from gui.notice_list_model import (
    COL_DATE, COL_ISSUER, COL_PROBLEMS, COL_PROGRESS, COL_STATUS, COL_TITLE, ID_ROLE, NoticeListModel,
)

FILTER_DELAY_MS = 200   # the filter waits for a pause in typing
# The short columns are as wide as their widest possible text, fixed: sizing them to their
# contents measured every row shown again after each filter or page (half of the 16 ms of CPU
# a filter of a 10,000-notice list took, painting included).
WIDEST_TEXT = {COL_PROBLEMS: ("9999",), COL_PROGRESS: ("999/9999",), COL_STATUS: REVIEW_STATUSES}


class NoticePanel(QWidget):
    # the user picked another notice (not emitted when the window selects the row itself)
    notice_chosen = Signal(int)
    # the filter text settled: the window re-reads the list
    filter_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = NoticeListModel(self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("筛选通报：标题、单位…")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.lay_out_columns()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("通报"))
        box.addWidget(self.filter)
        box.addWidget(self.table)

        self._syncing = False
        self._timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._timer.timeout.connect(self.filter_changed)
        self.filter.textChanged.connect(self._timer.start)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

    def lay_out_columns(self) -> None:
        """The title takes the room the fixed short columns leave; the issuer and date are in
        the title's tooltip, so a narrow panel keeps room for the title. Done again when the
        panel is shown: the window restores a remembered header state over it."""
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for column, texts in WIDEST_TEXT.items():
            widest = max(self._cell_width(text) for text in texts)
            header.resizeSection(column, max(widest, header.sectionSizeHint(column)))
        for column in (COL_ISSUER, COL_DATE):
            self.table.setColumnHidden(column, True)

    def _cell_width(self, text: str) -> int:
        """The width a cell showing ``text`` asks for, as the view's delegate measures it."""
        option = QStyleOptionViewItem()
        self.table.initViewItemOption(option)
        option.text = text
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
        size = self.table.style().sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, option, QSize(), self.table)
        return size.width() + (1 if self.table.showGrid() else 0)

    def showEvent(self, event) -> None:
        self.lay_out_columns()
        super().showEvent(event)

    def filter_text(self) -> str:
        return self.filter.text().strip()

    def ids(self) -> list[int]:
        return self.model.ids()

    def selected_ids(self, current_id: int | None) -> list[int]:
        """The selected notices, the shown one (``current_id``) first."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        ids = [self.model.index(row, 0).data(ID_ROLE) for row in rows]
        if current_id is None:
            return ids
        return [current_id] + [i for i in ids if i != current_id]

    def select(self, notice_id: int) -> None:
        """Make the notice's row current without emitting ``notice_chosen``."""
        row = self.model.row_of(notice_id)
        if row >= 0 and self.table.currentIndex().row() != row:
            self._syncing = True
            self.table.selectRow(row)
            self._syncing = False

    def _row_changed(self, current: QModelIndex, _previous=None) -> None:
        if not self._syncing and current.isValid():
            self.notice_chosen.emit(current.data(ID_ROLE))
