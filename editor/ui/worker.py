"""Work off the GUI thread (LibreOffice takes seconds; the window keeps taking keystrokes
meanwhile), its outcome carried back to the GUI thread by a queued signal."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, QRunnable, Signal

from .qtcompat import emit


class Relay(QObject):
    """Carries a job's outcome back to the GUI thread (queued across threads)."""

    finished = Signal(object)


class Job(QRunnable):
    """Runs ``work()`` in a pool thread and sends what it returns through ``relay``. ``work``
    turns its own errors into an outcome: the user gets a sentence, never a traceback."""

    def __init__(self, work, relay: Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        outcome = self.work()
        with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
            emit(self.relay.finished, outcome)
