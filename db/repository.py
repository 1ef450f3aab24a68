"""The report repository: reports as rows, saved by difference so autosave writes little."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor.model import Header, Part, Report, Section, now

from .schema import SCHEMA_VERSION, migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

APP_NAME = "fazhi-report-editor"
ENV_DB = "REPORT_EDITOR_DB"


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


class StorageError(Exception):
    """A storage problem, with a message in plain Chinese that says what to do."""


def default_db_path() -> Path:
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "reports.db"


@dataclass
class ReportSummary:
    id: int
    title: str
    year: int
    organ: str
    body_type: str
    updated_at: str
    created_at: str = ""
    deleted_at: str | None = None


def _check_existing(path: Path) -> None:
    """Refuse files that are not SQLite databases, or come from a newer program, untouched."""
    if path.stat().st_size == 0:
        return
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            f"文件“{path}”不是本程序的数据库（可能已损坏或是其他文件）。程序没有改动它。"
            "请选择其他数据库文件，或把它移走后重新启动程序以新建数据库。"
        ) from exc
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"数据库“{path}”由更新版本的程序创建，本程序无法安全打开，也没有改动它。"
            "请安装最新版本的程序后再打开。"
        )


class Repository:
    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path else default_db_path()
        self._saved: dict[int, dict[str, str]] = {}
        self._db: Database | None = None
        self.conn = self._open()

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

    # ---- opening -------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        path = self.path
        if path.exists():
            if path.is_dir():
                raise StorageError(f"“{path}”是一个文件夹，不是数据库文件。请指定一个文件名。")
            _check_existing(path)
            if not os.access(path, os.W_OK):
                raise StorageError(
                    f"数据库文件“{path}”是只读的，无法保存修改。"
                    "请检查文件属性或权限，或者换一个位置的数据库。"
                )
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"无法创建数据库所在的文件夹“{path.parent}”：{exc.strerror or exc}。"
                    "请换一个可以写入的位置。"
                ) from exc
            if not os.access(path.parent, os.W_OK):
                raise StorageError(
                    f"文件夹“{path.parent}”不允许写入，无法在其中创建数据库。"
                    "请换一个可以写入的位置（例如“我的文档”）。"
                )
        try:
            con = sqlite3.connect(str(path), timeout=5, check_same_thread=False)
            con.execute("PRAGMA busy_timeout = 5000")
            con.execute("PRAGMA foreign_keys = ON")
            if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")
            if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                _import_sqlite_utils()
                from sqlite_utils import Database

                self._db = Database(con)
                migrations().apply(self._db)
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise StorageError(
                f"打开数据库“{path}”时出错：{exc}。请关闭其他正在使用它的程序后重试。"
            ) from exc
        return con

    def close(self) -> None:
        self.conn.close()

    # ---- listing -------------------------------------------------------------------------------
    def list_reports(self, deleted: bool = False) -> list[ReportSummary]:
        cond = "deleted_at IS NOT NULL" if deleted else "deleted_at IS NULL"
        rows = self._query(
            "SELECT id, title, year, organ, body_type, updated_at, created_at, deleted_at "
            f"FROM reports WHERE {cond} ORDER BY year DESC, updated_at DESC, id DESC"
        )
        return [ReportSummary(**r) for r in rows]

    def count(self) -> int:
        sql = "SELECT count(*) FROM reports WHERE deleted_at IS NULL"
        return self.conn.execute(sql).fetchone()[0]

    def exists(self, report_id: int) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM reports WHERE id = ? AND deleted_at IS NULL", [report_id]
        ).fetchone()
        return row is not None

    # ---- load ----------------------------------------------------------------------------------
    def load(self, report_id: int) -> Report:
        found = self._query("SELECT * FROM reports WHERE id = ?", [report_id])
        if not found:
            raise StorageError(f"找不到编号为 {report_id} 的报告。")
        row = found[0]
        header_data = json.loads(row["header"] or "{}")
        header = Header(**{k: v for k, v in header_data.items() if k in Header.__dataclass_fields__})
        parts: list[Part] = []
        by_uid: dict[str, Part] = {}
        for p in self._query(
            "SELECT * FROM parts WHERE report_id = ? ORDER BY position", [report_id]
        ):
            part = Part(
                key=p["key"], heading=p["heading"] or "", lead=p["lead"] or "",
                enabled=bool(p["enabled"]), uid=p["uid"], lead_status=p["lead_status"] or "",
            )
            parts.append(part)
            by_uid[part.uid] = part
        for s in self._query(
            "SELECT * FROM sections WHERE report_id = ? ORDER BY position", [report_id]
        ):
            part = by_uid.get(s["part_uid"])
            if part is None:
                continue
            part.sections.append(
                Section(
                    title=s["title"] or "", body=s["body"] or "", uid=s["uid"],
                    run_in=bool(s["run_in"]), status=s["status"] or "",
                    reviewer=s["reviewer"] or "", reviewed_at=s["reviewed_at"] or "",
                    source_marker=s["source_marker"] or "",
                )
            )
        report = Report(
            id=row["id"], year=row["year"], organ=row["organ"] or "",
            body_type=row["body_type"] or "", profile=row["profile"] or "fazhi_zhengfu",
            header=header, preamble=row["preamble"] or "", parts=parts,
            preamble_status=row["preamble_status"] or "",
            closing=row["closing"] or "", created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
        self._saved[report_id] = self._fingerprints(report)
        return report

    # ---- save ----------------------------------------------------------------------------------
    @staticmethod
    def _rows(report: Report) -> dict[str, tuple[str, dict[str, Any]]]:
        """Every row of a report keyed by a stable name, with its table."""
        rows: dict[str, tuple[str, dict[str, Any]]] = {
            "report": (
                "reports",
                {
                    "profile": report.profile, "year": report.year, "organ": report.organ,
                    "body_type": report.body_type, "title": report.header.title,
                    "header": json.dumps(asdict(report.header), ensure_ascii=False),
                    "preamble": report.preamble, "closing": report.closing,
                    "preamble_status": report.preamble_status,
                },
            )
        }
        for pi, part in enumerate(report.parts):
            rows[f"p:{part.uid}"] = (
                "parts",
                {
                    "uid": part.uid, "report_id": report.id, "position": pi, "key": part.key,
                    "heading": part.heading, "lead": part.lead, "enabled": int(part.enabled),
                    "lead_status": part.lead_status,
                },
            )
            for si, s in enumerate(part.sections):
                rows[f"s:{s.uid}"] = (
                    "sections",
                    {
                        "uid": s.uid, "report_id": report.id, "part_uid": part.uid,
                        "position": si, "title": s.title, "body": s.body,
                        "run_in": int(s.run_in), "status": s.status, "reviewer": s.reviewer,
                        "reviewed_at": s.reviewed_at, "source_marker": s.source_marker,
                    },
                )
        return rows

    @classmethod
    def _fingerprints(cls, report: Report) -> dict[str, str]:
        return {
            key: hashlib.blake2b(
                json.dumps(values, ensure_ascii=False, sort_keys=True).encode(), digest_size=12
            ).hexdigest()
            for key, (_, values) in cls._rows(report).items()
        }

    def create(self, report: Report) -> int:
        """Insert a new report (its id is set) and return the id."""
        report.clean()
        stamp = now()
        with self.conn:
            report.id = self._insert(
                "reports",
                {**self._rows(report)["report"][1], "created_at": stamp, "updated_at": stamp},
            )
            report.created_at = report.updated_at = stamp
            for key, (table, values) in self._rows(report).items():
                if key != "report":
                    values = {**values, "report_id": report.id}
                    if table == "sections":
                        values["updated_at"] = stamp
                    self._insert(table, values)
        self._saved[report.id] = self._fingerprints(report)
        return report.id

    def save(self, report: Report) -> int:
        """Write what changed since the last load or save; returns the number of rows written."""
        if report.id is None:
            self.create(report)
            return 1
        before = self._saved.get(report.id)
        if before is None:
            self.load(report.id)
            before = self._saved[report.id]
        rows = self._rows(report)
        after = self._fingerprints(report)
        changed = [k for k, fp in after.items() if before.get(k) != fp]
        removed = [k for k in before if k not in after]
        if not changed and not removed:
            return 0
        stamp = now()
        try:
            with self.conn:
                for key in removed:
                    table = "sections" if key.startswith("s:") else "parts"
                    if table == "parts":
                        self.conn.execute("DELETE FROM sections WHERE part_uid = ?", [key[2:]])
                    self.conn.execute(f"DELETE FROM {table} WHERE uid = ?", [key[2:]])
                # Parts before sections: sections refer to their part.
                for key in sorted(changed, key=lambda k: {"r": 0, "p": 1, "s": 2}[k[0]]):
                    table, values = rows[key]
                    if table == "reports":
                        values = {**values, "updated_at": stamp}
                        assignments = ", ".join(f"{c} = ?" for c in values)
                        self.conn.execute(f"UPDATE reports SET {assignments} WHERE id = ?",
                                          [*values.values(), report.id])
                    else:
                        values = {**values, "report_id": report.id}
                        if table == "sections":
                            values["updated_at"] = stamp
                        self._upsert(table, values)
                if "report" not in changed:
                    self.conn.execute(
                        "UPDATE reports SET updated_at = ? WHERE id = ?", [stamp, report.id]
                    )
        except sqlite3.OperationalError as exc:
            raise StorageError(_write_error_message(self.path, exc)) from exc
        report.updated_at = stamp
        self._saved[report.id] = after
        return len(changed) + len(removed)

    def is_saved(self, report: Report) -> bool:
        return report.id is not None and self._saved.get(report.id) == self._fingerprints(report)

    # ---- report-level operations ---------------------------------------------------------------
    def rename(self, report_id: int, title: str) -> None:
        report = self.load(report_id)
        report.header.title = title
        self.save(report)

    def duplicate(self, report_id: int) -> int:
        from editor.model import new_uid

        copy = self.load(report_id).copy()
        copy.id = None
        copy.header.title = f"{copy.header.title}（副本）"
        for part in copy.parts:
            part.uid = new_uid()
            for s in part.sections:
                s.uid = new_uid()
        return self.create(copy)

    def delete(self, report_id: int) -> None:
        """Move to the recycle bin."""
        with self.conn:
            self.conn.execute("UPDATE reports SET deleted_at = ? WHERE id = ?", [now(), report_id])

    def restore(self, report_id: int) -> None:
        with self.conn:
            self.conn.execute("UPDATE reports SET deleted_at = NULL WHERE id = ?", [report_id])

    def purge(self, report_id: int) -> None:
        with self.conn:
            # Review tables carry no foreign keys (so older code can purge); clear them here too.
            tables = ("sections", "parts", "revisions", "review_ticks", "section_reviews",
                      "ignored_findings")
            existing = {r[0] for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in tables:
                if table in existing:
                    self.conn.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
            self.conn.execute("DELETE FROM reports WHERE id = ?", [report_id])
        self._saved.pop(report_id, None)

    def empty_bin(self) -> int:
        ids = [r.id for r in self.list_reports(deleted=True)]
        for rid in ids:
            self.purge(rid)
        return len(ids)

    # ---- revisions (snapshots) -----------------------------------------------------------------
    def add_revision(self, report: Report, kind: str = "auto", note: str = "") -> int:
        data = zlib.compress(json.dumps(report.to_dict(), ensure_ascii=False).encode(), 6)
        with self.conn:
            return self._insert(
                "revisions",
                {"report_id": report.id, "created_at": now(), "kind": kind, "note": note,
                 "data": data},
            )

    def revisions(self, report_id: int) -> list[dict[str, Any]]:
        return list(
            self._query(
                "SELECT id, created_at, kind, note FROM revisions WHERE report_id = ? "
                "ORDER BY created_at DESC, id DESC",
                [report_id],
            )
        )

    def load_revision(self, revision_id: int) -> Report:
        found = self._query("SELECT data FROM revisions WHERE id = ?", [revision_id])
        if not found:
            raise StorageError(f"找不到编号为 {revision_id} 的历史版本。")
        row = found[0]
        return Report.from_dict(json.loads(zlib.decompress(row["data"])))

    # ---- application state ---------------------------------------------------------------------
    def get_state(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM app_state WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_state(self, key: str, value: Any) -> None:
        with self.conn:
            self._insert("app_state", {"key": key, "value": json.dumps(value, ensure_ascii=False)},
                         replace=True)


def _write_error_message(path: Path, exc: Exception) -> str:
    text = str(exc).lower()
    if "full" in text or "disk" in text:
        return f"磁盘空间已满，无法保存到“{path}”。请清理磁盘后继续，已输入的内容仍在窗口中。"
    if "readonly" in text or "read-only" in text:
        return f"数据库“{path}”变成了只读，无法保存。请检查文件权限，已输入的内容仍在窗口中。"
    if "locked" in text or "busy" in text:
        return f"数据库“{path}”正被其他程序占用，暂时无法保存。程序会稍后自动重试。"
    return f"保存到“{path}”时出错：{exc}。已输入的内容仍在窗口中。"
