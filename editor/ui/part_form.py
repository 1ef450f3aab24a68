"""One part of the report: its heading, optional lead paragraph and the list of its sections."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.model import Part, Report, part_number, section_number
from editor.profile import Profile

from .fonts import editor_font
from .line_box import CleanLineEdit
from .qtcompat import emit
from .selection import select_in_box, select_in_line_edit
from .text_box import CleanPlainTextEdit
from .widgets import HintLabel, Notice, number_notice

UID_ROLE = Qt.ItemDataRole.UserRole


def section_label(index: int, title: str) -> str:
    return f"{section_number(index)}{title or '（未写标题）'}"


class SectionList(QListWidget):
    """The sections of a part; rows can be dragged into a new order."""

    order_changed = Signal(list)  # the section uids in their new order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)

    def dropEvent(self, event: QDropEvent) -> None:
        super().dropEvent(event)
        emit(self.order_changed, self.uids())

    def uids(self) -> list[str]:
        return [self.item(i).data(UID_ROLE) for i in range(self.count())]


class PartForm(QWidget):
    edited = Signal()
    #: The heading or the enabled switch changed: the tree shows them.
    heading_edited = Signal()
    enabled_toggled = Signal(bool)
    open_section = Signal(str)  # uid

    def __init__(
        self, profile: Profile, actions: list[QAction], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.part: Part | None = None

        self.number = QLabel(self)
        self.heading = CleanLineEdit(self, owns_numbers=True)
        self.notice = Notice(self)
        self.heading.number_removed.connect(lambda n: self.notice.tell(number_notice(n)))
        font = editor_font()
        font.setBold(True)
        self.heading.setFont(font)
        self.number.setFont(font)
        self.heading.setPlaceholderText("本部分标题（不含“一、”等序号）")
        self.heading.edited.connect(self._heading_edited)
        head_row = QHBoxLayout()
        head_row.addWidget(self.number)
        head_row.addWidget(self.heading, 1)

        self.enabled = QCheckBox("在报告中包含这一部分", self)
        self.enabled.toggled.connect(self._enabled_toggled)
        self.hint = HintLabel("", self)

        lead_label = QLabel("引言（可选）：写在本部分第一个小标题之前的总述段落", self)
        self.lead = CleanPlainTextEdit(self)
        self.lead.setFont(editor_font())
        self.lead.setPlaceholderText("可以不写。")
        self.lead.setMaximumHeight(130)
        self.lead.user_edited.connect(self.edited)

        list_label = QLabel("各节（拖动或用“上移”“下移”调整顺序，双击打开）：", self)
        self.sections = SectionList(self)
        self.sections.setFont(editor_font())
        self.sections.itemActivated.connect(
            lambda item: emit(self.open_section, item.data(UID_ROLE))
        )
        buttons = QHBoxLayout()
        for action in actions:
            button = QPushButton(action.text().replace("&", ""), self)
            button.setToolTip(action.toolTip())
            button.clicked.connect(action.trigger)
            button.setEnabled(action.isEnabled())
            action.changed.connect(lambda b=button, a=action: b.setEnabled(a.isEnabled()))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.count = QLabel(self)
        self.count.setStyleSheet("color: #555;")
        buttons.addWidget(self.count)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(head_row)
        layout.addWidget(self.notice)
        layout.addWidget(self.enabled)
        layout.addWidget(self.hint)
        layout.addSpacing(6)
        layout.addWidget(lead_label)
        layout.addWidget(self.lead)
        layout.addSpacing(6)
        layout.addWidget(list_label)
        layout.addWidget(self.sections, 1)
        layout.addLayout(buttons)

    # ---- model <-> widgets -------------------------------------------------------------------
    def load(self, report: Report, part_index: int) -> None:
        self.part = part = report.parts[part_index]
        spec = self.profile.part_spec(part.key)
        self.enabled.blockSignals(True)
        self.enabled.setChecked(part.enabled)
        self.enabled.blockSignals(False)
        self.enabled.setVisible(bool(spec and spec.optional) or not part.enabled)
        self.hint.setText(spec.hint if spec else "")
        self.hint.setVisible(bool(spec and spec.hint))
        self.heading.setText(part.heading)
        self.lead.set_text(part.lead)
        self.renumber(report)

    def renumber(self, report: Report, counts: dict[str, int] | None = None) -> None:
        """Refresh the numbers and the section list (titles, order, 字数)."""
        part = self.part
        if part is None:
            return
        enabled = [p.uid for p in report.enabled_parts]
        self.number.setText(part_number(enabled.index(part.uid)) if part.uid in enabled else "")
        selected = self.selected_uid()
        self.sections.clear()
        for i, s in enumerate(part.sections):
            text = section_label(i, s.title)
            if counts is not None:
                text += f"　（{counts.get(s.uid, 0):,} 字）"
            item = QListWidgetItem(text)
            item.setData(UID_ROLE, s.uid)
            self.sections.addItem(item)
            if s.uid == selected:
                self.sections.setCurrentItem(item)

    def commit(self) -> None:
        if self.part is not None and self.lead.dirty:
            self.part.lead = self.lead.take()

    def text_boxes(self) -> dict[tuple[str, str], QWidget]:
        """(field, uid) of an editor.model.Place → the box that shows it (for underlines)."""
        if self.part is None:
            return {}
        return {("heading", self.part.uid): self.heading, ("lead", self.part.uid): self.lead}

    def select(self, place, report: Report) -> bool:
        """Focus the heading or the lead and select the span of ``place`` there."""
        if place.field == "heading":
            select_in_line_edit(self.heading, place.start, place.end)
        else:
            select_in_box(self.lead, place, report)
        return True

    def selected_uid(self) -> str | None:
        item = self.sections.currentItem()
        return item.data(UID_ROLE) if item is not None else None

    def select_uid(self, uid: str) -> None:
        for i in range(self.sections.count()):
            if self.sections.item(i).data(UID_ROLE) == uid:
                self.sections.setCurrentRow(i)
                return

    def set_count(self, words: int) -> None:
        note = "" if self.part is None or self.part.enabled else "（未启用，不计入全文）"
        self.count.setText(f"本部分 {words:,} 字{note}")

    def _heading_edited(self, text: str) -> None:
        if self.part is not None:
            self.part.heading = text
            emit(self.edited)
            emit(self.heading_edited)

    def _enabled_toggled(self, on: bool) -> None:
        if self.part is not None:
            self.part.enabled = on
            emit(self.edited)
            emit(self.enabled_toggled, on)
