"""帮助 → 关于: the program's version, where the reports are kept and where the backups are,
each folder openable (the staff who look after an office PC are asked for exactly this), and on
Linux the input method Chinese typing goes through."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.version import version_line

from .input_method import input_method_description


class AboutDialog(QDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("关于")
        layout = QVBoxLayout(self)
        name = QLabel(f"<b>{version_line()}</b><br>分部分填写、检查和导出法治政府建设年度报告；"
                      "草稿随输入自动保存。", self)
        name.setWordWrap(True)
        layout.addWidget(name)
        grid = QGridLayout()
        self.folders: dict[str, Path] = {"资料文件夹": db_path.parent}
        backups = db_path.parent / "备份"
        if backups.is_dir():
            self.folders["备份文件夹"] = backups
        for row, (label, folder) in enumerate(self.folders.items()):
            grid.addWidget(QLabel(label + "：", self), row, 0)
            shown = QLabel(str(folder), self)
            shown.setWordWrap(True)
            grid.addWidget(shown, row, 1)
            button = QPushButton("打开", self)
            button.clicked.connect(lambda _c=False, f=folder: QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(f))))
            grid.addWidget(button, row, 2)
        layout.addLayout(grid)
        self.input_method = input_method_description()
        if self.input_method:  # Linux only: which input method Chinese typing goes through
            shown = QLabel(self.input_method, self)
            shown.setWordWrap(True)
            layout.addWidget(shown)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        layout.addWidget(buttons)
