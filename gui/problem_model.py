"""The problems of one notice as a tree: problems at the top, their measures as children.

Edits go through the store's correction services in ``setData``; the window then hands the
fresh notice record to ``update_notice``, which refreshes only the rows that changed.
"""
from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from gui import labels
from gui.messages import REFUSALS, error_text, failure_title

COLUMNS = ["序号", "类别", "问题", "整改措施", "责任单位", "整改时限", "状态", "已核对"]
COL_SEQ, COL_CATEGORY, COL_TITLE, COL_MEASURE, COL_UNITS, COL_DEADLINE, COL_STATUS, COL_CHECKED = range(8)

# column -> editable field, per entity
FIELDS = {
    "problem": {COL_CATEGORY: "category", COL_TITLE: "title", COL_UNITS: "units",
                COL_DEADLINE: "deadline", COL_STATUS: "status"},
    "measure": {COL_MEASURE: "text", COL_STATUS: "status"},
}

ROW_ROLE = Qt.UserRole + 1      # the problem or measure dict
ENTITY_ROLE = Qt.UserRole + 2   # "problem" or "measure"
FIELD_ROLE = Qt.UserRole + 3    # the store field behind the cell, or None

_EDITED_BRUSH = QBrush(QColor("#fff4c2"))
_WARNING_BRUSH = {"红": QBrush(QColor("#d93025")), "黄": QBrush(QColor("#c98a00")), "绿": QBrush(QColor("#188038"))}

Index = QModelIndex | QPersistentModelIndex


class Item(NamedTuple):
    """One row of the tree: ``entity`` is "problem" or "measure", ``row`` its record dict."""

    entity: str
    row: dict

# the roles data() answers, as plain ints: each ``Qt.SomeRole`` looked up in data() cost about
# 3 µs (PySide's enum attributes), which made painting the tree take 9 ms for 20 rows
_R_DISPLAY, _R_EDIT, _R_CHECK_STATE, _R_TOOLTIP, _R_BACKGROUND, _R_FOREGROUND, _R_FONT = (
    int(r) for r in (Qt.DisplayRole, Qt.EditRole, Qt.CheckStateRole, Qt.ToolTipRole, Qt.BackgroundRole,
                     Qt.ForegroundRole, Qt.FontRole))
_ROLES = frozenset({int(ROW_ROLE), int(ENTITY_ROLE), int(FIELD_ROLE), _R_DISPLAY, _R_EDIT, _R_CHECK_STATE,
                    _R_TOOLTIP, _R_BACKGROUND, _R_FOREGROUND, _R_FONT})
_CHECKED, _UNCHECKED = Qt.Checked, Qt.Unchecked
# flags per (editable, checkable), combined once (combining Qt flags costs microseconds each)
_NO_FLAGS = Qt.NoItemFlags
_BASE_FLAGS = Qt.ItemIsEnabled | Qt.ItemIsSelectable
_FLAGS = {(editable, checkable): _BASE_FLAGS | (Qt.ItemIsEditable if editable else _NO_FLAGS)
          | (Qt.ItemIsUserCheckable if checkable else _NO_FLAGS)
          for editable in (False, True) for checkable in (False, True)}
_BOLD = QFont()
_BOLD.setBold(True)


def _shape(notice: dict | None) -> list:
    """The ids that decide the tree's structure; equal shapes can be refreshed in place."""
    if not notice:
        return []
    return [(p["id"], [m["id"] for m in p["measures"]]) for p in notice["problems"]]


def _one_line(text: str | None, limit: int = 120) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ProblemModel(QAbstractItemModel):
    # a store call made by setData succeeded; the window refreshes from the Change dict
    changed = Signal(dict)
    # a store call was refused: the message box's title and the Chinese reason
    failed = Signal(str, str)

    def __init__(self, store=None, parent=None):
        super().__init__(parent)
        self._store = store
        self._notice: dict | None = None

    def set_store(self, store) -> None:
        self._store = store

    # --- rows -------------------------------------------------------------------------
    @property
    def notice(self) -> dict | None:
        return self._notice

    def set_notice(self, notice: dict | None) -> None:
        self.beginResetModel()
        self._notice = notice
        self.endResetModel()

    def update_notice(self, notice: dict) -> bool:
        """Take a fresh record of the same notice: rows whose data changed get dataChanged,
        a different structure (added, deleted, moved items) resets the model (returns True)."""
        old = self._notice
        if old is None or old["id"] != notice["id"] or _shape(old) != _shape(notice):
            self.set_notice(notice)
            return True
        self._notice = notice
        last = self.columnCount() - 1
        for row, (before, after) in enumerate(zip(old["problems"], notice["problems"])):
            if _without_children(before) != _without_children(after):
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            parent = self.index(row, 0)
            for mrow, (mb, ma) in enumerate(zip(before["measures"], after["measures"])):
                if mb != ma:
                    self.dataChanged.emit(self.index(mrow, 0, parent), self.index(mrow, last, parent))
        return False

    def problems(self) -> list[dict]:
        return self._notice["problems"] if self._notice else []

    def index_of(self, entity: str, row_id: int) -> QModelIndex:
        for row, problem in enumerate(self.problems()):
            if entity == "problem" and problem["id"] == row_id:
                return self.index(row, 0)
            if entity == "measure":
                for mrow, measure in enumerate(problem["measures"]):
                    if measure["id"] == row_id:
                        return self.index(mrow, 0, self.index(row, 0))
        return QModelIndex()

    def item(self, index: Index) -> Item | None:
        if not index.isValid():
            return None
        parent_row = index.internalId()
        if parent_row == 0:
            return Item("problem", self.problems()[index.row()])
        return Item("measure", self.problems()[parent_row - 1]["measures"][index.row()])

    # --- QAbstractItemModel --------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        # bounds checked here: hasIndex() would call rowCount and columnCount back through Qt
        if not (0 <= column < len(COLUMNS) and 0 <= row < self.rowCount(parent)):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        # children carry their problem's row + 1 as internal id; problems carry 0
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self.problems())
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self.problems()[parent.row()]["measures"])

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlags:
        if not index.isValid():
            return _NO_FLAGS
        column = index.column()
        entity = "problem" if index.internalId() == 0 else "measure"
        return _FLAGS[column in FIELDS[entity], column == COL_CHECKED]

    def data(self, index: Index, role: int = Qt.DisplayRole):
        if role not in _ROLES:   # the view asks for a dozen roles per cell; most are unused
            return None
        found = self.item(index)
        if found is None:
            return None
        entity, row = found
        column = index.column()
        field = FIELDS[entity].get(column)
        if role == ROW_ROLE:
            return row
        if role == ENTITY_ROLE:
            return entity
        if role == FIELD_ROLE:
            return field
        if role == _R_DISPLAY:
            return self._display(entity, row, column, index)
        if role == _R_EDIT:
            return row.get(field) or "" if field else None
        if role == _R_CHECK_STATE and column == COL_CHECKED:
            return _CHECKED if row.get("checked") else _UNCHECKED
        if role == _R_TOOLTIP:
            return self._tooltip(entity, row, column, field)
        if role == _R_BACKGROUND and field and field in row.get("edited_fields", ()):
            return _EDITED_BRUSH
        if role == _R_FOREGROUND and column == COL_CHECKED and entity == "problem":
            return _WARNING_BRUSH.get(row.get("warning"))
        if role == _R_FONT and entity == "problem" and column == COL_TITLE:
            return _BOLD
        return None

    def setData(self, index: Index, value, role: int = Qt.EditRole) -> bool:
        found = self.item(index)
        if found is None:
            return False
        entity, row = found
        if role == Qt.CheckStateRole and index.column() == COL_CHECKED:
            checked = Qt.CheckState(value) == Qt.Checked
            return self._call(self._store.set_checked, entity, row["id"], checked)
        field = FIELDS[entity].get(index.column())
        if role != Qt.EditRole or field is None:
            return False
        value = str(value).strip()
        if value == (row.get(field) or "") or (not value and field in ("title", "text")):
            return False
        return self._call(self._store.update_field, entity, row["id"], field, value or None)

    # --- helpers ---------------------------------------------------------------------------
    def _call(self, service, *args) -> bool:
        try:
            change = service(*args)
        except REFUSALS as exc:
            self.failed.emit(failure_title(service.__name__), error_text(exc))
            return False
        self.changed.emit(change)
        return True

    def _display(self, entity: str, row: dict, column: int, index: Index) -> str:
        return _DISPLAY[entity].get(column, _blank)(self, row, index)

    def _tooltip(self, entity: str, row: dict, column: int, field: str | None):
        lines = []
        if field and field in row.get("edited_fields", ()):
            extracted = row.get("extracted", {}).get(field)
            lines.append(f"已修改。提取值：{extracted or '（空）'}\n右键可“恢复提取值”")
        if column == COL_TITLE and entity == "problem":
            lines.append(row.get("title") or "")
        if column == COL_MEASURE and entity == "measure":
            lines.append(row.get("text") or "")
        if column == COL_CHECKED and entity == "problem" and row.get("warning"):
            lines.append(labels.WARNING_TEXT[row["warning"]])
        if column == COL_SEQ and entity == "problem":
            confidence = row.get("confidence")
            lines.append("人工添加" if confidence is None else f"置信度 {confidence:.0%}")
        return "\n".join(line for line in lines if line) or None


def _blank(_model, _row, _index) -> str:
    return ""


# what a cell shows: entity -> column -> (model, row, index) -> text; only the cell asked for
# is computed (the view asks for every visible cell on each paint)
_DISPLAY = {
    "problem": {
        COL_SEQ: lambda m, r, i: str(r["seq"]),
        COL_CATEGORY: lambda m, r, i: r.get("category") or "",
        COL_TITLE: lambda m, r, i: _one_line(r.get("title")),
        COL_MEASURE: lambda m, r, i: f"{len(r['measures'])} 项措施",
        COL_UNITS: lambda m, r, i: r.get("units") or "",
        COL_DEADLINE: lambda m, r, i: r.get("deadline") or "",
        COL_STATUS: lambda m, r, i: r.get("status") or "",
        COL_CHECKED: lambda m, r, i: labels.warning_mark(r.get("warning")),
    },
    "measure": {
        COL_SEQ: lambda m, r, i: f"{m.problems()[i.internalId() - 1]['seq']}.{r['seq']}",
        COL_MEASURE: lambda m, r, i: _one_line(r.get("text")),
        COL_UNITS: lambda m, r, i: "、".join(r.get("units") or ()),
        COL_DEADLINE: lambda m, r, i: "、".join(r.get("dates") or ()),
        COL_STATUS: lambda m, r, i: r.get("status") or "",
    },
}


def _without_children(problem: dict) -> dict:
    return {k: v for k, v in problem.items() if k != "measures"}
