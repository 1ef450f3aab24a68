"""Every line of a report's text as (Place, text, kind), in document order, and back.

The checker proofreads line by line; ``kind`` decides which rules run on a line (prose,
heading, title, closing, or header.<name>).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import HEADER_FIELDS, Place, PlaceNotFound, Report, header_field_text
from ..model.place import set_line
from ..model.report import doc_number_field


@dataclass(frozen=True)
class Para:
    place: Place  # span 0..0
    text: str
    kind: str  # prose / heading / title / closing / header.<name>
    part_key: str = ""  # profile key of the part the text belongs to ("" outside parts)


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def iter_paragraphs(report: Report, header: bool = True) -> Iterator[Para]:
    if header:
        for name in HEADER_FIELDS:
            if name == "doc_number":
                name = doc_number_field(report.header)
            text = header_field_text(report.header, name)
            if text:
                yield Para(Place(f"header.{name}"), text, f"header.{name}")
    for k, line in enumerate(_lines(report.preamble)):
        yield Para(Place("preamble", paragraph=k), line, "prose")
    for part in report.enabled_parts:
        yield Para(Place("heading", part.uid), part.heading, "heading", part.key)
        for k, line in enumerate(_lines(part.lead)):
            yield Para(Place("lead", part.uid, k), line, "prose", part.key)
        for section in part.sections:
            yield Para(Place("title", section.uid), section.title, "title", part.key)
            for k, line in enumerate(_lines(section.body)):
                yield Para(Place("body", section.uid, k), line, "prose", part.key)
    if report.closing:
        yield Para(Place("closing"), report.closing, "closing")


def text_at(report: Report, place: Place) -> str:
    """The whole line ``place`` points into ("" when the report no longer has it)."""
    try:
        return place.line(report)
    except PlaceNotFound:
        return ""


def span_at(report: Report, place: Place) -> str:
    return text_at(report, place)[place.start:place.end]


def set_text_at(report: Report, place: Place, text: str) -> None:
    """Replace the whole line ``place`` points into (PlaceNotFound if it is gone)."""
    set_line(report, place, text)


def section_at(report: Report, place: Place):
    """The Section object ``place`` is in, or None."""
    try:
        return place.container(report)[1]
    except PlaceNotFound:
        return None
