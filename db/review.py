"""Storage of review data (issue #4): checklist ticks, approved-section hashes, ignored findings.

Kept apart from repository.py; takes the Repository or its sqlite_utils Database.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from editor.check.review import SectionReview, Tick


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class ReviewStore:
    def __init__(self, source) -> None:
        self.db: Database = source if isinstance(source, Database) else source.db

    # ---- checklist ticks --------------------------------------------------------------------
    def ticks(self, report_id: int) -> dict[str, Tick]:
        rows = self.db.query(
            "SELECT item_id, reviewer, ticked_at, note, text_hash FROM review_ticks "
            "WHERE report_id = ?", [report_id])
        return {r["item_id"]: Tick(r["item_id"], r["reviewer"] or "", r["ticked_at"] or "",
                                   r["note"] or "", r["text_hash"] or "") for r in rows}

    def tick(self, report_id: int, item_id: str, reviewer: str, text_hash: str,
             note: str = "", at: str | None = None) -> Tick:
        tick = Tick(item_id, reviewer, at or _now(), note, text_hash)
        with self.db.conn:
            self.db["review_ticks"].upsert(
                {"report_id": report_id, "item_id": item_id, "reviewer": reviewer,
                 "ticked_at": tick.ticked_at, "note": note, "text_hash": text_hash},
                pk=("report_id", "item_id"))
        return tick

    def untick(self, report_id: int, item_id: str) -> None:
        with self.db.conn:
            self.db.execute("DELETE FROM review_ticks WHERE report_id = ? AND item_id = ?",
                            [report_id, item_id])

    # ---- section review ---------------------------------------------------------------------
    def section_reviews(self, report_id: int) -> dict[str, SectionReview]:
        rows = self.db.query(
            "SELECT section_uid, text_hash, reviewer, reviewed_at FROM section_reviews "
            "WHERE report_id = ?", [report_id])
        return {r["section_uid"]: SectionReview(r["section_uid"], r["text_hash"] or "",
                                                r["reviewer"] or "", r["reviewed_at"] or "")
                for r in rows}

    def set_section_review(self, report_id: int, section_uid: str, text_hash: str,
                           reviewer: str, reviewed_at: str) -> None:
        with self.db.conn:
            self.db["section_reviews"].upsert(
                {"report_id": report_id, "section_uid": section_uid, "text_hash": text_hash,
                 "reviewer": reviewer, "reviewed_at": reviewed_at}, pk="section_uid")

    def clear_section_review(self, report_id: int, section_uid: str) -> None:
        with self.db.conn:
            self.db.execute("DELETE FROM section_reviews WHERE report_id = ? AND section_uid = ?",
                            [report_id, section_uid])

    # ---- ignored findings -------------------------------------------------------------------
    def ignored(self, report_id: int) -> set[str]:
        rows = self.db.execute(
            "SELECT fingerprint FROM ignored_findings WHERE report_id = ?", [report_id])
        return {r[0] for r in rows.fetchall()}

    def ignore(self, report_id: int, fingerprint: str, rule: str, text: str = "") -> None:
        with self.db.conn:
            self.db["ignored_findings"].upsert(
                {"report_id": report_id, "fingerprint": fingerprint, "rule": rule,
                 "text": text, "created_at": _now()}, pk=("report_id", "fingerprint"))

    def unignore(self, report_id: int, fingerprint: str) -> None:
        with self.db.conn:
            self.db.execute(
                "DELETE FROM ignored_findings WHERE report_id = ? AND fingerprint = ?",
                [report_id, fingerprint])

    # ---- housekeeping -----------------------------------------------------------------------
    def purge(self, report_id: int) -> None:
        """Forget everything about a report (after Repository.purge)."""
        with self.db.conn:
            for table in ("review_ticks", "section_reviews", "ignored_findings"):
                self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
