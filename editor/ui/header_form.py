"""版头与版记: every field of :class:`editor.model.Header`, each with its hint, plus the
report's own year, 报告单位 and type."""

from __future__ import annotations

import re

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from editor.model import Header, Report
from editor.profile import Profile

from .qtcompat import emit
from .widgets import CleanLineEdit, HintLabel

_DATE = re.compile(r"^\s*(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?\s*$")

PUBLICITY = ("主动公开", "依申请公开", "不予公开")


def format_date(date: QDate) -> str:
    """2026年2月10日: GB/T 9704 7.3.5.4 wants Arabic numerals, no leading zeros."""
    return f"{date.year()}年{date.month()}月{date.day()}日"


def parse_date(text: str) -> QDate | None:
    m = _DATE.match(text or "")
    if not m:
        return None
    date = QDate(int(m[1]), int(m[2]), int(m[3]))
    return date if date.isValid() else None


class DateField(QWidget):
    """A date shown and stored as “2026年2月10日”, picked from a calendar; may stay empty.

    Typed dates in other usual forms (2026-2-10, 2026.2.10) are rewritten when the field is
    left; text that is no date at all is kept as typed, so nothing the user wrote is lost.
    """

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = CleanLineEdit(self)
        self.line.setPlaceholderText("未填写（点右侧按钮选择日期）")
        self.line.edited.connect(self.edited)
        self.line.editingFinished.connect(self._normalise)

        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
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
        date = self.date() or QDate.currentDate()
        self.calendar.setSelectedDate(date)
        self.calendar.setCurrentPage(date.year(), date.month())


class DocNumberField(QWidget):
    """发文字号 as 机关代字 + 年份 + 序号; the 〔〕 and 号 are produced, never typed."""

    edited = Signal()

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = CleanLineEdit(self)
        self.code.setPlaceholderText("机关代字，如 临府")
        self.year = CleanLineEdit(self)
        self.year.setPlaceholderText("年份")
        self.year.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,4}"), self))
        self.year.setMaximumWidth(90)
        self.serial = CleanLineEdit(self)
        self.serial.setPlaceholderText("序号")
        self.serial.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), self))
        self.serial.setMaximumWidth(90)
        for name, edit in (("doc_code", self.code), ("doc_year", self.year),
                           ("doc_serial", self.serial)):
            edit.setToolTip(profile.field_hint(name))
            edit.edited.connect(self._changed)
        self.preview = QLabel(self)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setMinimumWidth(160)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.code, 2)
        row.addWidget(QLabel("〔", self))
        row.addWidget(self.year, 1)
        row.addWidget(QLabel("〕", self))
        row.addWidget(self.serial, 1)
        row.addWidget(QLabel("号", self))
        row.addSpacing(12)
        row.addWidget(self.preview, 2)

    def _changed(self, _text: str = "") -> None:
        # Brackets typed out of habit would be doubled by the composed number.
        code = re.sub(r"[〔〕\[\]【】（）()﹝﹞［］{}]", "", self.code.text())
        if code != self.code.text():
            self.code.setText(code)
        self.update_preview()
        emit(self.edited)

    def load(self, header: Header) -> None:
        self.code.setText(header.doc_code)
        self.year.setText(header.doc_year)
        self.serial.setText(header.doc_serial)
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


# (field name, group) in the order of the document: 版头, 主体, 版记 (GB/T 9704 7.2–7.4).
_GROUPS = (
    ("版头", ("organ_mark", "doc_number", "signer")),
    ("主体", ("title", "recipients", "signature", "date", "note")),
    ("版记", ("cc", "printer", "print_date", "publicity")),
)


class HeaderForm(QScrollArea):
    """The 版头与版记 page. Edits go straight into the model (the fields are short)."""

    edited = Signal()
    #: Year, 报告单位 or type changed: the report list shows them.
    identity_changed = Signal()

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.report: Report | None = None
        self._loading = False
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget(self)
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(16, 12, 16, 12)
        title = QLabel("版头与版记", inner)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        outer.addWidget(title)

        self.fields: dict[str, QWidget] = {}
        outer.addWidget(self._identity_group(inner))
        for group_name, names in _GROUPS:
            box = QGroupBox(group_name, inner)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            for name in names:
                widget = self._make_field(name, box)
                self.fields[name] = widget
                hint_name = "doc_code" if name == "doc_number" else name
                label = "发文字号" if name == "doc_number" else profile.field_label(name)
                cell = QWidget(box)
                col = QVBoxLayout(cell)
                col.setContentsMargins(0, 0, 0, 4)
                col.setSpacing(2)
                col.addWidget(widget)
                hint = profile.field_hint(hint_name)
                if name == "doc_number":
                    hint = "；".join(
                        h.rstrip("。") for h in (profile.field_hint("doc_code"),
                                                 profile.field_hint("doc_serial")) if h
                    ) + "。"
                if hint:
                    col.addWidget(HintLabel(hint, cell))
                    widget.setToolTip(hint)
                form.addRow(self._label(label + "：", box), cell)
            outer.addWidget(box)
        outer.addStretch(1)
        self.setWidget(inner)

    # ---- building ----------------------------------------------------------------------------
    def _identity_group(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("报告信息", parent)
        form = QFormLayout(box)
        self.year = QSpinBox(box)
        self.year.setRange(1990, 2100)
        self.year.setSuffix(" 年度")
        self.year.valueChanged.connect(self._identity_edited)
        self.organ = CleanLineEdit(box)
        self.organ.setPlaceholderText("报告单位全称，如“清河县临江镇人民政府”")
        self.organ.edited.connect(self._identity_edited)
        self.body_type = QComboBox(box)
        self.body_type.addItems(self.profile.body_type_names)
        self.body_type.currentTextChanged.connect(self._identity_edited)
        form.addRow(self._label("报告年度：", box), self.year)
        form.addRow(self._label("报告单位：", box), self.organ)
        form.addRow(self._label("单位类型：", box), self.body_type)
        return box

    def _label(self, text: str, parent: QWidget) -> QLabel:
        # One width for the labels of every group, so all fields start in one column.
        label = QLabel(text, parent)
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance("发文机关署名：") + 8)
        return label

    def _make_field(self, name: str, parent: QWidget) -> QWidget:
        if name == "doc_number":
            widget = DocNumberField(self.profile, parent)
            widget.edited.connect(self._doc_number_edited)
            return widget
        if name in ("date", "print_date"):
            widget = DateField(parent)
            widget.edited.connect(lambda text, n=name: self._field_edited(n, text))
            return widget
        if name == "publicity":
            widget = QComboBox(parent)
            widget.setEditable(True)
            widget.addItems(PUBLICITY)
            widget.currentTextChanged.connect(lambda text, n=name: self._field_edited(n, text))
            return widget
        widget = CleanLineEdit(parent)
        widget.edited.connect(lambda text, n=name: self._field_edited(n, text))
        return widget

    # ---- model <-> widgets -------------------------------------------------------------------
    def load(self, report: Report) -> None:
        self.report = report
        h = report.header
        self._loading = True
        try:
            self.year.setValue(report.year)
            self.organ.setText(report.organ)
            self.body_type.setCurrentText(report.body_type)
            for name, widget in self.fields.items():
                if isinstance(widget, DocNumberField):
                    widget.load(h)
                elif isinstance(widget, DateField):
                    widget.set_text(getattr(h, name))
                elif isinstance(widget, QComboBox):
                    widget.setCurrentText(getattr(h, name))
                else:
                    widget.setText(getattr(h, name))
        finally:
            self._loading = False

    def commit(self) -> None:
        """Nothing pending: every field writes to the model as it changes."""

    def focus_field(self, name: str) -> QWidget | None:
        widget = self.fields.get(name)
        if isinstance(widget, DocNumberField):
            widget = widget.code
        elif isinstance(widget, DateField):
            widget = widget.line
        if widget is not None:
            widget.setFocus()
            self.ensureWidgetVisible(widget)
        return widget

    def text_boxes(self) -> dict[tuple[str, str], QWidget]:
        """(field, uid) of an editor.model.Place → the box that shows it (for underlines):
        the one-line text fields (not 发文字号, which is composed, nor the 公开属性 list)."""
        boxes: dict[tuple[str, str], QWidget] = {}
        for name, widget in self.fields.items():
            box = widget.line if isinstance(widget, DateField) else widget
            if isinstance(box, CleanLineEdit):
                boxes[(f"header.{name}", "")] = box
        return boxes

    def _field_edited(self, name: str, text: str) -> None:
        if self._loading or self.report is None:
            return
        setattr(self.report.header, name, text)
        emit(self.edited)

    def _doc_number_edited(self) -> None:
        if self._loading or self.report is None:
            return
        field = self.fields["doc_number"]
        assert isinstance(field, DocNumberField)
        field.store(self.report.header)
        # The user has now written the number themselves: the imported spelling is history.
        self.report.header.source_doc_number = ""
        emit(self.edited)

    def _identity_edited(self, *_args) -> None:
        if self._loading or self.report is None:
            return
        self.report.year = self.year.value()
        self.report.organ = self.organ.text().strip()
        self.report.body_type = self.body_type.currentText()
        emit(self.edited)
        emit(self.identity_changed)
