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

from editor.model import Report, part_number, section_number

CONTEXT = 15  # characters shown either side

# Header fields the user types (the 发文字号 parts and dates are structured fields, not text).
HEADER_FIELDS = {
    "organ_mark": "发文机关标志", "signer": "签发人", "title": "标题", "recipients": "主送机关",
    "signature": "发文机关署名", "note": "附注", "cc": "抄送", "printer": "印发机关",
}


@dataclass(frozen=True)
class Location:
    """Where a text field is: ("header", name) / ("preamble",) / ("closing",) /
    ("part", part_uid, "heading"|"lead") / ("section", section_uid, "title"|"body")."""

    path: tuple[str, ...]
    label: str  # for the user, e.g. "二、存在的不足和原因（一）正文"


@dataclass(frozen=True)
class Replacement:
    location: Location
    start: int  # offsets in the field's text
    end: int
    old: str
    new: str
    before: str  # context with the old text
    after: str  # the same context with the new text

    @property
    def key(self) -> tuple:
        return (self.location.path, self.start, self.end)


def _fields(report: Report):
    h = report.header
    for name, label in HEADER_FIELDS.items():
        yield Location(("header", name), label), getattr(h, name)
    yield Location(("preamble",), "前言"), report.preamble
    for pi, part in enumerate(report.parts):
        pl = part_number(pi) + part.heading
        yield Location(("part", part.uid, "heading"), f"{pl}（标题）"), part.heading
        yield Location(("part", part.uid, "lead"), f"{pl}（导语）"), part.lead
        for si, s in enumerate(part.sections):
            sl = f"{pl}{section_number(si)}{s.title}"
            yield Location(("section", s.uid, "title"), f"{sl}（标题）"), s.title
            yield Location(("section", s.uid, "body"), f"{sl}（正文）"), s.body
    yield Location(("closing",), "结束语"), report.closing


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
    for loc, text in _fields(report):
        if not text:
            continue
        for m in pat.finditer(text):
            if m.end() == m.start():
                continue  # an empty match replaces nothing visible
            new = m.expand(replace) if regex else replace
            lo, hi = max(0, m.start() - CONTEXT), min(len(text), m.end() + CONTEXT)
            head = ("…" if lo > 0 else "") + text[lo:m.start()]
            tail = text[m.end():hi] + ("…" if hi < len(text) else "")
            out.append(Replacement(loc, m.start(), m.end(), m.group(0), new,
                                   head + m.group(0) + tail, head + new + tail))
    return out


def _get(report: Report, path: tuple[str, ...]) -> tuple[object, str]:
    if path[0] == "header":
        return report.header, path[1]
    if path[0] in ("preamble", "closing"):
        return report, path[0]
    if path[0] == "part":
        part = next(p for p in report.parts if p.uid == path[1])
        return part, path[2]
    found = report.find_section(path[1])
    if found is None:
        raise KeyError(path)
    part, i = found
    return part.sections[i], path[2]


def apply_replacements(report: Report, chosen: Iterable[Replacement]) -> Report:
    """A new report with the chosen replacements made. A replacement whose text has changed
    since it was found is skipped (so a stale preview cannot damage the text)."""
    new = report.copy()
    by_field: dict[tuple[str, ...], list[Replacement]] = {}
    for r in chosen:
        by_field.setdefault(r.location.path, []).append(r)
    for path, reps in by_field.items():
        try:
            obj, attr = _get(new, path)
        except (KeyError, StopIteration):
            continue
        text = getattr(obj, attr)
        last_start = len(text) + 1
        for r in sorted(reps, key=lambda r: r.start, reverse=True):
            if r.end > last_start or text[r.start:r.end] != r.old:
                continue  # overlapping or stale
            text = text[:r.start] + r.new + text[r.end:]
            last_start = r.start
        setattr(obj, attr, text)
    return new


def replace_all(report: Report, find: str, replace: str, **kw) -> tuple[Report, int]:
    reps = find_replacements(report, find, replace, **kw)
    return apply_replacements(report, reps), len(reps)


__all__ = ["Location", "Replacement", "apply_replacements", "find_replacements", "replace_all"]
