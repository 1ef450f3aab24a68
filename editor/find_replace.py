"""Find and replace within one report, with a preview of every change.

:func:`find_replacements` lists every occurrence with its place and the text around it before
and after the change; the GUI shows them with check boxes and calls :func:`apply_replacements`
with the chosen ones, which returns a new Report (the old one is untouched: undo is keeping it,
or the snapshot taken before). Pure functions: no database, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from editor.model import Place, PlaceNotFound, Report, part_number, section_number
from editor.model.place import set_field

CONTEXT = 15  # characters shown either side

# Header fields the user types (the 发文字号 parts and dates are structured fields, not text).
HEADER_FIELDS = {
    "organ_mark": "发文机关标志", "signer": "签发人", "title": "标题", "recipients": "主送机关",
    "signature": "发文机关署名", "note": "附注", "cc": "抄送", "printer": "印发机关",
}


@dataclass(frozen=True)
class Replacement:
    place: Place  # the line of the field, with start/end of the match in that line
    label: str  # where, for the user, e.g. "二、存在的不足和原因（一）正文"
    old: str
    new: str
    before: str  # context with the old text
    after: str  # the same context with the new text

    @property
    def key(self) -> tuple:
        return (self.place.field, self.place.uid, self.place.paragraph, self.place.start)


def _fields(report: Report):
    """(place of the field's first line, label, whole text) of every text field the user types."""
    h = report.header
    for name, label in HEADER_FIELDS.items():
        yield Place(f"header.{name}"), label, getattr(h, name)
    yield Place("preamble"), "前言", report.preamble
    for pi, part in enumerate(report.parts):
        pl = part_number(pi) + part.heading
        yield Place("heading", part.uid), f"{pl}（标题）", part.heading
        yield Place("lead", part.uid), f"{pl}（导语）", part.lead
        for si, s in enumerate(part.sections):
            sl = f"{pl}{section_number(si)}{s.title}"
            yield Place("title", s.uid), f"{sl}（标题）", s.title
            yield Place("body", s.uid), f"{sl}（正文）", s.body
    yield Place("closing"), "结束语", report.closing


def replace_place(first: Place, line: int, start: int, end: int) -> Place:
    return Place(first.field, first.uid, line, start, end)


def _pattern(find: str, regex: bool, ignore_case: bool) -> re.Pattern:
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(find if regex else re.escape(find), flags)


def find_replacements(
    report: Report, find: str, replace: str, *, regex: bool = False, ignore_case: bool = False
) -> list[Replacement]:
    """Every occurrence of ``find`` in the report's text fields, in document order. With
    ``regex``, ``replace`` may use \\1 groups. Raises ``re.error`` for a bad pattern."""
    if not find:
        return []
    pat = _pattern(find, regex, ignore_case)
    out: list[Replacement] = []
    for first, label, text in _fields(report):
        if not text:
            continue
        for m in pat.finditer(text):
            if m.end() == m.start():
                continue  # an empty match replaces nothing visible
            new = m.expand(replace) if regex else replace
            lo, hi = max(0, m.start() - CONTEXT), min(len(text), m.end() + CONTEXT)
            head = ("…" if lo > 0 else "") + text[lo:m.start()]
            tail = text[m.end():hi] + ("…" if hi < len(text) else "")
            line = text.count("\n", 0, m.start())
            line_start = text.rfind("\n", 0, m.start()) + 1
            place = replace_place(first, line, m.start() - line_start, m.end() - line_start)
            out.append(Replacement(place, label, m.group(0), new,
                                   head + m.group(0) + tail, head + new + tail))
    return out


def apply_replacements(report: Report, chosen: Iterable[Replacement]) -> Report:
    """A new report with the chosen replacements made. A replacement whose text has changed
    since it was found is skipped (so a stale preview cannot damage the text)."""
    new = report.copy()
    by_field: dict[tuple[str, str], list[tuple[int, int, Replacement]]] = {}
    for r in chosen:
        try:
            a, b = r.place.field_offsets(new)
        except PlaceNotFound:
            continue
        by_field.setdefault((r.place.field, r.place.uid), []).append((a, b, r))
    for reps in by_field.values():
        place = reps[0][2].place
        text = place.field_text(new)
        last_start = len(text) + 1
        for a, b, r in sorted(reps, key=lambda x: x[0], reverse=True):
            if b > last_start or text[a:b] != r.old:
                continue  # overlapping or stale
            text = text[:a] + r.new + text[b:]
            last_start = a
        set_field(new, place, text)
    return new


def replace_all(report: Report, find: str, replace: str, **kw) -> tuple[Report, int]:
    reps = find_replacements(report, find, replace, **kw)
    return apply_replacements(report, reps), len(reps)


__all__ = ["Replacement", "apply_replacements", "find_replacements", "replace_all"]
