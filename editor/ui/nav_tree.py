"""The navigation tree: 版头与版记 / 前言 / parts (一、…) → sections (（一）…).

Nodes are named by key so they survive reordering: ``header``, ``preamble``,
``part:<uid>``, ``section:<uid>`` (``Place.node_key`` gives the node of a place).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from editor.model import Report, Section, part_number, section_number
from editor.model.place import HEADER, PREAMBLE, part_key, section_key

from .qtcompat import emit

KEY_ROLE = Qt.ItemDataRole.UserRole
__all__ = ["HEADER", "PREAMBLE", "NavTree", "part_key", "section_key"]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class NavTree(QTreeWidget):
    node_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setExpandsOnDoubleClick(False)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._suffixes: list[Callable[[Section], str]] = []
        self._building = False
        self.currentItemChanged.connect(self._current_changed)

    def add_suffix(self, suffix: Callable[[Section], str]) -> None:
        """``suffix(section)`` is appended to each section's line from now on (the review
        feature's “ ✔已审” / “ ●待审”, the 待更新 mark); the texts of several follow each other."""
        self._suffixes.append(suffix)

    def section_suffix(self, section: Section) -> str:
        return "".join(suffix(section) for suffix in self._suffixes)

    # ---- building ----------------------------------------------------------------------------
    def rebuild(self, report: Report | None, select: str | None = None) -> None:
        """Rebuild from the model (structure changed); keeps or sets the selected node."""
        keep = select or self.current_key()
        self._building = True
        try:
            self.clear()
            self._items.clear()
            if report is None:
                return
            self._add(None, HEADER, "版头与版记")
            self._add(None, PREAMBLE, "前言")
            for part in report.parts:
                item = self._add(None, part_key(part.uid), "")
                for s in part.sections:
                    self._add(item, section_key(s.uid), "")
            self.update_titles(report)
            self.expandAll()
        finally:
            self._building = False
        if keep and keep in self._items:
            self.select_key(keep, emit=False)

    def _add(self, parent: QTreeWidgetItem | None, key: str, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        item.setData(0, KEY_ROLE, key)
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        self._items[key] = item
        return item

    def update_titles(self, report: Report) -> None:
        """New titles and numbers without rebuilding (titles change as the user types)."""
        grey = QBrush(QColor("#999999"))
        normal = QBrush()
        n = 0
        for part in report.parts:
            item = self._items.get(part_key(part.uid))
            if item is None:
                continue
            if part.enabled:
                item.setText(0, part_number(n) + _short(part.heading or "（未写标题）"))
                n += 1
            else:
                item.setText(0, _short(part.heading or "（未写标题）") + "（未启用）")
            item.setToolTip(0, part.heading)
            for si, s in enumerate(part.sections):
                child = self._items.get(section_key(s.uid))
                if child is not None:
                    suffix = self.section_suffix(s) if self._suffixes else ""
                    child.setText(0, section_number(si) + _short(s.title or "（未写标题）")
                                  + suffix)
                    child.setToolTip(0, s.title)
                    child.setForeground(0, normal if part.enabled else grey)
            item.setForeground(0, normal if part.enabled else grey)

    # ---- selection -----------------------------------------------------------------------------
    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(0, KEY_ROLE) if item is not None else None

    def select_key(self, key: str, emit: bool = True) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        if not emit:
            self._building = True
        try:
            self.setCurrentItem(item)
            self.scrollToItem(item)
        finally:
            if not emit:
                self._building = False
        return True

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # The report opens before the window has its final size: a tree scrolled to the open
        # section while it was short would keep 版头与版记 and the part above out of sight.
        # Growing, it shows as much as fits above the current item.
        item = self.currentItem()
        if item is not None and event.size().height() > event.oldSize().height():
            self.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtBottom)

    def has_key(self, key: str) -> bool:
        return key in self._items

    def item_text(self, key: str) -> str:
        item = self._items.get(key)
        return item.text(0) if item is not None else ""

    def _current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if self._building or current is None:
            return
        emit(self.node_selected, current.data(0, KEY_ROLE))
