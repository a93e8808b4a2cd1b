"""修改记录: every correction of the current notice, newest first; clicking one jumps to its item."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from gui import labels

# steps the store logs alongside the reviewer's change
BOOKKEEPING = {"checked_at", "position", "touched"}
COLUMNS = ["时间", "审核人", "操作", "对象", "字段", "修改内容"]


class EditLogView(QTreeWidget):
    jump_requested = Signal(str, int)   # entity, row id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderLabels(COLUMNS)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        for column, width in enumerate([140, 56, 70, 80, 90]):   # 修改内容 takes the rest
            self.header().resizeSection(column, width)
        self.itemActivated.connect(self._jump)
        self.itemClicked.connect(self._jump)

    def set_entries(self, entries: list[dict]) -> None:
        """One row per correction (log group), newest first."""
        self.clear()
        groups: dict = {}
        for entry in entries:
            groups.setdefault(entry.get("group", entry["id"]), []).append(entry)
        items = []
        for group in reversed(groups.values()):
            shown = [e for e in group if e.get("field") not in BOOKKEEPING] or group
            entry = next((e for e in shown if e["row_id"] == group[0]["row_id"]), shown[0])
            change = f"{labels.value_text(entry.get('old'))} → {labels.value_text(entry.get('new'))}"
            at = (entry.get("at") or "").replace("T", " ")[:16]
            item = QTreeWidgetItem([
                at, entry.get("reviewer") or "", labels.action_label(entry.get("action")),
                f"{labels.ENTITY.get(entry.get('entity'), entry.get('entity'))} #{entry.get('row_id')}",
                "、".join(dict.fromkeys(labels.field_label(e.get("field")) for e in shown)), change,
            ])
            item.setData(0, Qt.UserRole, (entry.get("entity"), entry.get("row_id")))
            item.setToolTip(5, change)
            if group[0].get("undone"):
                for column in range(len(COLUMNS)):
                    item.setForeground(column, QColor("#999999"))
                item.setToolTip(2, "已撤销")
            items.append(item)
        self.addTopLevelItems(items)

    def _jump(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        entity, row_id = item.data(0, Qt.UserRole)
        if entity and row_id is not None:
            self.jump_requested.emit(entity, int(row_id))
