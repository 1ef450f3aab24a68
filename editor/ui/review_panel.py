"""Review in the window (issue #4): the 检查清单 and 问题 tabs of the 审核 dock, 已审/待审 on
sections, the summary in the status bar and the export gate.

``install(window)`` builds everything and registers ``window.features["review"]`` (a
:class:`ReviewFeature`); the export feature calls its ``confirm_export(parent)``.

The engine (editor.check.ReviewSession) does the work; this module shows it. Findings are
re-checked on ``window.report_changed`` (already debounced); the engine only re-reads the
paragraphs that changed, so the lists follow the typing.

改正 of a text finding goes through the text box (select the span, insertText), so Ctrl+Z in
that box undoes it like any typing. The two fixes that are not text in a box (an imported
（一） marker, an imported 发文字号) go through the engine and cannot be undone with Ctrl+Z.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.model import Report, Section

from .qtcompat import emit

if TYPE_CHECKING:
    from editor.check import Finding, ReviewSession

# The section statuses of editor.check.review, spelled here so that drawing the tree at start
# does not import the checker (tests/test_ui_startup.py keeps them equal).
PENDING = "pending"
APPROVED = "approved"
#: Shown (status bar, 问题 tab) from opening a report until its first check is done.
CHECKING = "正在检查…"
WARM_SLICE_S = 0.008  # engine work per slice between events while new text is proofread
FIRST_CHECK_FALLBACK_MS = 1000

CHECKLIST_TAB = "检查清单"
FINDINGS_TAB = "问题"
REVIEWER_STATE = "reviewer_name"  # app_state key: the last reviewer name typed

SEVERITY = {  # finding severity → (mark, word, colour)
    "error": ("✘", "错误", "#b00020"),
    "warning": ("⚠", "提示", "#9a5b00"),
    "info": ("ℹ", "参考", "#3f5f8a"),
}
ITEM_SEVERITY = {"required": "必查", "recommended": "建议", "optional": "可选"}
GREY = "#8a8a8a"
GREEN = "#1b7f3b"
RED = "#b00020"
ORANGE = "#9a5b00"
KEY_ROLE = Qt.ItemDataRole.UserRole


# ================================================================ small helpers
def short_time(stamp: str) -> str:
    """2026-11-26T14:20:05 → 11-26 14:20."""
    if len(stamp) >= 16 and stamp[10] == "T":
        return f"{stamp[5:10]} {stamp[11:16]}"
    return stamp


def section_state_text(section: Section) -> str:
    if section.status == APPROVED:
        who = f"{section.reviewer} " if section.reviewer else ""
        return f"✔ 已审（{who}{short_time(section.reviewed_at)}）".replace("（ ", "（")
    if section.status == PENDING:
        return "● 待审"
    return "未审"


def tree_suffix(section: Section) -> str:
    if section.status == APPROVED:
        return " ✔已审"
    if section.status == PENDING:
        return " ●待审"
    return ""


class ReviewerDialog(QDialog):
    """Who confirms (remembered for next time), and for a checklist tick an optional note."""

    def __init__(self, title: str, prompt: str, name: str, with_note: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        text = QLabel(prompt, self)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.name = QLineEdit(name, self)
        self.name.setPlaceholderText("审核人姓名")
        form.addRow("审核人：", self.name)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("可不填，如“第3段已写明无行政复议案件”")
        if with_note:
            form.addRow("备注：", self.note)
        else:
            self.note.hide()
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.error = QLabel("", self)
        self.error.setStyleSheet(f"color: {RED};")
        layout.addWidget(self.error)
        self.setMinimumWidth(380)

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText("请填写审核人姓名。")
            return
        self.accept()


def ask_reviewer(parent: QWidget, title: str, prompt: str, name: str,
                 with_note: bool) -> tuple[str, str] | None:
    """(name, note) or None if cancelled. Tests replace this function."""
    dialog = ReviewerDialog(title, prompt, name, with_note, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.name.text().strip(), dialog.note.text().strip()


# ================================================================ 检查清单
class _WrapDelegate(QStyledItemDelegate):
    """Row height for wrapped multi-line text in a tree: Qt's own estimate forgets the
    indentation and the check box, so the last line of a long item was cut off."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        view = self.parent()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        style = view.style()
        check = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 8 \
            if opt.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator else 0
        width = view.viewport().width() - view.indentation() * (depth + 1) - check - 8
        box = opt.fontMetrics.boundingRect(QRect(0, 0, max(80, width), 100_000),
                                           int(Qt.TextFlag.TextWordWrap), opt.text)
        return QSize(max(80, width), box.height() + 6)


class _WrapTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_WrapDelegate(self))
        self._width = 0

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.viewport().width() != self._width:  # new wrap width: new row heights
            self._width = self.viewport().width()
            self.scheduleDelayedItemsLayout()


class ChecklistPanel(QWidget):
    """Checklist items grouped by part: covered or not, severity, reviewer tick."""

    tick_requested = Signal(str, bool)  # item id, ticked
    jump_requested = Signal(object)  # editor.model.Place

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        hint = QLabel("✔ 正文已写到，✘ 未写到。勾选表示审核人已确认该项；"
                      "确认后文字有改动会显示“⚠ 已过期”。双击跳到原文。", self)
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {GREY};")
        self.tree = _WrapTree(self)
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setIndentation(14)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._results: dict = {}
        self._signature = None
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)

    def show_result(self, checklist) -> None:
        signature = tuple((r.id, r.auto, r.review, r.severity, r.label, r.reviewer, r.ticked_at,
                           r.note) for r in checklist)
        self._results = {r.id: r for r in checklist}
        met = sum(1 for r in checklist if r.satisfied)
        unmet_required = sum(1 for r in checklist
                             if r.severity == "required" and not r.satisfied)
        stale = sum(1 for r in checklist if r.review == "stale")
        text = f"共 {len(checklist)} 项，已写到或已确认 {met} 项"
        if unmet_required:
            text += f"；<span style='color:{RED}'>✘ 必查项缺 {unmet_required} 项</span>"
        if stale:
            text += f"；<span style='color:{ORANGE}'>⚠ {stale} 项确认已过期</span>"
        self.summary.setText(text)
        if signature == self._signature:
            return
        self._signature = signature
        self._fill(checklist)

    def _fill(self, checklist) -> None:
        self._filling = True
        expanded = {self.tree.topLevelItem(i).text(0).split("（")[0]:
                    self.tree.topLevelItem(i).isExpanded()
                    for i in range(self.tree.topLevelItemCount())}
        current = self.tree.currentItem()
        current_id = current.data(0, KEY_ROLE) if current is not None else None
        scroll = self.tree.verticalScrollBar().value()
        try:
            self.tree.clear()
            self._items.clear()
            groups: dict[str, QTreeWidgetItem] = {}
            counts: dict[str, list[int]] = {}
            for r in checklist:
                group = groups.get(r.group)
                if group is None:
                    group = QTreeWidgetItem([r.group_label])
                    font = group.font(0)
                    font.setBold(True)
                    group.setFont(0, font)
                    group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    self.tree.addTopLevelItem(group)
                    groups[r.group] = group
                    counts[r.group] = [0, 0]
                counts[r.group][0] += 1
                counts[r.group][1] += r.satisfied
                item = QTreeWidgetItem()
                item.setData(0, KEY_ROLE, r.id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsUserCheckable)
                self._dress(item, r)
                group.addChild(item)
                self._items[r.id] = item
            for key, group in groups.items():
                total, ok = counts[key]
                label = group.text(0)
                group.setText(0, f"{label}（{ok}/{total}）")
                group.setExpanded(expanded.get(label, True))
            if current_id in self._items:
                self.tree.setCurrentItem(self._items[current_id])
            self.tree.verticalScrollBar().setValue(scroll)
        finally:
            self._filling = False

    def _dress(self, item: QTreeWidgetItem, r) -> None:
        auto = "✔ 已写到" if r.auto == "met" else "✘ 未写到"
        level = ITEM_SEVERITY.get(r.severity, r.severity)
        if r.review == "ticked":
            review = f"☑ 已确认（{r.reviewer} {short_time(r.ticked_at)}）"
            state = Qt.CheckState.Checked
        elif r.review == "stale":
            review = f"⚠ 已过期：{r.reviewer}确认后文字有改动，请重新确认"
            state = Qt.CheckState.PartiallyChecked
        else:
            review = "未确认"
            state = Qt.CheckState.Unchecked
        item.setText(0, f"{r.label}\n{auto} · {level} · {review}")
        item.setCheckState(0, state)
        if r.review == "stale":
            color = ORANGE
        elif r.review == "ticked":
            color = GREEN
        elif r.satisfied:
            color = ""
        elif r.severity == "required":
            color = RED
        else:
            color = GREY
        item.setForeground(0, QBrush(QColor(color)) if color else QBrush())
        tip = [f"{r.id} {r.label}", f"{auto} · {level}"]
        why = r.item.why
        if why:
            tip.append(f"为什么要写：{why}")
        if r.item.note:
            tip.append(r.item.note)
        if r.detail:
            tip.append(r.detail)
        if r.note:
            tip.append(f"审核备注：{r.note}")
        if r.evidence is not None:
            tip.append("双击跳到写到的地方。")
        item.setToolTip(0, "\n".join(tip))

    def result(self, item_id: str):
        return self._results.get(item_id)

    def item(self, item_id: str) -> QTreeWidgetItem | None:
        return self._items.get(item_id)

    def _item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._filling:
            return
        item_id = item.data(0, KEY_ROLE)
        r = self._results.get(item_id)
        if r is None:
            return
        want = item.checkState(0) == Qt.CheckState.Checked
        # Put the box back as it was; the feature ticks (after asking who) and refills the
        # tree — on the next turn of the event loop, not inside this item's own setData.
        self._filling = True
        try:
            self._dress(item, r)
        finally:
            self._filling = False
        QTimer.singleShot(0, self, lambda: emit(self.tick_requested, item_id, want))

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        r = self._results.get(item.data(0, KEY_ROLE))
        if r is not None and r.evidence is not None:
            emit(self.jump_requested, r.evidence)


# ================================================================ 问题
class FindingsPanel(QWidget):
    """Findings in document order; click → jump; 改正 / 忽略; ignored ones can be shown again."""

    jump_requested = Signal(object)  # Finding
    fix_requested = Signal(object)
    ignore_requested = Signal(object)
    unignore_requested = Signal(object)

    def __init__(self, field_label=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field_label = field_label
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setUniformItemSizes(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSpacing(2)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.fix_button = QPushButton("改正", self)
        self.fix_button.setToolTip("按建议改正所选问题（可用 Ctrl+Z 撤销）")
        self.fix_button.clicked.connect(self._fix)
        self.ignore_button = QPushButton("忽略", self)
        self.ignore_button.setToolTip("这一处不算问题：不再提示（本报告内记住）")
        self.ignore_button.clicked.connect(self._ignore)
        self.show_ignored = QCheckBox("显示已忽略的", self)
        self.show_ignored.toggled.connect(lambda _on: self._refill())
        row = QHBoxLayout()
        row.addWidget(self.fix_button)
        row.addWidget(self.ignore_button)
        row.addStretch(1)
        row.addWidget(self.show_ignored)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self._findings: list[Finding] = []
        self._ignored: list[Finding] = []
        self._rows: list[tuple[Finding, bool]] = []
        self._signature = None
        self.report: Report | None = None
        self._update_buttons()

    # ---- content -----------------------------------------------------------------------------
    def show_result(self, findings: list[Finding], ignored: list[Finding],
                    report: Report | None = None) -> None:
        """``report`` is the checked report: places are described against it."""
        self.report = report
        self._findings = list(findings)
        self._ignored = list(ignored)
        errors = sum(1 for f in findings if f.severity == "error")
        others = len(findings) - errors
        if not findings:
            text = f"<span style='color:{GREEN}'>✔ 没有发现问题。</span>"
        else:
            text = f"<span style='color:{RED}'>✘ {errors} 处错误</span>" if errors else \
                "没有错误"
            if others:
                text += f"，{others} 处提示"
            text += "。点击一条跳到原文。"
        self.summary.setText(text)
        self.show_ignored.setText(f"显示已忽略的（{len(ignored)}）")
        self._refill()

    def _refill(self) -> None:
        rows = [(f, False) for f in self._findings]
        if self.show_ignored.isChecked():
            rows += [(f, True) for f in self._ignored]
        signature = tuple((f.fingerprint, f.place, f.message, f.suggestion, ign)
                          for f, ign in rows)
        if signature == self._signature:
            return
        self._signature = signature
        current = self.current()
        keep = current[0].fingerprint if current else None
        scroll = self.list.verticalScrollBar().value()
        self.list.clear()
        # The rows stay on the Python side; an item only knows its row. (PySide6 6.12 corrupts
        # reference counts when Python objects make round trips through item data.)
        self._rows = rows
        for f, ign in rows:
            item = QListWidgetItem(self._text(f, ign))
            color = SEVERITY.get(f.severity, ("", "", ""))[2]
            item.setForeground(QBrush(QColor(GREY if ign else color)))
            tip = f.message + (f"\n建议改为：{f.suggestion}" if f.suggestion else "")
            item.setToolTip(f"{tip}\n（{f.rule}）")
            self.list.addItem(item)
            if f.fingerprint == keep:
                self.list.setCurrentItem(item)
        self.list.verticalScrollBar().setValue(scroll)
        self._update_buttons()

    def _text(self, f: Finding, ignored: bool) -> str:
        mark, word, _color = SEVERITY.get(f.severity, ("·", f.severity, ""))
        where = f.place.describe(self.report, self.field_label) if self.report else ""
        head = f"{mark} {word} · {where}"
        if ignored:
            head += " · 已忽略"
        lines = [head]
        shown = f"“{f.text}”：" if f.text and f.text not in f.message else ""
        lines.append(shown + f.message)
        if f.suggestion is not None:
            lines.append(f"建议改为：“{f.suggestion}”" if f.suggestion else "建议删除")
        return "\n".join(lines)

    def current(self) -> tuple[Finding, bool] | None:
        row = self.list.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, finding: Finding) -> int:
        for i, (f, _ign) in enumerate(self._rows):
            if f.fingerprint == finding.fingerprint:
                return i
        return -1

    def findings(self) -> list[Finding]:
        return [f for f, _ign in self._rows]

    # ---- actions -----------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        cur = self.current()
        self.fix_button.setEnabled(bool(cur) and not cur[1] and cur[0].fixable)
        self.ignore_button.setEnabled(bool(cur))
        self.ignore_button.setText("取消忽略" if cur and cur[1] else "忽略")

    def _clicked(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self._rows):
            emit(self.jump_requested, self._rows[row][0])

    def _fix(self) -> None:
        cur = self.current()
        if cur and not cur[1]:
            emit(self.fix_requested, cur[0])

    def _ignore(self) -> None:
        cur = self.current()
        if cur:
            emit(self.unignore_requested if cur[1] else self.ignore_requested, cur[0])


# ================================================================ export gate dialog
class ExportGateDialog(QDialog):
    """Lists what is still wrong; 仍然导出 (accept) or 返回修改 (reject)."""

    def __init__(self, gate, report: Report, field_label=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出前检查")
        self.gate = gate
        layout = QVBoxLayout(self)
        parts = []
        if gate.errors:
            parts.append(f"还有 {len(gate.errors)} 处错误没有改正")
        if gate.unmet:
            parts.append(f"{len(gate.unmet)} 项必查内容没有写到、也没有人确认")
        head = QLabel("检查发现：" + "，".join(parts) + "。\n"
                      "可以先返回修改；如确有理由（例如该项确实不适用），也可以仍然导出。", self)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        for f in gate.errors:
            self.list.addItem(f"✘ 错误 · {f.place.describe(report, field_label)}：“{f.text}”"
                              f" {f.message}")
        for r in gate.unmet:
            self.list.addItem(f"✘ 未写到（必查）· {r.group_label}：{r.label}")
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(self)
        self.export_button = buttons.addButton("仍然导出",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button = buttons.addButton("返回修改", QDialogButtonBox.ButtonRole.RejectRole)
        self.back_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


# ================================================================ the feature
class ReviewFeature(QObject):
    """Everything review-related in one window; ``window.features["review"]``."""

    #: A check has finished (the lists and the status bar show it).
    checked = Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._session: ReviewSession | None = None
        # The first check of an opened report waits until the window has painted (the check and
        # its word list cost ~100 ms the user would otherwise wait for the window): the opened
        # report whose session is still to be made, and whether the window has painted yet.
        self._opening: Report | None = None
        self._painted = False
        self._first_check = QTimer(self, singleShot=True, interval=0)
        self._first_check.timeout.connect(self._check_if_due)
        # Between events, the engine's caches are filled a slice at a time before a check.
        self._warming = QTimer(self, singleShot=True, interval=0)
        self._warming.timeout.connect(self._recheck_when_warm)
        window.installEventFilter(self)
        self.result = None
        self._store = None
        label = getattr(window.profile, "field_label", None)

        self.checklist_panel = ChecklistPanel()
        self.findings_panel = FindingsPanel(label)
        window.add_review_tab(self.checklist_panel, CHECKLIST_TAB)
        window.add_review_tab(self.findings_panel, FINDINGS_TAB)
        window.resizeDocks([window.review_dock], [400], Qt.Orientation.Horizontal)
        self.checklist_panel.tick_requested.connect(self._tick_requested)
        self.checklist_panel.jump_requested.connect(window.show_place)
        self.findings_panel.jump_requested.connect(self.jump_to_finding)
        self.findings_panel.fix_requested.connect(self.fix)
        self.findings_panel.ignore_requested.connect(self.ignore)
        self.findings_panel.unignore_requested.connect(self.unignore)

        # status bar: the summary, a button that opens the findings
        self.status_button = QToolButton(window)
        self.status_button.setAutoRaise(True)
        self.status_button.setToolTip("打开“问题”列表（F7）")
        self.status_button.clicked.connect(self.show_findings)
        window.statusBar().addPermanentWidget(self.status_button)
        self.status_button.hide()

        # actions: 报告→检查 (F7); 标记本节已审 / 待审 (menu, tree context menu, section page)
        self.act_check = QAction("检查", window)
        self.act_check.setShortcut(QKeySequence("F7"))
        self.act_check.setToolTip("检查错误和必备内容，打开“问题”列表（F7）")
        self.act_check.setStatusTip(self.act_check.toolTip())
        self.act_check.triggered.connect(lambda _c=False: self.show_findings())
        window.add_report_action("报告", self.act_check)
        self.act_approve = QAction("标记本节已审", window)
        self.act_approve.setToolTip("本节已审核通过（记下审核人和时间；之后再改动会变回待审）")
        self.act_approve.triggered.connect(lambda _c=False: self.mark_current(True))
        self.act_pending = QAction("标记本节待审", window)
        self.act_pending.setToolTip("本节需要（重新）审核")
        self.act_pending.triggered.connect(lambda _c=False: self.mark_current(False))
        for act in (self.act_approve, self.act_pending):
            window.add_report_action("报告", act)
        window.tree.addActions([self.act_approve, self.act_pending])
        window.tree.section_suffix = tree_suffix
        # Long titles lose their middle rather than the ✔已审 / ●待审 at their end.
        window.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)

        self._section_bar: QWidget | None = None
        window.report_opened.connect(self._opened)
        window.report_changed.connect(self._recheck_when_warm)
        window.tree.node_selected.connect(lambda _k: self._update_section_state())
        window.stack.currentChanged.connect(lambda _i: self._update_section_state())
        if window.current_report is not None:
            self._opened(window.current_report)

    # ---- the session -------------------------------------------------------------------------
    def _review_store(self):
        if self._store is None:
            from db.review import ReviewStore

            self._store = ReviewStore(self.window.service.repo)
        return self._store

    @property
    def session(self) -> ReviewSession | None:
        """The review session of the open report (made on first use after opening)."""
        if self._opening is not None:
            from editor.check import ReviewSession

            report, self._opening = self._opening, None
            self._session = ReviewSession(report, self._review_store())
        return self._session

    @session.setter
    def session(self, value: ReviewSession | None) -> None:
        self._opening = None
        self._session = value

    def _opened(self, report: Report | None) -> None:
        self.session = None
        self.result = None
        if report is None:
            self.recheck()
            return
        self._opening = report
        self.window.tree.update_titles(report)
        # The window shows the text first; the findings and the checklist follow a moment later.
        self.status_button.setText(CHECKING)
        self.status_button.setStyleSheet(f"color: {GREY};")
        self.status_button.show()
        self.findings_panel.summary.setText(CHECKING)
        self.checklist_panel.summary.setText(CHECKING)
        if self._painted:
            self._first_check.start()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and not self._painted:
            if event.type() == QEvent.Type.Paint:
                self._painted = True
                self.window.removeEventFilter(self)
                self._first_check.start()  # runs once the event loop is free again
            elif event.type() == QEvent.Type.Show:
                # A window shown but not painted (started minimised) still gets its check.
                QTimer.singleShot(FIRST_CHECK_FALLBACK_MS, self, self._check_if_due)
        return False

    def _check_if_due(self) -> None:
        if self.result is None and self.window._report is not None:
            self._recheck_when_warm()

    def _recheck_when_warm(self) -> None:
        """Check after a pause in typing. New text is proofread a slice at a time between
        events first: a pasted megabyte takes about a second, which would otherwise freeze the
        window once; ordinary edits are warm at once and checked straight away."""
        session, report = self.session, self.window.current_report
        if session is not None and report is not None \
                and not session.checker.warm(report, WARM_SLICE_S):
            self.status_button.setText(CHECKING)
            self.status_button.setStyleSheet(f"color: {GREY};")
            self.status_button.show()
            self._warming.start()
            return
        self.recheck()

    def recheck(self):
        """Check the open report again (after every pause in typing); returns the result."""
        window = self.window
        report = window.current_report
        if self.session is None or report is None:
            self.result = None
            self.checklist_panel.show_result([])
            self.findings_panel.show_result([], [])
            self.status_button.hide()
            self._update_section_state()
            return None
        if self.session.report is not report:  # another report object behind the window
            from editor.check import ReviewSession

            # Same engine (and its caches, perhaps just warmed) for the new report object.
            self.session = ReviewSession(report, self._review_store(),
                                         checker=self.session.checker)
        if self.session.refresh_section_review():
            # An approved section was edited: it is 待审 again; the status is saved with it.
            window.autosaver.mark_dirty()
            window.tree.update_titles(report)
        self.result = self.session.check()
        self.checklist_panel.show_result(self.result.checklist)
        self.findings_panel.show_result(self.result.findings, self.result.ignored,
                                        self.window.current_report)
        self._update_status()
        self._update_section_state()
        emit(self.checked)
        return self.result

    def _update_status(self) -> None:
        result = self.result
        self.status_button.setText(result.status_text())
        color = RED if result.errors else (ORANGE if result.to_confirm else GREEN)
        self.status_button.setStyleSheet(f"color: {color};")
        self.status_button.show()

    def status_text(self) -> str:
        return self.status_button.text() if self.status_button.isVisible() else ""

    # ---- opening the dock -------------------------------------------------------------------
    def _show_tab(self, widget: QWidget) -> None:
        dock = self.window.review_dock
        dock.show()
        dock.raise_()
        tabs = self.window.review_tabs
        tabs.setCurrentIndex(tabs.indexOf(widget))

    def show_findings(self) -> None:
        self.recheck()
        self._show_tab(self.findings_panel)

    def show_checklist(self) -> None:
        self.recheck()
        self._show_tab(self.checklist_panel)

    # ---- findings ----------------------------------------------------------------------------
    def jump_to_finding(self, finding: Finding) -> bool:
        return self.window.show_place(finding.place)

    def fix(self, finding: Finding) -> bool:
        """改正: replace the span in its text box (undoable there), else through the engine."""
        window = self.window
        if self.session is None or finding.suggestion is None:
            return False
        done = False
        if finding.fix == "text" and finding.text and window.show_place(finding.place):
            widget = window.focusWidget()
            if isinstance(widget, QPlainTextEdit):
                cursor = widget.textCursor()
                if cursor.selectedText() == finding.text:
                    cursor.insertText(finding.suggestion)  # one undo step of the box
                    widget.setTextCursor(cursor)
                    done = True
            elif isinstance(widget, QLineEdit) and widget.selectedText() == finding.text:
                widget.insert(finding.suggestion)
                # insert() is not a user edit for Qt; tell the form as typing would.
                emit(widget.textEdited, widget.text())
                done = True
        if not done:
            report = window.current_report
            if not self.session.apply_fix(finding):
                self.recheck()
                window.statusBar().showMessage("这处文字已经变了，没有改正；请看更新后的问题列表。",
                                               5000)
                return False
            window.autosaver.mark_dirty()
            node = window.current_node
            if node:  # show the changed text in the open page
                window._node_chosen(node)
            window.tree.update_titles(report)
        window.refresh()  # commit, recount, report_changed → recheck now
        window.statusBar().showMessage(f"已改正：“{finding.text}”→“{finding.suggestion}”",
                                       4000)
        return True

    def ignore(self, finding: Finding) -> None:
        if self.session is None:
            return
        self.session.ignore(finding)
        self.recheck()

    def unignore(self, finding: Finding) -> None:
        if self.session is None:
            return
        self.session.unignore(finding.fingerprint)
        self.recheck()

    # ---- reviewer name -------------------------------------------------------------------------
    def last_reviewer(self) -> str:
        try:
            return self.window.service.repo.get_state(REVIEWER_STATE, "") or ""
        except sqlite3.Error:  # a convenience only: the dialog then starts empty
            return ""

    def _remember_reviewer(self, name: str) -> None:
        with contextlib.suppress(sqlite3.Error):  # next time the name is typed again
            self.window.service.repo.set_state(REVIEWER_STATE, name)

    # ---- checklist ticks ---------------------------------------------------------------------
    def _tick_requested(self, item_id: str, ticked: bool) -> None:
        if ticked:
            self.tick(item_id)
        else:
            self.untick(item_id)

    def tick(self, item_id: str) -> bool:
        if self.session is None:
            return False
        r = self.checklist_panel.result(item_id)
        label = r.label if r is not None else item_id
        answer = ask_reviewer(self.window, "确认检查项",
                              f"确认报告已写到：{label}", self.last_reviewer(), True)
        if answer is None:
            return False
        name, note = answer
        self._remember_reviewer(name)
        self.window.current_report  # noqa: B018 - commits pending typing before hashing
        self.session.tick(item_id, name, note)
        self.recheck()
        return True

    def untick(self, item_id: str) -> None:
        if self.session is None:
            return
        self.session.untick(item_id)
        self.recheck()

    # ---- section review ------------------------------------------------------------------------
    def current_section(self) -> Section | None:
        report, node = self.window.current_report, self.window.current_node or ""
        kind, _, uid = node.partition(":")
        if report is None or kind != "section":
            return None
        found = report.find_section(uid)
        return found[0].sections[found[1]] if found else None

    def mark_current(self, approved: bool) -> bool:
        section = self.current_section()
        return self.mark_section(section.uid, approved) if section is not None else False

    def mark_section(self, uid: str, approved: bool) -> bool:
        window = self.window
        if self.session is None:
            return False
        name = self.last_reviewer()
        if approved:
            answer = ask_reviewer(window, "标记本节已审",
                                  "本节已审核通过。之后若再改动，会自动变回“待审”。", name, False)
            if answer is None:
                return False
            name = answer[0]
            self._remember_reviewer(name)
        window.current_report  # noqa: B018 - commits pending typing first
        self.session.mark_section(uid, approved, name)
        window.autosaver.mark_dirty()
        window.save_now()
        window.tree.update_titles(self.session.report)
        self._update_section_state()
        return True

    def _ensure_section_bar(self):
        """The 已审/待审 line beside the section title, added to the section page once."""
        if self._section_bar is not None:
            return self._section_bar
        page = self.window._pages.get("section")
        if page is None:
            return None
        bar = QWidget(page)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.section_state = QLabel(bar)
        self.approve_button = QToolButton(bar)
        self.approve_button.setDefaultAction(self.act_approve)
        self.approve_button.setText("已审")
        self.pending_button = QToolButton(bar)
        self.pending_button.setDefaultAction(self.act_pending)
        self.pending_button.setText("待审")
        row.addWidget(self.section_state)
        row.addSpacing(8)
        row.addWidget(self.approve_button)
        row.addWidget(self.pending_button)
        row.addStretch(1)
        # A row of its own right under the title: beside it, it would squeeze the title box.
        top = page.layout()
        title_row = _layout_containing(top, page.title)
        index = next((i for i in range(top.count()) if top.itemAt(i).layout() is title_row), -1)
        top.insertWidget(index + 1 if index >= 0 else 0, bar)
        self._section_bar = bar
        return bar

    def _update_section_state(self) -> None:
        section = self.current_section()
        self.act_approve.setEnabled(section is not None and section.status != APPROVED)
        self.act_pending.setEnabled(section is not None and section.status != PENDING)
        if section is None or self._ensure_section_bar() is None:
            return
        self.section_state.setText(section_state_text(section))
        color = GREEN if section.status == APPROVED else (ORANGE if section.status == PENDING
                                                          else GREY)
        self.section_state.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.approve_button.setText("标记已审")
        self.pending_button.setText("改为待审")

    def section_state_label(self) -> str:
        self._update_section_state()
        return self.section_state.text() if self._section_bar is not None else ""

    # ---- export gate ---------------------------------------------------------------------------
    def confirm_export(self, parent: QWidget | None = None) -> bool:
        """True to go on exporting. Asks only when errors or unmet required items remain."""
        if self.window.current_report is None or self.session is None:
            return True
        result = self.recheck()
        gate = self.session.export_gate() if result is not None else None
        if gate is None or gate.ok:
            return True
        dialog = ExportGateDialog(gate, self.window.current_report,
                                  getattr(self.window.profile, "field_label", None),
                                  parent or self.window)
        go_on = dialog.exec() == QDialog.DialogCode.Accepted
        if not go_on:
            if gate.errors:
                self._show_tab(self.findings_panel)
            else:
                self._show_tab(self.checklist_panel)
        return go_on


def _layout_containing(layout, widget):
    """The (sub)layout of ``layout`` that directly holds ``widget``."""
    if layout is None:
        return None
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is widget:
            return layout
        sub = item.layout()
        if sub is not None:
            found = _layout_containing(sub, widget)
            if found is not None:
                return found
    return None


def install(window) -> ReviewFeature:
    feature = ReviewFeature(window)
    features = getattr(window, "features", None)
    if features is None:
        features = window.features = {}
    features["review"] = feature
    return feature


__all__ = ["ReviewFeature", "install"]
