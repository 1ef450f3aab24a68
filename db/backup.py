"""Automatic backups beside the database, and putting one back.

``<db folder>/备份/<stem>-YYYYMMDD-HHMMSS.db``: consistent copies made with SQLite's backup API
(from a separate read-only connection, so the window keeps writing meanwhile; WAL gives the copy
one snapshot). Kept: the newest :data:`KEEP_LAST`, plus the newest of each day for
:data:`KEEP_DAYS` days; nothing else in the folder is ever deleted.

A file that is replaced (restore, salvage) is first *kept aside*: renamed, with its -wal, to
``<stem>-<why>-YYYYMMDD-HHMMSS.db`` in the database's own folder, byte for byte unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from editor.os_errors import is_disk_full, os_reason

from .errors import StorageError
from .integrity import APPLICATION_ID, check_file, connect_ro

BACKUP_DIRNAME = "备份"
KEEP_LAST = 10
KEEP_DAYS = 30
STAMP = "%Y%m%d-%H%M%S"
# A backup is skipped when the disk would keep less than this after it: backups must never be
# what fills the disk the database needs.
MIN_FREE_AFTER = 200 * 1024 * 1024


@dataclass
class BackupInfo:
    """One backup, for the 从备份恢复… dialog. ``reports`` and ``sound`` are None until
    :func:`verify_backup` has looked inside (that reads the whole file)."""

    path: Path
    created: dt.datetime
    size: int
    reports: int | None = None
    sound: bool | None = None

    @property
    def label(self) -> str:
        """"2026年3月5日 14:07:09 · 12 份报告 · 1.2 MB" (the parts known so far)."""
        parts = [self.created.strftime("%Y年%-m月%-d日 %H:%M:%S") if os.name != "nt"
                 else self.created.strftime("%Y年%m月%d日 %H:%M:%S")]
        if self.reports is not None:
            parts.append(f"{self.reports} 份报告")
        parts.append(_size(self.size))
        if self.sound is False:
            parts.append("已损坏，不能恢复")
        return " · ".join(parts)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_DIRNAME


def _pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(Path(db_path).stem)}-(\d{{8}}-\d{{6}})(?:-(\d+))?\.db$")


def list_backups(db_path: Path, verify: bool = False) -> list[BackupInfo]:
    """The backups of ``db_path``, newest first (``verify``: also look inside each)."""
    folder = backup_dir(db_path)
    pattern = _pattern(db_path)
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        m = pattern.match(entry.name)
        if not m or not entry.is_file():
            continue
        try:
            created = dt.datetime.strptime(m.group(1), STAMP)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append((created, int(m.group(2) or 0), BackupInfo(Path(entry.path), created, size)))
    found.sort(key=lambda t: (t[0], t[1]), reverse=True)
    infos = [t[2] for t in found]
    if verify:
        for info in infos:
            verify_backup(info)
    return infos


def verify_backup(info: BackupInfo) -> BackupInfo:
    """Fill ``sound`` (quick_check and our application id) and ``reports`` (not in the bin)."""
    if check_file(info.path):
        info.sound = False
        return info
    try:
        con = connect_ro(info.path)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            info.reports = con.execute(
                "SELECT count(*) FROM reports WHERE deleted_at IS NULL").fetchone()[0]
        finally:
            con.close()
        info.sound = app_id == APPLICATION_ID
    except sqlite3.Error:
        info.sound = False
    return info


def newest_sound_backup(db_path: Path) -> BackupInfo | None:
    for info in list_backups(db_path):
        if verify_backup(info).sound:
            return info
    return None


def make_backup(db_path: Path, now: dt.datetime | None = None) -> Path | None:
    """Copy the database into the backup folder and prune old copies. Returns the new file, or
    None when there is too little disk space to keep one. Raises :class:`StorageError`.

    The caller backs up only a file known to be sound (a damaged one would push good copies
    out of the rotation)."""
    db_path = Path(db_path)
    folder = backup_dir(db_path)
    now = now or dt.datetime.now()
    try:
        folder.mkdir(exist_ok=True)
        if shutil.disk_usage(folder).free < db_path.stat().st_size + MIN_FREE_AFTER:
            return None
    except OSError as exc:
        raise StorageError(f"无法建立备份文件夹“{folder}”：{os_reason(exc)}。数据库本身不受影响。") from exc
    name = f"{db_path.stem}-{now.strftime(STAMP)}"
    target, n = folder / f"{name}.db", 1
    while target.exists():
        n += 1
        target = folder / f"{name}-{n}.db"
    tmp = folder / f".{target.name}.tmp"
    try:
        copy_database(db_path, tmp)
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        _unlink(tmp)
        why = "磁盘空间已满" if is_disk_full(exc) else (
            os_reason(exc) if isinstance(exc, OSError) else "读取数据库时出错")
        raise StorageError(f"自动备份没有完成（{why}）。数据库本身不受影响。") from exc
    prune(db_path, now)
    return target


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` at ``target`` (SQLite backup API), flushed to disk."""
    src = connect_ro(source)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            # A copy stands alone: no -wal beside it is needed to read it.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())


def prune(db_path: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete backups beyond the newest KEEP_LAST and one a day for KEEP_DAYS; also unfinished
    copies (``.tmp``) older than an hour. Returns what was deleted."""
    now = now or dt.datetime.now()
    backups = list_backups(db_path)
    keep = {b.path for b in backups[:KEEP_LAST]}
    days: set[dt.date] = set()
    for b in backups:  # newest first: the first one seen of a day is that day's newest
        day = b.created.date()
        if (now.date() - day).days < KEEP_DAYS and day not in days:
            days.add(day)
            keep.add(b.path)
    deleted = [b.path for b in backups if b.path not in keep]
    for path in deleted:
        _unlink(path)
    folder = backup_dir(db_path)
    try:
        for entry in os.scandir(folder):
            if entry.name.startswith(".") and entry.name.endswith(".db.tmp") \
                    and time.time() - entry.stat().st_mtime > 3600:
                _unlink(Path(entry.path))
    except OSError:
        pass
    return deleted


def keep_aside(db_path: Path, why: str, now: dt.datetime | None = None) -> Path | None:
    """Rename the database (and its -wal, -shm) to ``<stem>-<why>-<stamp>.db`` beside it; the
    bytes stay as they are. None if there was no file. Raises :class:`StorageError`."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    stamp = (now or dt.datetime.now()).strftime(STAMP)
    aside, n = db_path.with_name(f"{db_path.stem}-{why}-{stamp}.db"), 1
    while aside.exists():
        n += 1
        aside = db_path.with_name(f"{db_path.stem}-{why}-{stamp}-{n}.db")
    try:
        os.replace(db_path, aside)
        for tail in ("-wal", "-shm"):
            extra = Path(f"{db_path}{tail}")
            if extra.exists():
                os.replace(extra, Path(f"{aside}{tail}"))
    except OSError as exc:
        raise StorageError(f"无法把“{db_path.name}”改名保留：{os_reason(exc)}。什么都没有改动；"
                           "请检查文件夹权限后重试。") from exc
    return aside


def restore_backup(db_path: Path, backup: Path) -> Path | None:
    """Put ``backup`` in place of the database; the current file is kept aside first (returned).
    No connection to ``db_path`` may be open. Raises :class:`StorageError`."""
    db_path, backup = Path(db_path), Path(backup)
    info = verify_backup(BackupInfo(backup, dt.datetime.now(), 0))
    if not info.sound:
        raise StorageError(f"备份“{backup.name}”已损坏或不是本程序的数据库，不能用来恢复。请选择其他备份。")
    tmp = db_path.with_name(f".{db_path.name}.restore.tmp")
    try:
        copy_database(backup, tmp)
    except (OSError, sqlite3.Error) as exc:
        _unlink(tmp)
        why = "磁盘空间已满" if is_disk_full(exc) else "复制时出错"
        raise StorageError(f"无法从备份恢复（{why}），数据库没有改动。请清理磁盘后重试。") from exc
    aside = keep_aside(db_path, "恢复前")
    try:
        os.replace(tmp, db_path)
    except OSError as exc:
        raise StorageError(f"无法把备份放回原处：{os_reason(exc)}。原来的文件保留为“{aside}”，"
                           f"备份仍在“{backup}”。") from exc
    return aside


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
