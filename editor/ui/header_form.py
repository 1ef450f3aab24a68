"""版头与版记: every field of :class:`editor.model.Header`, each with its hint, plus the
report's own year, 报告单位 and type."""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.model import Report
from editor.profile import Profile

from . import organ_defaults
from .header_fields import (  # noqa: F401 (format_date, parse_date: used by other modules)
    DateField,
    DocNumberField,
    format_date,
    parse_date,
    usual_signing_month,
)
from .line_box import CleanLineEdit
from .qtcompat import emit
from .selection import select_in_line_edit
from .widgets import HintLabel

PUBLICITY = ("主动公开", "依申请公开", "不予公开")


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
            # Where the form is narrow (a 1024 px screen), a field goes under its label
            # rather than past the right edge.
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
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
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
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
            widget.expected = lambda n=name: self._expected_date(n)
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

    def select(self, place, _report: Report | None = None) -> bool:
        """Focus the field of ``place`` (a header place) and select its span."""
        # the 发文字号 is three fields in the form; its findings open the first
        name = "doc_number" if place.header_name.startswith(("doc_", "source_doc")) \
            else place.header_name
        widget = self.focus_field(name)
        if widget is None:
            return False
        if hasattr(widget, "setSelection") and name != "doc_number":
            select_in_line_edit(widget, place.start, place.end)
        return True

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

    def _expected_date(self, name: str) -> QDate | None:
        """The month a date field's calendar opens on while the field is empty."""
        if self.report is None:
            return None
        if name == "print_date":  # printed on or just after the day it is signed
            signed = self.fields["date"]
            if isinstance(signed, DateField) and signed.date() is not None:
                return signed.date()
        return usual_signing_month(self.report.year)

    def _identity_edited(self, *_args) -> None:
        if self._loading or self.report is None:
            return
        report = self.report
        old = (report.year, report.organ, report.body_type)
        report.year = self.year.value()
        report.organ = self.organ.text().strip()
        if report.organ != old[1]:
            self._type_follows_name(old[1], old[2])
        report.body_type = self.body_type.currentText()
        self._defaults_follow(*old)
        emit(self.edited)
        emit(self.identity_changed)

    def _type_follows_name(self, old_organ: str, old_type: str) -> None:
        """A new name picks the 单位类型 it implies, unless the type was chosen against the
        old name (then the user chose it, and it stays)."""
        names = self.profile.body_type_names
        guess = organ_defaults.body_type_for(self.report.organ, names)
        before = organ_defaults.body_type_for(old_organ, names)
        if guess and guess != old_type and (before is None or before == old_type):
            self._loading = True
            try:
                self.body_type.setCurrentText(guess)
            finally:
                self._loading = False

    def _defaults_follow(self, old_year: int, old_organ: str, old_type: str) -> None:
        """Fields still holding what the program filled in follow the new year, name and
        type; whatever the user typed stays."""
        report, h, p = self.report, self.report.header, self.profile
        changed: dict[str, str] = {}
        follow = (
            ("title", p.fill(p.title, old_year, old_organ), p.fill(p.title, report.year,
                                                                    report.organ)),
            ("organ_mark", p.fill(p.organ_mark, old_year, old_organ),
             p.fill(p.organ_mark, report.year, report.organ)),
            ("signature", old_organ, report.organ),
        )
        for name, before, after in follow:
            if getattr(h, name) in (before, "") and before != after:
                changed[name] = after
        new = organ_defaults.defaults_for(p, report.organ, report.body_type)
        for name, value in new.items():
            current = getattr(h, name)
            if current != value and current in organ_defaults.all_defaults(p, name):
                changed[name] = value
        if not changed:
            return
        self._loading = True
        try:
            for name, value in changed.items():
                setattr(h, name, value)
                widget = self.fields.get(name)
                if isinstance(widget, CleanLineEdit):
                    widget.setText(value)
        finally:
            self._loading = False
