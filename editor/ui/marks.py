"""Wavy underlines over spans of text, as Word draws them under spelling errors: a
:class:`Mark` has a colour, a tooltip and context-menu entries. The boxes of editor.ui.text_box
draw them; a multi-line box keeps them per line text (:class:`TextHighlighter`), so a line keeps
its marks while lines above it change and loses them the moment its own text changes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field

from PySide6.QtCore import QPointF
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPen,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu

# A paragraph starting “1.” or “（1）” is a lower heading level: its first sentence is the
# heading (GB/T 9704 7.3.3: 一、 （一） 1. （1）).
_SUBHEADING = re.compile(r"^\s*(?:\d{1,2}[.．]|[（(]\d{1,2}[）)])[^。！？\n]{0,60}[。！？]?")
# Qt's own wave is a hairline that is easy to miss at 100 %; ours is drawn a little bolder.
WAVE_PEN = 1.4
WAVE_HEIGHT = 1.8
WAVE_STEP = 2.5


@dataclass(frozen=True)
class Mark:
    """Characters ``start``..``end`` (Python offsets) of one line, underlined with a wavy line
    of ``color``; ``tip`` shows on hover, ``actions`` ((label, callback), …) head the context
    menu opened on them."""

    start: int
    end: int
    color: str
    tip: str = ""
    actions: tuple[tuple[str, Callable[[], object]], ...] = dc_field(default=(), compare=False)


#: The marks of a multi-line box: line number → (that line's text, its marks).
LineMarks = dict[int, tuple[str, tuple[Mark, ...]]]


def _astral(text: str) -> bool:
    """Whether ``text`` has characters Qt counts twice (outside the BMP)."""
    return len(text.encode("utf-16-le")) != 2 * len(text)


def qt_index(text: str, index: int) -> int:
    """Python index → Qt (UTF-16) position in ``text``."""
    if not _astral(text):
        return index
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def py_index(text: str, position: int) -> int:
    """Qt (UTF-16) position → Python index in ``text``."""
    if not _astral(text):
        return position
    units = 0
    for i, ch in enumerate(text):
        if units >= position:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def mark_at_index(marks: tuple[Mark, ...], index: int) -> Mark | None:
    """The mark over character ``index`` (the last one given wins, as it is drawn on top)."""
    for mark in reversed(marks):
        if mark.start <= index < mark.end:
            return mark
    return None


def add_mark_actions(menu: QMenu, mark: Mark | None) -> None:
    """Put the mark's entries at the top of a box's context menu, above the edit actions."""
    if mark is None or not mark.actions:
        return
    first = menu.actions()[0] if menu.actions() else None
    for label, callback in mark.actions:
        action = menu.addAction(label)
        action.triggered.connect(lambda _checked=False, fn=callback: fn())
        menu.insertAction(first, action)
    menu.insertSeparator(first)


def draw_wave(painter: QPainter, x1: float, x2: float, y: float, color: str) -> None:
    """A wavy line from x1 to x2 around height y."""
    pen = QPen(QColor(color))
    pen.setWidthF(WAVE_PEN)
    painter.setPen(pen)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    path = QPainterPath(QPointF(x1, y))
    x, up = x1, True
    while x < x2:
        nx = min(x + WAVE_STEP, x2)
        path.quadTo(QPointF((x + nx) / 2, y - WAVE_HEIGHT if up else y + WAVE_HEIGHT),
                    QPointF(nx, y))
        x, up = nx, not up
    painter.drawPath(path)


class TextHighlighter(QSyntaxHighlighter):
    """Formats a multi-line box as it is typed: bold sub-headings (“1.……。”, “（1）……。”, as
    they print) when ``subheadings`` is on; and keeps the box's marks, which the box paints
    (re-highlighting a line repaints it).

    Marks are looked up by the text of a line, so a line keeps them when lines above it are
    added or removed, and loses them the moment its own text changes. Qt highlights only the
    blocks that change; :meth:`set_marks` re-highlights only the lines whose marks changed."""

    def __init__(self, document: QTextDocument, subheadings: bool = False) -> None:
        super().__init__(document)
        self.subheadings = subheadings
        self._bold = QTextCharFormat()
        self._bold.setFontWeight(QFont.Weight.Bold)
        self._marks: dict[str, dict[int, tuple[Mark, ...]]] = {}  # line text → number → marks

    def set_marks(self, lines: LineMarks, text: str | None = None,
                  rehighlight: bool = True) -> None:
        """New marks for the document; ``text`` is its text (read from it if not given)."""
        new: dict[str, dict[int, tuple[Mark, ...]]] = {}
        for number, (line, marks) in lines.items():
            if marks:
                new.setdefault(line, {})[number] = tuple(marks)
        old, self._marks = self._marks, new
        if not rehighlight:
            return
        changed = {t for t in old.keys() | new.keys() if old.get(t) != new.get(t)}
        if not changed:
            return
        doc = self.document()
        if text is None:
            text = doc.toPlainText()
        for number, line in enumerate(text.split("\n")):
            if line in changed:
                block = doc.findBlockByNumber(number)
                if block.isValid():
                    self.rehighlightBlock(block)

    @property
    def has_marks(self) -> bool:
        return bool(self._marks)

    def marks_of(self, text: str, number: int) -> tuple[Mark, ...]:
        """The marks for line ``number`` if its text is ``text`` (none once it changed)."""
        entry = self._marks.get(text) if self._marks else None
        if not entry:
            return ()
        return entry.get(number) or next(iter(entry.values()))

    def highlightBlock(self, text: str) -> None:
        if self.subheadings:
            m = _SUBHEADING.match(text)
            if m:
                self.setFormat(0, qt_index(text, m.end()), self._bold)
