"""Ctrl+F: find text in the shown notice (a bar under the original text)."""
from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget


class FindBar(QWidget):
    def __init__(self, view, parent=None):
        super().__init__(parent)
        self._view = view
        self._build()
        self._connect()
        self.hide()

    def _build(self) -> None:
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("在本通报中查找")
        self.next_button = QPushButton("下一个")
        self.prev_button = QPushButton("上一个")
        self.close_button = QPushButton("关闭")
        self.status = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.edit, self.next_button, self.prev_button, self.status, self.close_button):
            layout.addWidget(widget)

    def _connect(self) -> None:
        self.edit.returnPressed.connect(self.find_next)
        self.next_button.clicked.connect(self.find_next)
        self.prev_button.clicked.connect(lambda: self.find_next(backward=True))
        self.close_button.clicked.connect(self.hide)
        QShortcut(QKeySequence("Escape"), self, activated=self.hide)

    def start(self) -> None:
        selected = self._view.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.edit.setText(selected)
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def find_next(self, backward: bool = False) -> bool:
        text = self.edit.text()
        if not text:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self._view.find(text, flags)
        if not found:  # wrap around once
            cursor = self._view.textCursor()
            cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
            self._view.setTextCursor(cursor)
            found = self._view.find(text, flags)
        self.status.setText("" if found else "未找到")
        return found
