"""Autosave: every edit reaches the database shortly after the user pauses, and never more
than two seconds after it was typed, even while the user keeps typing.

The save itself runs on the GUI thread: the repository writes only the rows that changed
(a few milliseconds), so a worker thread would add risk without making typing smoother.
"""

from __future__ import annotations

import sqlite3
import time
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from editor.service import ServiceError, StorageError

from .qtcompat import emit

SAVED = "saved"
DIRTY = "dirty"
SAVING = "saving"
ERROR = "error"
READ_ONLY = "read_only"

LABELS = {SAVED: "已保存", DIRTY: "未保存", SAVING: "正在保存…", ERROR: "保存失败",
          READ_ONLY: "只读，不保存"}


class AutoSaver(QObject):
    """Debounces edits into saves and keeps the save state the window shows.

    ``save`` is called with no arguments and raises :class:`StorageError` on failure.
    """

    state_changed = Signal(str, str)  # state, message (the StorageError text when ERROR)
    saved = Signal()

    def __init__(
        self,
        save: Callable[[], object],
        delay_ms: int = 1000,
        max_wait_ms: int = 2000,
        retry_ms: int = 5000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._delay = delay_ms / 1000
        self._max_wait = max_wait_ms / 1000
        self._dirty_since: float | None = None
        self.state = SAVED
        self.message = ""
        # A damaged or unwritable file: nothing is written (the window does not let the user
        # type either); the state says so instead of failing again and again.
        self.read_only = False
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.save_now)
        # After a failure (disk full, locked) try again on our own: the text stays in the window.
        self._retry = QTimer(self, singleShot=True, interval=retry_ms)
        self._retry.timeout.connect(self.save_now)

    @property
    def is_saved(self) -> bool:
        return self.state == SAVED

    def mark_dirty(self) -> None:
        if self.read_only:
            self._set(READ_ONLY, "")
            return
        now = time.monotonic()
        if self._dirty_since is None:
            self._dirty_since = now
        if self.state != ERROR:
            self._set(DIRTY, "")
        # Save after a pause in typing, but never later than max_wait after the first unsaved
        # edit, whatever the rhythm: a power cut costs at most that much typing.
        left = max(0.0, self._dirty_since + self._max_wait - now)
        self._timer.start(round(1000 * min(self._delay, left)))

    def save_now(self) -> bool:
        """Save at once. Returns False (and keeps the edits pending) if the save failed."""
        self._timer.stop()
        self._retry.stop()
        if self.read_only:
            return self.state in (SAVED, READ_ONLY)
        if self.state == SAVED:
            return True
        self._set(SAVING, "")
        try:
            self._save()
        except (StorageError, ServiceError) as exc:
            return self._failed(str(exc))
        except (sqlite3.Error, OSError) as exc:
            # The repository turns the usual failures into StorageError; anything else still
            # must not lose the text or show a traceback.
            return self._failed(f"保存时出错：{exc}。已输入的内容仍在窗口中，程序会稍后自动重试。")
        except Exception as exc:  # noqa: BLE001 (a bug must not cost the user their text)
            traceback.print_exc()
            return self._failed(f"保存时出错（{type(exc).__name__}）。已输入的内容仍在窗口中，"
                                "程序会稍后自动重试；如果一再出现，请联系维护人员。")
        self._dirty_since = None
        self._set(SAVED, "")
        emit(self.saved)
        return True

    def _failed(self, message: str) -> bool:
        self._set(ERROR, message)
        self._retry.start()
        return False

    def force_dirty_save(self) -> bool:
        """Save even if nothing is known to be pending (Ctrl+S)."""
        if self.read_only:
            return self.save_now()
        if self.state == SAVED:
            self.state = DIRTY
        return self.save_now()

    def _set(self, state: str, message: str) -> None:
        if (state, message) == (self.state, self.message):
            return
        self.state, self.message = state, message
        emit(self.state_changed, state, message)
