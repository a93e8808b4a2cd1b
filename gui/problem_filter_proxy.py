"""Filters the problem tree by status, deadline warning and 已核对; measures follow their problem."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from gui.problem_model import ROW_ROLE

# Qt 6.10 added begin/endFilterChange and deprecated invalidateRowsFilter; the floor
# (PySide6 6.7, pyproject) has only invalidateRowsFilter
_FILTER_CHANGE_API = hasattr(QSortFilterProxyModel, "endFilterChange")

ANY = None
UNSET = ""   # status filter value meaning "整改状态 not filled in"


class ProblemFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._status: str | None = ANY
        self._warning: str | None = ANY     # "红"/"黄"/"绿", or "any" for any warning
        self._checked: bool | None = ANY

    def set_filters(self, *, status=ANY, warning=ANY, checked=ANY) -> None:
        if not _FILTER_CHANGE_API:
            self._status, self._warning, self._checked = status, warning, checked
            self.invalidateRowsFilter()
            return
        self.beginFilterChange()
        self._status, self._warning, self._checked = status, warning, checked
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if source_parent.isValid():
            return True
        problem = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        if self._status is not ANY and (problem.get("status") or UNSET) != self._status:
            return False
        if self._warning == "any" and not problem.get("warning"):
            return False
        if self._warning not in (ANY, "any") and problem.get("warning") != self._warning:
            return False
        if self._checked is not ANY and bool(problem.get("checked")) != self._checked:
            return False
        return True
