"""Helpers shared by the window tests (the fixtures built on them are in conftest.py)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from editor.ui import autosave

SAVE_TIMEOUT = 5000


class Dialogs:
    """Every message box the window opens; a question gets ``answer``."""

    def __init__(self, answer=QMessageBox.StandardButton.No) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = answer

    def record(self, kind):
        def show(_parent, title, text, *args, **kwargs):
            self.shown.append((kind, title, text))
            if kind == "question":
                return self.answer
            return QMessageBox.StandardButton.Ok

        return show


def type_text(widget, text: str) -> None:
    """Type ``text`` key by key. QTest.keyClicks only knows ASCII; Chinese characters arrive as
    key events carrying their text, as from an input method's commit; a line break is Return."""
    for ch in text:
        key = Qt.Key.Key_Return if ch == "\n" else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                     ch))


def saved(window) -> bool:
    return window.autosaver.state == autosave.SAVED
