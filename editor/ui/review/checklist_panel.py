"""The 检查清单 tab: the profile's checklist items grouped by part, whether the text covers
them (✔ 已写到 / ？可能已写到 / ✘ 未写到), the reviewer's tick, and under each covered item the
sentence that covers it (单击 → that sentence in the text)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.model import Report

from ..qtcompat import emit
from .style import (
    GREEN,
    GREY,
    ITEM_SEVERITY,
    MET,
    ORANGE,
    RED,
    REQUIRED,
    STALE,
    TICKED,
    WEAK,
    auto_text,
    short_time,
)

KEY_ROLE = Qt.ItemDataRole.UserRole  # the item id (on the item and on its evidence row)
EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 1  # True on an evidence row
EVIDENCE_SHOWN = 60  # characters of the evidence sentence shown in the row (all in its tooltip)
HINT = ("✔ 已写到；？可能已写到（只找到套话，请看原文后确认）；✘ 未写到。勾选表示审核人已确认该项，"
        "确认后文字有改动会显示“⚠ 已过期”。单击“原文”一行（或双击检查项）跳到正文中写到的地方。")


def elide(text: str, n: int = EVIDENCE_SHOWN) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


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
    """Checklist items grouped by part: covered or not, severity, reviewer tick, evidence."""

    tick_requested = Signal(str, bool)  # item id, ticked
    jump_requested = Signal(object)  # editor.model.Place

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        hint = QLabel(HINT, self)
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
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._evidence_rows: dict[str, QTreeWidgetItem] = {}
        self._results: dict = {}
        self._evidence: dict[str, str] = {}  # item id → the sentence that covers it
        # evidence place → (the field text it was read from, the sentence): a field is split
        # into lines again only when its text has changed (a pasted megabyte stays cheap)
        self._sentences: dict = {}
        self._signature = None
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)

    # ---- content -----------------------------------------------------------------------------
    def show_result(self, checklist, report: Report | None = None) -> None:
        """``report`` is the checked report: the evidence sentences are read from it."""
        self._results = {r.id: r for r in checklist}
        self._evidence = {r.id: self._sentence(r, report) for r in checklist
                          if r.auto == MET and r.evidence is not None and report is not None}
        signature = tuple((r.id, r.auto, r.strength, r.review, r.severity, r.label, r.reviewer,
                           r.ticked_at, r.note, r.evidence, self._evidence.get(r.id))
                          for r in checklist)
        met = sum(1 for r in checklist if r.satisfied)
        weak = sum(1 for r in checklist
                   if r.auto == MET and r.strength == WEAK and r.review != TICKED)
        unmet_required = sum(1 for r in checklist
                             if r.severity == REQUIRED and not r.satisfied)
        stale = sum(1 for r in checklist if r.review == STALE)
        text = f"共 {len(checklist)} 项，已写到或已确认 {met} 项"
        if weak:
            text += f"（其中 <span style='color:{ORANGE}'>？{weak} 项可能已写到</span>，请看原文后确认）"
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
        folded = {key for key, item in self._items.items()
                  if item.childCount() and not item.isExpanded()}
        current = self.tree.currentItem()
        current_id = current.data(0, KEY_ROLE) if current is not None else None
        current_evidence = bool(current is not None and current.data(0, EVIDENCE_ROLE))
        scroll = self.tree.verticalScrollBar().value()
        try:
            self.tree.clear()
            self._items.clear()
            self._evidence_rows.clear()
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
                sentence = self._evidence.get(r.id)
                if sentence:
                    item.addChild(self._evidence_row(r, sentence))
            for key, group in groups.items():
                total, ok = counts[key]
                label = group.text(0)
                group.setText(0, f"{label}（{ok}/{total}）")
                group.setExpanded(expanded.get(label, True))
            for key, item in self._items.items():
                item.setExpanded(key not in folded)
            rows = self._evidence_rows if current_evidence else self._items
            if current_id in rows:
                self.tree.setCurrentItem(rows[current_id])
            self.tree.verticalScrollBar().setValue(scroll)
        finally:
            self._filling = False

    def _evidence_row(self, r, sentence: str) -> QTreeWidgetItem:
        row = QTreeWidgetItem([f"原文：“{elide(sentence)}”"])
        row.setData(0, KEY_ROLE, r.id)
        row.setData(0, EVIDENCE_ROLE, True)
        row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        row.setForeground(0, QBrush(QColor(ORANGE if r.strength == WEAK else GREY)))
        font = row.font(0)
        font.setItalic(True)
        row.setFont(0, font)
        tip = f"“{sentence}”\n单击跳到正文中的这句话。"
        if r.strength == WEAK:
            tip += "\n这里只找到了常见的说法，不一定真的写到了这一项，请看原文后确认。"
        row.setToolTip(0, tip)
        self._evidence_rows[r.id] = row
        return row

    def _dress(self, item: QTreeWidgetItem, r) -> None:
        auto, auto_color = auto_text(r.auto, r.strength)
        level = ITEM_SEVERITY.get(r.severity, r.severity)
        if r.review == TICKED:
            review = f"☑ 已确认（{r.reviewer} {short_time(r.ticked_at)}）"
            state = Qt.CheckState.Checked
        elif r.review == STALE:
            review = f"⚠ 已过期：{r.reviewer}确认后文字有改动，请重新确认"
            state = Qt.CheckState.PartiallyChecked
        else:
            review = "未确认"
            state = Qt.CheckState.Unchecked
        item.setText(0, f"{r.label}\n{auto} · {level} · {review}")
        item.setCheckState(0, state)
        if r.review == STALE:
            color = ORANGE
        elif r.review == TICKED:
            color = GREEN
        elif auto_color:
            color = auto_color
        elif r.satisfied:
            color = ""
        elif r.severity == REQUIRED:
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
        sentence = self._evidence.get(r.id)
        if sentence:
            tip.append(f"原文：“{sentence}”")
        if r.evidence is not None:
            tip.append("双击跳到写到的地方。")
        item.setToolTip(0, "\n".join(tip))

    def _sentence(self, r, report: Report) -> str:
        try:
            text = r.evidence.field_text(report)
            hit = self._sentences.get(r.evidence)
            if hit is not None and hit[0] is text:
                return hit[1]
            sentence = r.evidence_text(report)
        except LookupError:  # the place is gone (text changed since): nothing to show
            return ""
        if len(self._sentences) > 1000:
            self._sentences.clear()
        self._sentences[r.evidence] = (text, sentence)
        return sentence

    # ---- for the feature and tests -------------------------------------------------------------
    def result(self, item_id: str):
        return self._results.get(item_id)

    def item(self, item_id: str) -> QTreeWidgetItem | None:
        return self._items.get(item_id)

    def evidence_row(self, item_id: str) -> QTreeWidgetItem | None:
        """The 原文 row under an item (None when the item is not covered in the text)."""
        return self._evidence_rows.get(item_id)

    def evidence(self, item_id: str) -> str:
        """The sentence that covers the item ("" when none)."""
        return self._evidence.get(item_id, "")

    # ---- events --------------------------------------------------------------------------------
    def _item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._filling or item.data(0, EVIDENCE_ROLE):
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

    def _jump(self, item: QTreeWidgetItem) -> None:
        r = self._results.get(item.data(0, KEY_ROLE))
        if r is not None and r.evidence is not None:
            emit(self.jump_requested, r.evidence)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, EVIDENCE_ROLE):
            self._jump(item)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, EVIDENCE_ROLE):  # Enter on a 原文 row (a double click has its own)
            self._jump(item)

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if not item.data(0, EVIDENCE_ROLE):
            self._jump(item)
