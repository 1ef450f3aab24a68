"""帮助 → 使用说明 (F1): the user guide, docs/使用说明.md, in a window of its own.

The program ships the guide as resources/help/使用说明.md (a copy of docs/使用说明.md: the
resources folder is what an installed or frozen program carries; tests/test_ui_screens.py
fails when the two differ). In a checkout without the copy, the docs file is read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from editor.paths import resource, resources_dir

from . import screen

GUIDE_NAME = "使用说明.md"
TITLE = "使用说明"


def guide_path() -> Path | None:
    for path in (resource("help", GUIDE_NAME), resources_dir().parent / "docs" / GUIDE_NAME):
        if path.is_file():
            return path
    return None


def guide_text() -> str:
    path = guide_path()
    if path is None:
        return f"# {TITLE}\n\n没有找到使用说明文件。请重新安装本程序，或向提供程序的同事索取。"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"# {TITLE}\n\n使用说明文件无法读取（{exc}）。"


class HelpWindow(QDialog):
    """The guide, rendered; it stays open beside the main window while the user works."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(guide_text())
        font = self.browser.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.browser.setFont(font)
        self.browser.document().setDocumentMargin(16)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        screen.fit(self, 860, 900)

    def heading(self) -> str:
        """The first line of the guide as shown (for tests and checks)."""
        return self.browser.document().firstBlock().text()


class HelpFeature:
    def __init__(self, window) -> None:
        self.window = window
        self.dialog: HelpWindow | None = None
        self.act_guide = QAction("使用说明", window)
        self.act_guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.act_guide.setStatusTip("打开使用说明：怎样新建、填写、检查和导出报告")
        self.act_guide.triggered.connect(lambda _c=False: self.show_guide())
        menu = window.menu("帮助")
        about = getattr(window, "act_about", None)
        if about is not None and about in menu.actions():
            menu.insertAction(about, self.act_guide)
            menu.insertSeparator(about)
        else:
            menu.addAction(self.act_guide)
        window.addAction(self.act_guide)

    def show_guide(self) -> HelpWindow:
        if self.dialog is None:
            self.dialog = HelpWindow(self.window)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog


__all__ = ["HelpFeature", "HelpWindow", "guide_path", "guide_text"]
