"""ReviewFeature: runs the checks of the open report and connects the 检查清单 and 问题 tabs,
the underlines in the text, 已审/待审 of sections, the status bar and the export gate.

The engine (editor.check.ReviewSession) does the work; this module shows it. Findings are
re-checked on ``window.report_changed`` (already debounced); the engine only re-reads the
paragraphs that changed, so the lists and underlines follow the typing.

改正 of a text finding goes through the text box (select the span, insertText), so Ctrl+Z in
that box undoes it like any typing; the context menu of an underline uses the same path. The
two fixes that are not text in a box (an imported （一） marker, an imported 发文字号) go
through the engine and cannot be undone with Ctrl+Z.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit, QToolButton, QWidget

from editor.model import Report
from editor.service import StorageError

from ..qtcompat import emit
from . import dialogs
from .checklist_panel import ChecklistPanel
from .findings_panel import FindingsPanel
from .sections import SectionReview, tree_suffix
from .style import GREEN, GREY, ORANGE, RED
from .underline import Underliner

if TYPE_CHECKING:
    from editor.check import Finding, ReviewSession

#: Shown (status bar, both tabs) from opening a report until its first check is done.
CHECKING = "正在检查…"
WARM_SLICE_S = 0.008  # engine work per slice between events while new text is proofread
FIRST_CHECK_FALLBACK_MS = 1000

CHECKLIST_TAB = "检查清单"
FINDINGS_TAB = "问题"
REVIEWER_STATE = "reviewer_name"  # app_state key: the last reviewer name typed


class ReviewFeature(QObject, SectionReview):
    """Everything review-related in one window; ``window.review``."""

    #: A check has finished (the lists, the underlines and the status bar show it).
    checked = Signal()

    def __init__(self, window) -> None:
        QObject.__init__(self, window)
        self.window = window
        self._session: ReviewSession | None = None
        # The first check of an opened report waits until the window has painted (the check and
        # its word list cost ~100 ms the user would otherwise wait for the window): the opened
        # report whose session is still to be made, and whether the window has painted yet.
        self._opening: Report | None = None
        self._painted = False
        self._due = False  # a check was asked for while the window was hidden (or closed)
        self._first_check = QTimer(self, singleShot=True, interval=0)
        self._first_check.timeout.connect(self._check_if_due)
        # Between events, the engine's caches are filled a slice at a time before a check.
        self._warming = QTimer(self, singleShot=True, interval=0)
        self._warming.timeout.connect(self._recheck_when_warm)
        window.installEventFilter(self)
        self.result = None
        self._store = None
        label = getattr(window.profile, "field_label", None)

        self.checklist_panel = ChecklistPanel()
        self.findings_panel = FindingsPanel(label)
        window.add_review_tab(self.checklist_panel, CHECKLIST_TAB)
        window.add_review_tab(self.findings_panel, FINDINGS_TAB)
        window.resizeDocks([window.review_dock], [400], Qt.Orientation.Horizontal)
        self.checklist_panel.tick_requested.connect(self._tick_requested)
        self.checklist_panel.jump_requested.connect(window.show_place)
        self.findings_panel.jump_requested.connect(self.jump_to_finding)
        self.findings_panel.fix_requested.connect(self.fix)
        self.findings_panel.ignore_requested.connect(self.ignore)
        self.findings_panel.unignore_requested.connect(self.unignore)
        self.findings_panel.fix_all_requested.connect(self.fix_all)
        self.underliner = Underliner(self)

        # status bar: the summary, a button that opens the findings
        self.status_button = QToolButton(window)
        self.status_button.setAutoRaise(True)
        self.status_button.setToolTip("打开“问题”列表（F7）")
        self.status_button.clicked.connect(self.show_findings)
        window.statusBar().addPermanentWidget(self.status_button)
        self.status_button.hide()

        # actions: 报告→检查 (F7); 标记本节已审 / 待审 (menu, tree context menu, section page)
        self.act_check = QAction("检查", window)
        self.act_check.setShortcut(QKeySequence("F7"))
        self.act_check.setToolTip("检查错误和必备内容，打开“问题”列表（F7）")
        self.act_check.setStatusTip(self.act_check.toolTip())
        self.act_check.triggered.connect(lambda _c=False: self.show_findings())
        window.add_report_action("报告", self.act_check)
        self.act_approve = QAction("标记本节已审", window)
        self.act_approve.setToolTip("本节已审核通过（记下审核人和时间；之后再改动会变回待审）")
        self.act_approve.triggered.connect(lambda _c=False: self.mark_current(True))
        self.act_pending = QAction("标记本节待审", window)
        self.act_pending.setToolTip("本节需要（重新）审核")
        self.act_pending.triggered.connect(lambda _c=False: self.mark_current(False))
        for act in (self.act_approve, self.act_pending):
            window.add_report_action("报告", act)
        window.tree.addActions([self.act_approve, self.act_pending])
        window.tree.add_suffix(tree_suffix)
        # Long titles lose their middle rather than the ✔已审 / ●待审 at their end.
        window.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)

        self._section_bar: QWidget | None = None
        window.report_opened.connect(self._opened)
        window.report_changed.connect(self._recheck_when_warm)
        window.tree.node_selected.connect(lambda _k: self._update_section_state())
        window.stack.currentChanged.connect(lambda _i: self._update_section_state())
        if window.current_report is not None:
            self._opened(window.current_report)

    # ---- the session -------------------------------------------------------------------------
    def _review_store(self):
        if self._store is None:
            self._store = self.window.service.review_store()
        return self._store

    @property
    def session(self) -> ReviewSession | None:
        """The review session of the open report (made on first use after opening)."""
        if self._opening is not None:
            from editor.check import ReviewSession

            report, self._opening = self._opening, None
            self._session = ReviewSession(report, self._review_store())
        return self._session

    @session.setter
    def session(self, value: ReviewSession | None) -> None:
        self._opening = None
        self._session = value

    def _opened(self, report: Report | None) -> None:
        self.session = None
        self.result = None
        if report is None:
            self.recheck()
            return
        self._opening = report
        self.window.tree.update_titles(report)
        # The window shows the text first; the findings and the checklist follow a moment later.
        self._show_checking()
        self.findings_panel.summary.setText(CHECKING)
        self.checklist_panel.summary.setText(CHECKING)
        if self._painted:
            self._first_check.start()

    def _show_checking(self) -> None:
        self.status_button.setText(CHECKING)
        self.status_button.setStyleSheet(f"color: {GREY};")
        self.status_button.show()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window:
            kind = event.type()
            if kind == QEvent.Type.Paint and not self._painted:
                self._painted = True
                self._first_check.start()  # runs once the event loop is free again
            elif kind == QEvent.Type.Show:
                if self._due:
                    self._first_check.start()
                elif not self._painted:
                    # A window shown but not painted (started minimised) still gets its check.
                    QTimer.singleShot(FIRST_CHECK_FALLBACK_MS, self, self._check_if_due)
        return False

    def _hidden(self) -> bool:
        """A closed (or not yet shown) window is not checked; it is when it is shown."""
        if self.window.isVisible():
            return False
        self._due = True
        return True

    def _check_if_due(self) -> None:
        if (self.result is None or self._due) and self.window.has_report:
            self._recheck_when_warm()

    def _recheck_when_warm(self) -> None:
        """Check after a pause in typing. New text is proofread a slice at a time between
        events first: a pasted megabyte takes about a second, which would otherwise freeze the
        window once; ordinary edits are warm at once and checked straight away."""
        if self._hidden():
            return
        session, report = self.session, self.window.current_report
        if session is not None and report is not None \
                and not session.checker.warm(report, WARM_SLICE_S):
            self._show_checking()
            self._warming.start()
            return
        self.recheck()

    def recheck(self):
        """Check the open report again (after every pause in typing); returns the result."""
        self._due = False
        window = self.window
        report = window.current_report
        if self.session is None or report is None:
            self.result = None
            self.checklist_panel.show_result([])
            self.findings_panel.show_result([], [])
            self.status_button.hide()
            self._update_section_state()
            emit(self.checked)
            return None
        if self.session.report is not report:  # another report object behind the window
            from editor.check import ReviewSession

            # Same engine (and its caches, perhaps just warmed) for the new report object.
            self.session = ReviewSession(report, self._review_store(),
                                         checker=self.session.checker)
        if self.session.refresh_section_review():
            # An approved section was edited: it is 待审 again; the status is saved with it.
            window.autosaver.mark_dirty()
            window.tree.update_titles(report)
        self.result = self.session.check()
        self.checklist_panel.show_result(self.result.checklist, report)
        self.findings_panel.show_result(self.result.findings, self.result.ignored, report)
        self._update_status()
        self._update_section_state()
        emit(self.checked)
        return self.result

    def _update_status(self) -> None:
        result = self.result
        self.status_button.setText(result.status_text())
        color = RED if result.errors else (ORANGE if result.to_confirm else GREEN)
        self.status_button.setStyleSheet(f"color: {color};")
        self.status_button.show()

    def status_text(self) -> str:
        return self.status_button.text() if self.status_button.isVisible() else ""

    # ---- opening the dock -------------------------------------------------------------------
    def _show_tab(self, widget: QWidget) -> None:
        dock = self.window.review_dock
        dock.show()
        dock.raise_()
        tabs = self.window.review_tabs
        tabs.setCurrentIndex(tabs.indexOf(widget))

    def show_findings(self) -> None:
        self.recheck()
        self._show_tab(self.findings_panel)

    def show_checklist(self) -> None:
        self.recheck()
        self._show_tab(self.checklist_panel)

    # ---- findings ----------------------------------------------------------------------------
    def jump_to_finding(self, finding: Finding) -> bool:
        return self.window.show_place(finding.place)

    def fix(self, finding: Finding) -> bool:
        """改正 (the 问题 tab's button and an underline's context menu): replace the span in its
        text box (undoable there), else through the engine."""
        window = self.window
        if self.session is None or finding.suggestion is None:
            return False
        done = False
        if finding.fix == "text" and finding.text and window.show_place(finding.place):
            widget = window.focusWidget()
            if isinstance(widget, QPlainTextEdit):
                cursor = widget.textCursor()
                if cursor.selectedText() == finding.text:
                    cursor.insertText(finding.suggestion)  # one undo step of the box
                    widget.setTextCursor(cursor)
                    done = True
            elif isinstance(widget, QLineEdit) and widget.selectedText() == finding.text:
                widget.insert(finding.suggestion)
                # insert() is not a user edit for Qt; tell the form as typing would.
                emit(widget.textEdited, widget.text())
                done = True
        if not done:
            report = window.current_report
            before = {s.uid for p in report.parts for s in p.sections}
            if not self.session.apply_fix(finding):
                self.recheck()
                window.statusBar().showMessage("这处文字已经变了，没有改正；请看更新后的问题列表。",
                                               5000)
                return False
            window.autosaver.mark_dirty()
            added = [s.uid for p in report.parts for s in p.sections if s.uid not in before]
            # show the changed text (and a new section, with its place in the tree)
            window.show_changes(f"section:{added[0]}" if added else None)
        window.refresh()  # commit, recount, report_changed → recheck now
        if finding.fix == "section":
            message = f"已改为新的一节：“{finding.suggestion}”"
        else:
            message = f"已改正：“{finding.text}”→“{finding.suggestion}”"
        window.statusBar().showMessage(message, 4000)
        return True

    def fix_all(self, findings: list[Finding]) -> int:
        """全部改正: every finding given, in one change of the report (one undo step)."""
        window = self.window
        if self.session is None or not findings:
            return 0
        report = window.current_report  # everything typed is in the report first
        from editor.check.checker import apply_fixes

        done = apply_fixes(report, findings)
        if done:
            window.autosaver.mark_dirty()
            window.show_changes()
        window.refresh()
        window.statusBar().showMessage(
            f"已全部改正 {done} 处" + (f"（另有 {len(findings) - done} 处文字已变，未改）"
                                     if done < len(findings) else "") + "。", 5000)
        return done

    def ignore(self, finding: Finding) -> None:
        if self.session is None:
            return
        self.session.ignore(finding)
        self.recheck()

    def unignore(self, finding: Finding) -> None:
        if self.session is None:
            return
        self.session.unignore(finding)
        self.recheck()

    # ---- reviewer name -------------------------------------------------------------------------
    def last_reviewer(self) -> str:
        try:
            return self.window.service.get_setting(REVIEWER_STATE, "") or ""
        except (StorageError, sqlite3.Error):  # a convenience only: the dialog then starts empty
            return ""

    def _remember_reviewer(self, name: str) -> None:
        with contextlib.suppress(StorageError, sqlite3.Error):  # next time it is typed again
            self.window.service.set_setting(REVIEWER_STATE, name)

    # ---- checklist ticks ---------------------------------------------------------------------
    def _tick_requested(self, item_id: str, ticked: bool) -> None:
        if ticked:
            self.tick(item_id)
        else:
            self.untick(item_id)

    def tick(self, item_id: str) -> bool:
        if self.session is None:
            return False
        r = self.checklist_panel.result(item_id)
        label = r.label if r is not None else item_id
        answer = dialogs.ask_reviewer(self.window, "确认检查项",
                                      f"确认报告已写到：{label}", self.last_reviewer(), True)
        if answer is None:
            return False
        name, note = answer
        self._remember_reviewer(name)
        self.window.current_report  # noqa: B018 - commits pending typing before hashing
        self.session.tick(item_id, name, note)
        self.recheck()
        return True

    def untick(self, item_id: str) -> None:
        if self.session is None:
            return
        self.session.untick(item_id)
        self.recheck()

    # ---- export gate ---------------------------------------------------------------------------
    def confirm_export(self, parent: QWidget | None = None) -> bool:
        """True to go on exporting. Asks only when errors or unmet required items remain."""
        if self.window.current_report is None or self.session is None:
            return True
        result = self.recheck()
        gate = self.session.export_gate() if result is not None else None
        if gate is None or gate.ok:
            return True
        dialog = dialogs.ExportGateDialog(gate, self.window.current_report,
                                          getattr(self.window.profile, "field_label", None),
                                          parent or self.window)
        go_on = dialog.exec() == QDialog.DialogCode.Accepted
        if not go_on:
            if gate.errors:
                self._show_tab(self.findings_panel)
            else:
                self._show_tab(self.checklist_panel)
        return go_on
