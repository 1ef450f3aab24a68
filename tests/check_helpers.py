"""Test helper: map an answer-key entry (line + text of a file) to places in the parsed report."""

from __future__ import annotations

from editor.check.findings import Finding
from editor.check.locate import iter_paragraphs
from editor.model import Place


def key_spans(report, file_text: str, entry: dict) -> list[tuple[Place, int, int]]:
    """Where the key's text lies in the parsed report: (line place, start, end) in that line's
    coordinates, clipped to each line the text touches. A key text that covers a section's
    number marker gives a (title, ≤0, …) span: the marker is before the title."""
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
        spans.append((para.place, a - o, b - o))
    return spans


def found(findings: list[Finding], spans) -> list[Finding]:
    """Findings whose span overlaps one of ``spans`` (a zero-width span at p counts when
    start ≤ p ≤ end: a marker finding sits at the start of the title)."""
    out = []
    for f in findings:
        fp = f.place
        for place, a, b in spans:
            if fp.line_place() != place.line_place():
                continue
            if fp.start == fp.end:
                hit = a <= fp.start <= b
            else:
                hit = fp.start < b and a < fp.end
            if hit:
                out.append(f)
                break
    return out
