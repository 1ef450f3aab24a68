"""History of the open report: snapshots taken by hand (报告 → 保存快照…), every few
minutes while the user edits (after an autosave, see editor.history.should_autosnapshot), when
the report is left (another report opened, the window closed); the 历史版本 view; restore.
Old automatic snapshots are pruned at startup."""

from __future__ import annotations

from contextlib import contextmanager, suppress
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMessageBox

from editor import history
from editor.history import KIND_AUTO, KIND_CLOSE, KIND_MANUAL, HistoryError

if TYPE_CHECKING:
    from .history_view import HistoryDialog


def reload_after(window, write, feature=None) -> bool:
    """Save the window's edits, close the report, let ``write(report_id)`` change it in the
    database, open it again at the same place: the forms then show what is stored. Returns
    what ``write`` returned (False if the edits could not be saved first)."""
    report = window.current_report
    if report is None:
        return False
    if not window.save_now():
        return False
    rid, node = report.id, window.current_node
    quiet = feature.quiet() if feature is not None else _nothing()
    with quiet:
        window.open_report(None)
        try:
            return write(rid)
        finally:
            window.open_report(rid, node)


@contextmanager
def _nothing():
    yield


class HistoryFeature(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.service = window.service
        self.dialog: HistoryDialog | None = None
        self._report = None  # the report open in the window, as it was handed to us
        self._last_time: datetime | None = None  # newest snapshot of that report
        self._changed = False  # saved edits not yet in a snapshot
        self._quiet = 0

        self.act_snapshot = QAction("保存快照…", window)
        self.act_snapshot.setStatusTip("把当前内容保存为一个历史版本，可写一句说明")
        self.act_snapshot.triggered.connect(lambda _c=False: self.snapshot_by_hand())
        self.act_history = QAction("历史版本…", window)
        self.act_history.setShortcut("Ctrl+Shift+H")
        self.act_history.setStatusTip("查看历史版本与当前内容的差别，恢复以前的版本")
        self.act_history.triggered.connect(lambda _c=False: self.show_history())
        window.menu("报告").addSeparator()
        window.add_report_action("报告", self.act_snapshot)
        window.add_report_action("报告", self.act_history)

        window.report_opened.connect(self._opened)
        window.report_changed.connect(self._text_changed)
        window.autosaver.saved.connect(self._saved)
        # Pruning old snapshots is housekeeping: done once the window has painted, not before.
        self._pruned_at_start = False
        window.installEventFilter(self)
        self._update_actions()

    # ---- automatic snapshots -------------------------------------------------------------------
    @contextmanager
    def quiet(self):
        """No automatic snapshots while the window reloads a report it just rewrote."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def _opened(self, report) -> None:
        if self._quiet:
            self._report = report if report is not None else self._report
            return
        self._leave()
        self._report = report
        self._changed = False
        self._last_time = None
        if report is not None and report.id is not None:
            snaps = self.service.snapshots(report.id)
            self._last_time = snaps[0].created_at if snaps else None
        self._update_actions()
        if self.dialog is not None:
            self.dialog.reload()

    def _leave(self) -> None:
        """The report is being left (already saved): keep its state if it was edited."""
        report = self._report
        if report is None or report.id is None or not self._changed:
            return
        try:
            self.service.snapshot(report, KIND_CLOSE, skip_if_unchanged=True)
        except Exception:  # noqa: BLE001 (history must never stop the user leaving)
            return
        self._changed = False
        self._prune(report.id)

    def _saved(self) -> None:
        # Ctrl+S also ends in "saved": only edits (report_changed) make a snapshot due.
        if self._quiet or self._report is None or self._report.id is None or not self._changed:
            return
        now = datetime.now()
        if history.should_autosnapshot(self._last_time, now, self._changed):
            try:
                self.service.snapshot(self._report, KIND_AUTO)
            except Exception:  # noqa: BLE001 (a failed automatic snapshot is retried next time)
                return
            self._last_time = now
            self._changed = False
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.reload()

    def _text_changed(self) -> None:
        if not self._quiet and self._report is not None:
            self._changed = True
        if self.dialog is not None:
            self.dialog.refresh()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Paint \
                and not self._pruned_at_start:
            self._pruned_at_start = True
            QTimer.singleShot(0, self, lambda: self._prune(None))
        # closeEvent saves too; save here first so the snapshot has the last keystrokes.
        if obj is self.window and event.type() == QEvent.Type.Close \
                and self._report is not None and self.window.save_now():
            self._leave()
        return False

    def _prune(self, report_id: int | None) -> None:
        with suppress(Exception):  # pruning is housekeeping; never bother the user
            self.service.prune_snapshots(report_id)

    def _update_actions(self) -> None:
        has = self._report is not None
        self.act_snapshot.setEnabled(has)
        self.act_history.setEnabled(has)

    # ---- by hand -------------------------------------------------------------------------------
    def snapshot_by_hand(self, note: str | None = None) -> int | None:
        window = self.window
        report = window.current_report
        if report is None:
            return None
        if note is None:
            note, ok = QInputDialog.getText(
                window, "保存快照", "为这个版本写一句说明（可以不写），例如“送审稿”：")
            if not ok:
                return None
        if not window.save_now():
            return None
        try:
            sid = self.service.snapshot(report, KIND_MANUAL, note=note)
        except HistoryError as exc:
            QMessageBox.warning(window, "无法保存快照", str(exc))
            return None
        self._last_time = datetime.now()
        self._changed = False
        window.statusBar().showMessage("已保存快照，可在“报告 → 历史版本”中查看和恢复。", 6000)
        if self.dialog is not None:
            self.dialog.reload()
        return sid

    def show_history(self) -> HistoryDialog | None:
        if self.window.current_report is None:
            return None
        if self.dialog is None:
            from .history_view import HistoryDialog

            self.dialog = HistoryDialog(self, self.window)
        else:
            self.dialog.reload()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def restore(self, snapshot_id: int) -> bool:
        """Replace the open report's content by a snapshot's (the engine snapshots the current
        state first) and show the result in the window."""
        def write(rid: int) -> bool:
            try:
                self.service.restore_snapshot(rid, snapshot_id)
            except Exception as exc:  # noqa: BLE001 (HistoryError, StorageError)
                QMessageBox.warning(self.window, "无法恢复", f"{exc}\n\n当前内容没有改变。")
                return False
            return True

        if self.window.current_report is None:
            return False
        done = reload_after(self.window, write, self)
        if not done:
            return False
        self._last_time = datetime.now()
        self._changed = False
        self.window.statusBar().showMessage(
            "已恢复。恢复前的内容已保存为历史版本（恢复前备份），需要时可以再恢复回来。", 8000)
        return True


__all__ = ["HistoryFeature", "reload_after"]
