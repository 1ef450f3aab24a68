"""The line above the forms while the example report is open: it says that the report is an
example and how to start one's own (新建报告, or 导入 last year's report), with buttons for both.

The example is the report the program adds to a new report library, by the window or by a
command (``ReportService.example_id``); a copy of it is the user's own report and has no line.
“不再提示” hides the line for good (``STATE_CLOSED``).
"""

from __future__ import annotations

import contextlib

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

STATE_CLOSED = "example_banner_closed"
TEXT = ("这是程序自带的<b>示例报告</b>（虚构的清河县临江镇），供对照参考。"
        "写自己的报告：新建一份，或导入去年的报告（Word 或文本文件）。")


class ExampleBanner(QFrame):
    def __init__(self, window, importer=None) -> None:
        super().__init__(window)
        self.window_ = window
        self.importer = importer  # the import feature (None: no 导入 button does anything)
        self.setObjectName("example_banner")
        self.setStyleSheet("#example_banner { background: #fff6d6; border-bottom: 1px solid "
                           "#e6c96a; } #example_banner QLabel { color: #5a4500; }")
        self.label = QLabel(TEXT, self)
        self.label.setWordWrap(True)
        self.new_button = QPushButton("新建报告…", self)
        self.new_button.clicked.connect(window.reports.new_report)
        self.import_button = QPushButton("导入去年的报告…", self)
        self.import_button.clicked.connect(self._import)
        self.close_button = QPushButton("不再提示", self)
        self.close_button.setFlat(True)
        self.close_button.setToolTip("以后打开示例报告时不再显示这一行")
        self.close_button.clicked.connect(self.dismiss)
        # The text above the buttons: one line each even where the form column is narrow.
        col = QVBoxLayout(self)
        col.setContentsMargins(10, 6, 10, 6)
        col.setSpacing(4)
        col.addWidget(self.label)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        col.addLayout(row)
        self.hide()
        window.add_banner(self)
        window.report_opened.connect(self._opened)

    def _state(self, key: str, default=None):
        try:
            return self.window_.service.get_setting(key, default)
        except Exception:  # noqa: BLE001 (a notice must never stop the window)
            return default

    def _import(self) -> None:
        if self.importer is not None:
            self.importer.import_file()

    def _opened(self, report) -> None:
        try:
            example = self.window_.service.example_id()
        except Exception:  # noqa: BLE001 (a notice must never stop the window)
            example = None
        self.setVisible(report is not None and report.id is not None and report.id == example
                        and not self._state(STATE_CLOSED, False))

    def dismiss(self) -> None:
        self.hide()
        with contextlib.suppress(Exception):
            self.window_.service.set_setting(STATE_CLOSED, True)


__all__ = ["STATE_CLOSED", "ExampleBanner"]
