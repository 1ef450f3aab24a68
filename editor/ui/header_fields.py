"""The composite fields of the 版头 form: a date picked from a calendar (成文日期, 印发日期) and the
发文字号 as 机关代字 + 年份 + 序号."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QDate, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from editor.model import Header
from editor.profile import Profile

from .line_box import CleanLineEdit
from .qtcompat import emit

_DATE = re.compile(r"^\s*(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?\s*$")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
SERIAL_MAX = 6
SERIAL_HINT = "序号只填数字，如 3；〔〕和“号”由程序自动加上。"
NOTE_MS = 8000  # how long a refusal stays under the field


def format_date(date: QDate) -> str:
    """2026年2月10日: GB/T 9704 7.3.5.4 wants Arabic numerals, no leading zeros."""
    return f"{date.year()}年{date.month()}月{date.day()}日"


def parse_date(text: str) -> QDate | None:
    m = _DATE.match(text or "")
    if not m:
        return None
    date = QDate(int(m[1]), int(m[2]), int(m[3]))
    return date if date.isValid() else None


def usual_signing_month(report_year: int, today: QDate | None = None) -> QDate:
    """Where the calendar of an empty 成文日期 opens: reports on a year are signed in the
    February or March after it (督察规定: reported before 1 March, published before
    1 April). Today, if today is in that season; else 1 February of the year after."""
    today = today or QDate.currentDate()
    if today.year() == report_year + 1 and today.month() <= 3:
        return today
    return QDate(report_year + 1, 2, 1)


def read_serial(text: str) -> tuple[str, str, str]:
    """What the 序号 box keeps of ``text`` as typed or pasted: (digits, a year found in it or
    "", a one-line note for the user or ""). “〔2026〕3” gives ("3", "2026", …): a clerk
    typing the whole number out of habit gets 3, never 20263."""
    t = (text or "").translate(_FULLWIDTH_DIGITS).strip()
    if re.fullmatch(r"\d*", t):
        if len(t) > SERIAL_MAX:
            return t[:SERIAL_MAX], "", f"序号最多 {SERIAL_MAX} 位数字。"
        return t, "", ""
    m = re.search(r"(\d{4})\s*[〕\]】）)﹞］}]\s*第?\s*(\d*)", t)
    if m:
        return (m[2][:SERIAL_MAX], m[1],
                f"“{m[1]}”是年份，已填到年份格里；序号只填数字。")
    return re.sub(r"\D", "", t)[:SERIAL_MAX], "", SERIAL_HINT


class DateField(QWidget):
    """A date shown and stored as “2026年2月10日”, picked from a calendar; may stay empty.

    Typed dates in other usual forms (2026-2-10, 2026.2.10) are rewritten when the field is
    left; text that is no date at all is kept as typed, so nothing the user wrote is lost.
    An empty field's calendar opens where ``expected`` says (the usual month), not on today.
    """

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The month an empty field's calendar shows (set by the form); None: today.
        self.expected: Callable[[], QDate | None] | None = None
        self.line = CleanLineEdit(self)
        self.line.setPlaceholderText("未填写（点右侧按钮选择日期）")
        self.line.edited.connect(self.edited)
        self.line.editingFinished.connect(self._normalise)

        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        # Week numbers mean nothing to a 公文 date; Monday first, as Chinese calendars are.
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self.pick)
        self.calendar.activated.connect(self.pick)
        self._menu = QMenu(self)
        action = QWidgetAction(self._menu)
        action.setDefaultWidget(self.calendar)
        self._menu.addAction(action)
        self._menu.aboutToShow.connect(self._sync_calendar)

        self.pick_button = QToolButton(self)
        self.pick_button.setText("选择日期")
        self.pick_button.setToolTip("从日历中选择日期")
        self.pick_button.setMenu(self._menu)
        self.pick_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # The menu arrow would cover the last character of the label.
        self.pick_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.today_button = QToolButton(self)
        self.today_button.setText("今天")
        self.today_button.clicked.connect(lambda: self.pick(QDate.currentDate()))
        self.clear_button = QToolButton(self)
        self.clear_button.setText("清空")
        self.clear_button.clicked.connect(self.clear)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.pick_button)
        row.addWidget(self.today_button)
        row.addWidget(self.clear_button)

    def text(self) -> str:
        return self.line.text()

    def set_text(self, text: str) -> None:
        self.line.setText(text or "")

    def date(self) -> QDate | None:
        return parse_date(self.line.text())

    def pick(self, date: QDate) -> None:
        self._menu.hide()
        self._set_user_text(format_date(date))

    def clear(self) -> None:
        self._set_user_text("")

    def _set_user_text(self, text: str) -> None:
        if text != self.line.text():
            self.line.setText(text)
            emit(self.edited, text)

    def _normalise(self) -> None:
        date = self.date()
        if date is not None:
            self._set_user_text(format_date(date))

    def _sync_calendar(self) -> None:
        """Before the calendar opens: on the field's date, else on the usual month."""
        date = self.date()
        if date is not None:
            self.calendar.setSelectedDate(date)
        else:
            date = (self.expected() if self.expected is not None else None) \
                or QDate.currentDate()
        self.calendar.setCurrentPage(date.year(), date.month())


class DocNumberField(QWidget):
    """发文字号 as 机关代字 + 年份 + 序号; the 〔〕 and 号 are produced, never typed. Below the
    boxes: the composed number, and a note when something other than digits went into 序号."""

    edited = Signal()

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = CleanLineEdit(self)
        self.code.setPlaceholderText("机关代字，如 临府")
        self.year = CleanLineEdit(self)
        self.year.setPlaceholderText("年份")
        self.year.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,4}"), self))
        self.year.setMaximumWidth(90)
        # No validator on 序号: a validator drops the 〔 and 〕 of “〔2026〕3” one by one and
        # keeps 20263; read_serial takes the number apart and says why.
        self.serial = CleanLineEdit(self)
        self.serial.setPlaceholderText("序号")
        self.serial.setMaximumWidth(90)
        for name, edit in (("doc_code", self.code), ("doc_year", self.year),
                           ("doc_serial", self.serial)):
            edit.setToolTip(profile.field_hint(name))
            if edit is not self.serial:
                edit.edited.connect(self._changed)
        self.serial.edited.connect(self._serial_edited)
        self.serial.editingFinished.connect(self._hide_note)
        self.preview = QLabel(self)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel(self)
        self.note.setStyleSheet("color: #b35c00;")
        self.note.setWordWrap(True)
        self.note.hide()
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_MS)
        self._note_timer.timeout.connect(self._hide_note)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.code, 2)
        row.addWidget(QLabel("〔", self))
        row.addWidget(self.year, 1)
        row.addWidget(QLabel("〕", self))
        row.addWidget(self.serial, 1)
        row.addWidget(QLabel("号", self))
        # The preview on a line of its own: the row must fit a narrow form (1024 px screens).
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addLayout(row)
        col.addWidget(self.note)
        col.addWidget(self.preview)

    def _changed(self, _text: str = "") -> None:
        # Brackets typed out of habit would be doubled by the composed number.
        code = re.sub(r"[〔〕\[\]【】（）()﹝﹞［］{}]", "", self.code.text())
        if code != self.code.text():
            self.code.setText(code)
        self.update_preview()
        emit(self.edited)

    def _serial_edited(self, text: str) -> None:
        digits, year, note = read_serial(text)
        if digits != text:
            pos = self.serial.cursorPosition() - (len(text) - len(digits))
            self.serial.setText(digits)
            self.serial.setCursorPosition(max(0, min(pos, len(digits))))
        if year and year != self.year.text():
            self.year.setText(year)
        if note:
            self.show_note(note)
        self._changed()

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()
        self._note_timer.start()

    def _hide_note(self) -> None:
        self._note_timer.stop()
        self.note.hide()

    def load(self, header: Header) -> None:
        self.code.setText(header.doc_code)
        self.year.setText(header.doc_year)
        self.serial.setText(header.doc_serial)
        self._hide_note()
        self.update_preview()

    def store(self, header: Header) -> None:
        header.doc_code = self.code.text().strip()
        header.doc_year = self.year.text().strip()
        header.doc_serial = self.serial.text().strip()

    def composed(self) -> str:
        h = Header()
        self.store(h)
        return h.doc_number

    def update_preview(self) -> None:
        number = self.composed()
        self.preview.setText(f"预览：{number}" if number else "预览：（未填写）")


__all__ = ["DateField", "DocNumberField", "format_date", "parse_date", "read_serial",
           "usual_signing_month"]
