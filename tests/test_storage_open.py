"""Opening a database: application id, foreign files, the integrity check, read-only
files and folders, and the one error boundary of db/."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from db import (
    DamagedDatabaseError,
    ForeignDatabaseError,
    ReadOnlyError,
    Repository,
    StorageError,
)
from db import integrity as integrity_mod
from db.integrity import APPLICATION_ID, check_file
from db.review import ReviewStore
from db.search import search


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def app_id(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA application_id").fetchone()[0]
    finally:
        con.close()


def make_db(path: Path, linjiang, n: int = 1) -> list[int]:
    repo = Repository(path)
    ids = [repo.create(linjiang.copy())]
    ids += [repo.duplicate(ids[0]) for _ in range(n - 1)]
    repo.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    repo.close()
    return ids


def damage(path: Path, page: int, fill: bytes = b"\x00") -> None:
    """Overwrite one page (1-based) of the file."""
    size = 4096
    data = bytearray(path.read_bytes())
    data[(page - 1) * size: page * size] = fill * size
    path.write_bytes(bytes(data))


# ---- application id ----------------------------------------------------------------------------
def test_a_new_database_carries_our_application_id(db_path):
    Repository(db_path).close()
    assert app_id(db_path) == APPLICATION_ID == int.from_bytes(b"FZBG", "big")


def test_a_database_made_before_the_application_id_is_accepted_and_stamped(db_path, linjiang):
    make_db(db_path, linjiang)
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA application_id = 0")
    con.commit()
    con.close()
    repo = Repository(db_path)
    assert [r.title for r in repo.list_reports()] == [linjiang.header.title]
    repo.close()
    assert app_id(db_path) == APPLICATION_ID


@pytest.mark.parametrize("app", [0, 0x12345678])
def test_a_foreign_sqlite_file_is_refused_and_never_converted(db_path, app):
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO customers (name) VALUES ('张三')")
    con.execute(f"PRAGMA application_id = {app}")
    con.commit()
    con.close()
    before = digest(db_path)
    with pytest.raises(ForeignDatabaseError, match="其他程序的数据库") as info:
        Repository(db_path)
    assert str(db_path) in str(info.value)
    assert digest(db_path) == before
    assert not Path(f"{db_path}-wal").exists()


def test_our_tables_with_another_programs_id_are_refused(db_path, linjiang):
    make_db(db_path, linjiang)
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA application_id = 7")
    con.commit()
    con.close()
    before = digest(db_path)
    with pytest.raises(ForeignDatabaseError):
        Repository(db_path)
    assert digest(db_path) == before


# ---- damage ------------------------------------------------------------------------------------
def test_a_damaged_file_is_refused_untouched(db_path, linjiang):
    make_db(db_path, linjiang, 3)
    damage(db_path, 5)
    before = digest(db_path)
    with pytest.raises(DamagedDatabaseError, match="已损坏") as info:
        Repository(db_path)
    assert "从备份恢复" in str(info.value) and "请关闭其他" not in str(info.value)
    assert digest(db_path) == before


def test_a_damaged_file_opens_read_only_when_allowed(db_path, linjiang):
    make_db(db_path, linjiang, 3)
    damage(db_path, 5)
    before = digest(db_path)
    repo = Repository(db_path, allow_damaged=True)
    assert repo.read_only and repo.state.reason == "damaged"
    assert "只能查看" in repo.state.message and repo.state.problems
    with pytest.raises(ReadOnlyError):
        repo.set_state("x", 1)
    with pytest.raises(StorageError):
        repo.create(linjiang.copy())
    repo.close()
    assert digest(db_path) == before


def test_a_large_file_is_checked_in_the_background_and_the_first_write_waits(
        db_path, linjiang, monkeypatch):
    make_db(db_path, linjiang, 3)
    damage(db_path, 5)
    before = digest(db_path)
    monkeypatch.setattr(integrity_mod, "SYNC_CHECK_MAX_BYTES", 0)  # every file is "large"
    repo = Repository(db_path)  # opens: the check is not done yet
    assert not repo.state.checked and not repo.read_only
    check = repo.start_background_check()
    assert check is not None and check.wait(30)
    assert repo.refresh_state().reason == "damaged"
    with pytest.raises(StorageError):
        repo.set_state("x", 1)
    repo.close()
    assert digest(db_path) == before


def test_a_write_before_the_background_check_waits_for_it(db_path, linjiang, monkeypatch):
    make_db(db_path, linjiang, 3)
    damage(db_path, 5)
    before = digest(db_path)
    monkeypatch.setattr(integrity_mod, "SYNC_CHECK_MAX_BYTES", 0)
    repo = Repository(db_path)
    with pytest.raises(DamagedDatabaseError):
        repo.set_state("x", 1)  # runs the check first, finds the damage, writes nothing
    assert repo.read_only
    repo.close()
    assert digest(db_path) == before


def test_damage_found_while_reading_makes_the_repository_read_only(db_path, linjiang):
    ids = make_db(db_path, linjiang, 2)
    con = sqlite3.connect(db_path)
    con.execute("UPDATE reports SET header = '{broken' WHERE id = ?", [ids[0]])
    con.commit()
    con.close()
    repo = Repository(db_path)
    heard = []
    repo.on_state_change(heard.append)
    with pytest.raises(DamagedDatabaseError):
        repo.load(ids[0])
    assert repo.read_only and heard and heard[0].reason == "damaged"
    with pytest.raises(StorageError):
        ReviewStore(repo).tick(ids[1], "P1-01", "李", "h")  # query_only: no write gets through
    repo.close()


# ---- read-only file or folder: not damage --------------------------------------------------------
def test_a_read_only_file_opens_read_only_and_is_not_called_damaged(db_path, linjiang):
    make_db(db_path, linjiang)
    os.chmod(db_path, 0o444)
    try:
        repo = Repository(db_path)
        assert repo.read_only and repo.state.reason == "read_only"
        assert "只读" in repo.state.message and "损坏" not in repo.state.message
        assert repo.list_reports()
        with pytest.raises(ReadOnlyError, match="只能查看"):
            repo.set_state("x", 1)
        repo.close()
    finally:
        os.chmod(db_path, 0o644)


def test_a_read_only_folder_is_not_damage(tmp_path, linjiang, read_only_folder):
    folder = read_only_folder(lambda d: make_db(d / "reports.db", linjiang))
    repo = Repository(folder / "reports.db")
    assert repo.read_only and repo.state.reason == "read_only"
    assert "文件夹不允许写入" in repo.state.message
    assert [r.title for r in repo.list_reports()] == [linjiang.header.title]
    repo.close()
    with pytest.raises(StorageError, match="文件夹不允许写入") as info:
        Repository(folder / "new.db")
    assert "损坏" not in str(info.value)


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody may write to, not even root: a tmpfs remounted read-only (root), or
    chmod 555 (anyone else). ``make(fill)`` fills it first."""
    mounted = []

    def make(fill):
        folder = tmp_path / "ro"
        folder.mkdir()
        if os.geteuid() == 0:
            if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                              check=False, capture_output=True).returncode != 0:
                pytest.skip("cannot mount a tmpfs for a read-only folder")
            mounted.append(folder)
            fill(folder)
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            fill(folder)
            folder.chmod(0o555)
        return folder

    yield make
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)
    if not mounted and (tmp_path / "ro").exists():
        (tmp_path / "ro").chmod(0o755)


# ---- the error boundary ------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [2**63, -1, 0, 10**30])
def test_impossible_ids_are_not_found_not_overflow(repo_with_one, bad):
    assert not repo_with_one.exists(bad)
    with pytest.raises(StorageError, match="找不到"):
        repo_with_one.load(bad)


@pytest.fixture
def repo_with_one(db_path, linjiang):
    make_db(db_path, linjiang)
    repo = Repository(db_path)
    yield repo
    repo.close()


def test_sqlite_errors_leave_db_as_chinese_storage_errors(repo_with_one):
    repo_with_one.conn.execute("DROP TABLE app_state")
    with pytest.raises(StorageError) as info:
        repo_with_one.get_state("x")
    assert "Error" not in str(info.value) and "no such table" not in str(info.value)
    repo_with_one.conn.close()
    with pytest.raises(StorageError, match="已经关闭"):
        repo_with_one.list_reports()
    with pytest.raises(StorageError):
        search(repo_with_one, "法治政府")


def test_a_locked_database_says_so_in_chinese(db_path, linjiang):
    make_db(db_path, linjiang)
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")
    repo = Repository(db_path)
    repo.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StorageError, match="正被另一个程序或窗口使用") as info:
            repo.set_state("x", 1)
        assert "locked" not in str(info.value).replace(str(db_path), "")
    finally:
        other.rollback()
        other.close()
        repo.close()


def test_check_file_reports_problems_of_a_damaged_file(db_path, linjiang):
    make_db(db_path, linjiang, 3)
    assert check_file(db_path) == []
    damage(db_path, 5)
    assert check_file(db_path)
