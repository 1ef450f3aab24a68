"""编辑 → 撤销 / 重做 (Ctrl+Z, Ctrl+Y) for the whole report, as Word has it.

Every change of the open report is a step: a burst of typing (recorded when the window says the
user paused, the same moment the check runs), adding, moving or deleting a section, 改正 and
全部改正, a replace. A step is the report as it stood, so undo works across fields and sections
and after switching sections; it does not survive a restart. The text boxes give their own
undo up, so that Ctrl+Z means the same thing wherever the cursor is.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from editor.model import Place, Report

LIMIT = 200  # steps kept; a long day of editing stays well within memory
# What a restored step may not change: the report's identity and its timestamps.
_KEEP = {"id", "created_at", "updated_at"}


def _first_change(old: Report, new: Report) -> Place | None:
    """Where ``new`` first differs from ``old``, with the changed characters of ``new``
    selected: undo then shows what it brought back."""
    for place, before, after in _texts(old, new):
        if before == after:
            continue
        a = 0
        while a < min(len(before), len(after)) and before[a] == after[a]:
            a += 1
        b = 0
        while b < min(len(before), len(after)) - a and before[-1 - b] == after[-1 - b]:
            b += 1
        line_start = after.rfind("\n", 0, a) + 1
        line_end = after.find("\n", a)
        end = min(len(after) - b, len(after) if line_end < 0 else line_end)
        return Place(place.field, place.uid, after.count("\n", 0, a), a - line_start,
                     max(a, end) - line_start)
    return None


def _texts(old: Report, new: Report):
    """(place, old text, new text) of the fields both reports have, in document order."""
    yield Place("preamble"), old.preamble, new.preamble
    old_parts = {p.uid: p for p in old.parts}
    old_sections = {s.uid: s for p in old.parts for s in p.sections}
    for part in new.parts:
        was = old_parts.get(part.uid)
        yield Place("heading", part.uid), was.heading if was else "", part.heading
        yield Place("lead", part.uid), was.lead if was else "", part.lead
        for s in part.sections:
            prev = old_sections.get(s.uid)
            yield Place("title", s.uid), prev.title if prev else "", s.title
            yield Place("body", s.uid), prev.body if prev else "", s.body
    yield Place("closing"), old.closing, new.closing


class UndoFeature(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.steps: list[tuple[dict[str, Any], str | None]] = []  # (report, node shown)
        self.index = -1
        self.report_id: int | None = None
        self.act_undo = QAction("撤销", window)
        self.act_undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.act_undo.setToolTip("撤销上一步修改（全报告通用：跨节、增删节、改正、替换）")
        self.act_undo.triggered.connect(lambda _checked=False: self.undo())
        self.act_redo = QAction("重做", window)
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_redo.setToolTip("恢复刚才撤销的修改")
        self.act_redo.triggered.connect(lambda _checked=False: self.redo())
        menu = window.menu("编辑")
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, self.act_undo)
        menu.insertAction(first, self.act_redo)
        if first is not None:
            menu.insertSeparator(first)
        window.addAction(self.act_undo)
        window.addAction(self.act_redo)
        window.report_opened.connect(self._opened)
        window.report_changed.connect(self.record)
        window.page_loaded.connect(self._page_loaded)
        self._opened(window.current_report)

    # ---- steps ---------------------------------------------------------------------------------
    def _opened(self, report: Report | None) -> None:
        if report is None:
            return  # closed for a moment (a replace or a restore writes, then opens it again)
        if report.id is not None and report.id == self.report_id:
            self.record()  # the same report back from such a write: one more step
            return
        self.report_id = report.id
        self.steps = [(report.to_dict(), self.window.current_node)]
        self.index = 0
        self._update()

    def record(self) -> None:
        """Make the report as it is now a step, if it changed since the last one."""
        report = self.window.current_report
        if report is None or self.index < 0:
            return
        data = report.to_dict()
        if data == self.steps[self.index][0]:
            return
        del self.steps[self.index + 1:]
        self.steps.append((data, self.window.current_node))
        if len(self.steps) > LIMIT:
            del self.steps[0]
        self.index = len(self.steps) - 1
        self._update()

    def undo(self) -> bool:
        self.record()  # typing not yet recorded is the step to take back
        if self.index <= 0:
            return False
        node = self.steps[self.index][1]  # where the change being undone was made
        self.index -= 1
        self._restore(self.steps[self.index][0], node)
        return True

    def redo(self) -> bool:
        self.record()
        if self.index >= len(self.steps) - 1:
            return False
        self.index += 1
        data, node = self.steps[self.index]
        self._restore(data, node)
        return True

    def _restore(self, data: dict[str, Any], node: str | None) -> None:
        window = self.window
        report = window.current_report
        if report is None:
            return
        before = report.copy()
        restored = Report.from_dict(data)
        # in place: every feature holds this report object
        for f in fields(Report):
            if f.name not in _KEEP:
                setattr(report, f.name, getattr(restored, f.name))
        window.autosaver.mark_dirty()
        window.show_changes(node)
        place = _first_change(before, report)
        if place is not None:
            window.show_place(place)
        window.refresh()
        self._update()

    def _update(self) -> None:
        self.act_undo.setEnabled(self.index > 0)
        self.act_redo.setEnabled(0 <= self.index < len(self.steps) - 1)

    # ---- the text boxes leave Ctrl+Z to the report -------------------------------------------
    def _page_loaded(self, _key: str) -> None:
        page = self.window.stack.current_form()
        boxes = getattr(page, "text_boxes", None)
        for box in (boxes().values() if boxes else ()):
            box.use_report_undo(self)  # Ctrl+Z in the box is the report's undo
