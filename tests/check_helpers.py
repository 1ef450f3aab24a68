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
        if o >= 0:
            # the paragraph occupies [o, o+len) of the line; keep it if the key span touches it
            lo, hi = o, o + len(para.text)
            if b < lo or a > hi:
                continue
            spans.append((para.place, a - o, b - o))
            continue
        # the import tidied the paragraph (stray spaces dropped): align without spaces
        span = _align_without_spaces(line, para.text, a, b)
        if span is not None:
            spans.append((para.place, *span))
    return spans


def _squeeze(text: str) -> tuple[str, list[int]]:
    kept = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    return "".join(c for _i, c in kept), [i for i, _c in kept]


def _align_without_spaces(line: str, para: str, a: int, b: int) -> tuple[int, int] | None:
    """The key span [a, b) of ``line`` in ``para`` coordinates, when para is the line's text
    with some spaces removed; None when it is not or the span lies outside it."""
    ls, lmap = _squeeze(line)
    ps, pmap = _squeeze(para)
    if len(ps) < 4:
        return None
    o = ls.find(ps)
    if o < 0:
        return None
    inside = [k for k in range(len(ps)) if a <= lmap[o + k] < b]
    if not inside:
        return None
    return pmap[inside[0]], pmap[inside[-1]] + 1


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
