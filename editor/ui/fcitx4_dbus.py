"""A D-Bus client for fcitx 4 that never holds up the GUI thread for long.

jeepney (pure Python) does the D-Bus wire format and the SASL exchange; this module owns the
socket, so that every wait has a deadline: connecting, authenticating and Hello share one, and a
call waits at most its own timeout (an fcitx that hangs costs one key, never a frozen window).
Writing is bounded too: a bus that stops reading makes the connection fail, it does not block.

Messages that arrive while a call waits for its reply are kept in arrival order and handed out
by ``dispatch()``: fcitx sends CommitString *before* it answers ProcessKeyEvent, and the text must
reach the box before the key is decided.

Which bus: as fcitx's own Qt 5 client does, ``FCITX_DBUS_ADDRESS``, else the address fcitx 4
wrote to ``~/.config/fcitx/dbus/<machine-id>-<display>`` (it starts a private bus when there is no
session bus) if the processes named there are alive, else the session bus.
"""

from __future__ import annotations

import errno
import os
import select
import socket
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path

from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    Message,
    MessageFlag,
    MessageType,
    Parser,
    new_method_call,
)
from jeepney.auth import BEGIN, Authenticator
from jeepney.bus import get_connectable_addresses
from jeepney.bus_messages import message_bus

IM_PATH = "/inputmethod"
IM_IFACE = "org.fcitx.Fcitx.InputMethod"
IC_IFACE = "org.fcitx.Fcitx.InputContext"
BUS_NAME = "org.freedesktop.DBus"


class DBusClosed(OSError):
    """The connection is gone (bus died, socket error, write that could not finish)."""


# --- where fcitx 4 is -----------------------------------------------------------------------

def display_number(env: Mapping[str, str]) -> int:
    """fcitx 4 names its service after the X display number (":1.0" -> 1)."""
    rest = env.get("DISPLAY", "").partition(":")[2].split(".", 1)[0]
    return int(rest) if rest.isdigit() else 0


def service_name(env: Mapping[str, str]) -> str:
    return f"org.fcitx.Fcitx-{display_number(env)}"


def parse_address_file(data: bytes) -> tuple[str, int, int] | None:
    """fcitx 4's address file: "<address>\\0" then the bus daemon's and fcitx's pids (native
    ints). None when the file is not that."""
    address, sep, rest = data.partition(b"\0")
    if not sep or len(rest) != 8 or not address:
        return None
    daemon = int.from_bytes(rest[:4], sys.byteorder, signed=True)
    fcitx = int.from_bytes(rest[4:], sys.byteorder, signed=True)
    try:
        return address.decode("ascii"), daemon, fcitx
    except UnicodeDecodeError:
        return None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return pid == 0  # fcitx writes 0 for the daemon pid when it uses the session bus
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def bus_address(env: Mapping[str, str], address_file: Path | None,
                alive: Callable[[int], bool] = _alive) -> str | None:
    """The D-Bus address to reach fcitx 4 on (None: no bus known)."""
    if env.get("FCITX_DBUS_ADDRESS"):
        return env["FCITX_DBUS_ADDRESS"]
    if address_file is not None:
        try:
            parsed = parse_address_file(address_file.read_bytes())
        except OSError:
            parsed = None
        if parsed and alive(parsed[1]) and alive(parsed[2]):
            return parsed[0]
    return env.get("DBUS_SESSION_BUS_ADDRESS") or None


# --- messages ----------------------------------------------------------------------------------

def method(service: str, path: str, interface: str, name: str, signature: str | None = None,
           body: tuple = (), *, reply: bool = True) -> Message:
    msg = new_method_call(DBusAddress(path, bus_name=service, interface=interface), name,
                          signature, body)
    # fcitx is never started by the bus on our behalf (its service file names another bus name).
    flags = MessageFlag.no_auto_start
    if not reply:
        flags |= MessageFlag.no_reply_expected  # fcitx then skips the answer, we skip the wait
    msg.header.flags = flags
    return msg


def add_match(**rule) -> Message:
    return message_bus.AddMatch(MatchRule(**rule))


def owner_changed_rule(service: str) -> Message:
    rule = MatchRule(type="signal", sender=BUS_NAME, interface=BUS_NAME,
                     member="NameOwnerChanged")
    rule.add_arg_condition(0, service)
    return message_bus.AddMatch(rule)


def member(msg: Message) -> str:
    return msg.header.fields.get(HeaderFields.member, "")


def is_error(msg: Message) -> bool:
    return msg.header.message_type is MessageType.error


def error_name(msg: Message) -> str:
    return msg.header.fields.get(HeaderFields.error_name, "") if is_error(msg) else ""


# --- the connection ----------------------------------------------------------------------------

class Connection:
    """One authenticated, non-blocking connection to a message bus."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.parser = Parser()
        self.inbox: deque[Message] = deque()
        self.pending: dict[int, Callable[[Message], None]] = {}
        self._serial = 0
        self.closed = False
        self.unique_name = ""

    @classmethod
    def open(cls, address: str, timeout: float = 0.5) -> Connection:
        """Connect, authenticate and say Hello within ``timeout`` seconds in all."""
        deadline = time.monotonic() + timeout
        path = next(get_connectable_addresses(address))
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(path)
            auth = Authenticator()
            for line in auth:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                sock.sendall(line)
                data = sock.recv(1024)
                if not data:
                    raise DBusClosed(errno.ECONNRESET, "bus closed during authentication")
                auth.feed(data)
            sock.sendall(BEGIN)
        except TimeoutError as exc:  # socket.timeout
            sock.close()
            raise TimeoutError("the bus did not authenticate in time") from exc
        except BaseException:
            sock.close()
            raise
        sock.setblocking(False)
        conn = cls(sock)
        try:
            reply = conn.call(message_bus.Hello(), max(0.001, deadline - time.monotonic()))
            if is_error(reply):
                raise DBusClosed(errno.EPROTO, error_name(reply))
            conn.unique_name = reply.body[0]
        except BaseException:
            conn.close()
            raise
        return conn

    def fileno(self) -> int:
        return self.sock.fileno()

    def send(self, msg: Message, on_reply: Callable[[Message], None] | None = None,
             timeout: float = 0.2) -> int:
        """Send ``msg`` without waiting; ``on_reply`` runs from dispatch() when the answer
        comes. Returns the serial."""
        self._serial = self._serial % 0xFFFFFFFF + 1
        serial = self._serial
        if on_reply is not None:
            self.pending[serial] = on_reply
        self._write(msg.serialise(serial=serial), time.monotonic() + timeout)
        return serial

    def call(self, msg: Message, timeout: float) -> Message:
        """Send ``msg`` and wait at most ``timeout`` seconds for its reply (an error reply is
        returned too). Raises TimeoutError or DBusClosed."""
        deadline = time.monotonic() + timeout
        serial = self.send(msg, timeout=timeout)
        while True:
            for i, got in enumerate(self.inbox):
                if got.header.fields.get(HeaderFields.reply_serial) == serial:
                    del self.inbox[i]
                    return got
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no answer to {member(msg)} in {timeout:.3f} s")
            self._read(left)

    def read_available(self) -> None:
        """Take in whatever the socket has now, without waiting."""
        self._read(0.0)

    def dispatch(self, on_signal: Callable[[Message], None]) -> None:
        """Hand queued signals to ``on_signal`` and replies to their callbacks, in order."""
        while self.inbox:
            msg = self.inbox.popleft()
            kind = msg.header.message_type
            if kind is MessageType.signal:
                on_signal(msg)
            elif kind in (MessageType.method_return, MessageType.error):
                callback = self.pending.pop(msg.header.fields.get(HeaderFields.reply_serial), None)
                if callback is not None:
                    callback(msg)
            # Method calls to us (Introspect, Peer.Ping from the bus) are not expected: dropped.

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.pending.clear()
            self.sock.close()

    # --- socket -------------------------------------------------------------------------------
    def _read(self, timeout: float) -> None:
        if self.closed:
            raise DBusClosed(errno.EBADF, "connection closed")
        try:
            ready, _, _ = select.select([self.sock], [], [], timeout)
            while ready:
                try:
                    data = self.sock.recv(65536)
                except BlockingIOError:
                    break
                if not data:
                    raise DBusClosed(errno.ECONNRESET, "the bus closed the connection")
                self.parser.add_data(data)
                for msg in iter(self.parser.get_next_message, None):
                    self.inbox.append(msg)
                if len(data) < 65536:
                    break
        except DBusClosed:
            self.close()
            raise
        except (OSError, ValueError) as exc:  # ValueError: a message jeepney cannot parse
            self.close()
            raise DBusClosed(errno.EIO, str(exc)) from exc

    def _write(self, data: bytes, deadline: float) -> None:
        if self.closed:
            raise DBusClosed(errno.EBADF, "connection closed")
        view = memoryview(data)
        try:
            while view:
                try:
                    view = view[self.sock.send(view):]
                    continue
                except BlockingIOError:
                    pass
                left = deadline - time.monotonic()
                if left <= 0:
                    # Half a message is on the wire: the stream cannot be used any more.
                    raise DBusClosed(errno.ETIMEDOUT, "the bus stopped reading")
                select.select([], [self.sock], [], left)
        except DBusClosed:
            self.close()
            raise
        except OSError as exc:
            self.close()
            raise DBusClosed(exc.errno or errno.EIO, str(exc)) from exc
