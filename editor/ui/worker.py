"""Work off the GUI thread (LibreOffice takes seconds; the window keeps taking keystrokes
meanwhile), its outcome carried back to the GUI thread by a queued signal."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from .qtcompat import emit


class Worker(QObject):
    """One job at a time in a thread of its own; ``finished(outcome)`` arrives in the GUI
    thread with what the job's ``work()`` returned. ``work`` turns its own errors into an
    outcome: the user gets a sentence, never a traceback."""

    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def start(self, work) -> None:
        self._pool.start(_Job(work, self))

    def wait(self, msecs: int = -1) -> bool:
        """Block until the queued jobs have run (for tests and shutdown); True if they have."""
        return self._pool.waitForDone(msecs)


class _Job(QRunnable):
    def __init__(self, work, worker: Worker) -> None:
        super().__init__()
        self.work = work
        self.worker = worker

    def run(self) -> None:
        outcome = self.work()
        with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
            emit(self.worker.finished, outcome)
