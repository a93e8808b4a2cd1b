"""A dismissible line of advice above the work area (e.g. what to do after the first start)."""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class HintBanner(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._build()
        self._connect()
        self.hide()

    def _build(self) -> None:
        self.setObjectName("hintBanner")
        self.setStyleSheet("#hintBanner { background: #e8f0fe; border: 1px solid #aecbfa; border-radius: 4px; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.close_button = QPushButton("知道了")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)

    def _connect(self) -> None:
        self.close_button.clicked.connect(self.hide)

    def show_hint(self, text: str) -> None:
        self.label.setText(text)
        self.show()
