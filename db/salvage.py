"""Salvage: copy whatever can still be read from a damaged database into a new one.

Like the sqlite3 shell's ``.recover``, but in Python and for our tables: each table is read in
rowid order until a damaged page stops the scan, then from the other end, then row by row over
the gap (``WHERE rowid = ?`` walks the b-tree from the root, so the rows on sound pages between
two bad ones are still found). Rows are written into a fresh database with the current schema;
relations broken by lost rows are mended (a part whose report is lost gets a placeholder report,
a report whose rows are lost comes back from its newest snapshot). The damaged file is only read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from editor.model import Report, now

from .backup import STAMP, keep_aside
from .errors import StorageError
from .integrity import connect_ro

# Tables worth saving, parents first. _sqlite_migrations and the search index are rebuilt.
TABLES = ("reports", "parts", "sections", "revisions", "app_state", "review_ticks",
          "section_reviews", "ignored_findings")
PART_KEYS = ("measures", "shortcomings", "duty", "plan", "other")
MAX_PROBES = 2_000_000  # point lookups per table over damaged stretches
MISSES_TO_STOP = 5_000  # consecutive empty rowids past the last row seen: the table's end


@dataclass
class SalvageResult:
    path: Path  # the new database
    kept_aside: Path | None = None  # where the damaged file now is (salvage_in_place)
    copied: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)  # rowids that failed to read
    rebuilt: list[str] = field(default_factory=list)  # mended relations, in Chinese

    @property
    def reports(self) -> int:
        return self.copied.get("reports", 0)

    def summary(self) -> str:
        """One or two Chinese sentences for the window and the command line."""
        lost = sum(self.unreadable.values())
        text = (f"已抢救出 {self.reports} 份报告（{self.copied.get('sections', 0)} 个小节、"
                f"{self.copied.get('revisions', 0)} 个历史版本）")
        text += f"，约 {lost} 行数据已无法读取。" if lost else "，没有发现读不出的数据。"
        if self.rebuilt:
            text += "另外：" + "；".join(self.rebuilt) + "。"
        if self.kept_aside:
            text += f"损坏的文件原样保留为“{self.kept_aside.name}”。"
        return text


def read_rows(con: sqlite3.Connection, table: str, columns: list[str]) -> tuple[dict, int]:
    """({rowid: row tuple}, number of rowids that raised) for one table, as much as readable."""
    cols = ", ".join(f'"{c}"' for c in columns)
    rows: dict[int, tuple] = {}
    low = 0
    try:
        for row in con.execute(f'SELECT rowid, {cols} FROM "{table}" ORDER BY rowid'):
            rows[row[0]] = row[1:]
            low = row[0]
        return rows, 0
    except sqlite3.DatabaseError:
        pass
    high = None
    try:
        for row in con.execute(f'SELECT rowid, {cols} FROM "{table}" ORDER BY rowid DESC'):
            if row[0] <= low:
                break
            rows[row[0]] = row[1:]
            high = row[0]
    except sqlite3.DatabaseError:
        pass
    failed, misses, probes = 0, 0, 0
    rowid = low + 1
    one = f'SELECT rowid, {cols} FROM "{table}" WHERE rowid = ?'
    while probes < MAX_PROBES and (rowid < high if high is not None else misses < MISSES_TO_STOP):
        probes += 1
        try:
            row = con.execute(one, (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            failed += 1
            misses = 0
        else:
            if row is None:
                misses += 1
            else:
                rows[rowid] = row[1:]
                misses = 0
        rowid += 1
    return rows, failed


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
    except sqlite3.DatabaseError:
        return []


def salvage_to(damaged: Path, out: Path) -> SalvageResult:
    """Read ``damaged`` (never written) into a new database at ``out`` (must not exist)."""
    from .repository import Repository

    if out.exists():
        raise StorageError(f"“{out}”已经存在，抢救不会覆盖它。请换一个文件名。")
    try:
        src = connect_ro(Path(damaged))
    except sqlite3.Error as exc:
        raise StorageError(f"损坏的数据库“{damaged}”已经完全无法打开，抢救不出内容。"
                           "请选择“从备份恢复…”。") from exc
    # Bytes that are not UTF-8 (a flipped bit in a text) become U+FFFD instead of an error.
    src.text_factory = lambda b: b.decode("utf-8", "replace")
    result = SalvageResult(Path(out))
    repo = Repository(out)  # the current schema, stamped
    dst = repo.conn
    try:
        dst.execute("PRAGMA foreign_keys = OFF")  # parents are mended after the copy
        with dst:
            for table in TABLES:
                have = _columns(src, table)
                want = _columns(dst, table)
                common = [c for c in have if c in want]
                if not common:
                    continue
                rows, failed = read_rows(src, table, common)
                marks = ", ".join("?" for _ in common)
                names = ", ".join(f'"{c}"' for c in common)
                # Rowids are kept (the search index is keyed by them); "id" already is the rowid.
                keep_rowid = "id" not in common
                head, mark = ("rowid, ", "?, ") if keep_rowid else ("", "")
                copied = 0
                for rowid, row in sorted(rows.items()):
                    values = _fix(table, dict(zip(common, row)))
                    params = [rowid, *values.values()] if keep_rowid else list(values.values())
                    try:
                        cur = dst.execute(f'INSERT OR IGNORE INTO "{table}" ({head}{names}) '
                                          f"VALUES ({mark}{marks})", params)
                        copied += cur.rowcount > 0
                    except sqlite3.Error:
                        failed += 1
                result.copied[table] = copied
                if failed:
                    result.unreadable[table] = failed
            _mend(dst, result)
        dst.execute("PRAGMA foreign_keys = ON")
    finally:
        src.close()
        repo.close()
    return result


def _fix(table: str, values: dict) -> dict:
    """Values a damaged row may carry that the new schema refuses or the program cannot read."""
    if table == "reports":
        values["year"] = values.get("year") if isinstance(values.get("year"), int) else 0
        for key in ("created_at", "updated_at"):
            values[key] = values.get(key) if isinstance(values.get(key), str) else now()
        try:
            header = json.loads(values.get("header") or "{}")
        except (ValueError, TypeError):
            header = None
        if not isinstance(header, dict):
            values["header"] = json.dumps({"title": values.get("title") or ""},
                                          ensure_ascii=False)
    return values


def _mend(dst: sqlite3.Connection, result: SalvageResult) -> None:
    """Give every row its parents back: reports from snapshots, placeholders otherwise."""
    have = {r[0] for r in dst.execute("SELECT id FROM reports")}
    # A report whose row is lost but has snapshots comes back whole from the newest readable one.
    snap_ids = {r[0] for r in dst.execute("SELECT DISTINCT report_id FROM revisions")}
    for rid in sorted(snap_ids - have):
        report = _newest_snapshot(dst, rid)
        if report is None:
            continue
        _insert_report(dst, rid, report)
        have.add(rid)
        result.rebuilt.append(f"编号 {rid} 的报告已按它最近的历史版本重建")
    orphans = {r[0] for r in dst.execute("SELECT DISTINCT report_id FROM parts UNION "
                                         "SELECT DISTINCT report_id FROM sections")} - have
    for rid in sorted(x for x in orphans if x is not None):
        stamp = now()
        dst.execute("INSERT INTO reports (id, profile, year, organ, body_type, title, header, "
                    "preamble, closing, created_at, updated_at) VALUES (?, 'fazhi_zhengfu', 0, "
                    "'', '', ?, ?, '', '', ?, ?)",
                    [rid, f"抢救出的报告（编号 {rid}，标题已无法读取）",
                     json.dumps({"title": f"抢救出的报告（编号 {rid}）"}, ensure_ascii=False),
                     stamp, stamp])
        result.rebuilt.append(f"编号 {rid} 的报告标题等已无法读取，已用占位标题保存它的正文")
    lost_parts = dst.execute(
        "SELECT DISTINCT report_id, part_uid FROM sections WHERE part_uid NOT IN "
        "(SELECT uid FROM parts)").fetchall()
    for rid, part_uid in lost_parts:
        used = {r[0] for r in dst.execute("SELECT key FROM parts WHERE report_id = ?", [rid])}
        key = next((k for k in PART_KEYS if k not in used), "other")
        dst.execute("INSERT INTO parts (uid, report_id, position, key, heading, lead, enabled, "
                    "lead_status) VALUES (?, ?, ?, ?, ?, '', 1, '')",
                    [part_uid, rid, PART_KEYS.index(key) if key in PART_KEYS else 99, key,
                     "（此部分的标题已无法读取，请补写）"])
        result.rebuilt.append(f"编号 {rid} 的报告中有一个部分的标题已无法读取，已加占位标题")


def _newest_snapshot(dst: sqlite3.Connection, rid: int) -> Report | None:
    for (data,) in dst.execute("SELECT data FROM revisions WHERE report_id = ? "
                               "ORDER BY created_at DESC, id DESC", [rid]):
        try:
            return Report.from_dict(json.loads(zlib.decompress(data)))
        except (zlib.error, ValueError, TypeError, AttributeError):
            continue
    return None


def _insert_report(dst: sqlite3.Connection, rid: int, report: Report) -> None:
    from .repository import Repository

    report.id = rid
    stamp = report.updated_at or now()
    for key, (table, values) in Repository._rows(report).items():
        values = dict(values)
        if key == "report":
            values.update(id=rid, created_at=report.created_at or stamp, updated_at=stamp)
        else:
            values["report_id"] = rid
            if table == "sections":
                values["updated_at"] = stamp
        cols = ", ".join(values)
        dst.execute(f"INSERT OR IGNORE INTO {table} ({cols}) VALUES "
                    f"({', '.join('?' for _ in values)})", list(values.values()))


def salvage_in_place(db_path: Path) -> SalvageResult:
    """Salvage ``db_path`` into a new file that then takes its name; the damaged file is kept
    aside beside it (``<stem>-损坏-<stamp>.db``), unchanged. No connection to it may be open."""
    db_path = Path(db_path)
    stamp = dt.datetime.now().strftime(STAMP)
    work = db_path.with_name(f"{db_path.stem}-抢救-{stamp}.db")
    result = salvage_to(db_path, work)
    result.kept_aside = keep_aside(db_path, "损坏")
    try:
        os.replace(work, db_path)
    except OSError as exc:
        raise StorageError(f"抢救出的内容已存为“{work}”，但无法改名为“{db_path.name}”。"
                           "请用 --db 打开它。") from exc
    result.path = db_path
    return result
