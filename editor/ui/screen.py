"""Windows and dialogs that fit the screen they open on (office screens go down to 1024×768,
laptops are 1366×768 with a 40 px taskbar).

- :func:`available_geometry`: the usable area of the screen a widget is on (taskbar excluded).
- :func:`fit`: size a dialog to what it would like, but never beyond that area, and cap its
  height there (the dialogs scroll or split rather than grow); once shown it is moved fully
  onto the screen.
- :func:`place_main_window`: the first window of a screen: as large as the program likes
  (1440×900) where that fits, else the whole area (maximised).
- :func:`guard_dialogs`: a safety net for dialogs built elsewhere (message boxes, input
  dialogs, other features' windows): when one becomes active and sticks out of the screen,
  it is shrunk and moved onto it.

Tests simulate small screens by replacing :func:`available_geometry` and :func:`screen_key`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QDialog, QWidget

#: Room a window's frame (title bar, borders) takes around the client area. Qt sizes the
#: client area, and on X11 the frame is unknown before the first show: assume a usual one.
FRAME_WIDTH = 16
FRAME_HEIGHT = 40
#: What the main window would like on a large screen.
PREFERRED_WINDOW = (1440, 900)
_CHECKED = "_fits_screen_checked"


def _screen_of(widget: QWidget | None) -> QScreen:
    while widget is not None:
        handle = widget.windowHandle()
        if handle is not None and widget.isVisible():
            return handle.screen()
        parent = widget.parentWidget()
        if parent is None:
            return widget.screen()
        widget = parent
    return QGuiApplication.primaryScreen()


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The usable area (without taskbars and docks) of the screen ``widget`` is on."""
    return _screen_of(widget).availableGeometry()


def screen_key(widget: QWidget | None = None) -> str:
    """Names the screen ``widget`` is on: its name and size, e.g. “eDP-1 1366x768”."""
    screen = _screen_of(widget)
    size = screen.geometry().size()
    return f"{screen.name()} {size.width()}x{size.height()}".strip()


def max_client_size(widget: QWidget | None = None) -> tuple[int, int]:
    """The largest client area whose frame still fits the available area."""
    area = available_geometry(widget)
    return max(200, area.width() - FRAME_WIDTH), max(200, area.height() - FRAME_HEIGHT)


def fits(rect: QRect, widget: QWidget | None = None) -> bool:
    """True if a window whose client area is ``rect`` (with a frame) lies inside the area."""
    area = available_geometry(widget)
    frame = rect.adjusted(-FRAME_WIDTH // 2, -(FRAME_HEIGHT - FRAME_WIDTH // 2),
                          FRAME_WIDTH // 2, FRAME_WIDTH // 2)
    # A few pixels of frame may lie outside: window managers differ in frame sizes.
    return area.adjusted(-8, -8, 8, 8).contains(frame)


def fit(widget: QWidget, width: int, height: int, cap_height: bool = True) -> None:
    """Resize ``widget`` (a dialog or window) to ``width``×``height`` or what the screen
    allows; cap its height to the screen and keep it on the screen once shown."""
    max_w, max_h = max_client_size(widget)
    widget.resize(min(width, max_w), min(height, max_h))
    if cap_height:
        widget.setMaximumHeight(max_h)
    keep_on_screen(widget)


class _OnScreen(QObject):
    """Moves its window fully onto the screen after each show (Qt centres dialogs over
    their parent, which can push a tall one past the taskbar)."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
            QTimer.singleShot(0, obj, lambda: move_onto_screen(obj))
        return False


def keep_on_screen(widget: QWidget) -> None:
    if widget.property("_on_screen_filter") is None:
        keeper = _OnScreen(widget)
        widget.installEventFilter(keeper)
        widget.setProperty("_on_screen_filter", True)


def move_onto_screen(widget: QWidget) -> bool:
    """Shrink and move a shown window so that its frame lies inside the available area.
    True if something changed."""
    if not widget.isVisible() or widget.isMaximized() or widget.isFullScreen():
        return False
    area = available_geometry(widget)
    max_w, max_h = max_client_size(widget)
    changed = False
    if widget.width() > max_w or widget.height() > max_h:
        widget.resize(min(widget.width(), max_w), min(widget.height(), max_h))
        changed = True
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
    x, y = max(x, area.x()), max(y, area.y())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(x, y)
        changed = True
    return changed


def place_main_window(window: QWidget, preferred: tuple[int, int] = PREFERRED_WINDOW) -> None:
    """The first window on a screen (nothing remembered for it): the preferred size centred,
    or, where that does not fit, the whole available area (maximised)."""
    area = available_geometry(window)
    max_w, max_h = max_client_size(window)
    w, h = min(preferred[0], max_w), min(preferred[1], max_h)
    window.resize(w, h)
    window.move(area.x() + (area.width() - w - FRAME_WIDTH) // 2,
                area.y() + max(0, (area.height() - h - FRAME_HEIGHT) // 2))
    if (w, h) != tuple(preferred):
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def guard_dialogs(app: QApplication) -> None:
    """Check each dialog the first time it becomes active (see the module docstring)."""
    if getattr(app, "_dialog_guard", False):
        return
    app._dialog_guard = True

    def check(_window) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() \
                    and not widget.property(_CHECKED):
                widget.setProperty(_CHECKED, True)
                move_onto_screen(widget)

    app.focusWindowChanged.connect(check)




def move_clear_of(widget: QWidget, target: QRect, gap: int = 12) -> bool:
    """Move the shown window ``widget`` so that it does not cover ``target`` (global
    coordinates, e.g. the text a find window has just selected): below it, else above, else
    beside it, always inside the available area. True if it moved."""
    frame = widget.frameGeometry()
    if not frame.intersects(target):
        return False
    area = available_geometry(widget)
    w, h = frame.width(), frame.height()
    x = min(max(frame.x(), area.x()), area.right() + 1 - w)
    candidates = [
        QRect(x, target.bottom() + gap, w, h),  # below
        QRect(x, target.top() - gap - h, w, h),  # above
        QRect(target.right() + gap, frame.y(), w, h),  # right
        QRect(target.left() - gap - w, frame.y(), w, h),  # left
    ]
    for rect in candidates:
        if area.contains(rect):
            widget.move(rect.topLeft())
            return True
    # No free side: the corner of the area farthest from the text.
    corners = [QRect(area.x(), area.y(), w, h),
               QRect(area.right() + 1 - w, area.y(), w, h),
               QRect(area.x(), area.bottom() + 1 - h, w, h),
               QRect(area.right() + 1 - w, area.bottom() + 1 - h, w, h)]
    best = max(corners, key=lambda r: (r.center() - target.center()).manhattanLength())
    widget.move(best.topLeft())
    return True


__all__ = ["FRAME_HEIGHT", "FRAME_WIDTH", "available_geometry", "fit", "fits",
           "guard_dialogs", "keep_on_screen", "max_client_size", "move_clear_of",
           "move_onto_screen", "place_main_window", "screen_key"]
