"""Starting from an existing report: 文件 → 导入… / drag a file onto the window /
文件 → 粘贴整份报告…, each through the proposal dialog; 报告 → 由上一年度报告新建…; and the
待更新 mark of the sections such a new report starts with.

Decision on 待更新: the first edit of a section's title or body clears it (status ""), so the
tree shows at a glance what has not been touched yet; 报告 → 标记本节为已更新 clears it without
editing (a section whose old text is still right).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QMessageBox,
)

from editor.model import Report
from editor.rollover import rollover

from .lazy import LazyModule

file_dialogs = LazyModule("editor.ui.file_dialogs")  # QFileSystemModel etc.: on first use

if TYPE_CHECKING:
    from editor.ingest import ImportProposal

# The readers (DOCX and all) are imported on the first import, not when the window starts.
ingest = LazyModule("editor.ingest")

FILE_FILTER = "报告文件 (*.docx *.txt);;Word 文档 (*.docx);;文本文件 (*.txt);;所有文件 (*)"
_POOL = None  # the reading thread, made on the first import (concurrent.futures is not free)


def run_busy(func, *args):
    """``func(*args)`` in a worker thread; meanwhile the window keeps painting and shows a wait
    cursor (a large .docx takes a moment to read). Exceptions are re-raised here."""
    global _POOL
    from concurrent.futures import ThreadPoolExecutor
    from concurrent.futures import TimeoutError as FutureTimeout

    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import")
    future = _POOL.submit(func, *args)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        while True:
            try:
                return future.result(timeout=0.03)
            except FutureTimeout:
                QApplication.processEvents()
    finally:
        QGuiApplication.restoreOverrideCursor()


class ImportFeature(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._busy = False

        self.act_import = QAction("导入…", window)
        self.act_import.setShortcut("Ctrl+I")
        self.act_import.setStatusTip("导入 Word 文档或文本文件，先核对识别结果再建立草稿")
        self.act_import.triggered.connect(lambda _c=False: self.import_file())
        self.act_paste = QAction("粘贴整份报告…", window)
        self.act_paste.setStatusTip("把复制来的整份报告粘贴进来，核对识别结果后建立草稿")
        self.act_paste.triggered.connect(lambda _c=False: self.import_pasted())
        self.act_rollover = QAction("由上一年度报告新建…", window)
        self.act_rollover.setStatusTip("复制上一年度报告的结构和文字建立新一年度的草稿，各节标为“待更新”")
        self.act_rollover.triggered.connect(lambda _c=False: self.new_from_last_year())
        # 文件: right after 新建/复制/重命名/删除 (before its first separator), not after 退出.
        file_menu = window.menu("文件")
        actions = file_menu.actions()
        first_sep = next((i for i, a in enumerate(actions) if a.isSeparator()), None)
        after = actions[first_sep + 1] if first_sep is not None and first_sep + 1 < len(actions) \
            else None
        for act in (self.act_import, self.act_paste):
            file_menu.insertAction(after, act) if after is not None else file_menu.addAction(act)
            window.addAction(act)
        if after is not None:
            file_menu.insertSeparator(after)
        window.menu("报告").addSeparator()
        window.add_report_action("报告", self.act_rollover)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # ================================================================ import
    def import_file(self, path: str | Path | None = None) -> int | None:
        """Ask for a file (or use ``path``), show the proposal, create the draft. The new id."""
        if path is None:
            path, _ = file_dialogs.get_open_file_name(self.window, "导入报告", "", FILE_FILTER,
                                                      key="import")
            if not path:
                return None
        return self._import(lambda: ingest.propose_file(path), f"导入报告 — {Path(path).name}")

    def import_pasted(self, text: str | None = None) -> int | None:
        if text is None:
            from .import_dialog import PasteDialog

            dialog = PasteDialog(self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            text = dialog.text.toPlainText()
        return self._import(lambda: ingest.propose_pasted(text), "导入粘贴的报告")

    def _import(self, make_proposal, title: str) -> int | None:
        if self._busy:
            return None
        # Imports the readers here in the GUI thread, not first in the worker.
        unreadable = ingest.ImportError_
        from .import_dialog import ImportDialog

        self._busy = True
        try:
            try:
                proposal: ImportProposal = run_busy(make_proposal)
            except unreadable as exc:
                QMessageBox.warning(self.window, "无法导入", str(exc))
                return None
            except Exception:  # noqa: BLE001 (a damaged file must not show a traceback)
                QMessageBox.warning(self.window, "无法导入",
                                    "读取这个文件时出错，没有建立草稿。"
                                    "请确认文件能在 Word 或 WPS 中正常打开，另存后再试。")
                return None
            dialog = ImportDialog(proposal, self.window.profile, self.window, title)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return self._create(dialog.report(), proposal.source)
        finally:
            self._busy = False

    def _create(self, report: Report, source: str) -> int | None:
        from editor.history import KIND_IMPORT

        service = self.window.service
        if not self.window.save_now():
            return None
        try:
            service.create(report)  # one transaction: the whole draft or nothing
            service.snapshot(report, KIND_IMPORT, note="")
        except Exception as exc:  # noqa: BLE001 (StorageError, a full disk)
            QMessageBox.warning(self.window, "无法建立草稿", f"{exc}\n\n没有建立新的草稿。")
            return None
        self.window.reports.refresh()
        self.window.open_report(report.id)
        self.window.statusBar().showMessage(
            f"已从“{source}”导入为新草稿，可以开始修改。", 8000)
        return report.id

    # ================================================================ drag and drop
    @staticmethod
    def dropped_file(mime) -> str | None:
        for url in mime.urls() if mime.hasUrls() else []:
            if url.isLocalFile():
                return url.toLocalFile()
        return None

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window:
            kind = event.type()
            if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
                if self.dropped_file(event.mimeData()):
                    event.acceptProposedAction()
                    return True
            elif kind == QEvent.Type.Drop:
                path = self.dropped_file(event.mimeData())
                if path:
                    event.acceptProposedAction()
                    self.handle_drop(event.mimeData())
                    return True
        return False

    def handle_drop(self, mime) -> int | None:
        path = self.dropped_file(mime)
        if path is None:
            return None
        return self.import_file(path)

    # ================================================================ new from last year
    def new_from_last_year(self, report_id: int | None = None) -> int | None:
        window = self.window
        if report_id is None:
            reports = window.service.list_reports()
            if not reports:
                QMessageBox.information(window, "由上一年度报告新建",
                                        "还没有报告。请先导入上一年度的报告，再用它新建。")
                return None
            labels = [f"{r.year}年度 · {r.title or r.organ}" for r in reports]
            current = window.current_report
            at = next((i for i, r in enumerate(reports)
                       if current is not None and r.id == current.id), 0)
            label, ok = QInputDialog.getItem(
                window, "由上一年度报告新建",
                "以哪一份报告为基础？新报告的年度加一，各节标为“待更新”。", labels, at, False)
            if not ok:
                return None
            report_id = reports[labels.index(label)].id
        if not window.save_now():
            return None
        try:
            old = window.service.load(report_id)
            new = rollover(old)
            window.service.create(new)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(window, "无法新建", f"{exc}\n\n没有建立新的草稿。")
            return None
        window.reports.refresh()
        window.open_report(new.id)
        window.statusBar().showMessage(
            f"已按{old.year}年度报告建立{new.year}年度草稿。各节标为“待更新”，改写后标记自动去掉。",
            10000)
        return new.id


__all__ = ["ImportFeature", "run_busy"]
