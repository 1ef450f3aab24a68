"""The validation engine: proofreading findings at exact places, checklist
coverage with reviewer ticks, section review, ignored findings, export gate.

The GUI uses ``ReviewSession`` (one per open report) with ``db.review.ReviewStore``:

    session = ReviewSession(report, ReviewStore(service.repo))
    result = session.check()            # call after every edit: only changed paragraphs re-run
    result.findings / result.checklist / result.summary() / result.status_text()
    finding.place.line(report)          # the line; select [start:end] of it
    session.apply_fix(finding)          # 改正 (then save the report and check again)
    session.ignore(finding)             # 忽略 (remembered per report)
    session.tick(item_id, reviewer, note) / session.untick(item_id)
    session.mark_section(uid, approved, reviewer); session.refresh_section_review()
    session.export_gate()               # open errors + unmet required items for the dialog
"""

from ..model import Place
from .checker import Checker, CheckResult, ExportGate, apply_fix, export_gate
from .checklist import ItemResult
from .findings import Finding
from .locate import iter_paragraphs, set_text_at, span_at, text_at
from .review import (
    APPROVED,
    PENDING,
    MemoryReviewStore,
    ReviewSession,
    mark_section,
    refresh_section_review,
    section_text_hash,
)

__all__ = [
    "APPROVED",
    "PENDING",
    "CheckResult",
    "Checker",
    "ExportGate",
    "Finding",
    "ItemResult",
    "MemoryReviewStore",
    "Place",
    "ReviewSession",
    "apply_fix",
    "export_gate",
    "iter_paragraphs",
    "mark_section",
    "refresh_section_review",
    "section_text_hash",
    "set_text_at",
    "span_at",
    "text_at",
]
