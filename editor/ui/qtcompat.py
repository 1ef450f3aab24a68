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
