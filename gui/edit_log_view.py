"""修改记录: every correction of the current notice, newest first; clicking one jumps to its item.

The rows are ``core.log_rows.edit_log_rows()``, the same the exported 修改记录 sheet shows."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from core.log_rows import edit_log_rows

COLUMNS = ["时间", "审核人", "操作", "对象", "修改内容"]
KEYS = ["at", "reviewer", "action", "target", "change"]
WIDTHS = [120, 56, 90, 150]   # 修改内容 takes the rest; 操作 then fits its longest entry
COL_ACTION = KEYS.index("action")
UNDONE_COLOR = "#999999"


class EditLogView(QTreeWidget):
    jump_requested = Signal(str, int)   # entity, row id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderLabels(COLUMNS)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        for column, width in enumerate(WIDTHS):
            self.header().resizeSection(column, width)
        self.itemActivated.connect(self._jump)
        self.itemClicked.connect(self._jump)

    def set_entries(self, entries: list[dict], notice: dict | None = None) -> None:
        """One row per correction (log group), newest first. ``entries`` is
        ``Store.edit_log()``; ``notice`` (a ``get_notice()`` record) is optional."""
        self.clear()
        items = []
        for row in reversed(edit_log_rows(entries, notice)):
            item = QTreeWidgetItem([row[key] for key in KEYS])
            item.setData(0, Qt.UserRole, (row["entity"], row["row_id"]))
            item.setToolTip(3, row["target"])
            item.setToolTip(4, row["change"])
            if row["undone"]:
                for column in range(len(COLUMNS)):
                    item.setForeground(column, QColor(UNDONE_COLOR))
                item.setToolTip(2, "已撤销")
            items.append(item)
        self.addTopLevelItems(items)
        self.resizeColumnToContents(COL_ACTION)   # 恢复提取结果, 拆为新问题 … are never cut

    def _jump(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        entity, row_id = item.data(0, Qt.UserRole)
        if entity and row_id is not None:
            self.jump_requested.emit(entity, int(row_id))
