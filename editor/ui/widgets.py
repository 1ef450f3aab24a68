"""Text boxes that clean what comes in: pasted web text carries control characters that break
DOCX files and confuse 字数."""

from __future__ import annotations

import re

from PySide6.QtCore import QMimeData, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from editor.model import clean_text

# A paragraph starting “1.” or “（1）” is a lower heading level: its first sentence is the
# heading (GB/T 9704 7.3.3: 一、 （一） 1. （1）).
_SUBHEADING = re.compile(r"^\s*(?:\d{1,2}[.．]|[（(]\d{1,2}[）)])[^。！？\n]{0,60}[。！？]?")

from .qtcompat import emit


def clean_inline(text: str) -> str:
    """One-line cleaning that keeps the spaces the user is in the middle of typing."""
    return clean_text(text).replace("\n", "").replace("\t", " ")


class CleanPlainTextEdit(QPlainTextEdit):
    """A multi-paragraph box; pasted or dropped text is cleaned on the way in."""

    focused = Signal()
    #: The user changed the text. The text itself is read later with take(): copying a
    #: 1 MB body out of the widget on every keystroke would make typing sluggish.
    user_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.dirty = False
        self._loading = False
        self.textChanged.connect(self._changed)

    def _changed(self) -> None:
        if not self._loading:
            self.dirty = True
            emit(self.user_edited)

    def set_text(self, text: str) -> None:
        """Show ``text`` (a new section, say): not an edit, and it starts a fresh undo history."""
        self._loading = True
        try:
            self.setPlainText(text)
        finally:
            self._loading = False
        self.dirty = False

    def take(self) -> str:
        """The current text; clears the dirty flag."""
        self.dirty = False
        return self.toPlainText()

    # ---- paragraph numbers in a gutter -------------------------------------------------------
    def enable_paragraph_numbers(self) -> None:
        """Number the paragraphs at the left, as the proofreader counts them (第 k 段 is line k
        of the body), so a finding's “第3段” is easy to find by eye."""
        self._gutter = _Gutter(self)
        self.blockCountChanged.connect(self._gutter_width_changed)
        self.updateRequest.connect(self._gutter_update)
        self._gutter_width_changed()

    def gutter_width(self) -> int:
        digits = max(2, len(str(self.blockCount())))
        return 12 + self._gutter.fontMetrics().horizontalAdvance("9") * digits

    def _gutter_width_changed(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _gutter_update(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        gutter = getattr(self, "_gutter", None)
        if gutter is not None:
            cr = self.contentsRect()
            gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        gutter = self._gutter
        painter = QPainter(gutter)
        painter.fillRect(event.rect(), QColor("#f3f3f3"))
        painter.setPen(QColor("#9a9a9a"))
        line_height = self.fontMetrics().height()
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            # length() counts the paragraph end: 1 means an empty line, which gets no number.
            if block.isVisible() and bottom >= event.rect().top() and block.length() > 1:
                painter.drawText(0, top, gutter.width() - 6, line_height,
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 str(block.blockNumber() + 1))
            block = block.next()
            top = bottom
        painter.end()

    def cursor_position(self) -> int:
        return self.textCursor().position()

    def set_cursor_position(self, pos: int, anchor: int | None = None) -> None:
        from PySide6.QtGui import QTextCursor

        cursor = self.textCursor()
        end = self.document().characterCount() - 1
        pos = max(0, min(int(pos), end))
        if anchor is not None:
            cursor.setPosition(max(0, min(int(anchor), end)))
            cursor.setPosition(pos, QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.setPosition(pos)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            # One edit block: a 1 MB paste is a single undo step and a single textChanged.
            self.textCursor().insertText(clean_text(source.text()))
            self.ensureCursorVisible()
            return
        super().insertFromMimeData(source)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasText()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        emit(self.focused)


class _Gutter(QWidget):
    def __init__(self, edit: CleanPlainTextEdit) -> None:
        super().__init__(edit)
        self.edit = edit

    def sizeHint(self) -> QSize:
        return QSize(self.edit.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.edit.paint_gutter(event)


class CleanLineEdit(QLineEdit):
    """A one-line field: pasted line breaks and control characters are removed as they arrive."""

    focused = Signal()
    #: The user changed the text (typing, paste, drop, input method); carries the cleaned text.
    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Any way text gets in by the user ends in textEdited; setText() does not.
        self.textEdited.connect(self._clean)

    def _clean(self, text: str) -> None:
        cleaned = clean_inline(text)
        if cleaned != text:
            pos = self.cursorPosition() - (len(text) - len(cleaned))
            self.setText(cleaned)
            self.setCursorPosition(max(0, pos))
        emit(self.edited, cleaned)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        emit(self.focused)


class HintLabel(QLabel):
    """The small grey line under a field that says what belongs in it."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("color: #6b6b6b;")
        font = self.font()
        font.setPointSizeF(max(8.0, font.pointSizeF() * 0.9))
        self.setFont(font)


class SubheadingHighlighter(QSyntaxHighlighter):
    """Shows the headings inside a body (“1.……。”, “（1）……。”) in bold, as they print."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._format = QTextCharFormat()
        self._format.setFontWeight(QFont.Weight.Bold)

    def highlightBlock(self, text: str) -> None:
        m = _SUBHEADING.match(text)
        if m:
            # Qt counts UTF-16 units; headings are BMP text, so Python indices match.
            self.setFormat(0, m.end(), self._format)


def titled(title: str, *widgets: QWidget, parent: QWidget | None = None) -> QWidget:
    """A plain box with a caption above its widgets (for splitter panes)."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(title, box))
    for widget in widgets:
        layout.addWidget(widget)
    return box
