"""Small widgets and helpers the forms and panels share: a notice that shows for a few
seconds, the grey hint under a field, a captioned box, and actions made in one call. The text
boxes are in editor.ui.text_box and editor.ui.line_box."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

__all__ = ["HintLabel", "Notice", "make_action", "number_notice", "titled"]


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
