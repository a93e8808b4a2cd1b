"""Ctrl+Shift+F: search every notice (the store's full-text index) and open a hit."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

KIND = {"problem": "问题", "measure": "措施", "notice": "通报"}


class SearchDialog(QDialog):
    # notice id, entity ("problem"/"measure"/"notice"), row id (or None)
    open_requested = Signal(int, str, object)

    def __init__(self, search, parent=None):
        """``search(query) -> [hit]`` is ``Store.search``."""
        super().__init__(parent)
        self._search = search
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._build()
        self._connect()

    def _build(self) -> None:
        self.setWindowTitle("在全部通报中搜索")
        self.resize(640, 480)
        self.query = QLineEdit()
        self.query.setPlaceholderText("输入关键词，如 “食堂 经费”")
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)

    def _connect(self) -> None:
        self.query.textChanged.connect(self._timer.start)
        self.query.returnPressed.connect(self.run_search)
        self._timer.timeout.connect(self.run_search)
        self.results.itemActivated.connect(self._open)

    def run_search(self) -> None:
        self._timer.stop()
        text = self.query.text().strip()
        self.results.clear()
        if not text:
            self.summary.setText("")
            return
        hits = self._search(text)
        self.summary.setText(f"找到 {len(hits)} 处" if hits else "没有找到")
        for hit in hits:
            snippet = (hit.get("snippet") or "").replace("\n", " ")
            item = QListWidgetItem(f"【{KIND.get(hit.get('kind'), '')}】{snippet}\n    —— {hit.get('notice_title') or ''}")
            item.setData(Qt.UserRole, hit)
            self.results.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        hit = item.data(Qt.UserRole)
        if hit.get("measure_id"):
            self.open_requested.emit(hit["notice_id"], "measure", hit["measure_id"])
        elif hit.get("problem_id"):
            self.open_requested.emit(hit["notice_id"], "problem", hit["problem_id"])
        else:
            self.open_requested.emit(hit["notice_id"], "notice", None)
