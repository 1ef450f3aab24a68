"""The one-window lock (db/lock.py): the real file is locked, whatever name leads to it; a lock
nobody holds any more names its file and can be taken over."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db.lock import DbLock, LockBusy, inspect_lock, lock_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "reports.db"
    path.write_bytes(b"")
    return path


def test_a_second_lock_on_the_same_file_is_refused(db):
    first = DbLock(db)
    first.acquire()
    with pytest.raises(LockBusy) as info:
        DbLock(db).acquire()
    assert info.value.state.kind == "held" and not info.value.state.can_take_over
    assert str(db) in str(info.value) and "另一个窗口" in str(info.value)
    first.release()
    second = DbLock(db)
    second.acquire()
    second.release()


def test_a_symlink_to_the_same_file_is_refused(db, tmp_path):
    link = tmp_path / "other-name.db"
    link.symlink_to(db)
    first = DbLock(db)
    first.acquire()
    with pytest.raises(LockBusy):
        DbLock(link).acquire()
    first.release()
    assert lock_file(link) == lock_file(db)


def test_a_hard_link_to_the_same_file_is_refused(db, tmp_path):
    other = tmp_path / "sub"
    other.mkdir()
    link = other / "copy.db"
    os.link(db, link)
    first = DbLock(link)
    first.acquire()
    with pytest.raises(LockBusy, match="另一个名字或链接"):
        DbLock(db).acquire()
    first.release()


def test_a_lock_held_by_another_process_is_refused(db):
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from db.lock import DbLock
        lock = DbLock({str(db)!r}); lock.acquire()
        print("locked", flush=True)
        time.sleep(30)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        state = inspect_lock(db)
        assert state.kind == "held" and state.pid == proc.pid
        with pytest.raises(LockBusy):
            DbLock(db).take_over()  # a running window's lock is never taken
    finally:
        proc.kill()
        proc.wait()
    # killed: the OS dropped its lock; the file still names it, so it is stale, and ours
    state = inspect_lock(db)
    assert state.kind == "stale" and str(proc.pid) in state.description
    lock = DbLock(db)
    lock.acquire()  # our own crash on this computer: taken over without asking
    assert json.loads(lock_file(db).read_text())["pid"] == os.getpid()
    lock.release()


@pytest.mark.parametrize("content,kind", [
    (b"\x00\x00\x00\x00garbage\xff\xfe", "garbage"),
    ("这是别的程序写的锁".encode(), "foreign"),
    (json.dumps({"app": "fazhi-report-editor", "pid": 999999, "host": "another-pc",
                 "since": "2026-01-01T08:00:00"}).encode(), "stale"),
])
def test_a_lock_file_nobody_holds_can_be_taken_over(db, content, kind):
    path = lock_file(db)
    path.write_bytes(content)
    state = inspect_lock(db)
    assert state.kind == kind and state.can_take_over
    assert str(path) in state.description  # the file is named
    assert path.read_bytes() == content  # looking does not change it
    lock = DbLock(db)
    with pytest.raises(LockBusy) as info:
        lock.acquire()  # not our own crash here: the window asks first
    assert info.value.state.can_take_over
    lock.take_over()
    assert json.loads(path.read_text())["host"] == socket.gethostname()
    with pytest.raises(LockBusy):
        DbLock(db).acquire()
    lock.release()


def test_an_empty_lock_file_is_simply_free(db):
    lock_file(db).write_bytes(b"")  # as a clean exit (or a power cut before writing) leaves it
    lock = DbLock(db)
    lock.acquire()
    lock.release()
    assert inspect_lock(db).kind == "free"


def test_a_qt_lock_file_of_an_older_version_is_understood(db):
    lock_file(db).write_text(f"{os.getpid()}\nfazhi-report-editor\n{socket.gethostname()}\n")
    assert inspect_lock(db).kind == "held"  # that process (this one) is alive
    lock_file(db).write_text(f"999999\nfazhi-report-editor\n{socket.gethostname()}\n")
    assert inspect_lock(db).kind == "stale"


def test_rebind_locks_the_new_file_after_a_replace(db, tmp_path):
    lock = DbLock(db)
    lock.acquire()
    os.replace(db, tmp_path / "aside.db")
    db.write_bytes(b"")
    assert lock.rebind()
    with pytest.raises(LockBusy):
        DbLock(db).acquire()
    lock.release()
