"""Work-arounds for bugs of the installed PySide6.

PySide6 6.12.0 on Python < 3.12: ``SignalInstance.emit()`` returns ``True`` without taking a
reference to it, so every ``.emit()`` made from Python steals one reference from ``True``.
After some thousands of emits (a long typing session) the count reaches zero and the
interpreter aborts ("bool_dealloc: deallocating True or False"). From Python 3.12 on, True is
immortal and the bug is harmless.

Emit custom signals with :func:`emit` instead of ``signal.emit(...)``: it gives the stolen
reference back when (and only when) the running PySide6 has the bug.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    signal = Signal()


def _emit_steals_a_reference() -> bool:
    probe = _Probe()
    rounds = 8
    before = sys.getrefcount(True)
    for _ in range(rounds):
        probe.signal.emit()
    lost = before - sys.getrefcount(True)
    if lost >= rounds:
        # Give back what the probe itself took.
        for _ in range(lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
        return True
    return False


EMIT_STEALS = _emit_steals_a_reference()


def emit(signal, *args) -> None:
    """``signal.emit(*args)``, safe from the reference bug above."""
    result = signal.emit(*args)
    if EMIT_STEALS and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))


# PySide6 6.12.0 on Python < 3.12 also returns ``None`` from every void method (setText,
# setData, setToolTip, …) without taking a reference to it: each such call steals one from
# ``None``. The window alone makes ~100 of them per pause in typing and None starts with ~11 000,
# so a few minutes of typing ended in "none_dealloc: deallocating None". Which calls are void
# cannot be tracked one by one, so None is given a reserve no session can use up (what
# Python 3.12 does by making None immortal).
_NONE_RESERVE = 1 << 40


class _VoidProbe(QObject):
    pass


def _void_calls_steal_none() -> bool:
    probe = _VoidProbe()
    rounds = 64
    before = sys.getrefcount(None)
    for _ in range(rounds):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= rounds


VOID_STEALS_NONE = sys.version_info < (3, 12) and _void_calls_steal_none()
if VOID_STEALS_NONE:
    ctypes.c_ssize_t.from_address(id(None)).value += _NONE_RESERVE
