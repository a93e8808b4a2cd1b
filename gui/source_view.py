"""The notice's original text, read-only, with every extracted item highlighted in place.

Problem headings are bold on a blue tint, measures alternate two soft tints, corrected items
get a wavy orange underline, and the selected item is painted strongly. Spans are Python
``str`` offsets; the document counts UTF-16 code units, so both directions are converted.
"""
from __future__ import annotations

import ctypes
import sys
from bisect import bisect_left, bisect_right

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit


def _format(background: str | None = None, *, bold=False, underline: str | None = None) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if background:
        fmt.setBackground(QColor(background))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if underline:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor(underline))
    return fmt


HEADING = _format("#dbe8fb", bold=True)
MEASURE_TINTS = (_format("#eef6ee"), _format("#fdf3e4"))
CORRECTED = _format(underline="#e8710a")
SELECTED = _format("#ffd54f")
SELECTED.setProperty(QTextFormat.Property.FullWidthSelection, False)


class OffsetMap:
    """Python str offsets <-> UTF-16 positions (different only after astral characters)."""

    def __init__(self, text: str):
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # where each astral character's surrogate pair ends in UTF-16 positions
        self._pair_ends = [a + i + 2 for i, a in enumerate(self._astral)]

    def to_qt(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset)

    def to_py(self, position: int) -> int:
        return position - bisect_right(self._pair_ends, position)


class SourceView(QPlainTextEdit):
    # the reviewer clicked at this str offset (no text selected)
    position_clicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._map = OffsetMap("")
        self._items: list[tuple[str, int, tuple[int, int], bool]] = []
        self._selected: tuple[int, int] | None = None
        self._context_actions: list = []
        self._build()

    def _build(self) -> None:
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)

    # --- content ---------------------------------------------------------------------------
    def set_notice(self, notice: dict | None) -> None:
        text = notice["text"] if notice else ""
        if text != self.toPlainText():
            self._map = OffsetMap(text)
            self.setPlainText(text)
        self.set_items(notice)

    def set_items(self, notice: dict | None) -> None:
        """Recompute the highlights from a (fresh) notice record; the text stays."""
        items = []
        for problem in notice["problems"] if notice else ():
            edited = bool(problem.get("edited_fields"))
            span = problem.get("title_span") or problem.get("span")
            if span:
                items.append(("problem", problem["id"], tuple(span), edited))
            for measure in problem["measures"]:
                if measure.get("span"):
                    items.append(("measure", measure["id"], tuple(measure["span"]), bool(measure.get("edited_fields"))))
        self._items = items
        self._paint()

    def set_context_actions(self, actions: list) -> None:
        self._context_actions = actions

    def select_span(self, span: tuple[int, int] | list | None, *, scroll=True) -> None:
        self._selected = tuple(span) if span else None
        self._paint()
        if span and scroll:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._map.to_qt(span[1]))
            self.setTextCursor(cursor)
            cursor.setPosition(self._map.to_qt(span[0]))
            self.setTextCursor(cursor)
            self.centerCursor()

    # --- reading what the reviewer points at -----------------------------------------------
    def selected_span(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self._map.to_py(cursor.selectionStart()), self._map.to_py(cursor.selectionEnd())

    def selected_text(self) -> str:
        # QTextCursor uses U+2029 between paragraphs
        return self.textCursor().selectedText().replace("\u2029", "\n")

    def cursor_offset(self) -> int:
        return self._map.to_py(self.textCursor().position())

    def item_at(self, offset: int) -> tuple[str, int] | None:
        """The innermost item whose span holds ``offset``: a measure before its problem."""
        best = None
        for entity, row_id, (start, end), _edited in self._items:
            if start <= offset < end and (best is None or end - start < best[1]):
                best = ((entity, row_id), end - start)
        return best[0] if best else None

    # --- painting ---------------------------------------------------------------------------
    def _paint(self) -> None:
        before = sys.getrefcount(None)
        selections = []
        measure_count = 0
        for entity, _row_id, span, edited in self._items:
            if entity == "measure":
                fmt = MEASURE_TINTS[measure_count % 2]
                measure_count += 1
            else:
                fmt = HEADING
            selections.append(self._selection(span, fmt))
            if edited:
                selections.append(self._selection(span, CORRECTED))
        if self._selected:
            selections.append(self._selection(self._selected, SELECTED))
        self.setExtraSelections(selections)
        del selections
        _give_back_none(before - sys.getrefcount(None))


    def _selection(self, span, fmt) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_qt(span[0]))
        cursor.setPosition(self._map.to_qt(span[1]), QTextCursor.KeepAnchor)
        selection.cursor = cursor
        selection.format = fmt
        return selection

    # --- events -----------------------------------------------------------------------------
    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.LeftButton and not self.textCursor().hasSelection():
            self.position_clicked.emit(self.cursor_offset())

    def contextMenuEvent(self, event) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self._context_actions:
            menu.addSeparator()
            for action in self._context_actions:
                menu.addAction(action)
        menu.exec(event.globalPos())
        menu.deleteLater()


def _give_back_none(lost: int) -> None:
    """PySide6 6.12's ExtraSelection handling drops references to None (about two per selection);
    CPython < 3.12 then frees None and aborts. Give back what the call lost (a surplus
    reference to None is harmless, so this stays safe once the binding is fixed)."""
    if sys.version_info < (3, 12):
        for _ in range(max(lost, 0)):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
