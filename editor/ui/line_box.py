"""The one-line text box of the forms (titles, 版头 fields): pasted line breaks and control
characters are removed as they arrive, a number typed by habit in front of a title is taken off
(the program numbers parts and sections), and spans can be underlined like the multi-line box
(editor.ui.text_box)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QPainter,
    QPaintEvent,
    QTextLayout,
    QTextLine,
)
from PySide6.QtWidgets import (
    QLineEdit,
    QToolTip,
    QWidget,
)

from editor.model import split_leading_number

from .marks import (
    Mark,
    add_mark_actions,
    draw_wave,
    mark_at_index,
    py_index,
    qt_index,
)
from .qtcompat import emit
from .text_box import clean_inline, handle_report_undo

__all__ = ["CleanLineEdit"]


class CleanLineEdit(QLineEdit):
    """A one-line field: pasted line breaks and control characters are removed as they arrive."""

    focused = Signal()
    #: The user changed the text (typing, paste, drop, input method); carries the cleaned text.
    edited = Signal(str)
    #: A number typed at the start of a title was taken off (``owns_numbers``); carries it.
    number_removed = Signal(str)

    def __init__(self, parent: QWidget | None = None, owns_numbers: bool = False) -> None:
        super().__init__(parent)
        # Titles of parts and sections: the program numbers them, so a “（三）” typed by habit
        # in front would print as “（二）（三）”.
        self.owns_numbers = owns_numbers
        # Any way text gets in by the user ends in textEdited; setText() does not.
        self.textEdited.connect(self._clean)
        self._marks: tuple[str, tuple[Mark, ...]] | None = None  # (the text, its marks)
        self.report_undo = None  # see use_report_undo

    def use_report_undo(self, undo) -> None:
        """Ctrl+Z / Ctrl+Y here go to ``undo`` (its ``undo()`` / ``redo()``: the report's
        撤销/重做) instead of the box's own."""
        self.report_undo = undo

    def _clean(self, text: str) -> None:
        cleaned = clean_inline(text)
        if self.owns_numbers:
            number, rest = split_leading_number(cleaned)
            if number:
                cleaned = rest
                emit(self.number_removed, number)
        if cleaned != text:
            pos = self.cursorPosition() - (len(text) - len(cleaned))
            self.setText(cleaned)
            self.setCursorPosition(max(0, pos))
        emit(self.edited, cleaned)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        emit(self.focused)

    # ---- marks ---------------------------------------------------------------------------------
    def set_marks(self, text: str, marks: tuple[Mark, ...]) -> None:
        """Underline spans of ``text`` while the box shows that text (see :class:`Mark`)."""
        new = (text, tuple(marks)) if marks else None
        old, self._marks = self._marks, new  # (equal marks may carry new actions)
        if new != old:
            self.update()

    def marks(self) -> tuple[Mark, ...]:
        """The marks shown now (none once the text differs from the one they were set for)."""
        marked = self._marks
        return marked[1] if marked is not None and marked[0] == self.text() else ()

    def _text_line(self) -> tuple[float, QTextLayout, QTextLine]:
        """Where the box draws its text: (x of the text's start, its layout, its line)."""
        layout = QTextLayout(self.text(), self.font())
        layout.beginLayout()
        line = layout.createLine()
        layout.endLayout()
        # cursorRect() is 5 px left of the cursor (Qt's QWidgetLineControl::rectForPos).
        x = line.cursorToX(self.cursorPosition())
        x = x[0] if isinstance(x, tuple) else x
        return self.cursorRect().x() + 5 - x, layout, line

    def mark_x(self, mark: Mark) -> tuple[float, float]:
        """Left and right end of a mark's characters in the box (widget coordinates)."""
        text = self.text()
        x0, _layout, line = self._text_line()
        xs = []
        for i in (mark.start, mark.end):
            x = line.cursorToX(qt_index(text, min(i, len(text))))
            xs.append(x0 + (x[0] if isinstance(x, tuple) else x))
        return xs[0], xs[1]

    def mark_at(self, pos: QPoint) -> Mark | None:
        marks = self.marks()
        if not marks:
            return None
        x0, _layout, line = self._text_line()
        x = pos.x() - x0
        if not 0 <= x < line.naturalTextWidth():
            return None
        at = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
        return mark_at_index(marks, py_index(self.text(), at))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        marks = self.marks()
        if not marks:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(self.contentsRect())
        y = self.cursorRect().y() + self.fontMetrics().ascent() + 2.5
        for mark in marks:
            x1, x2 = self.mark_x(mark)
            draw_wave(painter, x1, x2, y, mark.color)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if handle_report_undo(self, event):
            return True
        if event.type() == QEvent.Type.ToolTip and self._marks is not None:
            mark = self.mark_at(event.pos())
            if mark is not None and mark.tip:
                QToolTip.showText(event.globalPos(), mark.tip, self)
                return True
        return super().event(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            at = self.cursorPosition()
            marks = self.marks()
            index = py_index(self.text(), at)
            mark = mark_at_index(marks, index) or (mark_at_index(marks, index - 1) if index
                                                   else None)
        else:
            mark = self.mark_at(event.pos())
        menu = self.createStandardContextMenu()
        add_mark_actions(menu, mark)
        menu.exec(event.globalPos())
        menu.deleteLater()
