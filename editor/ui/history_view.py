"""历史版本: the snapshots of the open report, the differences between one of them and the text
as it is now (side by side, per section, changed characters highlighted), and restoring one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from editor.history import (
    KIND_LABELS,
    HistoryError,
    SectionDiff,
    Snapshot,
    diff_reports,
)

from . import screen
from .fonts import editor_font
from .widgets import titled

#: The window adds a kind of its own: the state just before a find-and-replace.
KIND_REPLACE = "replace"
LABELS = {**KIND_LABELS, KIND_REPLACE: "替换前备份"}
STATUS_LABELS = {"changed": "有改动", "added": "新增", "removed": "已删除", "same": "未改动"}

OLD_COLOR = "#ffd2d2"  # removed from the history version
NEW_COLOR = "#c9efc9"  # new in the current text


def snapshot_label(s: Snapshot) -> str:
    text = f"{s.created_at:%Y-%m-%d %H:%M:%S}  {LABELS.get(s.kind, s.kind)}"
    if s.note:
        text += f"  —  {s.note}"
    return text


def _pane(title: str, parent: QWidget) -> tuple[QWidget, QLabel, QTextEdit]:
    box = QWidget(parent)
    col = QVBoxLayout(box)
    col.setContentsMargins(0, 0, 0, 0)
    label = QLabel(title, box)
    label.setStyleSheet("font-weight: bold;")
    edit = QTextEdit(box)
    edit.setReadOnly(True)
    edit.setFont(editor_font())
    edit.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
    col.addWidget(label)
    col.addWidget(edit, 1)
    return box, label, edit


class HistoryDialog(QDialog):
    """Non-modal: it follows the window (the current text is re-compared after edits)."""

    def __init__(self, feature, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feature = feature
        self.window_ = feature.window
        self.setWindowTitle("历史版本")
        screen.fit(self, 1280, 780)  # a 1366×768 laptop gets the whole screen, not more
        self.snapshots: list[Snapshot] = []
        self.diffs: list[SectionDiff] = []
        self._shown: list[SectionDiff] = []

        intro = QLabel("左上选一个历史版本，左下是与当前内容相比有改动的部分；"
                       "右边左栏是历史版本，右栏是当前内容（红色是当前已没有的文字，绿色是新写的文字）。",
                       self)
        intro.setWordWrap(True)

        self.snapshot_list = QListWidget(self)
        self.snapshot_list.currentRowChanged.connect(lambda _r: self._snapshot_chosen())
        self.section_list = QListWidget(self)
        # Labels name the part and the section: wrap them rather than cut them off.
        self.section_list.setWordWrap(True)
        self.section_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.section_list.setSpacing(2)
        self.section_list.currentRowChanged.connect(lambda _r: self._section_chosen())
        self.show_same = QCheckBox("也列出未改动的部分", self)
        self.show_same.toggled.connect(lambda _on: self._fill_sections())
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)

        left = QSplitter(Qt.Orientation.Vertical, self)
        top = titled("历史版本（新的在前）", self.snapshot_list, parent=left)
        bottom = QWidget(left)
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.summary)
        bl.addWidget(self.section_list, 1)
        bl.addWidget(self.show_same)
        left.addWidget(top)
        left.addWidget(bottom)
        left.setSizes([300, 420])

        panes = QSplitter(Qt.Orientation.Horizontal, self)
        old_box, self.old_title, self.old_text = _pane("历史版本", panes)
        new_box, self.new_title, self.new_text = _pane("当前内容", panes)
        panes.addWidget(old_box)
        panes.addWidget(new_box)
        # Scroll the two texts together: the same section, roughly the same place.
        self.old_text.verticalScrollBar().valueChanged.connect(
            lambda v: self._follow(self.old_text, self.new_text, v))
        self.new_text.verticalScrollBar().valueChanged.connect(
            lambda v: self._follow(self.new_text, self.old_text, v))

        main = QSplitter(Qt.Orientation.Horizontal, self)
        main.addWidget(left)
        main.addWidget(panes)
        main.setStretchFactor(0, 0)
        main.setStretchFactor(1, 1)
        main.setSizes([400, 880])

        self.restore_button = QPushButton("恢复到这个版本…", self)
        self.restore_button.setToolTip("用所选历史版本替换当前内容；当前内容会先自动保存为一个历史版本")
        self.restore_button.clicked.connect(self.restore_selected)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(main, 1)
        layout.addLayout(buttons)
        self._syncing = False
        self.reload()

    # ---- snapshots -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the snapshot list (after a new snapshot or another report was opened)."""
        report = self.window_.current_report
        keep = self.selected_snapshot()
        self.snapshot_list.blockSignals(True)
        self.snapshot_list.clear()
        self.snapshots = self.window_.service.snapshots(report.id) if report else []
        for s in self.snapshots:
            item = QListWidgetItem(snapshot_label(s))
            item.setToolTip(snapshot_label(s))
            self.snapshot_list.addItem(item)
        self.snapshot_list.blockSignals(False)
        if not self.snapshots:
            self.summary.setText("这份报告还没有历史版本。可以用“报告 → 保存快照…”保存一个。")
            self.section_list.clear()
            self.old_text.clear()
            self.new_text.clear()
            self.restore_button.setEnabled(False)
            return
        ids = [s.id for s in self.snapshots]
        row = ids.index(keep.id) if keep is not None and keep.id in ids else 0
        self.snapshot_list.setCurrentRow(row)
        self._snapshot_chosen()

    def selected_snapshot(self) -> Snapshot | None:
        row = self.snapshot_list.currentRow()
        return self.snapshots[row] if 0 <= row < len(self.snapshots) else None

    def select_snapshot(self, snapshot_id: int) -> bool:
        for i, s in enumerate(self.snapshots):
            if s.id == snapshot_id:
                self.snapshot_list.setCurrentRow(i)
                return True
        return False

    def _snapshot_chosen(self) -> None:
        snap = self.selected_snapshot()
        self.restore_button.setEnabled(snap is not None)
        if snap is None:
            return
        current = self.window_.current_report
        try:
            old = self.window_.service.load_snapshot(snap.id)
        except HistoryError as exc:
            self.summary.setText(str(exc))
            self.diffs = []
            self._fill_sections()
            return
        self.diffs = diff_reports(old, current)
        self.old_title.setText(f"历史版本（{snap.created_at:%Y-%m-%d %H:%M}，"
                               f"{LABELS.get(snap.kind, snap.kind)}）")
        self._fill_sections()

    def refresh(self) -> None:
        """The text changed in the window: compare again with the same snapshot."""
        if self.isVisible():
            self._snapshot_chosen()

    # ---- sections ------------------------------------------------------------------------------
    def _fill_sections(self) -> None:
        current = self.selected_section()
        changed = [d for d in self.diffs if d.changed]
        self._shown = self.diffs if self.show_same.isChecked() else changed
        if self.diffs:
            self.summary.setText(f"与当前内容相比，有 {len(changed)} 处不同：" if changed
                                 else "这个版本与当前内容完全相同。")
        self.section_list.blockSignals(True)
        self.section_list.clear()
        for d in self._shown:
            item = QListWidgetItem(f"［{STATUS_LABELS.get(d.status, d.status)}］{d.label}")
            item.setToolTip(d.label)
            if d.status == "same":
                item.setForeground(QColor("#888888"))
            self.section_list.addItem(item)
        self.section_list.blockSignals(False)
        if not self._shown:
            self.old_text.clear()
            self.new_text.clear()
            return
        keys = [(d.kind, d.uid) for d in self._shown]
        row = keys.index(current) if current in keys else 0
        self.section_list.setCurrentRow(row)
        self._section_chosen()

    def selected_section(self) -> tuple[str, str | None] | None:
        row = self.section_list.currentRow()
        if 0 <= row < len(self._shown):
            d = self._shown[row]
            return d.kind, d.uid
        return None

    def select_section(self, uid: str) -> bool:
        for i, d in enumerate(self._shown):
            if d.uid == uid:
                self.section_list.setCurrentRow(i)
                return True
        return False

    def current_diff(self) -> SectionDiff | None:
        row = self.section_list.currentRow()
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def _section_chosen(self) -> None:
        d = self.current_diff()
        if d is None:
            return
        self._show(self.old_text, [(c.old, c.tag in ("delete", "replace")) for c in d.changes],
                   OLD_COLOR, strike=True)
        self._show(self.new_text, [(c.new, c.tag in ("insert", "replace")) for c in d.changes],
                   NEW_COLOR, strike=False)
        if d.status == "added":
            self.old_text.setPlainText("（这个版本中还没有这一部分）")
        elif d.status == "removed":
            self.new_text.setPlainText("（当前内容中已没有这一部分）")

    @staticmethod
    def _show(edit: QTextEdit, chunks: list[tuple[str, bool]], color: str, strike: bool) -> None:
        edit.clear()
        cursor = QTextCursor(edit.document())
        plain = QTextCharFormat()
        marked = QTextCharFormat()
        marked.setBackground(QColor(color))
        if strike:
            marked.setFontStrikeOut(True)
        else:
            marked.setFontWeight(QFont.Weight.Bold)
        for text, is_change in chunks:
            if text:
                cursor.insertText(text, marked if is_change else plain)
        edit.moveCursor(QTextCursor.MoveOperation.Start)

    def highlighted(self, edit: QTextEdit) -> list[str]:
        """The highlighted pieces of a pane, in order (for tests and checks)."""
        out: list[str] = []
        block = edit.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                if frag.charFormat().background().style() != Qt.BrushStyle.NoBrush:
                    out.append(frag.text())
                it += 1
            block = block.next()
        return out

    def _follow(self, source: QTextEdit, target: QTextEdit, value: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            src = source.verticalScrollBar()
            dst = target.verticalScrollBar()
            if src.maximum() > 0:
                dst.setValue(round(value / src.maximum() * dst.maximum()))
        finally:
            self._syncing = False

    # ---- restore -------------------------------------------------------------------------------
    def restore_selected(self) -> bool:
        snap = self.selected_snapshot()
        if snap is None:
            return False
        answer = QMessageBox.question(
            self, "恢复历史版本",
            f"用 {snap.created_at:%Y-%m-%d %H:%M} 的版本（{LABELS.get(snap.kind, snap.kind)}）"
            "替换当前内容吗？\n当前内容会先自动保存为一个历史版本（“恢复前备份”），"
            "需要时可以再恢复回来。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if not self.feature.restore(snap.id):
            return False
        self.reload()
        return True


__all__ = ["KIND_REPLACE", "LABELS", "HistoryDialog", "snapshot_label"]
