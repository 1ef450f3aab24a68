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

from . import organ_defaults, screen
from .line_box import CleanLineEdit
from .widgets import HintLabel


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
        # The type follows the name as it is typed (…街道办事处 → 街道) until the user picks one.
        self._type_chosen = False
        self.body_type.activated.connect(lambda _i: setattr(self, "_type_chosen", True))
        self.organ.edited.connect(self._organ_edited)
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

    def _organ_edited(self, text: str) -> None:
        guess = organ_defaults.body_type_for(text, self.service.profile.body_type_names)
        if guess and not self._type_chosen:
            self.body_type.setCurrentText(guess)

    def accept(self) -> None:
        try:
            report = self.service.new_report(
                self.year.value(), self.organ.text(), self.body_type.currentText()
            )
            # 主送/抄送 of the unit's own level (a 区's town reports to the 区).
            defaults = organ_defaults.defaults_for(self.service.profile, report.organ,
                                                   report.body_type)
            if any(getattr(report.header, k) != v for k, v in defaults.items()):
                for name, value in defaults.items():
                    setattr(report.header, name, value)
                self.service.save(report)
            self.report = report
        except (ServiceError, StorageError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.organ.setFocus()
            return
        super().accept()


class RecycleBinDialog(QDialog):
    """Deleted reports: restore one, delete one for good, or empty the bin."""

    def __init__(self, service: ReportService, parent: QWidget | None = None,
                 on_restored=None) -> None:
        super().__init__(parent)
        self.service = service
        self.restored: list[int] = []
        #: Called with a report's id right after it was restored (the window lists it).
        self.on_restored = on_restored
        self.setWindowTitle("回收站")
        screen.fit(self, 560, 420)
        self.list = QListWidget(self)
        self.list.setAlternatingRowColors(True)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel("回收站是空的。", self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel(self)
        self.status.setStyleSheet("color: #1b7f3b;")
        self.status.setWordWrap(True)
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
        layout.addWidget(self.status)
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
        name = self.list.currentItem().text().split("\n")[0]
        self.service.restore(rid)
        self.restored.append(rid)
        self.refresh()
        self.status.setText(f"已恢复：{name}。它已回到报告列表中，并已打开。")
        if self.on_restored is not None:
            self.on_restored(rid)

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
