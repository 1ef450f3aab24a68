"""Opening the database file: check it, then (only if it is sound and ours) open it for writing,
migrate and stamp it inside one write transaction.

The order is the point. Nothing writes before :func:`db.integrity.inspect_file` has said the file
is ours and sound; a damaged file is opened read-only or not at all; a read-only file or folder
opens read-only (that is not damage). Migration and stamping run under ``BEGIN IMMEDIATE`` and
re-read the version inside, so two programs starting on a brand-new file at once migrate it once
and neither sees "database is locked" (the second waits up to :data:`BUSY_TIMEOUT_MS`).
"""

from __future__ import annotations

import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from editor.os_errors import os_reason

from .errors import (
    DAMAGED_ADVICE,
    DamagedDatabaseError,
    StorageError,
    damaged_message,
    storage_error,
)
from .integrity import APPLICATION_ID, FileCheck, connect_ro, inspect_file, why_read_only
from .schema import SCHEMA_VERSION, migrations

BUSY_TIMEOUT_MS = 10_000


@dataclass
class StorageState:
    """How the database is open, for the window's banner. ``reason``: "" (normal), "damaged"
    or "read_only"; ``message`` is the banner's Chinese text ("" when normal)."""

    path: Path
    read_only: bool = False
    reason: str = ""
    message: str = ""
    problems: list[str] = field(default_factory=list)
    checked: bool = False  # quick_check has run and found the file sound (or it is new)


def read_only_message(path: Path, why: str) -> str:
    return (f"{why}（“{path}”），现在只能查看，修改不会保存。"
            "要继续编辑，请修改文件或文件夹的权限，或把数据库复制到可以写入的位置后用 --db 打开。")


def damaged_state(path: Path, problems: list[str]) -> StorageState:
    return StorageState(path, read_only=True, reason="damaged", problems=list(problems),
                        message=f"数据库已损坏，现在只能查看，修改不会保存。{DAMAGED_ADVICE}")


def _import_sqlite_utils() -> None:
    """Import sqlite-utils (to migrate) without numpy and pandas: it would import them only to
    store their number types, which the editor never has, and numpy alone adds ~65 ms to the
    first start. The block is lifted right after: a later ``import numpy`` works as usual."""
    if "sqlite_utils" in sys.modules:
        return
    blocked = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # makes `import numpy` raise ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def open_database(path: Path, *, allow_damaged: bool = False,
                  read_only: bool = False) -> tuple[sqlite3.Connection, StorageState]:
    """(connection, state). Raises :class:`StorageError` (and its kinds) with a Chinese
    sentence; ``allow_damaged`` opens a damaged file read-only instead of refusing it."""
    found = inspect_file(path)
    if found.kind == "damaged":
        if not allow_damaged:
            raise DamagedDatabaseError(damaged_message(path), path, found.problems)
        return _read_only(path, damaged_state(path, found.problems))
    if found.kind == "new":
        _make_folder(path)
    why = why_read_only(path)
    if why or read_only:
        if found.kind == "new" or found.user_version < SCHEMA_VERSION:
            raise StorageError(
                f"{why or '数据库以只读方式打开'}，无法{'创建' if found.kind == 'new' else '升级'}"
                f"数据库“{path}”。请换一个可以写入的位置（例如“我的文档”），或修改文件夹权限。")
        state = StorageState(path, read_only=True, reason="read_only", checked=found.checked,
                             message=read_only_message(path, why or "数据库以只读方式打开"))
        return _read_only(path, state)
    try:
        con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except sqlite3.Error as exc:
        raise storage_error(exc, path, "打开") from exc
    try:
        _prepare(con, path, found)
    except BaseException as exc:
        con.close()
        if isinstance(exc, sqlite3.Error):
            raise storage_error(exc, path, "打开") from exc
        raise
    return con, StorageState(path, checked=found.checked or found.kind == "new")


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"无法创建数据库所在的文件夹“{path.parent}”：{os_reason(exc)}。"
                           "请换一个可以写入的位置。") from exc


def _read_only(path: Path, state: StorageState) -> tuple[sqlite3.Connection, StorageState]:
    try:
        con = connect_ro(path)
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error as exc:
        if state.reason == "damaged":
            raise DamagedDatabaseError(damaged_message(path), path, state.problems) from exc
        raise storage_error(exc, path, "打开") from exc
    return con, state


def _use_wal(con: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting (up to :data:`BUSY_TIMEOUT_MS`) for another program.

    ``PRAGMA journal_mode = WAL`` asks for its write lock while already holding a read lock, and
    SQLite then skips the busy handler to avoid a deadlock: a second program switching the same
    brand-new file at the same moment is refused at once ("database is locked") however long
    the busy timeout. So it is retried here; once the other program has switched the file, the
    next try finds it in WAL and has nothing to do."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.002
    while True:
        try:
            if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                con.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _prepare(con: sqlite3.Connection, path: Path, found: FileCheck) -> None:
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    con.execute("PRAGMA foreign_keys = ON")
    _use_wal(con)
    con.execute("PRAGMA synchronous = NORMAL")
    version = con.execute("PRAGMA user_version").fetchone()[0]
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    if version >= SCHEMA_VERSION and app_id == APPLICATION_ID:
        return  # the everyday start: nothing to write
    if found.kind != "new" and not found.checked:
        # A large file not yet checked is about to be written: check it first, once.
        again = inspect_file(path, run_check=True)
        if again.kind == "damaged":
            raise DamagedDatabaseError(damaged_message(path), path, again.problems)
    con.execute("BEGIN IMMEDIATE")
    try:
        # Read again inside the write lock: another program may have just done it.
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StorageError(f"数据库“{path}”刚被更新版本的程序升级，本程序无法安全打开，也没有改动它。"
                               "请安装最新版本的程序后再打开。")
        if version < SCHEMA_VERSION:
            # A new file gets the migrated schema in one step (db.snapshot); an older one is
            # migrated.
            from .snapshot import create_from_snapshot, is_empty

            if not (version == 0 and is_empty(con) and create_from_snapshot(con)):
                _import_sqlite_utils()
                from sqlite_utils import Database

                migrations().apply(Database(con))
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if con.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
