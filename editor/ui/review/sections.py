"""已审 / 待审 of sections: the line under the section title, the tree's ✔已审 / ●待审 and the
two actions. A mixin of :class:`editor.ui.review.feature.ReviewFeature` (it uses the feature's
window, session, actions and reviewer name)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from editor.model import Section

from . import dialogs
from .style import APPROVED, GREEN, GREY, ORANGE, PENDING, short_time


def section_state_text(section: Section) -> str:
    if section.status == APPROVED:
        who = f"{section.reviewer} " if section.reviewer else ""
        return f"✔ 已审（{who}{short_time(section.reviewed_at)}）".replace("（ ", "（")
    if section.status == PENDING:
        return "● 待审"
    return "未审"


def tree_suffix(section: Section) -> str:
    if section.status == APPROVED:
        return " ✔已审"
    if section.status == PENDING:
        return " ●待审"
    return ""


class SectionReview:
    """Marking sections 已审 / 待审 (mixed into ReviewFeature)."""

    _section_bar: QWidget | None = None

    def current_section(self) -> Section | None:
        report, node = self.window.current_report, self.window.current_node or ""
        kind, _, uid = node.partition(":")
        if report is None or kind != "section":
            return None
        found = report.find_section(uid)
        return found[0].sections[found[1]] if found else None

    def mark_current(self, approved: bool) -> bool:
        section = self.current_section()
        return self.mark_section(section.uid, approved) if section is not None else False

    def mark_section(self, uid: str, approved: bool) -> bool:
        window = self.window
        if self.session is None:
            return False
        name = self.last_reviewer()
        if approved:
            answer = dialogs.ask_reviewer(window, "标记本节已审",
                                          "本节已审核通过。之后若再改动，会自动变回“待审”。",
                                          name, False)
            if answer is None:
                return False
            name = answer[0]
            self._remember_reviewer(name)
        window.current_report  # noqa: B018 - commits pending typing first
        self.session.mark_section(uid, approved, name)
        window.autosaver.mark_dirty()
        window.save_now()
        window.tree.update_titles(self.session.report)
        self._update_section_state()
        return True

    def _ensure_section_bar(self):
        """The 已审/待审 line under the section title, added to the section page once."""
        if self._section_bar is not None:
            return self._section_bar
        page = self.window.stack.built("section")
        if page is None:
            return None
        bar = QWidget(page)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.section_state = QLabel(bar)
        self.approve_button = QToolButton(bar)
        self.approve_button.setDefaultAction(self.act_approve)
        self.approve_button.setText("已审")
        self.pending_button = QToolButton(bar)
        self.pending_button.setDefaultAction(self.act_pending)
        self.pending_button.setText("待审")
        row.addWidget(self.section_state)
        row.addSpacing(8)
        row.addWidget(self.approve_button)
        row.addWidget(self.pending_button)
        row.addStretch(1)
        # A row of its own right under the title: beside it, it would squeeze the title box.
        page.add_under_title(bar)
        self._section_bar = bar
        return bar

    def _update_section_state(self) -> None:
        section = self.current_section()
        self.act_approve.setEnabled(section is not None and section.status != APPROVED)
        self.act_pending.setEnabled(section is not None and section.status != PENDING)
        if section is None or self._ensure_section_bar() is None:
            return
        self.section_state.setText(section_state_text(section))
        color = GREEN if section.status == APPROVED else (ORANGE if section.status == PENDING
                                                          else GREY)
        self.section_state.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.approve_button.setText("标记已审")
        self.pending_button.setText("改为待审")

    def section_state_label(self) -> str:
        self._update_section_state()
        return self.section_state.text() if self._section_bar is not None else ""
