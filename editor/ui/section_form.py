"""The big editing area: one section's title and body; and the 前言 page (opening paragraph
and the closing 特此报告。)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.model import Report, Section, part_number, section_number

from .fonts import editor_font
from .line_box import CleanLineEdit
from .qtcompat import emit
from .selection import select_in_box, select_in_line_edit
from .text_box import CleanPlainTextEdit
from .widgets import HintLabel, Notice, number_notice

BODY_HINT = (
    "每段一行，按回车另起一段（左侧数字是段号）。以“1.”或“（1）”开头的段落是下一级小标题，"
    "直接写在正文里即可；（一）（二）等序号由程序生成，不用输入。"
)


def _heading_label(parent: QWidget, scale: float = 1.25) -> QLabel:
    label = QLabel(parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _count_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet("color: #555;")
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class SectionForm(QWidget):
    """Title + body of one section. The body is read from the widget only when needed."""

    edited = Signal()
    title_edited = Signal()

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section: Section | None = None
        self.breadcrumb = _heading_label(self, 1.1)
        self.breadcrumb.setStyleSheet("color: #444;")

        bar = QHBoxLayout()
        bar.addWidget(self.breadcrumb, 1)
        for action in actions:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)

        self.number = QLabel(self)
        self.title = CleanLineEdit(self, owns_numbers=True)
        self.title.setPlaceholderText("本节标题，如“坚持党的领导，压实法治建设责任”（不含序号）")
        self.notice = Notice(self)
        self.title.number_removed.connect(lambda n: self.notice.tell(number_notice(n)))
        title_font = editor_font()
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.number.setFont(title_font)
        self.title.edited.connect(self._title_edited)
        title_row = QHBoxLayout()
        title_row.addWidget(self.number)
        title_row.addWidget(self.title, 1)

        self.body = CleanPlainTextEdit(self)
        self.body.setFont(editor_font())
        self.body.setPlaceholderText("在这里写本节正文。")
        self.body.highlighter.subheadings = True  # “1.……。” headings in bold
        self.body.enable_paragraph_numbers()
        self.body.user_edited.connect(self.edited)

        self.count = _count_label(self)
        foot = QHBoxLayout()
        foot.addWidget(HintLabel(BODY_HINT, self), 1)
        foot.addWidget(self.count)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(bar)
        layout.addLayout(title_row)
        self._under_title = layout.count()  # where add_under_title puts a row
        layout.addWidget(self.notice)
        layout.addWidget(self.body, 1)
        layout.addLayout(foot)

    def load(self, report: Report, part_index: int, section_index: int) -> None:
        part = report.parts[part_index]
        self.section = part.sections[section_index]
        enabled = [p.uid for p in report.enabled_parts]
        prefix = part_number(enabled.index(part.uid)) if part.uid in enabled else ""
        self.breadcrumb.setText(f"{prefix}{part.heading}")
        self.number.setText(section_number(section_index))
        self.title.setText(self.section.title)
        self.body.set_text(self.section.body)

    def renumber(self, report: Report, part_index: int, section_index: int) -> None:
        """After a move: new numbers, same widgets (the text and cursor stay)."""
        part = report.parts[part_index]
        enabled = [p.uid for p in report.enabled_parts]
        prefix = part_number(enabled.index(part.uid)) if part.uid in enabled else ""
        self.breadcrumb.setText(f"{prefix}{part.heading}")
        self.number.setText(section_number(section_index))

    def commit(self) -> None:
        if self.section is not None and self.body.dirty:
            self.section.body = self.body.take()

    def _title_edited(self, text: str) -> None:
        if self.section is not None:
            self.section.title = text
            emit(self.edited)
            emit(self.title_edited)

    def set_count(self, section_words: int) -> None:
        self.count.setText(f"本节 {section_words:,} 字")

    def add_under_title(self, widget: QWidget) -> None:
        """A row of another panel right under the title (the review's 已审/待审 line)."""
        self.layout().insertWidget(self._under_title, widget)
        self._under_title += 1

    def select(self, place, report: Report) -> bool:
        """Focus the title or the body and select the span of ``place`` there."""
        if place.field == "title":
            select_in_line_edit(self.title, place.start, place.end)
        else:
            select_in_box(self.body, place, report)
        return True

    def text_boxes(self) -> dict[tuple[str, str], QWidget]:
        """(field, uid) of an editor.model.Place → the box that shows it (for underlines)."""
        if self.section is None:
            return {}
        return {("title", self.section.uid): self.title, ("body", self.section.uid): self.body}


class PreambleForm(QWidget):
    """前言 (the opening paragraph before part 一) and the closing phrase."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: Report | None = None
        heading = _heading_label(self)
        heading.setText("前言")
        self.body = CleanPlainTextEdit(self)
        self.body.setFont(editor_font())
        self.body.setPlaceholderText("开头段落：概述本年度法治政府建设总体情况，以“现将有关情况报告如下：”结尾。")
        self.body.user_edited.connect(self.edited)
        hint = HintLabel("写在“一、”之前的开头段落，一般以“现将有关情况报告如下：”结尾。", self)

        closing_heading = _heading_label(self)
        closing_heading.setText("结束语")
        self.closing = CleanLineEdit(self)
        self.closing.setFont(editor_font())
        self.closing.setPlaceholderText("特此报告。")
        self.closing.edited.connect(self._closing_edited)
        closing_hint = HintLabel("正文最后一段，上行文报告一般为“特此报告。”。", self)
        self.count = _count_label(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(heading)
        layout.addWidget(self.body, 1)
        layout.addWidget(hint)
        layout.addSpacing(12)
        layout.addWidget(closing_heading)
        layout.addWidget(self.closing)
        layout.addWidget(closing_hint)
        layout.addWidget(self.count)

    def load(self, report: Report) -> None:
        self.report = report
        self.body.set_text(report.preamble)
        self.closing.setText(report.closing)

    def commit(self) -> None:
        if self.report is not None and self.body.dirty:
            self.report.preamble = self.body.take()

    def _closing_edited(self, text: str) -> None:
        if self.report is not None:
            self.report.closing = text
            emit(self.edited)

    def set_count(self, words: int) -> None:
        self.count.setText(f"前言 {words:,} 字")

    def select(self, place, report: Report) -> bool:
        """Focus the 前言 or the closing line and select the span of ``place`` there."""
        if place.field == "closing":
            select_in_line_edit(self.closing, place.start, place.end)
        else:
            select_in_box(self.body, place, report)
        return True

    def text_boxes(self) -> dict[tuple[str, str], QWidget]:
        """(field, uid) of an editor.model.Place → the box that shows it (for underlines)."""
        return {("preamble", ""): self.body, ("closing", ""): self.closing}
