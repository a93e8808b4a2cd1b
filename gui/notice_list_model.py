"""The imported notices as a flat table: title, issuer, date, problem count, progress, status."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from gui.labels import notice_name

COLUMNS = ["标题", "发布单位", "日期", "问题数", "核对进度", "状态"]
COL_TITLE, COL_ISSUER, COL_DATE = range(3)
ROW_ROLE = Qt.UserRole + 1   # the row dict of Store.list_notices()
ID_ROLE = Qt.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


def progress_text(row: dict) -> str:
    total = row.get("problem_count", 0) + row.get("measure_count", 0)
    done = row.get("checked_count", 0)
    return f"{done}/{total}" if total else "—"


class NoticeListModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        """Same notices in the same order are refreshed in place; anything else resets."""
        if [r["id"] for r in rows] != [r["id"] for r in self._rows]:
            self.beginResetModel()
            self._rows = list(rows)
            self.endResetModel()
            return
        for i, (old, new) in enumerate(zip(self._rows, rows)):
            if old != new:
                self._rows[i] = new
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def row_of(self, notice_id: int) -> int:
        for i, row in enumerate(self._rows):
            if row["id"] == notice_id:
                return i
        return -1

    def ids(self) -> list[int]:
        return [r["id"] for r in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row["id"]
        if role == Qt.DisplayRole:
            return [
                notice_name(row),
                row.get("issuer") or "",
                row.get("published") or "",
                str(row.get("problem_count", 0)),
                progress_text(row),
                row.get("review_status") or "",
            ][index.column()]
        if role == Qt.ToolTipRole and index.column() == COL_TITLE:
            return "\n".join([row.get("title") or f"{notice_name(row)}（原文没有标题行）",
                              f"发布单位：{row.get('issuer') or '（未识别）'}",
                              f"发布日期：{row.get('published') or '（未识别）'}"])
        if role == Qt.TextAlignmentRole and index.column() in (3, 4):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None
