"""待更新: the texts a report made from last year's took over and nobody has rewritten yet.

Sections, the 前言 and the part leads of such a report are marked (editor.rollover); the tree
shows ◇待更新 in orange on their rows, a mark goes as soon as its text is edited, and
报告 → 标记为已更新 takes it off by hand. The export asks about what is still marked
(editor.check.checker.carried_over).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import QTreeWidgetItemIterator

from editor.model import Report
from editor.model.place import PREAMBLE, part_key, section_key
from editor.model.status import OUTDATED

from .nav_tree import KEY_ROLE

LABEL = "待更新"
COLOR = "#b35c00"


def _marked(report: Report) -> dict[str, str]:
    """Tree node → the text that carries its mark, for every marked text of ``report``."""
    out = {}
    if report.preamble_status == OUTDATED:
        out[PREAMBLE] = report.preamble
    for part in report.parts:
        if part.lead_status == OUTDATED:
            out[part_key(part.uid)] = part.lead
        for s in part.sections:
            if s.status == OUTDATED:
                out[section_key(s.uid)] = s.title + "\n" + s.body
    return out


def _unmark(report: Report, key: str) -> bool:
    kind, _, uid = key.partition(":")
    if key == PREAMBLE and report.preamble_status == OUTDATED:
        report.preamble_status = ""
        return True
    for part in report.parts:
        if kind == "part" and part.uid == uid and part.lead_status == OUTDATED:
            part.lead_status = ""
            return True
        for s in part.sections:
            if kind == "section" and s.uid == uid and s.status == OUTDATED:
                s.status = ""
                return True
    return False


def tree_suffix(section) -> str:
    """The tree's mark after a section still as last year's report had it."""
    return f" ◇{LABEL}" if section.status == OUTDATED else ""


class OutdatedFeature(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._as_opened: dict[str, str] = {}  # node → its marked text when the report opened
        self.act_updated = QAction("标记为已更新", window)
        self.act_updated.setStatusTip("去掉当前节（或前言、本部分导语）的“待更新”标记；改写后会自动去掉")
        self.act_updated.triggered.connect(lambda _c=False: self.mark_updated())
        window.add_report_action("报告", self.act_updated)
        window.tree.add_suffix(tree_suffix)
        window.report_opened.connect(self._opened)
        window.report_changed.connect(self._changed)
        window.tree.node_selected.connect(lambda _k: self._update_action())
        self._opened(window.current_report)

    def _opened(self, report: Report | None) -> None:
        self._as_opened = _marked(report) if report is not None else {}
        self._show_marks()
        self._update_action()

    def _changed(self) -> None:
        report = self.window.current_report
        if report is None:
            return
        now = _marked(report)
        # a mark restored (undo) or new (another feature) is remembered as it stands now
        for key, text in now.items():
            self._as_opened.setdefault(key, text)
        edited = [k for k, text in now.items() if self._as_opened.get(k) != text]
        for key in edited:
            _unmark(report, key)
            self._as_opened.pop(key, None)
        if edited:
            self.window.autosaver.mark_dirty()
            self.window.tree.update_titles(report)
        self._show_marks()
        self._update_action()

    def mark_updated(self) -> bool:
        report, key = self.window.current_report, self.window.current_node or ""
        if report is None or not _unmark(report, key):
            return False
        self._as_opened.pop(key, None)
        self.window.autosaver.mark_dirty()
        self.window.tree.update_titles(report)
        self._show_marks()
        self._update_action()
        return True

    def _update_action(self) -> None:
        report, key = self.window.current_report, self.window.current_node or ""
        self.act_updated.setEnabled(report is not None and key in _marked(report))

    def _show_marks(self) -> None:
        """Colour the marked rows; add the 待更新 text where the tree's suffix did not (the 前言
        and part rows)."""
        report = self.window.current_report
        marked = set(_marked(report)) if report is not None else set()
        it = QTreeWidgetItemIterator(self.window.tree)
        while it.value():
            item = it.value()
            if (item.data(0, KEY_ROLE) or "") in marked:
                if LABEL not in item.text(0):
                    item.setText(0, f"{item.text(0)} ◇{LABEL}")
                item.setForeground(0, QBrush(QColor(COLOR)))
            it += 1
