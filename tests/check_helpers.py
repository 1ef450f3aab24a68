"""Test helper: map an answer-key entry (line + text of the errors file) to report paragraphs."""

from __future__ import annotations

from editor.check.findings import Finding, Location
from editor.check.locate import iter_paragraphs


def key_spans(report, file_text: str, entry: dict) -> list[tuple[Location, int, int]]:
    """Where the key's erroneous text lies in the parsed report: (paragraph location, start, end)
    in paragraph coordinates, clipped to each paragraph the text touches. A key text that covers
    a section's number marker gives a (title, ≤0, …) span: the marker is before the title."""
    line = file_text.split("\n")[entry["line"] - 1]
    a = line.find(entry["text"])
    assert a >= 0, entry
    b = a + len(entry["text"])
    spans = []
    for para in iter_paragraphs(report):
        if not para.text:
            continue
        o = line.find(para.text)
        if o < 0:
            continue
        # the paragraph occupies [o, o+len) of the line; keep it if the key span touches it
        lo, hi = o, o + len(para.text)
        if b < lo or a > hi:
            continue
        spans.append((para.location, a - o, b - o))
    return spans


def found(findings: list[Finding], spans) -> list[Finding]:
    """Findings whose span overlaps one of ``spans`` (a zero-width span at p counts when
    start ≤ p ≤ end: a marker finding sits at the start of the title)."""
    out = []
    for f in findings:
        fl = f.location
        for loc, a, b in spans:
            same = (fl.field, fl.part, fl.section, fl.paragraph) == (
                loc.field, loc.part, loc.section, loc.paragraph)
            if not same:
                continue
            if fl.start == fl.end:
                hit = a <= fl.start <= b
            else:
                hit = fl.start < b and a < fl.end
            if hit:
                out.append(f)
                break
    return out
