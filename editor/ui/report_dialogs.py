"""Dialogs about whole reports: 新建报告 and 回收站."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.model import Report
from editor.service import ReportService, ServiceError, StorageError

from .widgets import CleanLineEdit, HintLabel


def summary_text(year: int, organ: str, title: str, updated_at: str) -> str:
    when = (updated_at or "").replace("T", " ")[:16]
    return f"{year}年度 · {organ or '（未填写单位）'}\n{title or '（无标题）'}\n最后修改：{when}"


class NewReportDialog(QDialog):
    """Asks year, 报告单位 and type; the headings come from the profile (service.new_report)."""

    def __init__(self, service: ReportService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.report: Report | None = None
        self.setWindowTitle("新建报告")
        self.year = QSpinBox(self)
        self.year.setRange(1990, 2100)
        self.year.setValue(service.default_year())
        self.year.setSuffix(" 年度")
        self.organ = CleanLineEdit(self)
        self.organ.setPlaceholderText("如“清河县临江镇人民政府”")
        self.organ.setMinimumWidth(320)
        self.body_type = QComboBox(self)
        self.body_type.addItems(service.profile.body_type_names)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("报告年度：", self.year)
        form.addRow("报告单位：", self.organ)
        form.addRow("单位类型：", self.body_type)
        hint = HintLabel(
            "标题、各部分标题、主送机关和抄送机关将按所选类型自动填好，之后都可以修改。", self
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("创建")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.report = self.service.new_report(
                self.year.value(), self.organ.text(), self.body_type.currentText()
            )
        except (ServiceError, StorageError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.organ.setFocus()
            return
        super().accept()


class RecycleBinDialog(QDialog):
    """Deleted reports: restore one, delete one for good, or empty the bin."""

    def __init__(self, service: ReportService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.restored: list[int] = []
        self.setWindowTitle("回收站")
        self.resize(560, 380)
        self.list = QListWidget(self)
        self.list.setAlternatingRowColors(True)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel("回收站是空的。", self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.restore_button = QPushButton("恢复", self)
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button = QPushButton("彻底删除", self)
        self.purge_button.clicked.connect(self.purge_selected)
        self.empty_button = QPushButton("清空回收站", self)
        self.empty_button.clicked.connect(self.empty)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.restore_button, self.purge_button, self.empty_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(HintLabel("删除的报告先放在这里，可以恢复；彻底删除后无法找回。", self))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for r in self.service.list_reports(deleted=True):
            when = (r.deleted_at or "").replace("T", " ")[:16]
            item = QListWidgetItem(
                f"{r.year}年度 · {r.organ}\n{r.title}\n删除于：{when}"
            )
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.list.addItem(item)
        empty = self.list.count() == 0
        self.empty_label.setVisible(empty)
        self.list.setVisible(not empty)
        self.empty_button.setEnabled(not empty)
        self._update_buttons()

    def _selected_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_buttons(self) -> None:
        has = self._selected_id() is not None and bool(self.list.selectedItems())
        self.restore_button.setEnabled(has)
        self.purge_button.setEnabled(has)

    def restore_selected(self) -> None:
        rid = self._selected_id()
        if rid is None:
            return
        self.service.restore(rid)
        self.restored.append(rid)
        self.refresh()

    def purge_selected(self) -> None:
        rid = self._selected_id()
        if rid is None:
            return
        answer = QMessageBox.question(
            self, "彻底删除", "彻底删除后无法找回。确定要彻底删除这份报告吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.service.purge(rid)
            self.refresh()

    def empty(self) -> None:
        count = self.list.count()
        answer = QMessageBox.question(
            self, "清空回收站", f"将彻底删除回收站中的 {count} 份报告，无法找回。确定吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.service.empty_bin()
            self.refresh()
