"""The selected problem or measure in full: its long text and, for a problem, the ledger fields.

The panel never writes anything itself: it emits ``field_edited`` and friends, the window calls
the store and hands the fresh record back through ``set_item``.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from gui import labels
from gui.source_view import OffsetMap

EDITED_PALETTE = QPalette()
for _role in (QPalette.ColorRole.Base, QPalette.ColorRole.Button):
    EDITED_PALETTE.setColor(_role, QColor("#fff4c2"))

# ledger fields of a problem edited with a line edit, in form order
LINE_FIELDS = ["leader", "units", "person", "deadline", "closed_at", "effect", "remark"]


class EditorPanel(QWidget):
    field_edited = Signal(str, int, str, object)      # entity, row id, field, new value
    split_requested = Signal(int, int)                # measure id, str offset into its text
    evidence_add_requested = Signal(int, str)         # problem id, file path
    evidence_remove_requested = Signal(int)           # evidence id

    def __init__(self, parent=None, *, settings=None):
        super().__init__(parent)
        self.settings = settings     # gui.settings.Settings: the file dialog's last folder
        self._entity: str | None = None
        self._row: dict | None = None
        self._build()
        self._connect()
        self.set_item(None, None)

    # --- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("选中左侧的问题或措施后在此修改全文")
        self.text_edit.setMaximumHeight(140)   # about six lines; the ledger form follows
        self.save_button = QPushButton("保存文字")
        self.split_button = QPushButton("在光标处拆分措施")
        self.split_button.setToolTip("把措施从光标处拆成两条（光标后的文字成为新措施）")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.split_button)
        buttons.addStretch(1)

        self.status_combo = QComboBox()
        self.status_combo.addItems([""] + labels.STATUSES)
        self.type_combo = QComboBox()
        self.type_combo.addItems([""] + labels.RECTIFY_TYPES)
        self.closed_box = QCheckBox("已销号")
        self.lines = {field: QLineEdit() for field in LINE_FIELDS}
        self.lines["deadline"].setPlaceholderText("如 2024-12-31 或 长期坚持")
        self.evidence_list = QListWidget()
        self.evidence_list.setMaximumHeight(80)
        self.evidence_add = QPushButton("添加佐证材料…")
        self.evidence_remove = QPushButton("移除")
        self.evidence_open = QPushButton("打开")

        self.status_form = QFormLayout()
        self.status_form.addRow("整改状态", self.status_combo)
        self.ledger_box = QGroupBox("台账信息")
        form = QFormLayout(self.ledger_box)
        form.addRow("责任领导", self.lines["leader"])
        form.addRow("责任单位", self.lines["units"])
        form.addRow("责任人", self.lines["person"])
        form.addRow("整改类型", self.type_combo)
        form.addRow("整改时限", self.lines["deadline"])
        form.addRow("销号", self.closed_box)
        form.addRow("销号时间", self.lines["closed_at"])
        form.addRow("整改成效", self.lines["effect"])
        form.addRow("备注", self.lines["remark"])
        evidence_buttons = QHBoxLayout()
        evidence_buttons.addWidget(self.evidence_add)
        evidence_buttons.addWidget(self.evidence_open)
        evidence_buttons.addWidget(self.evidence_remove)
        evidence_buttons.addStretch(1)
        evidence = QVBoxLayout()
        evidence.addWidget(self.evidence_list)
        evidence.addLayout(evidence_buttons)
        form.addRow("佐证材料", evidence)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text_edit)
        layout.addLayout(buttons)
        layout.addLayout(self.status_form)
        layout.addWidget(self.ledger_box)
        layout.addStretch(1)   # spare height below the form, not around the heading

    def _connect(self) -> None:
        self.save_button.clicked.connect(self.commit_text)
        self.split_button.clicked.connect(self.split_at_cursor)
        self.text_edit.modificationChanged.connect(self._update_buttons)
        self.text_edit.installEventFilter(self)
        self.status_combo.activated.connect(lambda: self._emit("status", self.status_combo.currentText() or None))
        self.type_combo.activated.connect(lambda: self._emit("rectify_type", self.type_combo.currentText() or None))
        self.closed_box.clicked.connect(lambda checked: self._emit("closed", bool(checked)))
        for field, edit in self.lines.items():
            edit.editingFinished.connect(lambda field=field, edit=edit: self._emit(field, edit.text().strip() or None))
        self.evidence_add.clicked.connect(self._add_evidence)
        self.evidence_remove.clicked.connect(self._remove_evidence)
        self.evidence_open.clicked.connect(self.open_evidence)
        self.evidence_list.itemDoubleClicked.connect(self.open_evidence)
        self.evidence_list.currentItemChanged.connect(self._update_buttons)

    # --- content ---------------------------------------------------------------------------
    def set_item(self, entity: str | None, row: dict | None) -> None:
        """Show a problem or measure (or nothing); never emits an edit."""
        same_item = self._row is not None and row is not None and (entity, row["id"]) == (self._entity, self._row["id"])
        keep_text = same_item and self.text_edit.document().isModified()
        self._entity, self._row = entity, row
        self.setEnabled(row is not None)
        is_problem = entity == "problem"
        self.ledger_box.setVisible(is_problem)
        self.split_button.setVisible(entity == "measure")
        if row is None:   # nothing of the previous item may stay in the disabled form
            self.heading.setText("未选中问题或措施")
            self.text_edit.setPlainText("")
            self.text_edit.document().setModified(False)
            self.status_combo.setCurrentIndex(0)
            self.type_combo.setCurrentIndex(0)
            self.closed_box.setChecked(False)
            for edit in self.lines.values():
                edit.clear()
            self.evidence_list.clear()
            return
        self.heading.setText(self._heading(entity, row))
        text_field = "title" if is_problem else "text"
        if not keep_text and self.text_edit.toPlainText() != (row.get(text_field) or ""):
            self.text_edit.setPlainText(row.get(text_field) or "")
            self.text_edit.document().setModified(False)
        self._mark(self.text_edit, text_field)
        self.status_combo.setCurrentText(row.get("status") or "")
        self._mark(self.status_combo, "status")
        if is_problem:
            self.type_combo.setCurrentText(row.get("rectify_type") or "")
            self._mark(self.type_combo, "rectify_type")
            self.closed_box.setChecked(bool(row.get("closed")))
            for field, edit in self.lines.items():
                if (not edit.hasFocus() or not same_item) and edit.text() != (row.get(field) or ""):
                    edit.setText(row.get(field) or "")
                self._mark(edit, field)
            self.evidence_list.clear()
            for item in row.get("evidence", ()):
                entry = QListWidgetItem(item["name"])
                entry.setToolTip(item.get("path") or "")
                entry.setData(Qt.UserRole, item["id"])
                self.evidence_list.addItem(entry)
        self._update_buttons()

    def current(self) -> tuple[str, dict] | None:
        return (self._entity, self._row) if self._row is not None else None

    def commit_text(self) -> None:
        """Save the long text if it was changed."""
        if self._row is None or not self.text_edit.document().isModified():
            return
        field = "title" if self._entity == "problem" else "text"
        text = self.text_edit.toPlainText().strip()
        self.text_edit.document().setModified(False)
        if text:
            self._emit(field, text)

    # --- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _heading(entity: str, row: dict) -> str:
        if entity == "problem":
            parts = [f"问题 {row['seq']}"]
            if row.get("category"):
                parts.append(row["category"])
            if row.get("confidence") is not None:
                parts.append(f"置信度 {row['confidence']:.0%}")
            return "　".join(parts)
        return f"措施 {row['seq']}"

    def _mark(self, widget, field: str) -> None:
        """A corrected field shows the extracted value in its tooltip and a tinted background
        (a palette, not a style sheet, which would re-polish the panel on every change)."""
        edited = field in self._row.get("edited_fields", ())
        widget.setToolTip(
            f"已修改。提取值：{labels.value_text(self._row.get('extracted', {}).get(field))}" if edited else ""
        )
        widget.setPalette(EDITED_PALETTE if edited else QPalette())

    def _emit(self, field: str, value) -> None:
        if self._row is None:
            return
        current = self._row.get(field)
        if (current if current not in ("", None) else None) == value:
            return
        self.field_edited.emit(self._entity, self._row["id"], field, value)

    def split_at_cursor(self) -> bool:
        """Ask to split the shown measure where the text cursor is; False if that is not possible."""
        if self._entity != "measure" or self.text_edit.document().isModified():
            return False
        text = self.text_edit.toPlainText()
        offset = OffsetMap(text).to_py(self.text_edit.textCursor().position())
        if not 0 < offset < len(text):
            return False
        self.split_requested.emit(self._row["id"], offset)
        return True

    def _add_evidence(self) -> None:
        from gui.file_dialogs import choose_evidence_file   # not needed for the first frame
        from gui.settings import Settings

        path = choose_evidence_file(self, self.settings or Settings())
        if path and self._row is not None:
            self.evidence_add_requested.emit(self._row["id"], path)

    def _remove_evidence(self) -> None:
        item = self.evidence_list.currentItem()
        if item is not None:
            self.evidence_remove_requested.emit(item.data(Qt.UserRole))

    def open_evidence(self, *_args) -> bool:
        """Open the selected evidence file (its copy in the data folder) with the system's program."""
        from pathlib import Path

        from gui.help_dialogs import open_path   # not needed for the first frame

        item = self.evidence_list.currentItem()
        if item is None or not item.toolTip():
            return False
        return open_path(Path(item.toolTip()))

    def _update_buttons(self, *_args) -> None:
        modified = self.text_edit.document().isModified()
        self.save_button.setEnabled(modified)
        self.split_button.setEnabled(not modified)
        self.evidence_remove.setEnabled(self.evidence_list.currentItem() is not None)
        self.evidence_open.setEnabled(self.evidence_list.currentItem() is not None)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.text_edit and event.type() == QEvent.FocusOut:
            self.commit_text()
        return super().eventFilter(watched, event)
