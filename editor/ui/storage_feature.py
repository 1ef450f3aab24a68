"""The window's side of storage safety: a banner when the report file is damaged or cannot be
written (the editor then shows but does not change anything), 文件 → 从备份恢复…, and for a
damaged file the two ways out — the newest good backup, or a new file with everything still
readable. The work itself is in editor.service and db/; after a restore the program opens the
file again in a fresh process, so nothing of the old connection lingers.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QProcess, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

POLL_MS = 1000  # how often the result of a background check of a large file is looked for


class BackupDialog(QDialog):
    """The backups beside the report file, newest first; 恢复 restores the chosen one."""

    def __init__(self, backups, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.backups = backups
        layout = QVBoxLayout(self)
        intro = QLabel("程序每次启动和关闭时都会自动备份报告库。选择一个备份恢复；恢复前，"
                       "现在的报告库会另存一份，不会被删除。", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        for info in backups:
            state = "完好" if info.sound else "已损坏，不能恢复"
            self.list.addItem(f"{info.label} · {info.reports} 份报告 · {state}")
        if backups:
            self.list.setCurrentRow(0)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton("恢复所选备份",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(lambda _r: self._update())
        self._update()
        self.resize(520, 360)

    def chosen(self):
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def _update(self) -> None:
        info = self.chosen()
        self.restore_button.setEnabled(bool(info and info.sound))


class StorageFeature(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.service = window.service
        self.banner: QWidget | None = None
        self.act_backups = QAction("从备份恢复…", window)
        self.act_backups.setStatusTip("查看自动备份，把报告库恢复到某一次备份时的样子")
        self.act_backups.triggered.connect(lambda _c=False: self.restore_from_backup())
        window.menu("文件").addAction(self.act_backups)
        self._shown_reason = ""
        self._poll = QTimer(self)  # a child: stops with the window
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.update_state)
        self.service.on_storage_state(lambda _state: QTimer.singleShot(0, self.update_state))
        window.page_loaded.connect(lambda _key: self._lock_page())
        self.update_state()
        if not self.service.storage_state.checked:
            self._poll.start()

    # ---- state ---------------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.service.storage_state.read_only

    def update_state(self) -> None:
        state = self.service.storage_state
        if state.checked or state.reason:
            self._poll.stop()
        if state.reason == self._shown_reason:
            return
        self._shown_reason = state.reason
        if state.reason:
            self._show_banner(state)
            self._lock_page()

    def _show_banner(self, state) -> None:
        if self.banner is not None:
            self.banner.hide()
        banner = QWidget(self.window)
        banner.setObjectName("storage-banner")
        banner.setStyleSheet("#storage-banner { background: #fdecea; }"
                             "QLabel { color: #7a1010; }")
        row = QHBoxLayout(banner)
        label = QLabel(state.message, banner)
        label.setWordWrap(True)
        row.addWidget(label, 1)
        if state.reason == "damaged":
            newest = QPushButton("恢复最近的备份", banner)
            newest.clicked.connect(self.restore_newest)
            salvage = QPushButton("抢救数据…", banner)
            salvage.clicked.connect(self.salvage)
            row.addWidget(newest)
            row.addWidget(salvage)
        self.banner = banner
        self.window.add_banner(banner)
        self.window.autosaver.read_only = True
        self.window.statusBar().showMessage("只读：修改不会保存", 0)

    def _lock_page(self) -> None:
        """A file that cannot be saved is shown, not edited: typing into it would be lost."""
        if not self.read_only:
            return
        page = self.window.stack.currentWidget()
        boxes = getattr(page, "text_boxes", None)
        for box in (boxes().values() if boxes else ()):
            if isinstance(box, (QLineEdit, QPlainTextEdit)):
                box.setReadOnly(True)

    # ---- backups, restore, salvage ---------------------------------------------------------------
    def restore_from_backup(self) -> bool:
        backups = [self.service.verify_backup(info) for info in self.service.list_backups()]
        if not backups:
            QMessageBox.information(self.window, "从备份恢复",
                                    "还没有备份。程序每次启动和关闭时会自动备份报告库。")
            return False
        dialog = BackupDialog(backups, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() is None:
            return False
        return self._replace(lambda: self.service.restore_backup(dialog.chosen().path),
                             "已从备份恢复")

    def restore_newest(self) -> bool:
        return self._replace(lambda: self.service.restore_newest_backup()[1], "已恢复最近的备份")

    def salvage(self) -> bool:
        answer = QMessageBox.question(
            self.window, "抢救数据",
            "把损坏的报告库中还能读出的内容逐条取出，存成一个新的报告库；损坏的文件原样保留在旁边。"
            "\n\n现在抢救吗？")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._replace(lambda: self.service.salvage().summary(), "抢救完成")

    def _replace(self, action, done: str) -> bool:
        """Save what can be saved, run ``action``, then open the file again in a new process."""
        window = self.window
        if not self.read_only:
            window.save_now()
        try:
            result = action()
        except Exception as exc:  # noqa: BLE001 - a StorageError or OSError, said in Chinese
            QMessageBox.warning(window, "没有完成", f"{exc}\n\n报告库没有改变。")
            return False
        kept = f"\n\n原来的文件另存为：\n{result}" if result and not isinstance(result, str) \
            else (f"\n\n{result}" if result else "")
        QMessageBox.information(window, done, f"{done}。程序将重新打开报告库。{kept}")
        self.reopen()
        return True

    def reopen(self) -> None:
        """Start the program again on the same file and close this window."""
        args = [a for a in sys.argv[1:] if a not in ("gui",)]
        if "--db" not in args:
            args = ["--db", str(self.service.db_path), *args]
        QProcess.startDetached(sys.executable, [sys.argv[0], "gui", *args])
        QTimer.singleShot(0, QApplication.instance().quit)

