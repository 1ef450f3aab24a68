"""The report repository: reports as rows, saved by difference so autosave writes little.

Every public method raises only :class:`StorageError` (one Chinese sentence): sqlite3 and OS
errors are turned into it at this boundary (:func:`db.errors.guard`). Writes go through
:meth:`Repository.transaction` (``BEGIN IMMEDIATE``: concurrent writers wait instead of failing),
which refuses to write to a file that is open read-only, damaged, or not yet checked.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from editor.model import Header, Part, Report, Section, now

from .errors import (
    StorageError,
    guard,
)
from .store import Store

APP_NAME = "fazhi-report-editor"
ENV_DB = "REPORT_EDITOR_DB"
MAX_ID = 2**63 - 1  # SQLite's INTEGER; a larger number is no report of ours


def default_db_path() -> Path:
    env = os.environ.get(ENV_DB)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "reports.db"


def valid_id(report_id: Any) -> bool:
    return isinstance(report_id, int) and not isinstance(report_id, bool) \
        and 1 <= report_id <= MAX_ID


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


class Repository(Store):
    """Reports, their snapshots and the program's state. ``Repository(path, allow_damaged=False,
    read_only=False)``: see :class:`db.store.Store` for how the file is opened."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 allow_damaged: bool = False, read_only: bool = False) -> None:
        self._saved: dict[int, dict[str, str]] = {}
        super().__init__(path, allow_damaged=allow_damaged, read_only=read_only)

    # ---- listing -------------------------------------------------------------------------------
    @guard("读取")
    def list_reports(self, deleted: bool = False) -> list[ReportSummary]:
        cond = "deleted_at IS NOT NULL" if deleted else "deleted_at IS NULL"
        rows = self._query(
            "SELECT id, title, year, organ, body_type, updated_at, created_at, deleted_at "
            f"FROM reports WHERE {cond} ORDER BY year DESC, updated_at DESC, id DESC"
        )
        return [ReportSummary(**r) for r in rows]

    @guard("读取")
    def count(self) -> int:
        sql = "SELECT count(*) FROM reports WHERE deleted_at IS NULL"
        return self.conn.execute(sql).fetchone()[0]

    @guard("读取")
    def exists(self, report_id: int) -> bool:
        if not valid_id(report_id):
            return False
        row = self.conn.execute(
            "SELECT 1 FROM reports WHERE id = ? AND deleted_at IS NULL", [report_id]
        ).fetchone()
        return row is not None

    # ---- load ----------------------------------------------------------------------------------
    @guard("读取")
    def load(self, report_id: int) -> Report:
        found = self._query("SELECT * FROM reports WHERE id = ?", [report_id]) \
            if valid_id(report_id) else []
        if not found:
            raise StorageError(f"找不到编号为 {report_id} 的报告。")
        row = found[0]
        header_data = self._json(row["header"] or "{}")
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
        import hashlib  # not needed to show the window

        return {
            key: hashlib.blake2b(
                json.dumps(values, ensure_ascii=False, sort_keys=True).encode(), digest_size=12
            ).hexdigest()
            for key, (_, values) in cls._rows(report).items()
        }

    @guard("保存")
    def create(self, report: Report) -> int:
        """Insert a new report (its id is set) and return the id."""
        report.clean()
        stamp = now()
        with self.transaction():
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

    @guard("保存")
    def create_first(self, report: Report, state_key: str) -> int | None:
        """Create ``report`` only if the database has no report and ``state_key`` is not set,
        then set it to the new id; decided inside one write transaction, so two programs starting on a new
        file at once create it once. The new id, or None."""
        with self.transaction():
            if self.get_state(state_key) or self.count():
                return None
            report_id = self.create(report)
            self.set_state(state_key, report_id)
        return report_id

    @guard("保存")
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
        with self.transaction():
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
        report.updated_at = stamp
        self._saved[report.id] = after
        return len(changed) + len(removed)

    def is_saved(self, report: Report) -> bool:
        return report.id is not None and self._saved.get(report.id) == self._fingerprints(report)

    # ---- report-level operations ---------------------------------------------------------------
    @guard("保存")
    def rename(self, report_id: int, title: str) -> None:
        report = self.load(report_id)
        report.header.title = title
        self.save(report)

    @guard("保存")
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

    @guard("保存")
    def delete(self, report_id: int) -> None:
        """Move to the recycle bin."""
        with self.transaction():
            self.conn.execute("UPDATE reports SET deleted_at = ? WHERE id = ?", [now(), report_id])

    @guard("保存")
    def restore(self, report_id: int) -> None:
        with self.transaction():
            self.conn.execute("UPDATE reports SET deleted_at = NULL WHERE id = ?", [report_id])

    @guard("保存")
    def purge(self, report_id: int) -> None:
        with self.transaction():
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

    @guard("保存")
    def empty_bin(self) -> int:
        ids = [r.id for r in self.list_reports(deleted=True)]
        for rid in ids:
            self.purge(rid)
        return len(ids)

    # ---- revisions (snapshots) -----------------------------------------------------------------
    @guard("保存")
    def add_revision(self, report: Report, kind: str = "auto", note: str = "") -> int:
        data = zlib.compress(json.dumps(report.to_dict(), ensure_ascii=False).encode(), 6)
        with self.transaction():
            return self._insert(
                "revisions",
                {"report_id": report.id, "created_at": now(), "kind": kind, "note": note,
                 "data": data},
            )

    @guard("读取")
    def revisions(self, report_id: int) -> list[dict[str, Any]]:
        return list(
            self._query(
                "SELECT id, created_at, kind, note FROM revisions WHERE report_id = ? "
                "ORDER BY created_at DESC, id DESC",
                [report_id],
            )
        )

    @guard("读取")
    def load_revision(self, revision_id: int) -> Report:
        found = self._query("SELECT data FROM revisions WHERE id = ?", [revision_id]) \
            if valid_id(revision_id) else []
        if not found:
            raise StorageError(f"找不到编号为 {revision_id} 的历史版本。")
        try:
            return Report.from_dict(json.loads(zlib.decompress(found[0]["data"])))
        except (zlib.error, ValueError, TypeError, AttributeError) as exc:
            # Only this snapshot's bytes are bad: say so, without closing the whole file.
            raise StorageError(
                f"编号为 {revision_id} 的历史版本已损坏，无法读取。请选择其他历史版本。") from exc

    @guard("读取")
    def revision_info(self, revision_id: int) -> dict[str, Any] | None:
        """The snapshot's report_id and created_at, or None if there is no such snapshot."""
        found = self._query("SELECT report_id, created_at FROM revisions WHERE id = ?",
                            [revision_id]) if valid_id(revision_id) else []
        return found[0] if found else None

    @guard("读取")
    def reports_with_revisions(self) -> list[int]:
        return [r["report_id"] for r in self._query("SELECT DISTINCT report_id FROM revisions")]

    @guard("删除")
    def delete_revisions(self, ids: list[int]) -> None:
        if not ids:
            return
        with self.transaction():
            for i in range(0, len(ids), 500):  # SQLite's limit on parameters
                chunk = ids[i: i + 500]
                self.conn.execute(
                    f"DELETE FROM revisions WHERE id IN ({','.join('?' * len(chunk))})", chunk)

    # ---- application state ---------------------------------------------------------------------
    @guard("读取")
    def get_state(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM app_state WHERE key = ?", [key]).fetchone()
        try:
            return json.loads(row[0]) if row else default
        except (ValueError, TypeError):
            return default  # a convenience value (where the user left off): start afresh

    @guard("保存")
    def set_state(self, key: str, value: Any) -> None:
        with self.transaction():
            self._insert("app_state", {"key": key, "value": json.dumps(value, ensure_ascii=False)},
                         replace=True)
