"""Is this file our database, and is it sound? Decided before anything is written to it.

:func:`inspect_file` reads the file through a read-only connection only: a foreign, newer or
damaged file is refused (or opened for reading) byte for byte unchanged.

``PRAGMA quick_check`` reads every page, about 1 ms per MB with a warm cache (650 ms for the
693 MB of ``benchmarks/storage.py``'s 10,000 reports). A user's database is a few MB, so files up
to :data:`SYNC_CHECK_MAX_BYTES` are checked while opening; a larger one is checked in a
background thread (:class:`BackgroundCheck`), and the repository's first write waits for it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

from editor.os_errors import os_reason

from .errors import (
    DAMAGED_ADVICE,
    DamagedDatabaseError,
    ForeignDatabaseError,
    NewerDatabaseError,
    StorageError,
    damaged_message,
)
from .schema import SCHEMA_VERSION

#: ``PRAGMA application_id`` of this program's databases: "FZBG" (法治报告) in ASCII.
APPLICATION_ID = int.from_bytes(b"FZBG", "big")
#: Tables every database of ours has had since the first schema; a database made before the
#: application id (id 0) is recognised by them and stamped.
OUR_TABLES = frozenset({"reports", "parts", "sections", "app_state"})
SQLITE_MAGIC = b"SQLite format 3\x00"
#: Files up to this size get ``quick_check`` while opening (~16 ms); larger ones in background.
SYNC_CHECK_MAX_BYTES = 16 * 1024 * 1024
#: Lines of quick_check output kept (the first ones say enough).
MAX_PROBLEMS = 20


@dataclass
class FileCheck:
    """What :func:`inspect_file` found. ``kind``: "new" (missing or empty file: create it),
    "ours" (stamped), "legacy" (our tables, application id 0: stamp it), "damaged"."""

    path: Path
    kind: str
    user_version: int = 0
    size: int = 0
    checked: bool = False  # quick_check ran (small file) and found nothing
    problems: list[str] = field(default_factory=list)
    read_only: str = ""  # "" or why the file cannot be written (a Chinese phrase)


def ro_uri(path: Path, immutable: bool = False) -> str:
    """A read-only URI for ``path``. ``immutable`` also keeps SQLite from creating the -shm
    file, which a read-only folder refuses (it then ignores a -wal file: used only without)."""
    quoted = Path(os.path.abspath(path)).as_posix().replace("%", "%25").replace("?", "%3f") \
        .replace("#", "%23")
    return f"file:{quoted}?mode=ro" + ("&immutable=1" if immutable else "")


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that works in a read-only folder too."""
    try:
        con = sqlite3.connect(ro_uri(path), uri=True, check_same_thread=False)
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.OperationalError:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size:
            raise
    return sqlite3.connect(ro_uri(path, immutable=True), uri=True, check_same_thread=False)


def why_read_only(path: Path) -> str:
    """Why the file or its folder cannot be written ("" if it can). A file with no write bit is
    read-only even for an administrator: someone marked it so on purpose."""
    folder = path.parent
    try:
        mode = path.stat().st_mode if path.exists() else None
    except OSError:
        mode = None
    # The folder first: SQLite needs it for the -wal file, and on a read-only disk the file
    # itself reports read-only too.
    if not os.access(folder, os.W_OK):
        return "数据库所在的文件夹不允许写入"
    if mode is not None and (not os.access(path, os.W_OK) or not mode & 0o222):
        return "数据库文件是只读的"
    return ""


def check_path(path: Path) -> os.stat_result | None:
    """The file's stat, None if it does not exist; StorageError for a folder, a device, a FIFO,
    a name too long …"""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None  # to be created (a file in the way of the folder is said when creating it)
    except OSError as exc:
        raise StorageError(f"无法打开数据库“{path}”：{os_reason(exc)}。请换一个文件名或位置。") from exc
    if stat.S_ISDIR(st.st_mode):
        raise StorageError(f"“{path}”是一个文件夹，不是数据库文件。请指定一个文件名。")
    if not stat.S_ISREG(st.st_mode):
        raise StorageError(f"“{path}”不是普通文件（可能是设备或管道），不能用作数据库。请指定一个普通文件。")
    return st


def inspect_file(path: Path, run_check: bool | None = None) -> FileCheck:
    """Classify ``path`` without writing to it. Raises :class:`ForeignDatabaseError`,
    :class:`NewerDatabaseError` or :class:`StorageError`; a damaged file of ours is returned as
    kind "damaged" (the caller decides: refuse, or open it for reading).

    ``run_check``: run quick_check (None: only if the file is small)."""
    st = check_path(path)
    if st is None or st.st_size == 0:
        return FileCheck(path, "new", size=0)
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise StorageError(f"无法读取数据库“{path}”：{os_reason(exc)}。请检查文件权限。") from exc
    if not head.startswith(SQLITE_MAGIC):
        if not any(head):
            # Zeros or a stub where the header should be: likely ours, damaged at the start.
            raise DamagedDatabaseError(
                f"“{path}”的开头已损坏或是空白，无法当作数据库打开；程序没有改动它。{DAMAGED_ADVICE}",
                path)
        raise ForeignDatabaseError(
            f"文件“{path}”不是本程序的数据库（可能是其他文件或已损坏）。程序没有改动它。"
            "请选择其他数据库文件，或把它移走后重新启动程序以新建数据库。")
    found = FileCheck(path, "ours", size=st.st_size, read_only=why_read_only(path))
    try:
        con = connect_ro(path)
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, ["无法打开"]) from exc
    try:
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            found.user_version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise _damaged(path, ["无法读取表结构"]) from exc
        # Newer first: a later version of this program may have other tables (and databases
        # written before the application id have none).
        if found.user_version > SCHEMA_VERSION and app_id in (0, APPLICATION_ID):
            raise NewerDatabaseError(
                f"数据库“{path}”由更新版本的程序创建，本程序无法安全打开，也没有改动它。"
                "请安装最新版本的程序后再打开。")
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables
                                                  and not OUR_TABLES <= tables):
            raise ForeignDatabaseError(
                f"文件“{path}”是其他程序的数据库，不是本程序的报告数据库。程序没有改动它。"
                "请用 --db 指定本程序的数据库文件，或换一个新文件名。")
        if app_id == 0:
            found.kind = "legacy" if tables else "new"
        if run_check or (run_check is None and st.st_size <= SYNC_CHECK_MAX_BYTES):
            found.problems = quick_check(con)
            found.checked = not found.problems
            if found.problems:
                found.kind = "damaged"
    finally:
        con.close()
    return found


def _damaged(path: Path, problems: list[str]) -> DamagedDatabaseError:
    return DamagedDatabaseError(damaged_message(path), path, problems)


def quick_check(con: sqlite3.Connection, full: bool = False) -> list[str]:
    """The problems ``PRAGMA quick_check`` (``integrity_check`` if ``full``) reports; [] when
    the file is sound. A check that cannot even run is a problem too."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = con.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [f"检查无法完成（错误代码 {getattr(exc, 'sqlite_errorcode', '?')}）"]
    lines = [str(r[0]) for r in rows]
    return [] if lines == ["ok"] else lines


def check_file(path: Path, full: bool = False) -> list[str]:
    """quick_check (or integrity_check) of a file, through a read-only connection."""
    try:
        con = connect_ro(path)
    except sqlite3.DatabaseError:
        return ["无法打开"]
    try:
        return quick_check(con, full)
    finally:
        con.close()


class BackgroundCheck:
    """``quick_check`` of a file in a worker thread. ``done()``, ``problems`` (after done),
    ``wait(timeout)``. ``on_done(problems)`` is called in the worker thread: a window must
    hand it to its own thread (or poll ``done()`` with a timer)."""

    def __init__(self, path: Path, on_done=None) -> None:
        self.path = path
        self.problems: list[str] = []
        self._on_done = on_done
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._run, name="quick_check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.problems = check_file(self.path)
        except Exception:  # noqa: BLE001 (a check that cannot run says so; it never crashes)
            self.problems = ["检查无法完成"]
        finally:
            self._finished.set()
        if self._on_done is not None:
            self._on_done(self.problems)

    def done(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._finished.wait(timeout)
