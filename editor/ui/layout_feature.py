"""视图 and the window on the screen: the left column (报告列表和目录) and the 审核 panel can be
hidden and brought back (视图 menu, Ctrl+Shift+L / Ctrl+Shift+R), so a 1024×768 screen has
room for the text; the window's size, place, column widths and panels are remembered per
screen (name and size: a laptop used with and without its large monitor keeps two layouts)
in the report library's state table, and restored only where they still fit the screen.

Without anything remembered for a screen, the window fits it (editor.ui.screen); the left
column and the 审核 panel take bounded shares of its width and the form gets the rest.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, Qt
from PySide6.QtGui import QAction, QKeySequence

from . import screen

STATE_KEY = "window.layout"  # {screen key: {geometry, maximized, split, left_split, ...}}
LEFT_SHARE, LEFT_RANGE = 0.21, (200, 330)  # share of the window's width, clamped (px)
REVIEW_SHARE, REVIEW_RANGE = 0.25, (260, 340)
LIST_ENTRIES = 3  # report list entries visible without scrolling on a fresh layout


def _clamp(value: float, bounds: tuple[int, int]) -> int:
    return int(max(bounds[0], min(bounds[1], round(value))))


class LayoutFeature(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._left_sizes: list[int] | None = None  # the splitter before the column was hidden

        self.act_left = QAction("报告列表和目录", window)
        self.act_left.setCheckable(True)
        self.act_left.setChecked(True)
        self.act_left.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.act_left.setStatusTip("显示或隐藏左侧的报告列表和目录（屏幕较小时可以先隐藏）")
        self.act_left.toggled.connect(self.set_left_visible)
        self.act_review = window.review_dock.toggleViewAction()
        self.act_review.setText("审核栏（检查清单和问题）")
        self.act_review.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.act_review.setStatusTip("显示或隐藏右侧的审核栏")
        self.act_toolbar = window.toolbar.toggleViewAction()
        self.act_toolbar.setText("工具栏")
        self.act_reset = QAction("恢复默认布局", window)
        self.act_reset.setStatusTip("窗口大小、各栏宽度恢复为适合本屏幕的默认值，显示全部栏")
        self.act_reset.triggered.connect(lambda _c=False: self.reset())
        for act in (self.act_left, self.act_review, self.act_toolbar):
            window.add_report_action("视图", act)
        window.menu("视图").addSeparator()
        window.add_report_action("视图", self.act_reset)

        window.installEventFilter(self)
        self.restore()

    # ---- the left column -----------------------------------------------------------------------
    def set_left_visible(self, on: bool, sizes: list[int] | None = None) -> None:
        """Show or hide the left column; ``sizes``: the splitter to return to (default: as
        it is now; before the window is shown, the remembered sizes must be given)."""
        w = self.window
        if on == w.left_panel.isHidden():  # a change
            if not on:
                self._left_sizes = sizes or w.splitter.sizes()
                w.left_panel.hide()
            else:
                w.left_panel.show()
                if self._left_sizes and self._left_sizes[0] > 0:
                    w.splitter.setSizes(self._left_sizes)
        if self.act_left.isChecked() != on:
            self.act_left.setChecked(on)  # comes back here with nothing left to do

    # ---- defaults ------------------------------------------------------------------------------
    def default_columns(self) -> None:
        w = self.window
        width = w.width()
        left = _clamp(width * LEFT_SHARE, LEFT_RANGE)
        review = _clamp(width * REVIEW_SHARE, REVIEW_RANGE)
        w.splitter.setSizes([left, max(300, width - left - review)])
        w.resizeDocks([w.review_dock], [review], Qt.Orientation.Horizontal)
        line = w.reports.list.fontMetrics().lineSpacing()
        # An entry is two or three lines (see report_list.summary_text) plus padding.
        listed = LIST_ENTRIES * (2 * line + 10) + line + 12
        w.left_split.setSizes([listed, max(200, w.height() - listed)])

    def reset(self) -> None:
        w = self.window
        w.setWindowState(w.windowState() & ~Qt.WindowState.WindowMaximized)
        screen.place_main_window(w)
        self.set_left_visible(True)
        w.review_dock.setFloating(False)
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, w.review_dock)
        w.review_dock.show()
        w.toolbar.show()
        self.default_columns()
        if w.isVisible():
            w.show()

    # ---- remembering ---------------------------------------------------------------------------
    def _all(self) -> dict:
        try:
            saved = self.window.service.get_setting(STATE_KEY, {})
        except Exception:  # noqa: BLE001 (the layout is a convenience, never an obstacle)
            return {}
        return saved if isinstance(saved, dict) else {}

    def capture(self) -> dict:
        """The layout as it is now (stored under the screen the window is on)."""
        w = self.window
        maximized = w.isMaximized()
        g = w.normalGeometry() if maximized or w.isFullScreen() else w.geometry()
        left_visible = not w.left_panel.isHidden()
        split = w.splitter.sizes() if left_visible else (self._left_sizes or w.splitter.sizes())
        return {
            "geometry": [g.x(), g.y(), g.width(), g.height()],
            "maximized": maximized,
            "split": list(split),
            "left_split": list(w.left_split.sizes()),
            "left_visible": left_visible,
            "docks": bytes(w.saveState().toBase64()).decode("ascii"),
        }

    def save(self) -> None:
        saved = self._all()
        saved[screen.screen_key(self.window)] = self.capture()
        with contextlib.suppress(Exception):
            self.window.service.set_setting(STATE_KEY, saved)

    def restore(self) -> bool:
        """Apply what was remembered for this screen if it fits; else fit the window to the
        screen. True if a remembered layout was used."""
        saved = self._all().get(screen.screen_key(self.window))
        if isinstance(saved, dict) and self.apply(saved):
            return True
        screen.place_main_window(self.window)
        self.default_columns()
        return False

    def apply(self, saved: dict) -> bool:
        w = self.window
        try:
            rect = QRect(*(int(v) for v in saved["geometry"]))
        except (KeyError, TypeError, ValueError):
            return False
        if rect.width() < 200 or rect.height() < 200 or not screen.fits(rect, w):
            return False  # another resolution or a screen since: start afresh
        w.setGeometry(rect)
        if saved.get("maximized"):
            w.setWindowState(w.windowState() | Qt.WindowState.WindowMaximized)
        docks = saved.get("docks")
        if isinstance(docks, str) and docks:
            w.restoreState(QByteArray.fromBase64(docks.encode("ascii")))
        split = None
        for splitter, key in ((w.splitter, "split"), (w.left_split, "left_split")):
            sizes = saved.get(key)
            if isinstance(sizes, list) and len(sizes) == splitter.count() \
                    and all(isinstance(v, int) and v >= 0 for v in sizes) and sum(sizes) > 0:
                splitter.setSizes(sizes)
                split = sizes if splitter is w.splitter else split
        if saved.get("left_visible") is False:
            self.set_left_visible(False, split)
        return True

    def eventFilter(self, obj, event) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Close:
            self.save()
        return False


__all__ = ["STATE_KEY", "LayoutFeature"]
