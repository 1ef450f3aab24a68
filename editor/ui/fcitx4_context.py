"""One fcitx 4 input context for the whole program, kept working while fcitx comes and goes.

fcitx 4's D-Bus protocol (its src/frontend/ipc): ``CreateICv3(appname, pid)`` on
``/inputmethod`` makes an input context ``/inputcontext_<id>``; the client tells it FocusIn,
FocusOut, Reset, SetCursorRect (global screen pixels, for the candidate window) and its
capabilities, and asks ``ProcessKeyEvent(keysym, keycode, state, press 0 / release 1, time)``
for every key: > 0 means fcitx took the key. fcitx answers with broadcast signals on the
context's path: CommitString, UpdateFormattedPreedit, ForwardKey, DeleteSurroundingText.

Only ProcessKeyEvent waits for an answer (at most ``key_timeout``); everything else is sent
without waiting. States:

* OFFLINE: no bus connection. Keys go straight to the boxes; reconnect with back-off.
* WAITING: connected, but fcitx is not on the bus or the context is being made. Keys go straight;
  the bus's NameOwnerChanged says when fcitx (re)appears, and a new context is made.
* READY: keys go to fcitx first.
* STALLED: fcitx did not answer a key in time. Keys go straight (typing stays instant, in Latin
  letters); a ping goes out every second and its answer brings READY back, after a Reset so that
  a key fcitx handled late leaves nothing behind.

The client (editor.ui.fcitx4_bridge) gets ``commit(text)``, ``preedit(Preedit)``,
``forward_key(keysym, state, release)``, ``delete_surrounding(offset, count)`` and ``lost()``
(the composition is gone: drop what the box shows of it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jeepney import AuthenticationError, HeaderFields
from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from . import fcitx4_dbus as bus
from .fcitx4_keys import preedit_parts

OFFLINE, WAITING, READY, STALLED = "offline", "waiting", "ready", "stalled"

# fcitx 4 capability bits (fcitx/frontend.h): the box draws the preedit, formatted; the box keeps
# the preedit itself when it loses focus (else fcitx commits it after FocusOut, to whatever box
# has the focus by then).
CAPACITY_PREEDIT = 1 << 1
CAPACITY_FORMATTED_PREEDIT = 1 << 4
CAPACITY_CLIENT_UNFOCUS_COMMIT = 1 << 5
CAPACITY = CAPACITY_PREEDIT | CAPACITY_FORMATTED_PREEDIT | CAPACITY_CLIENT_UNFOCUS_COMMIT

# Answers to a ping that mean "fcitx is still busy" rather than "fcitx is back" or "gone".
_STILL_BUSY = {"org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout",
               "org.freedesktop.DBus.Error.TimedOut"}
_GONE = {"org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"}
_CONNECT_ERRORS = (OSError, TimeoutError, RuntimeError, ValueError, AuthenticationError,
                   StopIteration)


class Fcitx4Context(QObject):
    """The program's input context in fcitx 4 (see the module docstring)."""

    def __init__(self, client, env=None, *, address_file: Path | None = None,
                 key_timeout: float = 0.2, app_name: str = "fazhi-report-editor",
                 open_connection=bus.Connection.open, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.env = os.environ if env is None else env
        self.address_file = address_file
        self.key_timeout = key_timeout
        self.app_name = app_name
        self.service = bus.service_name(self.env)
        self._open = open_connection
        self.state = OFFLINE
        self.enabled = False  # fcitx's Chinese mode for our context (EnableIM/CloseIM)
        self.conn: bus.Connection | None = None
        self._notifier: QSocketNotifier | None = None
        self._ic_path = ""
        self._fcitx = ""  # fcitx's unique bus name: only it may send us text
        self._focused = False
        self._rect: tuple[int, int, int, int] | None = None
        self._generation = 0  # bumped on every new context: late replies for an old one are void
        self.timeouts = 0  # keys fcitx did not answer in time (for tests and the about box)
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self._connect)
        self._retry_ms = 500
        self._ping = QTimer(self, interval=1000)
        self._ping.timeout.connect(self._send_ping)

    # --- what the bridge calls -------------------------------------------------------------------
    def start(self) -> bool:
        """Connect now; True when the bus answered (fcitx may still be missing)."""
        self._connect()
        return self.state != OFFLINE

    def process_key(self, keysym: int, keycode: int, state: int, release: bool,
                    time: int) -> bool:
        """Ask fcitx about a key; True when it took it. Signals that came with the answer
        (CommitString first) have reached the client when this returns."""
        if self.state != READY or not keysym:
            return False
        msg = bus.method(self.service, self._ic_path, bus.IC_IFACE, "ProcessKeyEvent", "uuuiu",
                         (keysym & 0xFFFFFFFF, keycode & 0xFFFFFFFF, state & 0xFFFFFFFF,
                          1 if release else 0, time & 0xFFFFFFFF))
        try:
            reply = self.conn.call(msg, self.key_timeout)
        except TimeoutError:
            self.timeouts += 1
            self._stall()
            return False
        except bus.DBusClosed:
            self._offline()
            return False
        self._dispatch()
        if bus.is_error(reply):
            # The context is gone (fcitx restarted and we missed it) or fcitx is gone: the key
            # goes to the box, a new context is made in the background.
            self._lost_context(bus.error_name(reply) in _GONE)
            return False
        return bool(reply.body) and reply.body[0] > 0

    def focus_in(self) -> None:
        self._focused = True
        self._rect = None  # fcitx forgets it; the next set_cursor_rect sends it again
        self._send("FocusIn")

    def focus_out(self) -> None:
        self._focused = False
        self._send("FocusOut")

    def reset(self) -> None:
        self._send("Reset")

    def set_cursor_rect(self, rect: tuple[int, int, int, int]) -> None:
        if rect != self._rect and self.state == READY:
            self._rect = rect
            self._send("SetCursorRect", "iiii", rect)

    def close(self) -> None:
        """Leave fcitx (the program is quitting)."""
        self._retry.stop()
        self._ping.stop()
        if self.state == READY:
            self._send("DestroyIC")
        self._drop_connection()
        self.state = OFFLINE

    # --- connection ------------------------------------------------------------------------------
    def _connect(self) -> None:
        address = bus.bus_address(self.env, self.address_file)
        try:
            if address is None:
                raise OSError("no D-Bus session bus")
            self.conn = self._open(address, 0.25)
        except _CONNECT_ERRORS:
            self.conn = None
            self._schedule_retry()
            return
        self._retry_ms = 500
        self._notifier = QSocketNotifier(self.conn.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._readable)
        try:
            self.conn.send(bus.owner_changed_rule(self.service))
        except bus.DBusClosed:
            self._offline()
            return
        self._create_context()

    def _schedule_retry(self) -> None:
        self._retry.start(self._retry_ms)
        self._retry_ms = min(self._retry_ms * 2, 30000)

    def _drop_connection(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _offline(self) -> None:
        was = self.state
        self._drop_connection()
        self._ping.stop()
        self._ic_path = ""
        self.state = OFFLINE
        if was in (READY, STALLED):
            self.client.lost()
        self._schedule_retry()

    def _readable(self, *_args) -> None:
        if self.conn is None:
            return
        try:
            self.conn.read_available()
        except bus.DBusClosed:
            self._offline()
            return
        self._dispatch()

    def _dispatch(self) -> None:
        if self.conn is not None:
            self.conn.dispatch(self._signal)

    def _send(self, name: str, signature: str | None = None, body: tuple = (),
              on_reply=None, path: str | None = None, interface: str = bus.IC_IFACE) -> None:
        if self.conn is None or (path is None and self.state != READY):
            return
        msg = bus.method(self.service, path or self._ic_path, interface, name, signature, body,
                         reply=on_reply is not None)
        try:
            self.conn.send(msg, on_reply)
        except bus.DBusClosed:
            self._offline()

    # --- the input context -------------------------------------------------------------------
    def _create_context(self) -> None:
        self._generation += 1
        generation = self._generation
        self._ic_path = ""
        self._rect = None
        self.state = WAITING
        self._ping.stop()
        self._send("CreateICv3", "si", (self.app_name, os.getpid()),
                   lambda reply: self._created(reply, generation), path=bus.IM_PATH,
                   interface=bus.IM_IFACE)

    def _created(self, reply, generation: int) -> None:
        if generation != self._generation or self.conn is None:
            return
        if bus.is_error(reply):
            return  # fcitx is not there: NameOwnerChanged brings it
        icid, enabled = reply.body[0], reply.body[1]
        self._ic_path = f"/inputcontext_{icid}"
        self._fcitx = reply.header.fields.get(HeaderFields.sender, "")
        self.enabled = bool(enabled)
        try:
            # Broadcast signals reach us only through a match; the path keeps other programs'
            # text out. The bus applies it before it passes on anything we send after it.
            self.conn.send(bus.add_match(type="signal", interface=bus.IC_IFACE,
                                         path=self._ic_path))
        except bus.DBusClosed:
            self._offline()
            return
        self.state = READY
        self._send("SetCapacity", "u", (CAPACITY,))
        if self._focused:
            self._send("FocusIn")

    def _lost_context(self, fcitx_gone: bool) -> None:
        was = self.state
        if fcitx_gone:
            self._ic_path = ""
            self.state = WAITING
            self._ping.stop()
        else:
            self._create_context()
        if was in (READY, STALLED):
            self.client.lost()

    def _stall(self) -> None:
        self.state = STALLED
        self.client.lost()
        print(f"fcitx 4 did not answer within {self.key_timeout * 1000:.0f} ms: typing goes "
              "straight to the text boxes until it answers again", file=sys.stderr, flush=True)
        self._ping.start()

    def _send_ping(self) -> None:
        generation = self._generation
        self._send("Ping", path=bus.IM_PATH, interface="org.freedesktop.DBus.Peer",
                   on_reply=lambda reply: self._pinged(reply, generation))

    def _pinged(self, reply, generation: int) -> None:
        if self.state != STALLED or generation != self._generation:
            return
        name = bus.error_name(reply)
        if name in _STILL_BUSY:
            return
        self._ping.stop()
        if name in _GONE:
            self._ic_path = ""
            self.state = WAITING
            return
        self.state = READY
        self._rect = None
        self._send("Reset")
        if self._focused:
            self._send("FocusIn")

    # --- signals -------------------------------------------------------------------------------
    def _signal(self, msg) -> None:
        fields = msg.header.fields
        name = bus.member(msg)
        if name == "NameOwnerChanged" and fields.get(HeaderFields.sender) == bus.BUS_NAME:
            service, _old, new = msg.body
            if service == self.service:
                self._owner_changed(new)
            return
        if (self.state != READY or fields.get(HeaderFields.path) != self._ic_path
                or fields.get(HeaderFields.interface) != bus.IC_IFACE
                or (self._fcitx and fields.get(HeaderFields.sender) != self._fcitx)):
            return  # another context's, a dead fcitx's, or text that came after a stall
        body = msg.body
        if name == "CommitString":
            self.client.commit(body[0])
        elif name == "UpdateFormattedPreedit":
            self.client.preedit(preedit_parts(body[0], body[1]))
        elif name == "UpdatePreedit":
            self.client.preedit(preedit_parts([(body[0], 0)], body[1]))
        elif name == "ForwardKey":
            self.client.forward_key(body[0], body[1], body[2] == 1)
        elif name == "DeleteSurroundingText":
            self.client.delete_surrounding(body[0], body[1])
        elif name in ("EnableIM", "CloseIM"):
            self.enabled = name == "EnableIM"

    def _owner_changed(self, new_owner: str) -> None:
        was = self.state
        if new_owner:
            self._create_context()  # fcitx started or restarted: our old context is gone
        else:
            self._ic_path = ""
            self.state = WAITING
            self._ping.stop()
        if was in (READY, STALLED):
            self.client.lost()
