"""The imported notices as a flat table: title, issuer, date, problem count, progress, status.

Rows come a page at a time (Qt's ``canFetchMore``/``fetchMore``) from a ``fetch(offset, limit)``
callable, so a 10,000-notice database lists as fast as a small one; after a change the window
refreshes the one row it touched (``refresh_row``) instead of re-reading the list.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from gui.labels import notice_name

COLUMNS = ["标题", "发布单位", "日期", "问题数", "核对进度", "状态"]
COL_TITLE, COL_ISSUER, COL_DATE, COL_PROBLEMS, COL_PROGRESS, COL_STATUS = range(6)
ROW_ROLE = Qt.UserRole + 1   # the row dict of Store.list_notices()
ID_ROLE = Qt.UserRole + 2
PAGE = 200                   # rows fetched at a time

Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, int], list[dict]]


def progress_text(row: dict) -> str:
    """Checked problems of all problems, as the window's summary and the command line count."""
    total = row.get("problem_count", 0)
    return f"{row.get('checked_count', 0)}/{total}" if total else "—"


DISPLAY = (   # per column: the row's text
    notice_name,
    lambda row: row.get("issuer") or "",
    lambda row: row.get("published") or "",
    lambda row: str(row.get("problem_count", 0)),
    progress_text,
    lambda row: row.get("review_status") or "",
)


# the roles data() answers (a set of ints: comparing the role with each Qt enum in turn doubled
# the CPU time of painting the list)
_ANSWERED = frozenset(int(r) for r in (ROW_ROLE, ID_ROLE, Qt.DisplayRole, Qt.ToolTipRole, Qt.TextAlignmentRole))


class NoticeListModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[dict] = []
        self._fetch: Fetch | None = None
        self._total = 0

    # --- filling -------------------------------------------------------------------------
    def set_source(self, fetch: Fetch, total: int) -> None:
        """List ``total`` notices fetched a page at a time with ``fetch(offset, limit)``
        (e.g. ``Store.list_notices(text, limit=…, offset=…)``); the first page comes at once."""
        self.beginResetModel()
        self._fetch, self._total = fetch, total
        self._rows = list(fetch(0, min(PAGE, total))) if total else []
        self._total = max(total, len(self._rows))
        self.endResetModel()

    def set_rows(self, rows: list[dict]) -> None:
        """A whole list at once: same notices in the same order are refreshed in place."""
        if self._fetch is None and [r["id"] for r in rows] == [r["id"] for r in self._rows]:
            for row in rows:
                self.refresh_row(row)
            return
        self.beginResetModel()
        self._fetch, self._rows, self._total = None, list(rows), len(rows)
        self.endResetModel()

    def stop_fetching(self) -> None:
        """Keep the rows fetched so far and ask for no more (the store is closing)."""
        self._fetch = None
        self._total = len(self._rows)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._fetch is not None and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        page = list(self._fetch(len(self._rows), min(PAGE, self._total - len(self._rows))))
        if not page:   # the list shrank under us: stop asking
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def refresh_row(self, row: dict | None) -> bool:
        """Replace one notice's row (a ``Store.notice_summary()``) in place; False if it is not
        among the rows fetched so far."""
        if not row:
            return False
        i = self.row_of(row["id"])
        if i < 0:
            return False
        if self._rows[i] != row:
            self._rows[i] = row
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
        return True

    # --- reading -------------------------------------------------------------------------
    def row_of(self, notice_id: int) -> int:
        """The row of ``notice_id`` among the rows fetched so far, or -1."""
        for i in range(len(self._rows)):
            if self._rows[i]["id"] == notice_id:
                return i
        return -1

    def ids(self) -> list[int]:
        """The ids of the rows fetched so far."""
        return [r["id"] for r in self._rows]

    def total(self) -> int:
        """How many notices the list holds, fetched or not."""
        return self._total

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if role not in _ANSWERED:   # the view asks for a dozen roles per cell when painting
            return None
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row["id"]
        if role == Qt.DisplayRole:
            return DISPLAY[index.column()](row)
        if role == Qt.ToolTipRole and index.column() == COL_TITLE:
            return "\n".join([row.get("title") or f"{notice_name(row)}（原文没有标题行）",
                              f"发布单位：{row.get('issuer') or '（未识别）'}",
                              f"发布日期：{row.get('published') or '（未识别）'}",
                              f"来源文件：{row.get('source_name') or '（粘贴的文字）'}"])
        if role == Qt.TextAlignmentRole and index.column() in (COL_PROBLEMS, COL_PROGRESS):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None
