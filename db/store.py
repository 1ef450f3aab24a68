"""The connection under the repository: how the file is open (read-only, damaged, checked),
write transactions, and the small SQL helpers. Kept apart from the report logic."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .connect import StorageState, damaged_state, open_database
from .errors import DamagedDatabaseError, ReadOnlyError, StorageError, damaged_message
from .integrity import BackgroundCheck

if TYPE_CHECKING:
    from sqlite_utils import Database


class Store:
    """``Store(path, allow_damaged=False, read_only=False)``.

    ``allow_damaged``: a damaged file opens read-only (``state.reason == "damaged"``) instead of
    raising :class:`DamagedDatabaseError`: the window shows what can be read, with a banner.
    ``state`` (:class:`StorageState`) says how the file is open; it changes when damage is found
    later (a failed read, or the background check): listeners of :meth:`on_state_change` hear.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 allow_damaged: bool = False, read_only: bool = False) -> None:
        from .repository import default_db_path

        self.path = Path(path) if path else default_db_path()
        self._db: Database | None = None
        self._depth = 0  # nesting of transaction()
        self._listeners: list[Callable[[StorageState], None]] = []
        self._check: BackgroundCheck | None = None
        self.conn, self.state = open_database(self.path, allow_damaged=allow_damaged,
                                              read_only=read_only)

    # ---- state: read-only, damaged, checked -----------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.state.read_only

    def on_state_change(self, listener: Callable[[StorageState], None]) -> None:
        """``listener(state)`` is called (in the caller's thread) when the file turns out to be
        damaged after opening."""
        self._listeners.append(listener)

    def mark_damaged(self, problems: list[str]) -> None:
        """From now on read only: ``query_only`` makes this connection refuse every write, also
        the ones that reach ``conn`` directly (review data, snapshots)."""
        if self.state.reason == "damaged":
            return
        self.state = damaged_state(self.path, problems)
        with contextlib.suppress(Exception):
            if self.conn.in_transaction:
                self.conn.rollback()
            self.conn.execute("PRAGMA query_only = ON")
        for listener in list(self._listeners):
            listener(self.state)

    def _storage_failed(self, err: StorageError) -> None:
        """Called by :func:`guard` for every failure: damage makes the repository read-only."""
        if isinstance(err, DamagedDatabaseError):
            self.mark_damaged(err.problems or ["读取时发现损坏"])

    def start_background_check(self) -> BackgroundCheck | None:
        """Run quick_check in a worker thread if opening did not (a large file). The first write
        waits for it; :meth:`refresh_state` applies its result. None if nothing to do."""
        if self.state.checked or self.state.reason or self._check is not None:
            return self._check
        self._check = BackgroundCheck(self.path)
        return self._check

    def refresh_state(self) -> StorageState:
        """Apply a finished background check (call from the window's thread, e.g. a timer)."""
        check = self._check
        if check is not None and check.done() and not self.state.checked:
            if check.problems:
                self.mark_damaged(check.problems)
            else:
                self.state.checked = True
        return self.state

    def _ensure_checked(self) -> None:
        """Before the first write to a file opened without its check: wait for (or run) it."""
        if self.state.checked:
            return
        if self._check is None:
            self._check = BackgroundCheck(self.path)
        self._check.wait()
        self.refresh_state()
        if self.state.reason == "damaged":
            raise DamagedDatabaseError(damaged_message(self.path), self.path, self.state.problems)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``); nested calls join the outer one."""
        if self.state.read_only:
            raise ReadOnlyError(self.state.message)
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._ensure_checked()
        if self.conn.in_transaction:
            # A statement run on ``conn`` directly left Python's implicit transaction open;
            # ``with conn:`` used to commit it along, so do that first.
            self.conn.commit()
        self.conn.execute("BEGIN IMMEDIATE")  # errors: StorageError by the caller's guard
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            if self.conn.in_transaction:
                with contextlib.suppress(Exception):
                    self.conn.rollback()
            raise
        self._depth = 0
        self.conn.commit()

    @property
    def db(self) -> Database:
        """The connection wrapped in sqlite-utils, for code that wants its table API.

        The repository itself speaks plain SQL so that an everyday start never imports
        sqlite-utils (about 60 ms); only migrations and callers of this property do."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

    def _query(self, sql: str, params: list[Any] | tuple = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def _upsert(self, table: str, values: dict[str, Any], key: str = "uid") -> None:
        # ON CONFLICT … DO UPDATE, not INSERT OR REPLACE: a replace is a delete plus an insert,
        # which would fire the search index's delete triggers and break section references.
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        updates = ", ".join(f"{c} = excluded.{c}" for c in values if c != key)
        self.conn.execute(
            f"INSERT INTO {table} ({cols}) VALUES ({marks}) "
            f"ON CONFLICT({key}) DO UPDATE SET {updates}",
            list(values.values()),
        )

    def _insert(self, table: str, values: dict[str, Any], replace: bool = False) -> int:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        cur = self.conn.execute(f"{verb} INTO {table} ({cols}) VALUES ({marks})",
                                list(values.values()))
        return cur.lastrowid

    def _json(self, text: str) -> dict[str, Any]:
        """A JSON column of a row SQLite could read: unreadable JSON is damage too (a flipped
        byte inside the text), and saving over it would make the loss permanent."""
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise DamagedDatabaseError(damaged_message(self.path), self.path,
                                       ["报告的版头数据无法读取"]) from exc
        return data if isinstance(data, dict) else {}

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()

