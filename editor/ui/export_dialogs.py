"""The small dialogs of 导出: which version to export, and the house style (版式)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from . import screen
from .lazy import LazyModule

file_dialogs = LazyModule("editor.ui.file_dialogs")  # QFileSystemModel etc.: on first use

# The export engine is imported when a dialog first needs a layout, not when the window starts.
_export = LazyModule("editor.export")

#: (variant, label, what it is for) in the order the dialog lists them.
VARIANT_CHOICES = (
    ("redhead", "红头版", "印有红色发文机关标志和红色分隔线，用白纸直接打印。"),
    ("preprinted", "套打版", "不印红头，只留出位置，用已印好红头的公文纸套打。"),
    ("plain", "公开版", "没有红头和版记，用于在政府网站公开。"),
)
VARIANT_LABELS = {v: label for v, label, _ in VARIANT_CHOICES}
STANDARD_TITLE = "国家标准 GB/T 9704-2012"


def style_title(style: str) -> str:
    """What the user calls the house style stored as ``style`` ("" = the standard)."""
    if not style:
        return STANDARD_TITLE
    for s in _export.list_house_styles():
        if s["name"] == style:
            return s["title"]
    return f"自定义：{Path(style).stem}"


def _plain(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def layout_differences(style: str) -> list[str]:
    """One line per setting where ``style`` differs from the standard. Raises LayoutError."""
    base = {key: value for key, value, _ in _export.load_layout(None).describe()}
    lines = []
    for key, value, _clause in _export.load_layout(style or None).describe():
        old = base.get(key)
        if key not in base:
            lines.append(f"{key}：{_plain(value)}（标准中没有此项）")
        elif old != value:
            lines.append(f"{key}：{_plain(old)} → {_plain(value)}")
    return lines


class ExportDialog(QDialog):
    """Choose 红头版 / 套打版 / 公开版 before the file name; shows the house style in use."""

    def __init__(self, variant: str, style: str, pdf: bool = False, pdf_note: str = "",
                 parent: QWidget | None = None, change_style=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出 PDF" if pdf else "导出公文")
        self._change_style = change_style
        self._style = style
        col = QVBoxLayout(self)
        box = QGroupBox("导出哪个版本", self)
        inner = QVBoxLayout(box)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for key, label, about in VARIANT_CHOICES:
            button = QRadioButton(label, box)
            button.setToolTip(about)
            self.group.addButton(button)
            self.buttons[key] = button
            inner.addWidget(button)
            note = QLabel(about, box)
            note.setStyleSheet("color: #666; margin-left: 22px;")
            note.setWordWrap(True)
            inner.addWidget(note)
        self.buttons.get(variant, self.buttons["redhead"]).setChecked(True)
        col.addWidget(box)

        row = QHBoxLayout()
        self.style_label = QLabel(self)
        self.style_label.setWordWrap(True)
        row.addWidget(self.style_label, 1)
        if change_style is not None:
            more = QPushButton("版式设置…", self)
            more.clicked.connect(self._pick_style)
            row.addWidget(more)
        col.addLayout(row)
        self._show_style()
        if pdf_note:
            note = QLabel(pdf_note, self)
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            col.addWidget(note)

        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton("选择保存位置…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok.setDefault(True)
        col.addWidget(buttons)
        self.setMinimumWidth(420)
        screen.keep_on_screen(self)

    def _show_style(self) -> None:
        self.style_label.setText(f"版式：{style_title(self._style)}")

    def _pick_style(self) -> None:
        style = self._change_style()
        if style is not None:
            self._style = style
            self._show_style()

    def variant(self) -> str:
        return next(k for k, b in self.buttons.items() if b.isChecked())


class HouseStyleDialog(QDialog):
    """设置 · 版式: the standard, the shipped house styles, or a unit's own TOML file."""

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("版式设置")
        col = QVBoxLayout(self)
        intro = QLabel("导出时使用的版式。默认完全按国家标准；单位有自己的习惯（字体、标题加粗等）"
                       "时可选其他版式，或从文件加载单位的版式文件。", self)
        intro.setWordWrap(True)
        col.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self._add("", STANDARD_TITLE, "页边距、字体、字号、行距均按 GB/T 9704-2012。")
        for s in _export.list_house_styles():
            self._add(s["name"], s["title"], s["description"])
        if current and not any(self.list.item(i).data(Qt.ItemDataRole.UserRole) == current
                               for i in range(self.list.count())):
            self._add(current, f"自定义：{Path(current).stem}", f"文件在：{Path(current).parent}")
        self.list.currentItemChanged.connect(lambda _a, _b: self._show())
        col.addWidget(self.list)
        load = QPushButton("从文件加载…", self)
        load.clicked.connect(self._load_file)
        col.addWidget(load, 0, Qt.AlignmentFlag.AlignLeft)
        col.addWidget(QLabel("与国家标准不同之处：", self))
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(140)
        col.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        col.addWidget(buttons)
        screen.fit(self, 520, 460)
        self.select(current)

    def _add(self, key: str, title: str, about: str) -> QListWidgetItem:
        item = QListWidgetItem(f"{title}\n    {about}" if about else title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.list.addItem(item)
        return item

    def select(self, key: str) -> bool:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.list.setCurrentRow(i)
                self._show()
                return True
        return False

    def style(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def _show(self) -> None:
        try:
            lines = layout_differences(self.style())
        except _export.LayoutError as exc:
            self.details.setPlainText(f"{exc}\n请选择其他版式。")
            self.ok.setEnabled(False)
            return
        self.ok.setEnabled(True)
        self.details.setPlainText("\n".join(lines) if lines else "无：完全按国家标准。")

    def _load_file(self) -> None:
        path, _ = file_dialogs.get_open_file_name(self, "选择单位版式文件", "",
                                                  "版式文件 (*.toml);;所有文件 (*)",
                                                  key="house_style")
        if path:
            self.add_file(path)

    def add_file(self, path: str) -> None:
        if not self.select(path):
            self._add(path, f"自定义：{Path(path).stem}", f"文件在：{Path(path).parent}")
            self.select(path)
