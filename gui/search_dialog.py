"""Ctrl+Shift+F: search every notice (the store's full-text index) and open a hit.

Each hit shows its kind, the passage with the search words marked, and the notice it is in
(named like the notice list when the notice has no title). A passage found both as a measure
(or problem) and in the notice's full text is listed once, as the measure.
"""
from __future__ import annotations

import html
import re

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QStyle, QStyledItemDelegate, QVBoxLayout,
)

KIND = {"problem": "问题", "measure": "措施", "notice": "通报"}
MARK_STYLE = "background-color:#ffd54f;"   # the same yellow as the selected item in 原文
TYPING_PAUSE_MS = 250
PASSAGE_KEY = 12   # characters from the first search word on that identify a passage …
MIN_PASSAGE = 6    # … when the shorter snippet still has this many
HTML_ROLE = Qt.UserRole + 1


def search_words(query: str) -> list[str]:
    """The words to mark: the parts of the query the store matched, longest first."""
    from core.store_tokens import query_parts   # the store's own reading of the query

    return sorted(query_parts(query), key=len, reverse=True)


def marked_html(text: str, words: list[str]) -> str:
    """``text`` as HTML with every occurrence of ``words`` marked."""
    if not words:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last:match.start()]))
        out.append(f'<span style="{MARK_STYLE}">{html.escape(match.group())}</span>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _from_first_word(snippet: str, words: list[str]) -> str:
    """The snippet from its first search word on (snippets are cut at different places)."""
    text = snippet.strip("…")
    found = [i for i in (text.find(w) for w in words) if i >= 0]
    return text[min(found):] if found else text


def _same_passage(a: str, b: str) -> bool:
    n = min(len(a), len(b), PASSAGE_KEY)
    return n >= MIN_PASSAGE and a[:n] == b[:n]


def distinct_hits(hits: list[dict], words: list[str]) -> list[dict]:
    """Drop a notice-text hit whose passage is already listed as a problem or measure of it."""
    items = [(h["notice_id"], _from_first_word(h.get("snippet") or "", words))
             for h in hits if h.get("kind") != "notice"]

    def listed(hit) -> bool:
        passage = _from_first_word(hit.get("snippet") or "", words)
        return any(nid == hit["notice_id"] and _same_passage(passage, other) for nid, other in items)

    return [h for h in hits if h.get("kind") != "notice" or not listed(h)]


class _HtmlDelegate(QStyledItemDelegate):
    """Paints an item's HTML_ROLE text (wrapped to the list's width)."""

    def _document(self, option, index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(index.data(HTML_ROLE) or "")
        document.setTextWidth(max(option.rect.width(), 100))
        return document

    def paint(self, painter, option, index) -> None:
        self.initStyleOption(option, index)
        document = self._document(option, index)
        option.text = ""
        option.widget.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.HighlightedText))
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        self.initStyleOption(option, index)
        option.rect.setWidth(option.widget.viewport().width() if option.widget else 400)
        document = self._document(option, index)
        return QSize(int(document.idealWidth()), int(document.size().height()) + 4)


class SearchDialog(QDialog):
    # notice id, entity ("problem"/"measure"/"notice"), row id (or None)
    open_requested = Signal(int, str, object)

    def __init__(self, search, parent=None, *, notice_name=None):
        """``search(query) -> [hit]`` is ``Store.search``; ``notice_name(hit) -> str`` names a
        hit's notice (default: its title)."""
        super().__init__(parent)
        self._search = search
        self._notice_name = notice_name or (lambda hit: hit.get("notice_title") or f"通报 {hit['notice_id']}")
        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
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
        self.results.setItemDelegate(_HtmlDelegate(self.results))
        self.results.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self.setFocusProxy(self.query)   # typing goes to the query, not to the window behind

    def _connect(self) -> None:
        self.query.textChanged.connect(self._timer.start)
        self.query.returnPressed.connect(self.run_search)
        self._timer.timeout.connect(self.run_search)
        self.results.itemActivated.connect(self._open)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.activateWindow()
        self.query.setFocus()

    def run_search(self) -> None:
        self._timer.stop()
        text = self.query.text().strip()
        self.results.clear()
        if not text:
            self.summary.setText("")
            return
        words = search_words(text)
        hits = distinct_hits(self._search(text), words)
        self.summary.setText(f"找到 {len(hits)} 处" if hits else "没有找到")
        for hit in hits:
            snippet = (hit.get("snippet") or "").replace("\n", " ")
            kind = KIND.get(hit.get("kind"), "")
            name = self._notice_name(hit)
            item = QListWidgetItem(f"【{kind}】{snippet}\n    —— {name}")
            item.setData(Qt.UserRole, hit)
            item.setData(HTML_ROLE, f"【{kind}】{marked_html(snippet, words)}"
                                    f"<br><span style='color:#5f6368'>&nbsp;&nbsp;&nbsp;&nbsp;—— {html.escape(name)}</span>")
            self.results.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        hit = item.data(Qt.UserRole)
        if hit.get("measure_id"):
            self.open_requested.emit(hit["notice_id"], "measure", hit["measure_id"])
        elif hit.get("problem_id"):
            self.open_requested.emit(hit["notice_id"], "problem", hit["problem_id"])
        else:
            self.open_requested.emit(hit["notice_id"], "notice", None)
