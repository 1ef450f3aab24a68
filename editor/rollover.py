"""New report from last year's: same structure and text, one year on, every section to update.

What moves forward: the report year, and the years in the title, the part headings and the
发文机关标志 — a year equal to the report year becomes the next, and the year after it (the
"2026年度主要安排" of a 2025 report) becomes the one after that, in one pass so nothing moves
twice. The 发文字号 year moves on by one. The 成文日期 and 印发日期 are cleared (the new report
has not been signed). Body text — preamble, leads, section titles and bodies — is left as it
is: it tells last year's facts and will be rewritten; every section, the 前言 and every part
lead are marked "outdated" (待更新) so the user sees what is still to do, and the export asks
about what is still marked. Review ticks are not carried over (the checker
keeps them in its own tables, keyed by section uid, and every uid is new).
"""

from __future__ import annotations

import re

from editor.model import Report, new_uid
from editor.model.status import OUTDATED

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def shift_years(text: str, year: int) -> str:
    """Move ``year`` → ``year + 1`` and ``year + 1`` → ``year + 2`` in ``text``; other years
    (e.g. the start of "2021—2025年") stay."""

    def move(m: re.Match) -> str:
        y = int(m.group(1))
        return str(y + 1) if y in (year, year + 1) else m.group(1)

    return _YEAR.sub(move, text or "")


def rollover(report: Report) -> Report:
    """A new, unsaved report for the year after ``report``'s (``id`` None, new uids)."""
    new = report.copy()
    year = report.year
    new.id = None
    new.created_at = new.updated_at = ""
    new.year = year + 1
    h = new.header
    h.title = shift_years(h.title, year)
    h.organ_mark = shift_years(h.organ_mark, year)
    if h.doc_year.isdigit():
        h.doc_year = str(int(h.doc_year) + 1)
    h.source_doc_number = ""
    h.date = ""
    h.print_date = ""
    # the 前言 and the leads tell last year's story too (“2020年以来……现将2020年度……”)
    new.preamble_status = OUTDATED if new.preamble.strip() else ""
    for part in new.parts:
        part.uid = new_uid()
        part.heading = shift_years(part.heading, year)
        part.lead_status = OUTDATED if part.lead.strip() else ""
        for s in part.sections:
            s.uid = new_uid()
            s.status = OUTDATED
            s.reviewer = ""
            s.reviewed_at = ""
            s.source_marker = ""
    return new


def rollover_from_db(repo, report_id: int) -> Report:
    """Load last year's draft, roll it over and create the new draft; returns it (with its id)."""
    new = rollover(repo.load(report_id))
    repo.create(new)
    return new


__all__ = ["OUTDATED", "rollover", "rollover_from_db", "shift_years"]
