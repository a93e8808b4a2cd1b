"""The notice's original text, read-only, with every extracted item highlighted in place.

Problem headings are bold on a blue tint, measures alternate two soft tints, corrected items
get a wavy orange underline, and the selected item is painted strongly. A QSyntaxHighlighter
formats each block from the spans that touch it (not ``setExtraSelections``: PySide6 6.12 drops
a reference to ``None`` per ExtraSelection, which aborts Python 3.11 after a while), and a
change re-formats only the blocks whose spans changed. Spans are Python ``str`` offsets; the
document counts UTF-16 code units, so both directions are converted.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit


def _format(background: str | None = None, *, bold=False, underline: str | None = None,
            dotted=False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if background:
        fmt.setBackground(QColor(background))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if underline:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine if dotted
                              else QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor(underline))
    return fmt


# later styles are merged over earlier ones where spans overlap
STYLE_ORDER = {name: i for i, name in enumerate(["heading", "tint0", "tint1", "corrected", "uncertain", "selected"])}


@cache
def styles() -> dict[str, QTextCharFormat]:
    """The span formats, made on first use (text formats are not needed for the first frame)."""
    return {
        "heading": _format("#dbe8fb", bold=True),
        "tint0": _format("#eef6ee"),
        "tint1": _format("#fdf3e4"),
        "corrected": _format(underline="#e8710a"),
        "uncertain": _format(underline="#d93025", dotted=True),   # text OCR read with low confidence
        "selected": _format("#ffd54f"),
    }

# (start, end, style) in document (UTF-16) positions
Span = tuple[int, int, str]


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


class SpanHighlighter(QSyntaxHighlighter):
    """Formats each block from the styled spans that touch it."""

    def __init__(self, document):
        super().__init__(document)
        self._by_block: dict[int, list[Span]] = {}

    def set_spans(self, spans: list[Span]) -> None:
        """Take a new span list; re-format only the blocks whose spans changed."""
        document = self.document()
        by_block: dict[int, list[Span]] = {}
        for span in sorted(spans, key=lambda s: STYLE_ORDER[s[2]]):
            first = document.findBlock(span[0]).blockNumber()
            last = document.findBlock(max(span[1] - 1, span[0])).blockNumber()
            for number in range(first, last + 1):
                by_block.setdefault(number, []).append(span)
        old, self._by_block = self._by_block, by_block
        for number in sorted(n for n in old.keys() | by_block.keys() if old.get(n) != by_block.get(n)):
            block = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)

    def forget_spans(self) -> None:
        """Drop the spans without re-formatting (the document's text is about to be replaced)."""
        self._by_block = {}

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        spans = self._by_block.get(block.blockNumber())
        if not spans:
            return
        start = block.position()
        end = start + block.length() - 1
        pieces = [(max(s, start) - start, min(e, end) - start, style) for s, e, style in spans]
        cuts = sorted({edge for a, b, _ in pieces for edge in (a, b)})
        for a, b in zip(cuts, cuts[1:]):
            fmt = QTextCharFormat()
            for pa, pb, style in pieces:
                if pa <= a and b <= pb:
                    fmt.merge(styles()[style])
            if not fmt.isEmpty():
                self.setFormat(a, b - a, fmt)


class SourceView(QPlainTextEdit):
    # the reviewer clicked at this str offset (no text selected)
    position_clicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._map = OffsetMap("")
        # (entity, id, str span, edited, style) in text order
        self._items: list[tuple[str, int, tuple[int, int], bool, str]] = []
        self._selected: tuple[int, int] | None = None
        self._uncertain: list[tuple[int, int]] = []   # OCR's low-confidence spans, underlined
        self._formatted = False   # the document carries the formats of _items and _uncertain
        self._context_actions: list = []
        self._highlighter = SpanHighlighter(self.document())
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
            self._highlighter.forget_spans()   # new blocks: set_items formats them all
            self._formatted = False
            self.setPlainText(text)
        self.set_items(notice)

    def set_items(self, notice: dict | None) -> None:
        """Recompute the highlights from a (fresh) notice record; the text stays."""
        items = []
        for problem in notice["problems"] if notice else ():
            edited = bool(problem.get("edited_fields"))
            span = problem.get("title_span") or problem.get("span")
            if span:
                items.append(("problem", problem["id"], tuple(span), edited, "heading"))
            for measure in problem["measures"]:
                if measure.get("span"):
                    # tints alternate within each problem, so an edit elsewhere repaints nothing here
                    items.append(("measure", measure["id"], tuple(measure["span"]),
                                  bool(measure.get("edited_fields")), f"tint{measure['seq'] % 2}"))
        uncertain = [tuple(span) for span in (notice.get("uncertain") or [] if notice else [])]
        if self._formatted and (items, uncertain) == (self._items, self._uncertain):
            return   # e.g. 已核对: nothing to format again (1.5 ms at 300 items)
        self._items, self._uncertain = items, uncertain
        self._paint()
        self._formatted = True

    def set_context_actions(self, actions: list) -> None:
        self._context_actions = actions

    def select_span(self, span: tuple[int, int] | list | None, *, scroll=True) -> None:
        selected = tuple(span) if span else None
        if selected != self._selected:
            self._selected = selected
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
        for entity, row_id, (start, end), *_rest in self._items:
            if start <= offset < end and (best is None or end - start < best[1]):
                best = ((entity, row_id), end - start)
        return best[0] if best else None

    # --- painting ---------------------------------------------------------------------------
    def _paint(self) -> None:
        to_qt = self._map.to_qt
        spans = []
        for _entity, _row_id, (start, end), edited, style in self._items:
            spans.append((to_qt(start), to_qt(end), style))
            if edited:
                spans.append((to_qt(start), to_qt(end), "corrected"))
        spans += [(to_qt(start), to_qt(end), "uncertain") for start, end in self._uncertain]
        if self._selected:
            spans.append((to_qt(self._selected[0]), to_qt(self._selected[1]), "selected"))
        self._highlighter.set_spans(spans)

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

