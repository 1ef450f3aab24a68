"""Use cases shared by the GUI and the command line. No Qt here.

Storage safety for the window, all without Qt:

- ``ReportService(path, allow_damaged=True)`` opens a damaged file read-only instead of refusing
  it; ``storage_state`` (reason "", "damaged" or "read_only", and the banner ``message``) and
  ``on_storage_state(listener)`` say how the file is open.
- ``start_session()`` after the window is shown: the background check of a large file, then a
  backup; ``close()`` makes the closing backup.
- ``list_backups()``, ``restore_backup(path)``, ``restore_newest_backup()``, ``salvage()``
  (the 从备份恢复… dialog and the damaged-database choice); ``open_damaged_report(id)``.
- ``write_rescue_file(report)``: the disk-full rescue, which 导入 reads back whole.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from db import ReportSummary, Repository, StorageError, StorageState
from db import backup as backups
from editor.model import Report
from editor.profile import Profile, load_profile

EXAMPLE_STATE = "example_installed"  # the example's id (True in files of earlier versions)
_EXAMPLE_ID_BEFORE = "example_report_id"  # where the window of earlier versions kept the id
RESCUE_PREFIX = "未保存的报告"
RESCUE_MARK = "fazhi-report-editor rescue"


class ServiceError(Exception):
    """A failed use case, with a message in plain Chinese."""


class ReportService:
    def __init__(self, db_path: str | Path | None = None, profile: Profile | None = None, *,
                 allow_damaged: bool = False, read_only: bool = False):
        self._open_args = {"allow_damaged": allow_damaged, "read_only": read_only}
        self.repo = Repository(db_path, **self._open_args)
        self.profile = profile or load_profile()
        #: the window's db.lock.DbLock, if any: re-bound to the new file after restore/salvage
        self.lock = None
        self._session: threading.Thread | None = None
        self._changes_at_backup: int | None = None
        #: the last automatic backup's failure ("" if none), for the status bar
        self.backup_error = ""
        self.last_backup: Path | None = None

    @property
    def db_path(self) -> Path:
        return self.repo.path

    def close(self) -> None:
        """Close the database, with a closing backup if this session changed anything."""
        if self._session is not None:
            self._session.join(timeout=60)
            # never a damaged file: it would push good copies out of the rotation
            if self.repo.conn.total_changes != self._changes_at_backup \
                    and not self.repo.refresh_state().reason:
                self._backup()
            self._session = None
        self.repo.close()

    def attach_lock(self, lock) -> bool:
        """Keep the window's db.lock.DbLock: it is locked on the file now there (a new database
        did not exist when the lock was taken) and again after restore/salvage. False if another
        window has that file."""
        self.lock = lock
        return lock.rebind()

    # ---- how the file is open (the window's banner) ----------------------------------------------
    @property
    def storage_state(self) -> StorageState:
        """reason "" / "damaged" / "read_only", ``message`` for the banner, ``read_only``."""
        return self.repo.refresh_state()

    @property
    def read_only(self) -> bool:
        return self.storage_state.read_only

    def on_storage_state(self, listener) -> None:
        """``listener(state)`` when damage is found after opening (in the thread that found it:
        the window's own, since the background check's result is applied by ``storage_state``)."""
        self.repo.on_state_change(listener)

    # ---- session: background check and automatic backups ------------------------------------------
    def start_session(self) -> None:
        """For the window, once it is shown: check a large file in the background (its first save
        waits for that) and then make the starting backup. Poll ``storage_state`` (e.g. every
        second until ``storage_state.checked``) to learn of damage found by the check."""
        if self._session is not None or self.repo.state.reason:
            return
        check = self.repo.start_background_check()
        self._changes_at_backup = self.repo.conn.total_changes

        def run() -> None:
            if check is not None:
                check.wait()
                if check.problems:
                    return  # a damaged file is never backed up over the good copies
            self._backup()

        self._session = threading.Thread(target=run, name="backup", daemon=True)
        self._session.start()

    def _backup(self) -> None:
        try:
            self.last_backup = backups.make_backup(self.db_path)
            self.backup_error = ""
        except StorageError as exc:
            self.backup_error = str(exc)
        self._changes_at_backup = self.repo.conn.total_changes

    def list_backups(self, verify: bool = False) -> list[backups.BackupInfo]:
        """Newest first; ``verify`` looks inside each (report count, sound) — or call
        ``verify_backup(info)`` row by row in a worker thread."""
        return backups.list_backups(self.db_path, verify=verify)

    @staticmethod
    def verify_backup(info: backups.BackupInfo) -> backups.BackupInfo:
        return backups.verify_backup(info)

    def restore_backup(self, backup: str | Path) -> Path | None:
        """Put a backup in place of the database and reopen it. The current file is kept aside
        first (returned: ``<stem>-恢复前-<time>.db`` beside it). Reload the window after."""
        return self._replace_file(lambda: backups.restore_backup(self.db_path, Path(backup)))

    def restore_newest_backup(self) -> tuple[backups.BackupInfo, Path | None]:
        """(the backup used, where the replaced file was kept). StorageError if none is sound."""
        info = backups.newest_sound_backup(self.db_path)
        if info is None:
            raise StorageError(f"在“{backups.backup_dir(self.db_path)}”中没有找到完好的备份。"
                               "请选择“抢救数据…”，把还能读出的内容存到新文件。")
        return info, self.restore_backup(info.path)

    def salvage(self):
        """Copy what can be read into a new file that takes the database's place; the damaged file
        is kept aside unchanged. Returns db.salvage.SalvageResult (``summary()`` for the user)."""
        from db.salvage import salvage_in_place

        return self._replace_file(lambda: salvage_in_place(self.db_path))

    def _replace_file(self, replace):
        if self._session is not None:
            self._session.join(timeout=60)
            self._session = None
        path = self.db_path
        self.repo.close()
        try:
            result = replace()
        finally:
            # Reopen whatever is there now (on failure: the file as it was).
            self.repo = Repository(path, **self._open_args)
            if self.lock is not None:
                self.lock.rebind()
        return result

    def open_damaged_report(self, report_id: int) -> tuple[Report, str]:
        """A report of a damaged database for reading only: its rows if they can still be read,
        else its newest readable snapshot. (report, a sentence saying which) or StorageError."""
        try:
            return self.repo.load(report_id), "这份报告还能完整读出，但数据库已损坏，现在只能查看。"
        except StorageError:
            pass
        from editor.history import list_snapshots

        with contextlib.suppress(StorageError, Exception):
            for snap in list_snapshots(self.repo, report_id):
                with contextlib.suppress(StorageError):
                    report = self.repo.load_revision(snap.id)
                    report.id = report_id
                    return report, (f"这份报告的当前内容读不出来，显示的是 {snap.created_at} "
                                    "的历史版本，只能查看。")
        raise StorageError(f"编号为 {report_id} 的报告和它的历史版本都读不出来了。"
                           "请选择“从备份恢复…”或“抢救数据…”。")

    # ---- first run -----------------------------------------------------------------------------
    def ensure_example(self) -> int | None:
        """On a brand-new database, add the example report once (never again once deleted).

        Two programs starting on a new file at once: the check is repeated inside one write
        transaction (BEGIN IMMEDIATE), so the second waits, sees the example and adds nothing."""
        if self.repo.read_only or self.repo.get_state(EXAMPLE_STATE) or self.repo.count():
            return None
        from editor.example import example_report

        return self.repo.create_first(example_report(self.profile), EXAMPLE_STATE)

    def example_id(self) -> int | None:
        """The id of the example report this file started with (whoever created the file: the
        window or a command), or None."""
        for key in (EXAMPLE_STATE, _EXAMPLE_ID_BEFORE):
            value = self.repo.get_state(key)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        return None

    # ---- rescue files ----------------------------------------------------------------------------
    def write_rescue_file(self, report: Report, folders: list[Path] | None = None) -> Path | None:
        """Write the report as ``未保存的报告-<id>-<time>.json`` into the first folder that takes it
        whole (default: the database's folder, the home folder, the temporary folder). A file is
        written to a temporary name and renamed, so a full disk leaves no half file. The path,
        or None if no folder could take it. 导入 (and ``main.py import``) reads it back whole."""
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"{RESCUE_PREFIX}-{report.id or '新'}-{stamp}.json"
        data = dict(report.to_dict(), saved_by=RESCUE_MARK, database=str(self.db_path))
        payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        if folders is None:
            folders = [self.db_path.parent, Path.home(), Path(tempfile.gettempdir())]
        for folder in folders:
            target = Path(folder) / name
            tmp = Path(folder) / f".{name}.tmp"
            try:
                with open(tmp, "wb") as fh:
                    fh.write(payload)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
                return target
            except OSError:
                with contextlib.suppress(OSError):
                    tmp.unlink()
        return None

    # ---- reports -------------------------------------------------------------------------------
    def list_reports(self, deleted: bool = False) -> list[ReportSummary]:
        return self.repo.list_reports(deleted=deleted)

    def default_year(self) -> int:
        return datetime.date.today().year + self.profile.default_year_offset

    def new_report(self, year: int, organ: str, body_type: str) -> Report:
        organ = organ.strip()
        if not organ:
            raise ServiceError("请填写报告单位名称，例如“清河县临江镇人民政府”。")
        if not 1990 <= int(year) <= 2100:
            raise ServiceError("年度应为四位数字，例如 2025。")
        report = self.profile.new_report(int(year), organ, body_type)
        self.repo.create(report)
        return report

    def load(self, report_id: int) -> Report:
        if not self.repo.exists(report_id):
            raise ServiceError(f"找不到编号为 {report_id} 的报告。请用“list”命令查看现有报告。")
        return self.repo.load(report_id)

    def open_for_editing(self, report_id: int) -> Report:
        """Load a report for the editor, with every part its profile knows.

        An imported report may lack the optional parts (其他需要报告的情况); the editor adds
        them switched off, so the user can switch them on. Nothing is written until a save.
        """
        report = self.load(report_id)
        self.complete_parts(report)
        return report

    def complete_parts(self, report: Report) -> bool:
        """Add the profile's missing parts (disabled, empty) in profile order; True if any."""
        from editor.model import Part

        have = {p.key for p in report.parts}
        missing = [spec for spec in self.profile.parts if spec.key not in have]
        if not missing:
            return False
        order = {spec.key: i for i, spec in enumerate(self.profile.parts)}
        for spec in missing:
            # After the last part that comes before it in the profile; other parts keep
            # their places.
            at = 0
            for i, p in enumerate(report.parts):
                if order.get(p.key, -1) < order[spec.key]:
                    at = i + 1
            report.parts.insert(
                at,
                Part(key=spec.key, enabled=False,
                     heading=self.profile.fill(spec.heading, report.year, report.organ)),
            )
        return True

    def save(self, report: Report) -> int:
        report.clean()
        return self.repo.save(report)

    def rename(self, report_id: int, title: str) -> None:
        title = title.strip()
        if not title:
            raise ServiceError("标题不能为空。")
        self.repo.rename(report_id, title)

    def duplicate(self, report_id: int) -> int:
        return self.repo.duplicate(report_id)

    def delete(self, report_id: int) -> None:
        self.repo.delete(report_id)

    def restore(self, report_id: int) -> None:
        self.repo.restore(report_id)

    def purge(self, report_id: int) -> None:
        self.repo.purge(report_id)

    def empty_bin(self) -> int:
        return self.repo.empty_bin()

    def create(self, report: Report) -> int:
        """Store a whole new draft (an import, a new year's report) in one transaction."""
        return self.repo.create(report)

    # ---- where the user left off, and the window's other settings ------------------------------
    def last_position(self) -> dict[str, Any]:
        return self.repo.get_state("last_position", {}) or {}

    def remember_position(self, **position: Any) -> None:
        self.repo.set_state("last_position", position)

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A remembered setting of the program (layout, folders, last choices); StorageError."""
        return self.repo.get_state(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self.repo.set_state(key, value)

    # ---- history (editor.history on this database) ------------------------------------------------
    def snapshot(self, report: Report, kind: str = "auto", note: str = "",
                 skip_if_unchanged: bool = False) -> int | None:
        """Keep the report as it is now as a history snapshot (editor.history.take_snapshot)."""
        from editor import history

        return history.take_snapshot(self.repo, report, kind, note=note,
                                     skip_if_unchanged=skip_if_unchanged)

    def snapshots(self, report_id: int) -> list:
        """The report's snapshots (editor.history.Snapshot), newest first."""
        from editor import history

        return history.list_snapshots(self.repo, report_id)

    def load_snapshot(self, snapshot_id: int) -> Report:
        from editor import history

        return history.load_snapshot(self.repo, snapshot_id)

    def restore_snapshot(self, report_id: int, snapshot_id: int) -> Report:
        """Replace the draft by a snapshot (the current state is kept as a snapshot first)."""
        from editor import history

        return history.restore_snapshot(self.repo, report_id, snapshot_id)

    def prune_snapshots(self, report_id: int | None = None) -> int:
        """Thin out old automatic snapshots of one report (None: of every report)."""
        from editor import history

        return history.prune(self.repo, report_id)

    # ---- search and review data ------------------------------------------------------------------
    def search(self, text: str, limit: int = 100, report_id: int | None = None) -> list:
        """Every place in the drafts where all words of ``text`` occur (db.search.SearchHit)."""
        from db.search import search

        return search(self.repo, text, limit=limit, report_id=report_id)

    def review_store(self):
        """Ticks, approved sections and ignored findings of this database (for ReviewSession)."""
        from db.review import ReviewStore

        return ReviewStore(self.repo)


#: Names of db.search the window uses, re-exported here (imported on first use, not at start).
_FROM_SEARCH = ("SearchHit", "SNIPPET_CONTEXT", "terms_of")


def __getattr__(name: str):
    if name in _FROM_SEARCH:
        from db import search

        return getattr(search, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ReportService", "ServiceError", "StorageError"]
