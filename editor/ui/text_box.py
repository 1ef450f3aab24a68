"""The multi-paragraph text box of the forms: pasted or dropped text is cleaned on the way in
(web text carries control characters that break DOCX files and confuse 字数), paragraphs are
numbered in a gutter, and spans can be underlined with a wavy line as Word does for spelling
(the marks themselves: editor.ui.marks; the review feature, editor.ui.review.underline, gives
the boxes their marks). A box drops the marks of a line as soon as that line's text changes,
until it is given new ones. Ctrl+Z / Ctrl+Y can be handed to the report's 撤销/重做
(:func:`handle_report_undo`, shared with editor.ui.line_box)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextLine,
)
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QToolTip,
    QWidget,
)

from editor.model import clean_text

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

__all__ = ["CleanPlainTextEdit", "clean_inline", "handle_report_undo"]


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
