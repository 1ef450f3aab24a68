"""The 预览 window: pages one under the other on grey, scaled to fit the width or at 100 %,
with the 版式 choice, 刷新, the page count and a status line saying how the pages were made.

It only shows pages (objects with ``aspect`` and ``image(width_px)``, see preview_paint.py);
what to show is decided by PreviewFeature (preview_feature.py)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .export_dialogs import VARIANT_LABELS

GAP = 18  # px between pages and around them
A4_WIDTH_MM = 210
FIT, ACTUAL = "fit", "100"


class PageStrip(QWidget):
    """The pages in a column. Pictures are made only for the pages in view and kept until the
    zoom or the pages change: drawing a page costs ~40 ms, a long report has dozens."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pages: list = []
        self.page_width = 600
        self.cache: dict[int, QPixmap] = {}
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_pages(self, pages: list) -> None:
        self.pages = list(pages)
        self.cache.clear()
        self._resize()

    def set_page_width(self, width: int) -> None:
        width = max(120, int(width))
        if width != self.page_width:
            self.page_width = width
            self.cache.clear()
            self._resize()

    def page_rect(self, index: int) -> QRect:
        y = GAP
        for page in self.pages[:index]:
            y += round(self.page_width * page.aspect) + GAP
        height = round(self.page_width * self.pages[index].aspect)
        x = max(GAP, (self.width() - self.page_width) // 2)
        return QRect(x, y, self.page_width, height)

    def _resize(self) -> None:
        height = GAP + sum(round(self.page_width * p.aspect) + GAP for p in self.pages)
        self.setFixedSize(QSize(self.page_width + 2 * GAP, max(height, 2 * GAP)))
        self.update()

    def pixmap(self, index: int) -> QPixmap:
        pix = self.cache.get(index)
        if pix is None:
            ratio = self.devicePixelRatioF()
            image = self.pages[index].image(max(1, round(self.page_width * ratio)))
            pix = QPixmap.fromImage(image)
            pix.setDevicePixelRatio(ratio)
            self.cache[index] = pix
        return pix

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(event.rect(), QColor("#8a8a8a"))
        shown = []
        for i in range(len(self.pages)):
            rect = self.page_rect(i)
            if rect.top() > event.rect().bottom():
                break
            if not rect.intersects(event.rect()):
                continue
            p.fillRect(rect.translated(3, 3), QColor("#5c5c5c"))  # a shadow: the sheet's edge
            p.drawPixmap(rect.topLeft(), self.pixmap(i))
            shown.append(i)
        p.end()
        if shown:
            # A page at 100 % is ~4 MB: keep the pictures near the view, not a whole report's.
            near = range(shown[0] - 3, shown[-1] + 4)
            for i in [i for i in self.cache if i not in near]:
                del self.cache[i]


class PreviewWindow(QWidget):
    """Read-only pages; emits ``refresh_requested`` (刷新, 版式 changed)."""

    refresh_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("preview_window")
        self.setWindowTitle("预览")
        self.mode = FIT

        self.variant_box = QComboBox()
        self.variant_box.setObjectName("preview_variant")
        for key, label in VARIANT_LABELS.items():
            self.variant_box.addItem(label, key)
        self.variant_box.setToolTip("按哪种版式预览（与导出时的选择相同）")
        self.variant_box.currentIndexChanged.connect(lambda _i: self.refresh_requested.emit())

        self.fit_button = self._zoom_button("适合宽度", FIT, "页面宽度随窗口缩放")
        self.actual_button = self._zoom_button("100%", ACTUAL, "按纸张实际大小显示")
        self.fit_button.blockSignals(True)  # the page view does not exist yet
        self.fit_button.setChecked(True)
        self.fit_button.blockSignals(False)
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.fit_button)
        group.addButton(self.actual_button)

        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setObjectName("preview_refresh")
        self.refresh_button.setToolTip("按当前内容重新生成预览（F5）")
        self.refresh_button.clicked.connect(lambda: self.refresh_requested.emit())
        self.count_label = QLabel("")
        self.count_label.setObjectName("preview_count")

        bar = QHBoxLayout()
        bar.addWidget(QLabel("版式："))
        bar.addWidget(self.variant_box)
        bar.addSpacing(12)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.actual_button)
        bar.addSpacing(12)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        self.strip = PageStrip()
        self.scroll = QScrollArea()
        self.scroll.setObjectName("preview_scroll")
        self.scroll.setWidget(self.strip)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setBackgroundRole(self.scroll.backgroundRole())
        self.scroll.setStyleSheet("QScrollArea { background: #8a8a8a; border: none; }")
        self.scroll.viewport().installEventFilter(self)

        self.status = QLabel("")
        self.status.setObjectName("preview_status")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # LibreOffice reports no progress: an activity indicator
        self.busy.setMaximumWidth(100)
        self.busy.setMaximumHeight(12)
        self.busy.setTextVisible(False)
        self.busy.hide()
        foot = QHBoxLayout()
        foot.addWidget(self.status, 1)
        foot.addWidget(self.busy)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 6)
        lay.addLayout(bar)
        lay.addWidget(self.scroll, 1)
        lay.addLayout(foot)

        self._fit_timer = QTimer(self, singleShot=True, interval=60)
        self._fit_timer.timeout.connect(self._apply_zoom)
        QShortcut(QKeySequence("F5"), self, activated=lambda: self.refresh_requested.emit())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, activated=self.close)
        self._initial_size()

    def _zoom_button(self, text: str, mode: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setToolTip(tip)
        button.toggled.connect(lambda on: on and self.set_zoom(mode))
        return button

    def _initial_size(self) -> None:
        # Tall enough for most of a page, never larger than the screen (1366×768 laptops).
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen else QRect(0, 0, 1366, 728)
        width = min(860, int(area.width() * 0.6))
        height = min(1000, int(area.height() * 0.92))
        self.resize(width, height)

    # ---------------------------------------------------------------- public
    def variant(self) -> str:
        return self.variant_box.currentData()

    def set_variant(self, key: str) -> None:
        index = self.variant_box.findData(key)
        if index >= 0 and index != self.variant_box.currentIndex():
            self.variant_box.blockSignals(True)  # choosing the start value is not a refresh
            self.variant_box.setCurrentIndex(index)
            self.variant_box.blockSignals(False)

    def show_pages(self, pages: list) -> None:
        self.strip.set_pages(pages)
        self.count_label.setText(f"共 {len(pages)} 页" if pages else "")
        self._apply_zoom()

    def set_status(self, text: str, busy: bool = False) -> None:
        self.status.setText(text)
        self.busy.setVisible(busy)

    def set_zoom(self, mode: str) -> None:
        self.mode = mode
        (self.fit_button if mode == FIT else self.actual_button).setChecked(True)
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        if self.mode == ACTUAL:
            dpi = self.logicalDpiX() or 96
            width = round(A4_WIDTH_MM / 25.4 * dpi)
        else:
            bar = self.scroll.verticalScrollBar()
            # Leave room for the scroll bar even before it appears: no width flip-flop.
            extra = 0 if bar.isVisible() else bar.sizeHint().width()
            width = self.scroll.viewport().width() - 2 * GAP - extra
        self.strip.set_page_width(width)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.scroll.viewport() and event.type() == QEvent.Type.Resize \
                and self.mode == FIT:
            self._fit_timer.start()
        return super().eventFilter(obj, event)


__all__ = ["PageStrip", "PreviewWindow"]
