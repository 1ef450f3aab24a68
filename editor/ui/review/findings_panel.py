"""The 问题 tab: findings in document order; click → jump; 改正 / 忽略; 显示已忽略的."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.model import Report

from ..qtcompat import emit
from .style import ERROR, GREEN, GREY, RED, fix_words, severity_mark

if TYPE_CHECKING:
    from editor.check import Finding


def finding_tip(f: Finding) -> str:
    """The message and what to change it to (tooltips of the list and of the underlines)."""
    tip = f.message
    if f.suggestion is not None:
        tip += "\n" + fix_words(f)[0]
    return tip


class FindingsPanel(QWidget):
    """Findings in document order; click → jump; 改正 / 忽略; ignored ones can be shown again."""

    jump_requested = Signal(object)  # Finding
    fix_requested = Signal(object)
    ignore_requested = Signal(object)
    unignore_requested = Signal(object)
    fix_all_requested = Signal(object)  # list of findings

    def __init__(self, field_label=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field_label = field_label
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setUniformItemSizes(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSpacing(2)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.fix_button = QPushButton("改正", self)
        self.fix_button.setToolTip("按建议改正所选问题（可用 Ctrl+Z 撤销）")
        self.fix_button.clicked.connect(self._fix)
        self.fix_all_button = QPushButton("全部改正", self)
        self.fix_all_button.setToolTip("把与所选问题同类的每一处都按建议改正（一步，可撤销）")
        self.fix_all_button.clicked.connect(self._fix_all)
        self.ignore_button = QPushButton("忽略", self)
        self.ignore_button.setToolTip("这一处不算问题：不再提示（本报告内记住）")
        self.ignore_button.clicked.connect(self._ignore)
        self.show_ignored = QCheckBox("显示已忽略的", self)
        self.show_ignored.toggled.connect(lambda _on: self._refill())
        row = QHBoxLayout()
        row.addWidget(self.fix_button)
        row.addWidget(self.fix_all_button)
        row.addWidget(self.ignore_button)
        row.addStretch(1)
        # on a line of its own: the panel fits a 1024-pixel-wide screen beside the text
        second = QHBoxLayout()
        second.addStretch(1)
        second.addWidget(self.show_ignored)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addLayout(second)
        self._findings: list[Finding] = []
        self._ignored: list[Finding] = []
        self._rows: list[tuple[Finding, bool]] = []
        self._signature = None
        self.report: Report | None = None
        self._update_buttons()

    # ---- content -----------------------------------------------------------------------------
    def show_result(self, findings: list[Finding], ignored: list[Finding],
                    report: Report | None = None) -> None:
        """``report`` is the checked report: places are described against it."""
        self.report = report
        self._findings = list(findings)
        self._ignored = list(ignored)
        errors = sum(1 for f in findings if f.severity == ERROR)
        others = len(findings) - errors
        if not findings:
            text = f"<span style='color:{GREEN}'>✔ 没有发现问题。</span>"
        else:
            text = f"<span style='color:{RED}'>✘ {errors} 处错误</span>" if errors else \
                "没有错误"
            if others:
                text += f"，{others} 处提示"
            text += "。点击一条跳到原文；正文中标有波浪线，右键可改正或忽略。"
        self.summary.setText(text)
        self.show_ignored.setText(f"显示已忽略的（{len(ignored)}）")
        self._refill()

    def _refill(self) -> None:
        rows = [(f, False) for f in self._findings]
        if self.show_ignored.isChecked():
            rows += [(f, True) for f in self._ignored]
        signature = tuple((f.fingerprint, f.place, f.message, f.suggestion, ign)
                          for f, ign in rows)
        if signature == self._signature:
            return
        self._signature = signature
        current = self.current()
        keep = current[0].fingerprint if current else None
        scroll = self.list.verticalScrollBar().value()
        self.list.clear()
        # The rows stay on the Python side; an item only knows its row. (PySide6 6.12 corrupts
        # reference counts when Python objects make round trips through item data.)
        self._rows = rows
        # findings alike in rule and words on one line are told apart by their context
        alike = Counter((f.rule, f.text, f.place.line_place()) for f, _ign in rows)
        for f, ign in rows:
            item = QListWidgetItem(self._text(f, ign, alike[(f.rule, f.text,
                                                              f.place.line_place())] > 1))
            color = severity_mark(f.severity)[2]
            item.setForeground(QBrush(QColor(GREY if ign else color)))
            item.setToolTip(f"{finding_tip(f)}\n（{f.rule}）")
            self.list.addItem(item)
            if f.fingerprint == keep:
                self.list.setCurrentItem(item)
        self.list.verticalScrollBar().setValue(scroll)
        self._update_buttons()

    def _text(self, f: Finding, ignored: bool, with_context: bool = False) -> str:
        mark, word, _color = severity_mark(f.severity)
        where = f.place.describe(self.report, self.field_label) if self.report else ""
        head = f"{mark} {word} · {where}"
        if ignored:
            head += " · 已忽略"
        lines = [head]
        shown = f"“{f.text}”：" if f.text and f.text not in f.message else ""
        lines.append(shown + f.message)
        if with_context:
            before, after = f.context
            lines.append(f"原文：…{before}【{f.text}】{after}…")
        if f.suggestion is not None:
            lines.append(fix_words(f)[0])
        return "\n".join(lines)

    def current(self) -> tuple[Finding, bool] | None:
        row = self.list.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, finding: Finding) -> int:
        for i, (f, _ign) in enumerate(self._rows):
            if f.fingerprint == finding.fingerprint:
                return i
        return -1

    def findings(self) -> list[Finding]:
        return [f for f, _ign in self._rows]

    # ---- actions -----------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        cur = self.current()
        self.fix_button.setEnabled(bool(cur) and not cur[1] and cur[0].fixable)
        same = self.same_kind(cur[0]) if cur and not cur[1] else []
        self.fix_all_button.setEnabled(len(same) > 1)
        self.fix_all_button.setText(f"全部改正（{len(same)}处）" if len(same) > 1 else "全部改正")
        self.ignore_button.setEnabled(bool(cur))
        self.ignore_button.setText("取消忽略" if cur and cur[1] else "忽略")

    def _clicked(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self._rows):
            emit(self.jump_requested, self._rows[row][0])

    def same_kind(self, finding: Finding) -> list[Finding]:
        """The open findings 全部改正 would fix with ``finding``: same rule and message (one kind
        of slip), each with a fix of its own text."""
        return [f for f, ign in self._rows if not ign and f.rule == finding.rule
                and f.message == finding.message and f.fixable and f.fix == "text"]

    def _fix_all(self) -> None:
        cur = self.current()
        if cur and not cur[1]:
            emit(self.fix_all_requested, self.same_kind(cur[0]))

    def _fix(self) -> None:
        cur = self.current()
        if cur and not cur[1]:
            emit(self.fix_requested, cur[0])

    def _ignore(self) -> None:
        cur = self.current()
        if cur:
            emit(self.unignore_requested if cur[1] else self.ignore_requested, cur[0])
