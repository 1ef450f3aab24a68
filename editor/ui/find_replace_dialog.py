"""查找和替换 within the open report: every occurrence is listed first (where, the text around
it before → after, a check box each), then only the chosen ones are replaced. Before replacing,
the report is kept as a history version (替换前备份) and 撤销替换 puts the previous text back."""

from __future__ import annotations

import contextlib
import re

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.find_replace import Replacement, apply_replacements, find_replacements

from . import screen
from .history_feature import reload_after
from .history_view import KIND_REPLACE


def _content(report) -> dict:
    data = report.to_dict()
    for key in ("id", "created_at", "updated_at"):
        data.pop(key, None)
    return data


class FindReplaceDialog(QDialog):
    def __init__(self, window, history=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.history = history  # the history feature: no automatic snapshots while reloading
        self.replacements: list[Replacement] = []
        self._undo: tuple[object, dict] | None = None  # (report before, content right after)
        # Smaller than the text column and, once shown, kept off the text it selects.
        screen.fit(self, 760, 460)
        self._placed = False

        self.find = QLineEdit(self)
        self.find.setPlaceholderText("要查找的文字")
        self.find.returnPressed.connect(self.preview)
        self.replace = QLineEdit(self)
        self.replace.setPlaceholderText("替换为（可以为空，即删除）")
        self.replace.returnPressed.connect(self.preview)
        self.replace_label = QLabel("替换为：", self)
        self.regex = QCheckBox("高级匹配（通配规则）", self)
        self.regex.setToolTip(
            "按规则查找：. 代表任意一个字，\\d 代表一个数字，* 代表前一个字可重复，"
            "例如“20\\d\\d年”找出所有年份。\n替换为中可以用 \\1 代表第一对括号里找到的文字。")
        self.ignore_case = QCheckBox("忽略大小写", self)
        grid = QGridLayout()
        grid.addWidget(QLabel("查找：", self), 0, 0)
        grid.addWidget(self.find, 0, 1)
        grid.addWidget(self.replace_label, 1, 0)
        grid.addWidget(self.replace, 1, 1)
        opts = QHBoxLayout()
        opts.addWidget(self.regex)
        opts.addWidget(self.ignore_case)
        opts.addStretch(1)
        grid.addLayout(opts, 2, 1)

        self.preview_button = QPushButton("预览", self)
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.list = QTreeWidget(self)
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.itemDoubleClicked.connect(lambda item, _c: self.show_item(
            self.list.indexOfTopLevelItem(item)))
        self.list.itemChanged.connect(lambda _item, _c: self._update_buttons())

        self.all_button = QPushButton("全选", self)
        self.all_button.clicked.connect(lambda: self.check_all(True))
        self.none_button = QPushButton("全不选", self)
        self.none_button.clicked.connect(lambda: self.check_all(False))
        self.apply_button = QPushButton("替换所选", self)
        self.apply_button.clicked.connect(self.apply_chosen)
        self.undo_button = QPushButton("撤销替换", self)
        self.undo_button.setToolTip("恢复到上一次替换之前的内容")
        self.undo_button.clicked.connect(self.undo)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.none_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(close)

        top = QHBoxLayout()
        top.addLayout(grid, 1)
        top.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.replace_mode = True
        self.set_replace_mode(True)
        window.report_opened.connect(self._report_opened)

    # ---- modes ---------------------------------------------------------------------------------
    def set_replace_mode(self, on: bool) -> None:
        self.replace_mode = on
        self.setWindowTitle("查找和替换" if on else "查找")
        for w in (self.replace, self.replace_label, self.all_button, self.none_button,
                  self.apply_button):
            w.setVisible(on)
        self.undo_button.setVisible(on)
        self.preview_button.setText("预览" if on else "查找")
        if on:
            self.list.setHeaderLabels(["位置", "替换前", "替换后"])
        else:
            self.list.setHeaderLabels(["位置", "上下文"])
        self.list.setColumnCount(3 if on else 2)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.list.setColumnWidth(0, 300)
        self.list.clear()
        self.replacements = []
        self.status.setText("")
        self._update_buttons()

    def _report_opened(self, _report) -> None:
        # Another report: the listed places belong to the old one.
        self.list.clear()
        self.replacements = []
        self._update_buttons()

    # ---- preview -------------------------------------------------------------------------------
    def preview(self) -> list[Replacement]:
        report = self.window_.current_report
        self.list.clear()
        self.replacements = []
        if report is None:
            return []
        needle = self.find.text()
        if not needle:
            self.status.setText("请输入要查找的文字。")
            self._update_buttons()
            return []
        try:
            reps = find_replacements(report, needle, self.replace.text(),
                                     regex=self.regex.isChecked(),
                                     ignore_case=self.ignore_case.isChecked())
        except (re.error, IndexError):
            # re's own message is English and technical: say what usually went wrong.
            self.status.setText("规则有误：常见原因是括号没有成对，或 \\ 后面少了字符。"
                                "请修改后再试，或去掉“高级匹配”的勾。")
            self._update_buttons()
            return []
        self.replacements = reps
        self.list.blockSignals(True)
        for r in reps:
            cols = [r.label, r.before, r.after] if self.replace_mode else \
                [r.label, r.before]
            item = QTreeWidgetItem(cols)
            for c, text in enumerate(cols):
                item.setToolTip(c, text)
            if self.replace_mode:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked)
            self.list.addTopLevelItem(item)
        self.list.blockSignals(False)
        if not reps:
            self.status.setText(f"当前报告中没有找到“{needle}”。")
        elif self.replace_mode:
            self.status.setText(f"找到 {len(reps)} 处。去掉不想替换的勾，再点“替换所选”；"
                                "双击一行可在正文中查看。")
        else:
            self.status.setText(f"找到 {len(reps)} 处。双击一行在正文中选中它。")
        self._update_buttons()
        return reps

    def check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for i in range(self.list.topLevelItemCount()):
            self.list.topLevelItem(i).setCheckState(0, state)

    def set_checked(self, row: int, on: bool) -> None:
        self.list.topLevelItem(row).setCheckState(
            0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen(self) -> list[Replacement]:
        return [r for i, r in enumerate(self.replacements)
                if self.list.topLevelItem(i).checkState(0) == Qt.CheckState.Checked]

    def show_item(self, row: int) -> bool:
        if not 0 <= row < len(self.replacements):
            return False
        if not self.window_.show_place(self.replacements[row].place):
            return False
        self.keep_clear_of_selection()
        return True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._placed:
            # First time: the lower right of the main window (over the 审核 panel),
            # where it hides the least of the text being edited.
            self._placed = True
            main = self.window_.frameGeometry()
            area = screen.available_geometry(self)
            x = min(main.right(), area.right()) - self.frameGeometry().width() - 8
            y = min(main.bottom(), area.bottom()) - self.frameGeometry().height() - 32
            self.move(max(area.x(), x), max(area.y(), y))

    def selection_rect(self) -> QRect | None:
        """Where the main window shows the selected text (global coordinates)."""
        box = self.window_.focusWidget()
        if box is None:
            return None
        if hasattr(box, "textCursor") and hasattr(box, "viewport"):
            cursor = box.textCursor()
            start = QTextCursor(cursor)
            start.setPosition(cursor.selectionStart())
            rect = box.cursorRect(start).united(box.cursorRect(cursor))
            top_left = box.viewport().mapToGlobal(rect.topLeft())
            return QRect(top_left, rect.size())
        return QRect(box.mapToGlobal(box.rect().topLeft()), box.size())

    def keep_clear_of_selection(self) -> bool:
        """Move out of the way of the text just selected in the window (True if moved)."""
        rect = self.selection_rect()
        return rect is not None and self.isVisible() and screen.move_clear_of(self, rect)

    def _update_buttons(self) -> None:
        self.apply_button.setEnabled(self.replace_mode and bool(self.chosen()))
        self.undo_button.setEnabled(self._undo is not None)

    # ---- replacing -----------------------------------------------------------------------------
    def apply_chosen(self) -> int:
        chosen = self.chosen()
        window = self.window_
        if not chosen or window.current_report is None:
            return 0
        if not window.save_now():
            return 0
        before = window.current_report.copy()
        after = apply_replacements(window.current_report, chosen)
        with contextlib.suppress(Exception):  # the undo button below works without it
            window.service.snapshot(before, KIND_REPLACE)

        def write(_rid: int) -> bool:
            window.service.save(after)
            return True

        try:
            done = reload_after(window, write, self.history)
        except Exception as exc:  # noqa: BLE001 (StorageError: the text stays as it was)
            QMessageBox.warning(self, "无法替换", f"{exc}\n\n报告内容没有改变。")
            return 0
        if not done:
            return 0
        self._undo = (before, _content(window.current_report))
        n = len(chosen)
        self.preview()
        self.status.setText(f"已替换 {n} 处。" + (self.status.text() if self.replacements
                                                  else "") + "需要时可点“撤销替换”。")
        window.statusBar().showMessage(f"已替换 {n} 处。替换前的内容已保存在历史版本中。", 6000)
        return n

    def undo(self) -> bool:
        if self._undo is None:
            return False
        window = self.window_
        before, after_content = self._undo
        current = window.current_report
        if current is None or current.id != before.id:
            QMessageBox.information(self, "撤销替换", "替换的是另一份报告，请先打开那份报告再撤销。")
            return False
        if _content(current) != after_content:
            answer = QMessageBox.question(
                self, "撤销替换",
                "替换之后报告又有修改。撤销替换会回到替换之前的内容，之后的修改也会一起撤销"
                "（它们在历史版本中有备份）。继续吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False

        def write(_rid: int) -> bool:
            window.service.save(before.copy())
            return True

        try:
            done = reload_after(window, write, self.history)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "无法撤销", f"{exc}\n\n报告内容没有改变。")
            return False
        if done:
            self._undo = None
            self.preview()
            self.status.setText("已撤销替换。" + self.status.text())
            window.statusBar().showMessage("已撤销替换。", 5000)
        self._update_buttons()
        return bool(done)


__all__ = ["FindReplaceDialog"]
