"""Reviewer ticks, section review (待审/已审) and ignored findings, on top of a store.

The store is duck-typed (db.review.ReviewStore in the program, MemoryReviewStore in tests and for
files checked without a database): this layer knows nothing of SQLite.

``ReviewSession`` is the facade the GUI uses for one open report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..model import Report, Section, now
from ..model.status import APPROVED, PENDING  # 已审 / 待审
from .checker import Checker, CheckResult, ExportGate, apply_fix, export_gate
from .checklist import text_hash
from .findings import Finding

STATUS_LABELS = {"": "未审", PENDING: "待审", APPROVED: "已审"}


@dataclass
class Tick:
    item_id: str
    reviewer: str
    ticked_at: str
    note: str
    text_hash: str


@dataclass
class SectionReview:
    section_uid: str
    text_hash: str
    reviewer: str
    reviewed_at: str


class ReviewStoreProtocol(Protocol):  # what db.review.ReviewStore provides
    def ticks(self, report_id: int) -> dict[str, Tick]: ...
    def tick(self, report_id: int, item_id: str, reviewer: str, text_hash: str,
             note: str = "", at: str | None = None) -> Tick: ...
    def untick(self, report_id: int, item_id: str) -> None: ...
    def section_reviews(self, report_id: int) -> dict[str, SectionReview]: ...
    def set_section_review(self, report_id: int, section_uid: str, text_hash: str,
                           reviewer: str, reviewed_at: str) -> None: ...
    def clear_section_review(self, report_id: int, section_uid: str) -> None: ...
    def ignored(self, report_id: int) -> set[str]: ...
    def ignore(self, report_id: int, fingerprint: str, rule: str, text: str = "") -> None: ...
    def unignore(self, report_id: int, fingerprint: str) -> None: ...


class MemoryReviewStore:
    """The same interface as db.review.ReviewStore, kept in memory."""

    def __init__(self) -> None:
        self._ticks: dict[int, dict[str, Tick]] = {}
        self._sections: dict[int, dict[str, SectionReview]] = {}
        self._ignored: dict[int, dict[str, str]] = {}

    def ticks(self, report_id):
        return dict(self._ticks.get(report_id, {}))

    def tick(self, report_id, item_id, reviewer, text_hash, note="", at=None):
        t = Tick(item_id, reviewer, at or now(), note, text_hash)
        self._ticks.setdefault(report_id, {})[item_id] = t
        return t

    def untick(self, report_id, item_id):
        self._ticks.get(report_id, {}).pop(item_id, None)

    def section_reviews(self, report_id):
        return dict(self._sections.get(report_id, {}))

    def set_section_review(self, report_id, section_uid, text_hash, reviewer, reviewed_at):
        self._sections.setdefault(report_id, {})[section_uid] = SectionReview(
            section_uid, text_hash, reviewer, reviewed_at)

    def clear_section_review(self, report_id, section_uid):
        self._sections.get(report_id, {}).pop(section_uid, None)

    def ignored(self, report_id):
        return set(self._ignored.get(report_id, {}))

    def ignore(self, report_id, fingerprint, rule, text=""):
        self._ignored.setdefault(report_id, {})[fingerprint] = rule

    def unignore(self, report_id, fingerprint):
        self._ignored.get(report_id, {}).pop(fingerprint, None)


def _rid(report: Report) -> int:
    return report.id if report.id is not None else 0


# ---- section review ----------------------------------------------------------------------------
def section_text_hash(section: Section) -> str:
    return text_hash(section.title + "\n" + section.body)


def mark_section(report: Report, section_uid: str, approved: bool, reviewer: str,
                 store: ReviewStoreProtocol, at: str | None = None) -> Section:
    """Mark a section 已审 (approved, remembering the text approved) or 待审. The caller saves
    the report afterwards (status/reviewer/reviewed_at are columns of the section)."""
    found = report.find_section(section_uid)
    if found is None:
        raise KeyError(section_uid)
    part, index = found
    section = part.sections[index]
    if approved:
        section.status = APPROVED
        section.reviewer = reviewer
        section.reviewed_at = at or now()
        store.set_section_review(_rid(report), section.uid, section_text_hash(section),
                                 reviewer, section.reviewed_at)
    else:
        section.status = PENDING
        section.reviewer = reviewer or section.reviewer
        section.reviewed_at = ""
        store.clear_section_review(_rid(report), section.uid)
    return section


def refresh_section_review(report: Report, store: ReviewStoreProtocol) -> list[Section]:
    """Call after edits: an approved section whose text changed goes back to 待审.

    Returns the sections whose status changed (save the report if the list is not empty)."""
    reviews = store.section_reviews(_rid(report))
    changed = []
    for part in report.parts:
        for section in part.sections:
            if section.status != APPROVED:
                continue
            review = reviews.get(section.uid)
            current = section_text_hash(section)
            if review is None:
                # approved before hashes were kept: adopt the present text as the approved one
                store.set_section_review(_rid(report), section.uid, current, section.reviewer,
                                         section.reviewed_at or now())
                continue
            if review.text_hash != current:
                section.status = PENDING
                section.reviewed_at = ""
                store.clear_section_review(_rid(report), section.uid)
                changed.append(section)
    return changed


# ---- the facade for the GUI ----------------------------------------------------------------------
class ReviewSession:
    """Checking and review of one open report.

    >>> session = ReviewSession(report, ReviewStore(service.repo))
    >>> result = session.check()          # after every edit; only changed paragraphs re-run
    >>> result.status_text()              # "3 处错误 · 5 项待确认"
    """

    def __init__(self, report: Report, store: ReviewStoreProtocol | None = None,
                 checker: Checker | None = None):
        self.report = report
        self.store = store if store is not None else MemoryReviewStore()
        self.checker = checker or Checker(profile=report.profile)
        self.result: CheckResult | None = None

    @property
    def report_id(self) -> int:
        return _rid(self.report)

    def check(self) -> CheckResult:
        self.result = self.checker.check(
            self.report, ignored=self.store.ignored(self.report_id),
            ticks=self.store.ticks(self.report_id))
        return self.result

    recheck = check

    # checklist ticks
    def tick(self, item_id: str, reviewer: str, note: str = "") -> Tick:
        digest = self.checker.scope_hash(self.report, item_id)
        return self.store.tick(self.report_id, item_id, reviewer, digest, note)

    def untick(self, item_id: str) -> None:
        self.store.untick(self.report_id, item_id)

    # section review
    def mark_section(self, section_uid: str, approved: bool, reviewer: str = "") -> Section:
        return mark_section(self.report, section_uid, approved, reviewer, self.store)

    def refresh_section_review(self) -> list[Section]:
        return refresh_section_review(self.report, self.store)

    # findings
    def ignore(self, finding: Finding) -> None:
        self.store.ignore(self.report_id, finding.ignore_key, finding.rule, finding.text)

    def unignore(self, finding: Finding | str) -> None:
        """Show a finding again (its keys, old and new, are forgotten)."""
        if isinstance(finding, str):
            self.store.unignore(self.report_id, finding)
            return
        for key in (finding.ignore_key, finding.fingerprint):
            self.store.unignore(self.report_id, key)

    def apply_fix(self, finding: Finding) -> bool:
        return apply_fix(self.report, finding)

    def export_gate(self) -> ExportGate:
        return export_gate(self.result or self.check(), self.report)
