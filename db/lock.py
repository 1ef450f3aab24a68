"""The one-window lock: a second window on the same database would overwrite the first one's edits.

Two locks, both held by the operating system for as long as the process lives (a crash or a
power cut releases them; the lock *file* may stay, and then says who left it):

- ``<real file>.lock`` (symlinks resolved), holding who has it; an OS lock on it says whether
  that owner still runs. ``flock`` is what QLockFile (older versions of this program) takes too,
  so an older window is seen as well.
- a lock on the database file itself (its device and inode): a hard link, which no path
  comparison can see, is the same inode. An open-file-description lock on a byte far past any
  data (SQLite locks bytes near 1 GB and never looks there), so it neither disturbs SQLite
  nor is lost when SQLite closes its own descriptors.

``inspect_lock(path)`` → :class:`LockState` (kind and a Chinese description naming the file);
``DbLock(path).acquire()`` raises :class:`LockBusy` with that state; for a stale, empty or
foreign lock file the window may ask and then call ``take_over()``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from editor.model import now
from editor.os_errors import os_reason

APP = "fazhi-report-editor"
FAR_BYTE = 1 << 40  # the byte locked in the database file: no page of a report database is there

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _os_lock(fd: int, far: bool) -> bool:
        os.lseek(fd, FAR_BYTE if far else 1 << 30, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
else:
    import fcntl

    def _os_lock(fd: int, far: bool) -> bool:
        try:
            if far and hasattr(fcntl, "F_OFD_SETLK"):
                import struct

                # struct flock: l_type, l_whence, l_start, l_len, l_pid
                arg = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, FAR_BYTE, 1, 0)
                fcntl.fcntl(fd, fcntl.F_OFD_SETLK, arg)
            else:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False


@dataclass
class LockState:
    """``kind``: "free", "held" (a running window has it), "stale" (left by a program that is
    gone), "garbage" (empty or unreadable lock file), "foreign" (written by something else)."""

    kind: str
    lock_path: Path
    db_path: Path
    description: str = ""
    pid: int | None = None
    host: str = ""
    since: str = ""

    @property
    def can_take_over(self) -> bool:
        return self.kind in ("stale", "garbage", "foreign")


class LockBusy(Exception):
    def __init__(self, state: LockState) -> None:
        super().__init__(state.description)
        self.state = state


def real_path(db_path: Path | str) -> Path:
    return Path(os.path.realpath(db_path))


def lock_file(db_path: Path | str) -> Path:
    return Path(f"{real_path(db_path)}.lock")


def _host() -> str:
    """This computer's name, as the lock file records it."""
    if hasattr(os, "uname"):
        return os.uname().nodename  # socket's import costs the window's start ~5 ms
    import socket

    return socket.gethostname()


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl+C there; the OS lock decides
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _describe(kind: str, lock: Path, db: Path, owner: dict) -> str:
    who = ""
    if owner.get("pid"):
        who = f"（进程 {owner['pid']}" + (f"，电脑 {owner['host']}" if owner.get("host") else "") \
            + (f"，自 {owner['since']} 起" if owner.get("since") else "") + "）"
    if kind == "held":
        return (f"数据库“{db}”已在另一个窗口中打开{who}。同时在两个窗口中修改会互相覆盖，"
                "请切换到已经打开的窗口继续工作。")
    if kind == "held_link":
        return (f"数据库“{db}”已在另一个窗口中打开（通过指向同一文件的另一个名字或链接）。"
                "同时在两个窗口中修改会互相覆盖，请切换到已经打开的窗口继续工作。")
    if kind == "stale":
        return (f"锁文件“{lock}”是上次没有正常退出的程序留下的{who}，那个程序已经不在运行。"
                "可以接管它，继续使用这个数据库。")
    if kind == "garbage":
        return (f"锁文件“{lock}”是空的或内容无法识别（可能是断电或死机留下的）。"
                "如果确认没有其他窗口正在使用这个数据库，可以接管它。")
    if kind == "foreign":
        return (f"锁文件“{lock}”不是本程序写的{who}。如果确认没有其他程序正在使用这个数据库，"
                "可以接管它。")
    return ""


def _read_owner(lock: Path) -> tuple[str, dict]:
    """(kind of content, owner fields): "ours", "qt" (QLockFile: pid, app, host lines),
    "garbage" or "foreign"."""
    try:
        raw = lock.read_bytes()[:4096]
    except OSError:
        return "garbage", {}
    text = raw.decode("utf-8", "replace").strip()
    if not text or "\ufffd" in text or "\x00" in text:
        return "garbage", {}
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("app") == APP:
        return "ours", data
    lines = text.splitlines()
    if len(lines) >= 3 and lines[0].strip().isdigit():
        owner = {"pid": int(lines[0]), "host": lines[2].strip(), "app": lines[1].strip()}
        return ("qt" if APP in owner["app"] or "法治" in owner["app"] else "foreign"), owner
    return "foreign", {}


def inspect_lock(db_path: Path | str) -> LockState:
    """Who holds the lock of ``db_path``, without taking it."""
    db, lock = real_path(db_path), lock_file(db_path)
    probe = DbLock(db_path)
    state = probe._try()
    probe.release()  # a free lock was just taken by the probe: empty it again
    return state if state is not None else LockState("free", lock, db)


class DbLock:
    def __init__(self, db_path: Path | str) -> None:
        self.db_path = real_path(db_path)
        self.lock_path = lock_file(db_path)
        self._fd: int | None = None
        self._db_fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock. A lock left by this program's own crash on this computer is taken
        over at once; anything else raises :class:`LockBusy` (``state.can_take_over`` says
        whether the window may offer :meth:`take_over`). Without a lock file at all (an
        unwritable folder) nothing is locked: opening the database then says why."""
        state = self._try()
        if state is None:
            return
        if state.kind == "stale" and state.host == _host():
            self.take_over()
            return
        raise LockBusy(state)

    def _try(self) -> LockState | None:
        """Lock and return None if the lock was free (an empty lock file is free: a clean exit
        leaves it so); otherwise let go, leaving the file as found, and return the state."""
        lock = self.lock_path
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            if not lock.exists():
                return None  # no lock file can be made here: opening the database will say why
            # There but not writable (a read-only folder, another user's file, a Windows share
            # lock): held if its OS lock is; else free, for a database that opens read-only.
            _kind, owner = _read_owner(lock)
            try:
                fd = os.open(lock, os.O_RDONLY)
            except OSError:
                return self._state("held", owner)
            free = _os_lock(fd, far=False)
            os.close(fd)
            return None if free else self._state("held", owner)
        kind, owner = _read_owner(lock)
        if not _os_lock(fd, far=False):
            os.close(fd)
            return self._state("held", owner)
        self._fd = fd
        if not self._lock_db():
            self.release(keep=True)
            return self._state("held_link", owner)
        if os.fstat(fd).st_size == 0:
            self._write_owner()
            return None
        if kind == "qt" and owner.get("host") == _host() \
                and _pid_alive(owner.get("pid") or 0):
            self.release(keep=True)  # an older window of this program
            return self._state("held", owner)
        self.release(keep=True)
        return self._state("stale" if kind in ("ours", "qt") else kind, owner)

    def _state(self, kind: str, owner: dict) -> LockState:
        text = _describe(kind, self.lock_path, self.db_path, owner)
        return LockState("held" if kind == "held_link" else kind, self.lock_path, self.db_path,
                         text, owner.get("pid"), owner.get("host", ""), owner.get("since", ""))

    def _lock_db(self) -> bool:
        # Opened for writing only because a write lock needs it; nothing is written. A
        # read-only file gets flock instead (it opens read-only anyway).
        for flags, far in ((os.O_RDWR, True), (os.O_RDONLY, False)):
            try:
                self._db_fd = os.open(self.db_path, flags)
            except OSError:
                continue
            return _os_lock(self._db_fd, far=far)
        return True  # no file yet (or unreadable: opening the database will say so)

    def _write_owner(self) -> None:
        assert self._fd is not None
        owner = {"app": APP, "pid": os.getpid(), "host": _host(), "since": now(),
                 "db": str(self.db_path)}
        data = json.dumps(owner, ensure_ascii=False).encode()
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0) if hasattr(os, "pwrite") else os.write(self._fd, data)

    def take_over(self) -> None:
        """Take a lock that no running program holds (stale, empty or foreign file): the file is
        rewritten with our name. Raises :class:`LockBusy` if a running window holds it."""
        if self._fd is None:
            state = self._try()
            if state is not None:
                if state.kind == "held":
                    raise LockBusy(state)
                try:
                    fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
                except OSError as exc:
                    raise LockBusy(LockState("held", self.lock_path, self.db_path,
                                             f"无法打开锁文件“{self.lock_path}”：{os_reason(exc)}。"
                                             "请检查文件夹权限。")) from exc
                if not _os_lock(fd, far=False):
                    os.close(fd)
                    raise LockBusy(inspect_lock(self.db_path))
                self._fd = fd
                if not self._lock_db():
                    self.release(keep=True)
                    raise LockBusy(inspect_lock(self.db_path))
        try:
            self._write_owner()
        except OSError as exc:
            self.release()
            raise LockBusy(LockState("garbage", self.lock_path, self.db_path,
                                     f"无法写入锁文件“{self.lock_path}”：{os_reason(exc)}。")) from exc

    def rebind(self) -> bool:
        """Lock the database file anew after it was replaced (restore, salvage): the old lock
        followed the old file. False if another window has the new file."""
        if self._db_fd is not None:
            os.close(self._db_fd)
            self._db_fd = None
        return self._lock_db()

    def release(self, keep: bool = False) -> None:
        """Unlock. The lock file is emptied (``keep``: left as found), not deleted: deleting it
        could let two programs lock two different files of the same name."""
        if self._fd is not None:
            if not keep:
                try:
                    os.ftruncate(self._fd, 0)
                except OSError:
                    pass
            os.close(self._fd)
            self._fd = None
        if self._db_fd is not None:
            os.close(self._db_fd)
            self._db_fd = None
