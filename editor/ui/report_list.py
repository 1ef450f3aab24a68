"""The list of reports (newest first) in the left column, and what is done to whole reports:
新建 / 复制 / 重命名 / 删除 (to the 回收站) and the 回收站 itself. Choosing an entry opens that
report in the window (``window.open_report``, which saves the one open first)."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QListWidget, QListWidgetItem, QMessageBox

from editor.model import Report
from editor.service import ServiceError, StorageError

from .form_stack import FormStack, default_node
from .lazy import LazyModule
from .nav_tree import HEADER
from .widgets import make_action

# The dialogs (and the unit-name rules they use) are loaded when one is first opened.
report_dialogs = LazyModule("editor.ui.report_dialogs")


def is_default_title(title: str, year: int, organ: str) -> bool:
    """“<organ>关于<year>年度……的报告”: the title a new report gets (the list need not
    repeat it)."""
    return bool(re.fullmatch(rf"{re.escape(organ or '')}关于{year}年度\S*报告", title or ""))


def summary_text(year: int, organ: str, title: str, updated_at: str) -> str:
    """A report in the list: year and unit, the title only where the user changed it (a
    copy, a renamed draft), when it was last changed. Two lines for most reports, so a
    1366×768 screen shows several without scrolling; the full title is the tooltip."""
    when = (updated_at or "").replace("T", " ")[:16]
    lines = [f"{year}年度 · {organ or '（未填写单位）'}"]
    if not title:
        lines.append("（无标题）")
    elif not is_default_title(title, year, organ):
        lines.append(title)
    lines.append(f"最后修改：{when}")
    return "\n".join(lines)

ID_ROLE = Qt.ItemDataRole.UserRole


class ReportList(QObject):
    def __init__(self, window, stack: FormStack) -> None:
        super().__init__(window)
        self.window = window
        self.stack = stack
        self.service = window.service
        self._listing = False
        self.list = QListWidget(window)
        self.list.setAlternatingRowColors(True)
        # Entries are two short lines (summary_text), wrapped where the column is narrow,
        # never scrolled sideways: several fit on a laptop's screen.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._chosen)

        a = make_action
        self.act_new = a(window, "新建报告…", self.new_report, QKeySequence.StandardKey.New,
                         "新建一份年度报告")
        self.act_copy = a(window, "复制报告", self.duplicate, None, "复制当前报告为一份新草稿")
        self.act_rename = a(window, "重命名…", self.rename, "F2", "修改当前报告的标题")
        self.act_delete = a(window, "删除报告…", self.delete, None, "把当前报告移到回收站")
        self.act_bin = a(window, "回收站…", self.show_recycle_bin, None, "查看、恢复已删除的报告")

    def update_actions(self, has_report: bool) -> None:
        for act in (self.act_copy, self.act_rename, self.act_delete):
            act.setEnabled(has_report)

    # ---- the list ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild the list of reports (after new / copy / delete / restore)."""
        current = self.stack.report
        self._listing = True
        try:
            self.list.clear()
            for r in self.service.list_reports():
                item = QListWidgetItem(summary_text(r.year, r.organ, r.title, r.updated_at))
                item.setData(ID_ROLE, r.id)
                item.setToolTip(r.title)
                self.list.addItem(item)
                if current is not None and r.id == current.id:
                    self.list.setCurrentItem(item)
        finally:
            self._listing = False

    def ids(self) -> list[int]:
        """The ids of the reports listed, in the list's order."""
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())]

    def update_item(self, report: Report) -> None:
        """Show the title, year and save time ``report`` has now on its entry."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == report.id:
                item.setText(summary_text(report.year, report.organ, report.header.title,
                                          report.updated_at))
                item.setToolTip(report.header.title)
                return

    def select(self, report_id: int | None) -> None:
        """Mark the entry of ``report_id`` (None: none) without opening anything."""
        self._listing = True
        try:
            for i in range(self.list.count()):
                item = self.list.item(i)
                if item.data(ID_ROLE) == report_id:
                    self.list.setCurrentItem(item)
                    return
            self.list.setCurrentItem(None)
        finally:
            self._listing = False

    def _chosen(self, current: QListWidgetItem | None, _previous) -> None:
        if self._listing or current is None:
            return
        self.window.open_report(current.data(ID_ROLE))

    def open_last(self) -> None:
        """List the reports; open the one and the place the user left at the last run, else the
        newest one."""
        self.refresh()
        pos = self.service.last_position()
        ids = self.ids()
        rid = pos.get("report_id")
        if rid in ids:
            self.window.open_report(rid, pos.get("node"), pos.get("cursor"))
            form = self.stack.current_form()
            if pos.get("field") == "title" and form is not None and hasattr(form, "title"):
                form.title.setFocus()
        else:
            self.window.open_report(ids[0] if ids else None)

    # ---- whole reports -------------------------------------------------------------------------
    def new_report(self) -> None:
        dialog = report_dialogs.NewReportDialog(self.service, self.window)
        if dialog.exec() and dialog.report is not None:
            self.refresh()
            self.window.open_report(dialog.report.id, default_node(dialog.report))

    def duplicate(self) -> None:
        window = self.window
        report = window.current_report
        if report is None or not window.save_now():
            return
        try:
            new_id = self.service.duplicate(report.id)
        except (ServiceError, StorageError) as exc:
            QMessageBox.warning(window, "无法复制", str(exc))
            return
        self.refresh()
        window.open_report(new_id)
        window.statusBar().showMessage("已复制为一份新草稿，现在打开的是副本。", 5000)

    def rename(self) -> None:
        window = self.window
        report = window.current_report
        if report is None:
            return
        title, ok = QInputDialog.getText(window, "重命名", "报告标题：", text=report.header.title)
        if not ok:
            return
        title = title.strip()
        if not title:
            QMessageBox.information(window, "重命名", "标题不能为空，标题没有修改。")
            return
        # The open report is the one in memory: change it there so autosave cannot undo it.
        report.header.title = title
        header = self.stack.built("header")
        if header is not None and self.stack.node == HEADER:
            header.load(report)
        window.show_title()
        window.mark_edited()
        window.save_now()
        self.update_item(report)

    def delete(self) -> None:
        window = self.window
        report = window.current_report
        if report is None:
            return
        answer = QMessageBox.question(
            window, "删除报告",
            f"把“{report.header.title or report.organ}”移到回收站吗？\n之后可以在“回收站”中恢复。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if not window.save_now():
            # The bin keeps what is in the database: do not leave the latest typing behind.
            window.save_state.warn_failed()
            return
        self.service.delete(report.id)
        self.stack.set_report(None)  # gone: nothing of it is saved any more
        self.refresh()
        ids = self.ids()
        window.open_report(ids[0] if ids else None)
        window.statusBar().showMessage("报告已移到回收站。", 5000)

    def show_recycle_bin(self) -> None:
        dialog = report_dialogs.RecycleBinDialog(self.service, self.window, on_restored=self._restored)
        dialog.exec()
        self.refresh()
        ids = self.ids()
        if self.stack.report is None and ids:
            self.window.open_report(ids[0])

    def _restored(self, report_id: int) -> None:
        """A report came back from the 回收站: list it, open it, say so."""
        self.refresh()
        if self.window.open_report(report_id):
            report = self.stack.report
            name = (report.header.title or report.organ) if report else ""
            self.window.statusBar().showMessage(f"已从回收站恢复“{name}”，现在打开的就是它。",
                                                8000)


__all__ = ["ReportList"]
