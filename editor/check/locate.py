"""Paragraph addressing: every piece of text of a report as (Location, text), and back.

See findings.py for the precise meaning of each Location field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Header, Report
from .findings import Location

# Header fields the proofreader reads, in document order.
HEADER_FIELDS = ("organ_mark", "doc_number", "signer", "title", "recipients", "signature",
                 "date", "note", "cc", "printer", "print_date")


@dataclass(frozen=True)
class Para:
    location: Location  # span 0..0
    text: str
    kind: str  # prose / heading / title / closing / header.<name>
    part_key: str = ""  # profile key of the part the text belongs to ("" outside parts)


def header_text(header: Header, name: str) -> str:
    if name == "doc_number":
        return header.source_doc_number or header.doc_number
    return getattr(header, name, "") or ""


def iter_paragraphs(report: Report, header: bool = True) -> Iterator[Para]:
    if header:
        for name in HEADER_FIELDS:
            text = header_text(report.header, name)
            if text:
                yield Para(Location(f"header.{name}"), text, f"header.{name}")
    for k, line in enumerate(report.preamble.split("\n") if report.preamble else []):
        yield Para(Location("preamble", paragraph=k), line, "prose")
    for pi, part in enumerate(report.enabled_parts, start=1):
        yield Para(Location("heading", part=pi), part.heading, "heading", part.key)
        if part.lead:
            for k, line in enumerate(part.lead.split("\n"), start=1):
                yield Para(Location("lead", part=pi, paragraph=k), line, "prose", part.key)
        for si, section in enumerate(part.sections, start=1):
            yield Para(Location("title", part=pi, section=si), section.title, "title", part.key)
            if section.body:
                for k, line in enumerate(section.body.split("\n"), start=1):
                    yield Para(Location("body", part=pi, section=si, paragraph=k), line, "prose",
                               part.key)
    if report.closing:
        yield Para(Location("closing"), report.closing, "closing")


def _container(report: Report, loc: Location):
    if loc.part is None:
        return None, None
    parts = report.enabled_parts
    if not 1 <= loc.part <= len(parts):
        raise IndexError(f"no part {loc.part}")
    part = parts[loc.part - 1]
    if loc.section is None:
        return part, None
    if not 1 <= loc.section <= len(part.sections):
        raise IndexError(f"no section {loc.section} in part {loc.part}")
    return part, part.sections[loc.section - 1]


def _line(text: str, index: int) -> str:
    """Line ``index`` of a multi-paragraph field; empty past its end."""
    lines = text.split("\n")
    return lines[index] if index < len(lines) else ""


def _with_line(text: str, index: int, line: str) -> str:
    """``text`` with line ``index`` replaced (IndexError past its end)."""
    lines = text.split("\n")
    lines[index] = line
    return "\n".join(lines)


def text_at(report: Report, loc: Location) -> str:
    """The whole paragraph ``loc`` points into; select ``[loc.start:loc.end]`` of it."""
    if loc.field.startswith("header."):
        return header_text(report.header, loc.field[7:])
    if loc.field == "preamble":
        return _line(report.preamble, loc.paragraph)
    if loc.field == "closing":
        return report.closing
    part, section = _container(report, loc)
    if section is None:
        return part.heading if loc.paragraph == 0 else _line(part.lead, loc.paragraph - 1)
    return section.title if loc.paragraph == 0 else _line(section.body, loc.paragraph - 1)


def span_at(report: Report, loc: Location) -> str:
    return text_at(report, loc)[loc.start:loc.end]


def set_text_at(report: Report, loc: Location, text: str) -> None:
    """Replace the whole paragraph ``loc`` points into."""
    if loc.field.startswith("header."):
        name = loc.field[7:]
        if name == "doc_number":
            report.header.set_doc_number(text)
            report.header.source_doc_number = ""
        else:
            setattr(report.header, name, text)
        return
    if loc.field == "preamble":
        report.preamble = _with_line(report.preamble, loc.paragraph, text)
        return
    if loc.field == "closing":
        report.closing = text
        return
    part, section = _container(report, loc)
    if section is None:
        if loc.paragraph == 0:
            part.heading = text
        else:
            part.lead = _with_line(part.lead, loc.paragraph - 1, text)
        return
    if loc.paragraph == 0:
        section.title = text
    else:
        section.body = _with_line(section.body, loc.paragraph - 1, text)


def section_at(report: Report, loc: Location):
    """The Section object ``loc`` is in, or None."""
    return _container(report, loc)[1] if loc.part is not None else None
