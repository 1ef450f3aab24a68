"""Chinese input from fcitx 4 into the program's text boxes, without a Qt plugin.

Qt 6 has no plugin that speaks fcitx 4's protocol (editor.ui.input_method explains why), so this
module does the plugin's job from an application-wide event filter, for the focused text box
only (QLineEdit, QPlainTextEdit, QTextEdit, an editable QComboBox, and their subclasses such as
the editor's CleanLineEdit / CleanPlainTextEdit):

* Keys: each real key press and release in a text box is first offered to fcitx
  (editor.ui.fcitx4_context). A key fcitx takes goes no further; any other key reaches the box,
  and the window's shortcuts, as usual. The press is offered at its ShortcutOverride, which Qt
  sends before it looks for shortcuts: a key fcitx takes (Ctrl+Space, a digit picking a
  candidate) never triggers a shortcut, as with Qt's own input-method plugins.
* Text: fcitx's CommitString reaches the box as a QInputMethodEvent with a commit string, the
  way every Qt input-method plugin delivers text: the boxes' own cleaning (textEdited), undo and
  the editor's autosave see it as typed text. The preedit (the text being composed) is shown in
  the box, underlined, and is replaced by the commit.
* Focus: one input context for the program; FocusIn/FocusOut as the focus enters or leaves a
  text box (another window of the program, a dialog, another program), and the caret's place on
  screen for fcitx's candidate window. A box that loses the focus or gets a mouse click keeps
  what was being composed (as fcitx's Qt 5 plugin does); a box whose text the program changes
  drops it, and fcitx is reset.
* Failure: fcitx 4 gone, restarted, or not answering within 200 ms: the keys go straight to the
  boxes (Latin letters, no freeze) until fcitx is back; no error reaches the user.

``install(app)`` is called by editor.ui.input_method.install_input_bridge, only when fcitx 4 is
the running input method and Qt runs on X11; nothing here is imported otherwise.
"""

from __future__ import annotations

import os
import time
from collections import deque
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QPalette, QTextCharFormat
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit

from .fcitx4_context import READY, Fcitx4Context
from .fcitx4_keys import EMPTY_PREEDIT, Preedit, key_event_args, keysym_to_qt

_T = QEvent.Type
_KEYS = frozenset({_T.ShortcutOverride, _T.KeyPress, _T.KeyRelease})
_WATCHED = _KEYS | {_T.MouseButtonPress, _T.FocusAboutToChange}


def text_box(widget) -> bool:
    """Whether ``widget`` is a text box that takes typed text (fcitx serves it)."""
    if widget is None or not widget.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled):
        return False
    if isinstance(widget, QLineEdit):
        # No input method in password fields (Qt's own plugins switch it off there too).
        return not widget.isReadOnly() and widget.echoMode() == QLineEdit.EchoMode.Normal
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable() and widget.lineEdit() is not None
    return False


def _text_signal(box):
    # Emitted for every change of the text, by the user or the program (QPlainTextEdit and
    # QTextEdit also for preedit changes: those come while self._applying).
    return box.lineEdit().textChanged if isinstance(box, QComboBox) else box.textChanged


class Fcitx4Bridge(QObject):
    """Connects the program's text boxes to fcitx 4 (see the module docstring)."""

    def __init__(self, app: QApplication, env=None, *, address_file: Path | None = None,
                 key_timeout: float = 0.2, open_connection=None) -> None:
        super().__init__(app)
        self.app = app
        kwargs = {} if open_connection is None else {"open_connection": open_connection}
        self.context = Fcitx4Context(self, env, address_file=address_file,
                                     key_timeout=key_timeout, parent=self, **kwargs)
        self.box = None  # the focused text box, or None
        self._preedit = EMPTY_PREEDIT  # what self._preedit_box shows
        self._preedit_box = None
        self._applying = False  # we are changing the box's text ourselves
        self._forwarding = False  # a key fcitx sent back is on its way to the box
        self._override = None  # ((time, key, modifiers, text), taken) of the press in progress
        # Only real keyboard input goes to fcitx; tests that send key events set this.
        self.accept_synthetic = False
        # Time spent per key in the bridge (ns): fcitx's answer and the text it sent.
        self.latency: deque[int] = deque(maxlen=5000)
        app.installEventFilter(self)
        app.focusChanged.connect(self._focus_changed)
        app.aboutToQuit.connect(self.close)
        self.context.start()
        self._focus_changed(None, app.focusWidget())

    def close(self) -> None:
        """Stop serving the boxes and leave fcitx (the program quits; tests)."""
        self.app.removeEventFilter(self)
        for signal, slot in ((self.app.focusChanged, self._focus_changed),
                             (self.app.aboutToQuit, self.close)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass  # already disconnected
        self._set_preedit(None, EMPTY_PREEDIT)
        self.box = None
        self.context.close()

    # --- keys and clicks -------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind not in _WATCHED:
            return False  # the fast path: every event of the program passes here
        box = self.box
        if box is None:
            return False
        if kind in (_T.MouseButtonPress, _T.FocusAboutToChange):
            # A click in the box, or the focus about to leave it, while composing: keep the
            # composition where it was typed before the caret or the focus moves (a scroll
            # area's clicks land on its viewport, a combo box's on its line edit).
            if self._preedit.text and (obj is box or obj.parent() is box):
                self._keep_preedit()
            return False
        if obj is not box or self._forwarding or self.context.state != READY:
            return False
        if not (event.spontaneous() or self.accept_synthetic):
            return False
        # A press comes as ShortcutOverride then KeyPress (a press sent by the program: two
        # ShortcutOverrides, Qt's copy without the X values): fcitx is asked once per press.
        press = (event.timestamp(), event.key(), event.modifiers(), event.text())
        if kind == _T.ShortcutOverride:
            seen = self._override
            taken = seen[1] if seen is not None and seen[0] == press else self._offer(event, False)
            self._override = (press, taken)
            if taken:
                event.accept()  # not a shortcut: Qt now sends the KeyPress, swallowed below
            return taken
        if kind == _T.KeyPress:
            seen, self._override = self._override, None
            taken = seen[1] if seen is not None and seen[0] == press else self._offer(event, False)
        else:
            taken = self._offer(event, release=True)
        if taken:
            event.accept()
        return taken

    def _offer(self, event, release: bool) -> bool:
        keysym, keycode, state = key_event_args(event, release)
        if not keysym:
            return False
        start = time.perf_counter_ns()
        if not release:
            self._update_cursor_rect()
        taken = self.context.process_key(keysym, keycode, state, release, event.timestamp())
        self.latency.append(time.perf_counter_ns() - start)
        return taken

    # --- focus -------------------------------------------------------------------------------------
    def _focus_changed(self, _old, new) -> None:
        box = new if text_box(new) else None
        if box is self.box:
            return
        if self.box is not None:
            self._keep_preedit()
        self.box = box
        self._override = None
        if box is None:
            self.context.focus_out()
        else:
            self.context.focus_in()
            self._update_cursor_rect()

    def _update_cursor_rect(self) -> None:
        box = self._valid(self.box)
        if box is None or self.context.state != READY:
            return
        # An editable combo box answers for its line edit, in the line edit's coordinates.
        where = box.lineEdit() if isinstance(box, QComboBox) else box
        rect = box.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
        rect = rect.toRect() if hasattr(rect, "toRect") else rect
        if rect is None or not rect.isValid():
            return
        # fcitx wants X screen pixels (as fcitx's Qt 5 plugin sends them).
        top_left = where.mapToGlobal(rect.topLeft())
        ratio = box.devicePixelRatioF()
        self.context.set_cursor_rect((round(top_left.x() * ratio), round(top_left.y() * ratio),
                                      max(1, round(rect.width() * ratio)),
                                      max(1, round(rect.height() * ratio))))

    # --- what fcitx sends (called by the context) ------------------------------------------------
    def commit(self, text: str) -> None:
        box = self._valid(self.box)
        if box is None:
            return
        event = QInputMethodEvent()
        event.setCommitString(text)
        self._send(box, event, EMPTY_PREEDIT)

    def preedit(self, preedit: Preedit) -> None:
        box = self._valid(self.box)
        if box is None or (not preedit.text and not self._preedit.text):
            return  # nothing shown, nothing to show: spare the box an empty event
        self._send(box, QInputMethodEvent(preedit.text, self._attributes(preedit)), preedit)
        self._update_cursor_rect()

    def forward_key(self, keysym: int, state: int, release: bool) -> None:
        box = self._valid(self.box)
        if box is None:
            return
        key, text, modifiers = keysym_to_qt(keysym, state)
        event = QKeyEvent(_T.KeyRelease if release else _T.KeyPress, key, modifiers, 0, keysym,
                          state, text)
        self._forwarding = True  # our own filter must not offer it to fcitx again
        try:
            QApplication.sendEvent(box, event)
        finally:
            self._forwarding = False

    def delete_surrounding(self, offset: int, count: int) -> None:
        box = self._valid(self.box)
        if box is None:
            return
        event = QInputMethodEvent()
        event.setCommitString("", offset, count)
        self._send(box, event, EMPTY_PREEDIT)

    def lost(self) -> None:
        """fcitx forgot the composition (restart, stall): the box stops showing it."""
        box = self._valid(self._preedit_box)
        if box is not None and self._preedit.text:
            self._send(box, QInputMethodEvent(), EMPTY_PREEDIT)
        self._set_preedit(None, EMPTY_PREEDIT)

    # --- the box -----------------------------------------------------------------------------------
    def _send(self, box, event: QInputMethodEvent, preedit: Preedit) -> None:
        self._applying = True
        try:
            QApplication.sendEvent(box, event)
        finally:
            self._applying = False
        self._set_preedit(box if preedit.text else None, preedit)

    def _keep_preedit(self) -> None:
        """Commit what is being composed into its box and let fcitx start afresh (focus leaves
        the box, a click moves the caret)."""
        box = self._valid(self._preedit_box)
        if box is not None and self._preedit.text:
            event = QInputMethodEvent()
            event.setCommitString(self._preedit.commit_text)
            self._send(box, event, EMPTY_PREEDIT)
            self.context.reset()
        self._set_preedit(None, EMPTY_PREEDIT)

    def _set_preedit(self, box, preedit: Preedit) -> None:
        old = self._valid(self._preedit_box)
        if old is not box and old is not None:
            _text_signal(old).disconnect(self._text_changed)
        if box is not None and old is not box:
            _text_signal(box).connect(self._text_changed)
        self._preedit_box, self._preedit = box, preedit

    def _text_changed(self, *_args) -> None:
        """The text of a box showing a composition changed, and not by us: the program set it
        (another section, undo, replace). fcitx starts afresh; the box drops the composition."""
        if self._applying:
            return
        box = self._valid(self._preedit_box)
        self._set_preedit(None, EMPTY_PREEDIT)
        self.context.reset()
        if box is not None:
            # Not from inside the box's own signal: clear whatever is left of the preedit once
            # its change is complete.
            QTimer.singleShot(0, lambda: self._clear_box(box))

    def _clear_box(self, box) -> None:
        if self._valid(box) is not None and self._preedit_box is None:
            self._send(box, QInputMethodEvent(), EMPTY_PREEDIT)

    def _attributes(self, preedit: Preedit) -> list:
        attrs = []
        palette = QGuiApplication.palette()
        for span in preedit.spans:
            fmt = QTextCharFormat()
            if span.underline:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
            if span.highlight:
                fmt.setBackground(palette.color(QPalette.ColorGroup.Active,
                                                QPalette.ColorRole.Highlight))
                fmt.setForeground(palette.color(QPalette.ColorGroup.Active,
                                                QPalette.ColorRole.HighlightedText))
            attrs.append(QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.TextFormat,
                                                     span.start, span.length, fmt))
        cursor = preedit.cursor
        attrs.append(QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.Cursor,
                                                 max(cursor, 0), 1 if cursor >= 0 else 0))
        return attrs

    @staticmethod
    def _valid(widget):
        return widget if widget is not None and shiboken6.isValid(widget) else None

    # --- for the about box and tests ---------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self.context.state == READY

    def latency_summary(self) -> tuple[int, float, float]:
        """(keys, median ms, 95th percentile ms) of the time the bridge added per key."""
        values = sorted(self.latency)
        if not values:
            return 0, 0.0, 0.0
        def pick(q: float) -> float:
            return values[min(len(values) - 1, int(q * len(values)))] / 1e6

        return len(values), pick(0.5), pick(0.95)


def fcitx4_address_file(env) -> Path | None:
    """~/.config/fcitx/dbus/<machine-id>-<display number>, where fcitx 4 writes its bus."""
    from .input_method import _config_home, _display, _machine_id

    machine = _machine_id()
    if not machine:
        return None
    return _config_home(env) / "fcitx" / "dbus" / f"{machine}-{_display(env)[1]}"


def install(app: QApplication, env=None) -> Fcitx4Bridge | None:
    """Connect the program's text boxes to the running fcitx 4; None where it cannot work (Qt
    not on X11: fcitx 4's keys are X keysyms, and Wayland has its own input-method protocol)."""
    if QGuiApplication.platformName() != "xcb":
        return None
    env = os.environ if env is None else env
    return Fcitx4Bridge(app, env, address_file=fcitx4_address_file(env))
