"""Automatic backups, restore and salvage: rolling copies beside the database, the
current file kept aside on restore, and everything readable saved from a damaged file."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db import DamagedDatabaseError, Repository, StorageError
from db import backup as backups
from db.salvage import salvage_to
from editor.service import ReportService

ROOT = Path(__file__).resolve().parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(path: Path, linjiang, n: int) -> list[int]:
    repo = Repository(path)
    ids = [repo.create(linjiang.copy())]
    ids += [repo.duplicate(ids[0]) for _ in range(n - 1)]
    for rid in ids:
        from editor.history import take_snapshot

        take_snapshot(repo, repo.load(rid), "manual", note="")
    repo.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    repo.close()
    return ids


def sections_of(path: Path) -> dict[str, str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT uid, body FROM sections"))
    finally:
        con.close()


def table_pages(path: Path, table: str) -> list[int]:
    """The leaf pages of a table's b-tree (dbstat needs no extension in Python's sqlite)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", [table])]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    finally:
        con.close()


def zero_page(path: Path, page: int) -> None:
    data = bytearray(path.read_bytes())
    data[(page - 1) * 4096: page * 4096] = bytes(4096)
    path.write_bytes(bytes(data))


# ---- backups -----------------------------------------------------------------------------------
def test_a_backup_is_a_sound_copy_beside_the_database(db_path, linjiang):
    fill(db_path, linjiang, 2)
    made = backups.make_backup(db_path)
    assert made.parent == db_path.parent / "备份"
    assert made.name.startswith("reports-") and made.suffix == ".db"
    [info] = backups.list_backups(db_path, verify=True)
    assert info.path == made and info.sound and info.reports == 2 and info.size > 0
    assert "2 份报告" in info.label
    assert sections_of(made) == sections_of(db_path)


def test_rotation_keeps_the_last_ten_and_one_a_day_for_thirty_days(db_path, linjiang):
    fill(db_path, linjiang, 1)
    start = dt.datetime(2026, 1, 1, 9, 0, 0)
    # Three backups a day (morning, noon, evening) for 45 days.
    for day in range(45):
        for hour in (9, 12, 18):
            backups.make_backup(db_path, now=start + dt.timedelta(days=day, hours=hour - 9))
    kept = backups.list_backups(db_path)
    last = start + dt.timedelta(days=44, hours=9)
    stamps = [b.created for b in kept]
    assert stamps == sorted(stamps, reverse=True)
    newest_ten = sorted({start + dt.timedelta(days=d, hours=h - 9)
                         for d in range(45) for h in (9, 12, 18)})[-10:]
    assert set(newest_ten) <= set(stamps)
    days = {s.date() for s in stamps}
    assert days == {(last - dt.timedelta(days=d)).date() for d in range(30)}
    # one a day beyond the last ten: that day's newest (the evening one)
    older = [s for s in stamps if s not in newest_ten]
    assert all(s.hour == 18 for s in older)
    assert len(kept) == len(set(newest_ten) | {s for s in older})


def test_a_session_backs_up_at_start_and_at_close(db_path, linjiang):
    fill(db_path, linjiang, 1)
    svc = ReportService(db_path)
    svc.start_session()
    svc._session.join(30)
    assert len(backups.list_backups(db_path)) == 1
    report = svc.load(1)
    report.preamble += "关闭前的修改。"
    svc.save(report)
    svc.close()
    found = backups.list_backups(db_path, verify=True)
    assert len(found) == 2 and all(b.sound for b in found)
    con = sqlite3.connect(found[0].path)
    assert "关闭前的修改。" in con.execute("SELECT preamble FROM reports").fetchone()[0]
    con.close()


def test_no_backup_at_close_without_changes(db_path, linjiang):
    fill(db_path, linjiang, 1)
    svc = ReportService(db_path)
    svc.start_session()
    svc.close()
    assert len(backups.list_backups(db_path)) == 1


def test_a_damaged_database_is_never_backed_up(db_path, linjiang):
    fill(db_path, linjiang, 3)
    zero_page(db_path, table_pages(db_path, "sections")[0])
    svc = ReportService(db_path, allow_damaged=True)
    assert svc.storage_state.reason == "damaged"
    svc.start_session()
    svc.close()
    assert backups.list_backups(db_path) == []


# ---- restore -----------------------------------------------------------------------------------
def test_restore_keeps_the_current_file_aside_and_reopens(db_path, linjiang):
    fill(db_path, linjiang, 2)
    backups.make_backup(db_path)
    good = sections_of(db_path)
    zero_page(db_path, table_pages(db_path, "sections")[0])
    damaged = digest(db_path)
    svc = ReportService(db_path, allow_damaged=True)
    _info, aside = svc.restore_newest_backup()
    assert aside.parent == db_path.parent and "恢复前" in aside.name
    assert digest(aside) == damaged  # kept, byte for byte
    assert svc.storage_state.reason == "" and not svc.read_only
    assert sections_of(db_path) == good
    assert len(svc.list_reports()) == 2
    svc.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(db_path, linjiang):
    fill(db_path, linjiang, 2)
    made = backups.make_backup(db_path)
    zero_page(made, table_pages(made, "sections")[0])
    before = digest(db_path)
    with pytest.raises(StorageError, match="备份.*已损坏"):
        backups.restore_backup(db_path, made)
    assert digest(db_path) == before
    assert backups.newest_sound_backup(db_path) is None


def test_restore_from_the_command_line(db_path, linjiang):
    fill(db_path, linjiang, 2)
    backups.make_backup(db_path)
    zero_page(db_path, table_pages(db_path, "sections")[0])
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "restore", "latest",
                          "--db", str(db_path)], check=False, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "已从备份" in out.stdout and "改名保留" in out.stdout
    listed = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "--db",
                             str(db_path)], check=False, capture_output=True, text=True, cwd=ROOT)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 2


# ---- salvage -----------------------------------------------------------------------------------
def test_salvage_saves_every_readable_row_and_leaves_the_damaged_file(db_path, linjiang,
                                                                        tmp_path):
    fill(db_path, linjiang, 12)
    before = sections_of(db_path)
    pages = table_pages(db_path, "sections")
    assert len(pages) >= 3
    zero_page(db_path, pages[len(pages) // 2])
    damaged = digest(db_path)
    with pytest.raises(DamagedDatabaseError):
        Repository(db_path)
    out = tmp_path / "salvaged.db"
    result = salvage_to(db_path, out)
    assert digest(db_path) == damaged
    after = sections_of(out)
    # everything on the other pages came through, with its text unchanged
    assert after and set(after) < set(before)
    assert all(before[uid] == body for uid, body in after.items())
    assert result.unreadable.get("sections", 0) > 0
    assert result.copied["reports"] == 12 and "12 份报告" in result.summary()
    repo = Repository(out)  # a sound database of ours, every report loads
    assert repo.state.checked
    for r in repo.list_reports():
        repo.load(r.id)
    repo.close()


def test_salvage_in_place_through_the_service(db_path, linjiang):
    fill(db_path, linjiang, 4)
    zero_page(db_path, table_pages(db_path, "sections")[0])
    damaged = digest(db_path)
    svc = ReportService(db_path, allow_damaged=True)
    result = svc.salvage()
    assert result.kept_aside and "损坏" in result.kept_aside.name
    assert digest(result.kept_aside) == damaged
    assert not svc.read_only
    assert len(svc.list_reports()) == 4
    svc.close()


def test_a_report_whose_row_is_lost_comes_back_from_its_snapshot(db_path, linjiang, tmp_path):
    ids = fill(db_path, linjiang, 30)
    zero_page(db_path, table_pages(db_path, "reports")[0])
    result = salvage_to(db_path, tmp_path / "out.db")
    assert any("历史版本重建" in note for note in result.rebuilt)
    repo = Repository(tmp_path / "out.db")
    assert {r.id for r in repo.list_reports()} == set(ids)
    for rid in ids:
        assert repo.load(rid).parts[0].sections
    repo.close()


def test_open_damaged_report_falls_back_to_its_snapshot(db_path, linjiang):
    ids = fill(db_path, linjiang, 30)
    zero_page(db_path, table_pages(db_path, "sections")[0])
    svc = ReportService(db_path, allow_damaged=True)
    shown = []
    for rid in ids:
        report, note = svc.open_damaged_report(rid)
        shown.append(note)
        assert report.id == rid and report.parts[0].sections
    assert any("历史版本" in n for n in shown) and any("完整读出" in n for n in shown)
    svc.close()
