"""Text boxes that clean what comes in (pasted web text carries control characters that break
DOCX files and confuse 字数) and that can underline spans of their text with a wavy line, as
Word does for spelling (the marks themselves: editor.ui.marks). The review feature
(editor.ui.review.underline) gives the boxes their marks; a box drops the marks of a line as
soon as that line's text changes, until it is given new ones."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextLayout,
    QTextLine,
)
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from editor.model import clean_text, split_leading_number

from .marks import (
    LineMarks,
    Mark,
    TextHighlighter,
    add_mark_actions,
    draw_wave,
    mark_at_index,
    py_index,
    qt_index,
)
from .qtcompat import emit

__all__ = ["CleanLineEdit", "CleanPlainTextEdit", "HintLabel", "LineMarks", "Mark",
           "clean_inline", "titled"]


def clean_inline(text: str) -> str:
    """One-line cleaning that keeps the spaces the user is in the middle of typing."""
    return clean_text(text).replace("\n", "").replace("\t", " ")


def report_undo_key(box, event: QEvent) -> str:
    """"undo" / "redo" when ``event`` is Ctrl+Z / Ctrl+Y (or Ctrl+Shift+Z) and the window's
    report-wide 撤销/重做 took these keys over from the box (``box.use_report_undo``), else ""."""
    if getattr(box, "report_undo", None) is None:
        return ""
    if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
        return ""
    if event.matches(QKeySequence.StandardKey.Undo):
        return "undo"
    ctrl = event.modifiers() == Qt.KeyboardModifier.ControlModifier
    if event.matches(QKeySequence.StandardKey.Redo) or (ctrl and event.key() == Qt.Key.Key_Y):
        return "redo"
    return ""


def handle_report_undo(box, event: QEvent) -> bool:
    """Send Ctrl+Z / Ctrl+Y in a box to the report's undo: True when the event was taken."""
    what = report_undo_key(box, event)
    if not what:
        return False
    event.accept()
    if event.type() == QEvent.Type.KeyPress:
        getattr(box.report_undo, what)()
    return True


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
        self.highlighter = TextHighlighter(self.document())
        self.report_undo = None  # see use_report_undo

    def use_report_undo(self, undo) -> None:
        """Ctrl+Z / Ctrl+Y here go to ``undo`` (its ``undo()`` / ``redo()``: the report's
        撤销/重做) instead of the box's own history, which is switched off."""
        self.report_undo = undo
        self.setUndoRedoEnabled(False)

    def _changed(self) -> None:
        if not self._loading:
            self.dirty = True
            emit(self.user_edited)

    def set_text(self, text: str) -> None:
        """Show ``text`` (a new section, say): not an edit, and it starts a fresh undo history."""
        self._loading = True
        try:
            self.highlighter.set_marks({}, rehighlight=False)  # marks of the text shown before
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

    # ---- marks ---------------------------------------------------------------------------------
    def set_marks(self, lines: LineMarks, text: str | None = None) -> None:
        """Underline spans of lines (see :class:`Mark`); ``text``, if given, is the box's text."""
        self.highlighter.set_marks(lines, text)
        self.viewport().update()

    def marks(self, line: int) -> tuple[Mark, ...]:
        """The marks shown on line ``line`` now (none on a line edited since they were set)."""
        block = self.document().findBlockByNumber(line)
        return self.highlighter.marks_of(block.text(), line) if block.isValid() else ()

    def mark_at(self, pos: QPoint) -> Mark | None:
        """The mark under ``pos`` (viewport coordinates), if any."""
        cursor = self.cursorForPosition(pos)
        block = cursor.block()
        if not block.isValid():
            return None
        layout = block.layout()
        origin = self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft() \
            + layout.position()
        x, y = pos.x() - origin.x(), pos.y() - origin.y()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            rect = line.naturalTextRect()
            if rect.top() <= y < rect.bottom():
                if not rect.left() <= x < rect.right():
                    return None
                at = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
                return self._mark_in(block, at)
        return None

    def _mark_in(self, block, position: int) -> Mark | None:
        text = block.text()
        marks = self.highlighter.marks_of(text, block.blockNumber())
        return mark_at_index(marks, py_index(text, position)) if marks else None

    def _mark_at_cursor(self) -> Mark | None:
        cursor = self.textCursor()
        block, at = cursor.block(), cursor.positionInBlock()
        return self._mark_in(block, at) or (self._mark_in(block, at - 1) if at else None)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.highlighter.has_marks:
            self._paint_marks(event.rect())

    def _paint_marks(self, area: QRect) -> None:
        """The wavy underlines of the visible lines, under each wrapped piece of a mark."""
        painter = QPainter(self.viewport())
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > area.bottom():
                break
            text = block.text()
            marks = self.highlighter.marks_of(text, block.blockNumber())
            layout = block.layout()
            origin = geometry.topLeft() + layout.position()
            for mark in marks:
                if not 0 <= mark.start < mark.end <= len(text):
                    continue
                s, e = qt_index(text, mark.start), qt_index(text, mark.end)
                for i in range(layout.lineCount()):
                    line = layout.lineAt(i)
                    a = max(s, line.textStart())
                    b = min(e, line.textStart() + line.textLength())
                    if a >= b:
                        continue
                    y = origin.y() + line.y() + line.ascent() + 3
                    draw_wave(painter, origin.x() + line.cursorToX(a)[0],
                              origin.x() + line.cursorToX(b)[0], y, mark.color)
            block = block.next()
        painter.end()

    def event(self, event: QEvent) -> bool:
        if handle_report_undo(self, event):
            return True
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            mark = self.mark_at(event.pos())
            if mark is not None and mark.tip:
                QToolTip.showText(event.globalPos(), mark.tip, self.viewport())
                return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        mark = self._mark_at_cursor() if keyboard else self.mark_at(event.pos())
        menu = self.createStandardContextMenu()
        add_mark_actions(menu, mark)
        menu.exec(event.globalPos())
        menu.deleteLater()


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


class Notice(QLabel):
    """A one-line notice that shows for a few seconds (what the program just did for you)."""

    SECONDS = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #1a4f8b; background: #eef4fb; padding: 2px 6px;")
        self.hide()
        self._timer = QTimer(self)  # a child: it dies with the form
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)

    def tell(self, text: str) -> None:
        self.setText(text)
        self.show()
        self._timer.start(self.SECONDS * 1000)


def number_notice(number: str) -> str:
    return f"已去掉您输入的序号“{number}”：序号由程序按顺序自动生成，导出时会加上。"


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


def titled(title: str, *widgets: QWidget, parent: QWidget | None = None) -> QWidget:
    """A plain box with a caption above its widgets (for splitter panes)."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(title, box))
    for widget in widgets:
        layout.addWidget(widget)
    return box


def make_action(parent: QWidget, text: str, slot, shortcut=None, tip: str = "") -> QAction:
    """A QAction of ``parent`` that calls ``slot()`` (a key sequence, a standard key or None)."""
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action
