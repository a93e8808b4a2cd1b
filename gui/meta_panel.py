"""The notice's metadata (title, issuer, dates …), editable, with the extraction's warnings."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QListWidget, QVBoxLayout, QWidget

from gui import labels
from gui.editor_panel import EDITED_PALETTE

FIELDS = ["title", "kind", "issuer", "inspector", "round", "inspection_start", "inspection_end",
          "feedback_date", "published"]


class MetaPanel(QWidget):
    field_edited = Signal(str, int, str, object)   # "notice", notice id, field, new value

    def __init__(self, parent=None):
        super().__init__(parent)
        self._notice: dict | None = None
        self._build()
        self._connect()
        self.set_notice(None)

    def _build(self) -> None:
        self.edits = {field: QLineEdit() for field in FIELDS}
        self.review_label = QLabel()
        # the page's fuller date where the signature (the contract's 发布日期) stops at the month
        self.page_day_label = QLabel()
        self.page_day_label.setObjectName("pageDay")
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.warnings = QListWidget()
        self.warnings.setMaximumHeight(90)
        form = QFormLayout()
        for field in FIELDS:
            form.addRow(labels.field_label(field), self.edits[field])
        form.addRow("", self.page_day_label)
        self._form = form
        form.addRow("审核状态", self.review_label)
        form.addRow("来源文件", self.source_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("提取提示"))
        layout.addWidget(self.warnings)
        layout.addStretch(1)

    def _connect(self) -> None:
        for field, edit in self.edits.items():
            edit.editingFinished.connect(lambda field=field, edit=edit: self._emit(field, edit.text().strip() or None))

    def set_notice(self, notice: dict | None) -> None:
        self._notice = notice
        self.setEnabled(notice is not None)
        notice = notice or {}
        edited = notice.get("edited_fields", ())
        for field, edit in self.edits.items():
            edit.setText(notice.get(field) or "")
            extracted = notice.get("extracted", {}).get(field)
            edit.setToolTip(f"已修改。提取值：{labels.value_text(extracted)}" if field in edited else "")
            # a palette, not a style sheet, which would re-polish the panel on every change
            edit.setPalette(EDITED_PALETTE if field in edited else QPalette())
        self.review_label.setText(notice.get("review_status") or "")
        self._show_page_day(notice)
        source = notice.get("source") or {}
        self.source_label.setText(source.get("path") or source.get("name") or "")
        self.warnings.clear()
        self.warnings.addItems(notice.get("warnings") or [])

    def _show_page_day(self, notice: dict) -> None:
        day = None
        published = notice.get("published") or ""
        if len(published) == 7 and notice.get("text"):   # a month only (no extractor loaded before)
            from core.extract.meta import page_day

            day = page_day(notice["text"], published, notice.get("title"))
        self.page_day_label.setText(f"网页标注的发布时间为 {day}（落款日期只写到月）" if day else "")
        self._form.setRowVisible(self.page_day_label, bool(day))

    def _emit(self, field: str, value) -> None:
        if self._notice is not None and (self._notice.get(field) or None) != value:
            self.field_edited.emit("notice", self._notice["id"], field, value)
