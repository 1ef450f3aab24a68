"""Storage of review data: checklist ticks, approved-section hashes, ignored findings.

Kept apart from repository.py; takes the Repository, a sqlite-utils Database or a sqlite3
connection, and speaks plain SQL (sqlite-utils stays out of the start-up path).
"""

from __future__ import annotations

import sqlite3

from editor.check.review import SectionReview, Tick
from editor.model import now

from .errors import guard


class ReviewStore:
    def __init__(self, source) -> None:
        self.conn: sqlite3.Connection = getattr(source, "conn", source)
        self.path = getattr(source, "path", "")
        # damage found here makes the repository read-only too
        self._storage_failed = getattr(source, "_storage_failed", None)

    def _rows(self, sql: str, params: list) -> list[dict]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def _put(self, table: str, values: dict) -> None:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with self.conn:
            self.conn.execute(f"INSERT OR REPLACE INTO {table} ({cols}) VALUES ({marks})",
                              list(values.values()))

    # ---- checklist ticks --------------------------------------------------------------------
    @guard("读取")
    def ticks(self, report_id: int) -> dict[str, Tick]:
        rows = self._rows(
            "SELECT item_id, reviewer, ticked_at, note, text_hash FROM review_ticks "
            "WHERE report_id = ?", [report_id])
        return {r["item_id"]: Tick(r["item_id"], r["reviewer"] or "", r["ticked_at"] or "",
                                   r["note"] or "", r["text_hash"] or "") for r in rows}

    @guard("保存")
    def tick(self, report_id: int, item_id: str, reviewer: str, text_hash: str,
             note: str = "", at: str | None = None) -> Tick:
        tick = Tick(item_id, reviewer, at or now(), note, text_hash)
        self._put("review_ticks",
                  {"report_id": report_id, "item_id": item_id, "reviewer": reviewer,
                   "ticked_at": tick.ticked_at, "note": note, "text_hash": text_hash})
        return tick

    @guard("保存")
    def untick(self, report_id: int, item_id: str) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM review_ticks WHERE report_id = ? AND item_id = ?",
                            [report_id, item_id])

    # ---- section review ---------------------------------------------------------------------
    @guard("读取")
    def section_reviews(self, report_id: int) -> dict[str, SectionReview]:
        rows = self._rows(
            "SELECT section_uid, text_hash, reviewer, reviewed_at FROM section_reviews "
            "WHERE report_id = ?", [report_id])
        return {r["section_uid"]: SectionReview(r["section_uid"], r["text_hash"] or "",
                                                r["reviewer"] or "", r["reviewed_at"] or "")
                for r in rows}

    @guard("保存")
    def set_section_review(self, report_id: int, section_uid: str, text_hash: str,
                           reviewer: str, reviewed_at: str) -> None:
        self._put("section_reviews",
                  {"report_id": report_id, "section_uid": section_uid, "text_hash": text_hash,
                   "reviewer": reviewer, "reviewed_at": reviewed_at})

    @guard("保存")
    def clear_section_review(self, report_id: int, section_uid: str) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM section_reviews WHERE report_id = ? AND section_uid = ?",
                            [report_id, section_uid])

    # ---- ignored findings -------------------------------------------------------------------
    @guard("读取")
    def ignored(self, report_id: int) -> set[str]:
        rows = self.conn.execute(
            "SELECT fingerprint FROM ignored_findings WHERE report_id = ?", [report_id])
        return {r[0] for r in rows.fetchall()}

    @guard("保存")
    def ignore(self, report_id: int, fingerprint: str, rule: str, text: str = "") -> None:
        self._put("ignored_findings",
                  {"report_id": report_id, "fingerprint": fingerprint, "rule": rule,
                   "text": text, "created_at": now()})

    @guard("保存")
    def unignore(self, report_id: int, fingerprint: str) -> None:
        with self.conn:
            self.conn.execute(
                "DELETE FROM ignored_findings WHERE report_id = ? AND fingerprint = ?",
                [report_id, fingerprint])

    # ---- housekeeping -----------------------------------------------------------------------
    @guard("保存")
    def purge(self, report_id: int) -> None:
        """Forget everything about a report (after Repository.purge)."""
        with self.conn:
            for table in ("review_ticks", "section_reviews", "ignored_findings"):
                self.conn.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
