"""The form stack: the middle of the window, showing the form of the node chosen in the tree
(版头与版记, 前言, a part, a section) for the open report, and the 字数 of what it shows.

Every form follows the :class:`Form` protocol. Forms are built the first time they are needed
(``page(name)``; this keeps the start fast); ``form_built(name, form)`` then lets the window's
other parts connect to them. The stack holds the open report and the node shown: the window
gives it the report (``set_report`` / ``show_report``) and it does the rest.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from editor.model import Place, PlaceNotFound, Report

from .nav_tree import HEADER, PREAMBLE, NavTree, section_key
from .qtcompat import emit
from .word_counts import WordCounts

#: The forms, by the name ``page(name)`` takes (and "empty": no report open).
FORMS = ("header", "preamble", "part", "section")
EMPTY_TEXT = "还没有打开的报告。\n点击“新建报告”开始一份新报告，或在回收站中恢复已删除的报告。"


class Form(Protocol):
    """What the stack asks of each form (a QWidget with an ``edited`` signal)."""

    def load(self, report: Report, *where: int) -> None:
        """Show the node of ``report`` (a part's index; a part's and a section's index)."""

    def commit(self) -> None:
        """Copy text still only in a text box into the report."""

    def select(self, place: Place, report: Report) -> bool:
        """Focus the box that shows ``place`` (already loaded) and select its span."""

    def text_boxes(self) -> dict[tuple[str, str], QWidget]:
        """(field, uid) of an editor.model.Place → the box that shows it."""


def default_node(report: Report) -> str:
    """The first section of the report, else the 版头与版记."""
    for part in report.enabled_parts:
        if part.sections:
            return section_key(part.sections[0].uid)
    return HEADER


class FormStack(QStackedWidget):
    #: Text typed into a form (the report has it, or has it on the next ``commit``).
    edited = Signal()
    #: A part heading was typed: the tree and the lists show it a moment later.
    titles_edited = Signal()
    #: ``page(name)`` has just built the form called name (before it loads anything).
    form_built = Signal(str, object)
    #: The page of a node has been (re)loaded and is shown (the node's key).
    node_shown = Signal(str)
    #: 新建报告… on the page shown while no report is open.
    new_requested = Signal()

    def __init__(self, profile, tree: NavTree, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.tree = tree
        self.counts = WordCounts()
        self._report: Report | None = None
        self._node: str | None = None
        self._section_actions: list[QAction] = []
        self._pages: dict[str, QWidget] = {"empty": self._empty_page()}
        self.addWidget(self._pages["empty"])
        tree.node_selected.connect(self.show_node)

    def _empty_page(self) -> QWidget:
        empty = QWidget(self)
        el = QVBoxLayout(empty)
        el.addStretch(1)
        msg = QLabel(EMPTY_TEXT, empty)
        msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
        el.addWidget(msg)
        button = QPushButton("新建报告…", empty)
        button.clicked.connect(lambda _checked=False: emit(self.new_requested))
        el.addWidget(button, 0, Qt.AlignmentFlag.AlignCenter)
        el.addStretch(2)
        return empty

    def set_section_actions(self, actions: list[QAction]) -> None:
        """The add / move / delete actions the part and section forms show as buttons."""
        self._section_actions = list(actions)

    # ---- the report and the node shown --------------------------------------------------------
    @property
    def report(self) -> Report | None:
        """The open report as it is (typing not yet committed may be missing: ``commit``)."""
        return self._report

    @property
    def node(self) -> str | None:
        """``header``, ``preamble``, ``part:<uid>`` or ``section:<uid>``; None if none."""
        return self._node

    def set_report(self, report: Report | None) -> None:
        """Hold ``report`` (None: none) with no node shown yet; nothing is redrawn."""
        self._report = report
        self._node = None
        self.counts.clear()

    def show_report(self, report: Report | None) -> None:
        """Hold ``report`` and rebuild the tree for it (the empty page without a report)."""
        self.set_report(report)
        self.tree.rebuild(report)
        if report is None:
            self.setCurrentWidget(self._pages["empty"])

    # ---- the forms ----------------------------------------------------------------------------
    def page(self, name: str) -> QWidget:
        """The form called ``name`` (FORMS, or "empty"), built the first time it is needed."""
        page = self._pages.get(name)
        if page is not None:
            return page
        if name == "header":
            from .header_form import HeaderForm

            page = HeaderForm(self.profile, self)
            page.edited.connect(self.edited)
            page.identity_changed.connect(self.edited)
        elif name == "preamble":
            from .section_form import PreambleForm

            page = PreambleForm(self)
            page.edited.connect(self.edited)
        elif name == "part":
            from .part_form import PartForm

            page = PartForm(self.profile, self._section_actions, self)
            page.edited.connect(self.edited)
            page.heading_edited.connect(self.titles_edited)
            page.open_section.connect(lambda uid: self.select_node(section_key(uid)))
        elif name == "section":
            from .section_form import SectionForm

            page = SectionForm(self._section_actions, self)
            page.edited.connect(self.edited)
        else:
            raise KeyError(name)
        self.addWidget(page)
        self._pages[name] = page
        emit(self.form_built, name, page)
        return page

    def built(self, name: str) -> QWidget | None:
        """The form called ``name`` if it has been built, else None (nothing is built)."""
        return self._pages.get(name)

    def current_form(self) -> QWidget | None:
        """The form on screen; None while no report is open."""
        page = self.currentWidget()
        return page if page is not self._pages.get("empty") else None

    def is_shown(self, name: str) -> bool:
        page = self._pages.get(name)
        return page is not None and self.currentWidget() is page

    def commit(self) -> None:
        """Copy text still only in a widget into the report."""
        for name in ("section", "preamble", "part"):
            page = self._pages.get(name)
            if page is not None:
                page.commit()

    def main_text(self):
        """The big text box of the current page (for the cursor position)."""
        page = self.current_form()
        if page is None:
            return None
        if self.is_shown("section") or self.is_shown("preamble"):
            return page.body
        if self.is_shown("part"):
            return page.lead
        return None

    def restore_cursor(self, cursor: int) -> None:
        text = self.main_text()
        if text is not None:
            text.set_cursor_position(cursor)
            text.setFocus()

    def position(self) -> dict:
        """Where the user is: the node, the cursor in its big text box, the title if focused."""
        pos: dict = {"node": self._node}
        text = self.main_text()
        if text is not None:
            pos["cursor"] = text.cursor_position()
        if self.is_shown("section") and self._pages["section"].title.hasFocus():
            pos["field"] = "title"
        return pos

    # ---- navigation -------------------------------------------------------------------------------
    def select_node(self, key: str) -> None:
        """Choose ``key`` in the tree and show its page (nothing if the tree has no such node)."""
        if self.tree.current_key() == key and self._node == key:
            return
        if not self.tree.select_key(key):
            return
        if self._node != key:  # select_key emits node_selected only when the item changed
            self.show_node(key)

    def show_node(self, key: str) -> None:
        """Load the page of ``key`` from the report and show it (the tree's choice)."""
        report = self._report
        if report is None:
            return
        self.commit()
        kind, _, uid = key.partition(":")
        if kind == HEADER:
            page = self.page("header")
            page.load(report)
        elif kind == PREAMBLE:
            page = self.page("preamble")
            page.load(report)
        elif kind == "part":
            index = next(i for i, p in enumerate(report.parts) if p.uid == uid)
            page = self.page("part")
            page.load(report, index)
        else:
            found = report.find_section(uid)
            if found is None:
                return
            part, si = found
            page = self.page("section")
            page.load(report, report.parts.index(part), si)
        self._node = key
        self.setCurrentWidget(page)
        emit(self.node_shown, key)

    def show_place(self, place: Place) -> bool:
        """Open the page that holds ``place`` and select its span. False if the report no
        longer has that part, section or field (or the part is switched off)."""
        report = self._report
        if report is None:
            return False
        try:
            part, section = place.container(report)
        except PlaceNotFound:
            return False
        if part is not None and not part.enabled:
            return False
        if place.header_name:
            self.select_node(HEADER)
            return self.page("header").select(place, report)
        self.select_node(place.node_key)
        if place.field in ("preamble", "closing"):
            form = self.page("preamble")
        elif section is not None:
            form = self.page("section")
        else:
            form = self.page("part")
        return form.select(place, report)

    def structure_changed(self, select: str | None, moved: str | None = None) -> None:
        """Sections added, removed or reordered: renumber everything, keep the text boxes;
        show ``select`` if it is another node, and keep ``moved`` chosen in a part's list."""
        report = self._report
        self.tree.rebuild(report, select=select)
        if select and select != self._node:
            self.show_node(select)
        elif self.is_shown("section"):
            page = self._pages["section"]
            found = report.find_section(page.section.uid) if page.section is not None else None
            if found:
                page.renumber(report, report.parts.index(found[0]), found[1])
        elif self.is_shown("part"):
            page = self._pages["part"]
            page.renumber(report, self.counts.sections(page.part))
            if moved:
                page.select_uid(moved)

    def reshow(self, select: str | None = None) -> bool:
        """The report was changed outside the forms: rebuild the tree and load the page of
        ``select`` (else the current node) afresh. False without a report."""
        report = self._report
        if report is None:
            return False
        key = select or self._node or default_node(report)
        if key.startswith("section:") and report.find_section(key[8:]) is None:
            key = default_node(report)
        self.tree.rebuild(report, select=key)
        self.show_node(key)
        return True

    # ---- 字数 -------------------------------------------------------------------------------------
    def refresh_counts(self) -> str:
        """Show the 字数 of the page on screen; the status bar's text (全文, 本节 / 本部分)."""
        self.commit()
        report = self._report
        text = f"全文 {self.counts.total(report):,} 字"
        page = self.current_form()
        if self.is_shown("section") and page.section:
            n = self.counts.section(page.section)
            page.set_count(n)
            text += f" · 本节 {n:,} 字"
        elif self.is_shown("part") and page.part:
            n = self.counts.part(page.part)
            page.set_count(n)
            page.renumber(report, self.counts.sections(page.part))
            text += f" · 本部分 {n:,} 字"
        elif self.is_shown("preamble") and report:
            page.set_count(self.counts.preamble(report))
        return text


__all__ = ["FORMS", "Form", "FormStack", "default_node"]
