"""Selecting the span of an :class:`editor.model.Place` in a form's text box (the forms'
``select(place, report)``, which the window's ``show_place`` calls)."""

from __future__ import annotations


def _u16(text: str, index: int) -> int:
    """Python index → Qt (UTF-16) position: characters outside the BMP count twice in Qt."""
    prefix = text[:index]
    return index + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def line_span(text: str, line: int, start: int = 0, end: int = 0) -> tuple[int, int]:
    """Qt positions of ``start``..``end`` (Python indices) in line ``line`` of ``text``
    (``text.split("\n")``, blank lines counted, as editor.check.locate numbers them)."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return _u16(text, len(text)), _u16(text, len(text))
    offset = sum(len(x) + 1 for x in lines[:line])
    n = len(lines[line])
    s = offset + max(0, min(start, n))
    e = offset + max(0, min(max(start, end), n))
    return _u16(text, s), _u16(text, e)


def select_in_line_edit(edit, start: int, end: int) -> None:
    """Focus a one-line box and select ``start``..``end`` (Python indices) of its text."""
    text = edit.text()
    a = _u16(text, max(0, min(start, len(text))))
    b = _u16(text, max(0, min(max(start, end), len(text))))
    edit.setFocus()
    edit.setSelection(a, b - a)


def select_in_box(box, place, report) -> None:
    """Focus a text box showing the field of ``place`` and select the place's span."""
    a, b = line_span(place.field_text(report), place.paragraph, place.start, place.end)
    box.setFocus()
    box.set_cursor_position(b, anchor=a)


__all__ = ["line_span", "select_in_box", "select_in_line_edit"]
