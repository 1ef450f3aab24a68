"""A place in a report: which text field, which line of it, which characters.

One way to name a place, shared by the checker, find and replace, search, the navigation tree and
the window. Parts and sections are named by their uid, so a place survives sections being moved
or added before it; the command line's numbers (part and section from 1 in document order) are
derived from the report when they are printed.

``field`` is one of:

* ``header.<name>``: a 版头/版记 field of :class:`Header` (one line, paragraph 0);
* ``preamble``: the 前言, ``paragraph`` k = its line k;
* ``closing``: the 结束语 (one line);
* ``heading`` / ``lead``: a part's heading (one line) or its lead paragraphs, ``uid`` = the part's;
* ``title`` / ``body``: a section's title (one line) or its body, ``uid`` = the section's.

``paragraph`` counts the lines of the field from 0 exactly as ``text.split("\\n")`` gives them
(blank lines included), and ``start``/``end`` are Python string offsets in that line, so that
``line[start:end]`` is the text a place selects.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .report import Part, Report, Section

# What the user calls each header field (a profile may word them its own way).
HEADER_LABELS = {
    "organ_mark": "发文机关标志", "doc_number": "发文字号", "source_doc_number": "发文字号",
    "doc_code": "机关代字",
    "doc_year": "发文字号年份", "doc_serial": "发文字号序号", "signer": "签发人", "title": "标题",
    "recipients": "主送机关", "signature": "发文机关署名", "date": "成文日期", "note": "附注",
    "cc": "抄送机关", "printer": "印发机关", "print_date": "印发日期", "publicity": "公开属性",
}
PART_FIELDS = ("heading", "lead")
SECTION_FIELDS = ("title", "body")
HEADER = "header"
PREAMBLE = "preamble"


class PlaceNotFound(LookupError):
    """The place names a part, section or line the report does not have (any more)."""


@dataclass(frozen=True)
class Place:
    field: str
    uid: str = ""
    paragraph: int = 0
    start: int = 0
    end: int = 0

    # ---- shape ------------------------------------------------------------------------------
    def with_span(self, start: int, end: int) -> Place:
        return replace(self, start=start, end=end)

    def line_place(self) -> Place:
        """The same line with no span (a key for per-line caches and maps)."""
        return replace(self, start=0, end=0)

    @property
    def in_part(self) -> bool:
        return self.field in PART_FIELDS

    @property
    def in_section(self) -> bool:
        return self.field in SECTION_FIELDS

    @property
    def header_name(self) -> str:
        """The Header attribute for ``header.<name>`` places, else ""."""
        return self.field[7:] if self.field.startswith("header.") else ""

    @property
    def node_key(self) -> str:
        """The navigation tree's node that shows this place: ``header``, ``preamble`` (which
        also holds the 结束语), ``part:<uid>`` or ``section:<uid>``."""
        if self.in_section:
            return section_key(self.uid)
        if self.in_part:
            return part_key(self.uid)
        if self.field in ("preamble", "closing"):
            return PREAMBLE
        return HEADER

    # ---- the report's text ---------------------------------------------------------------------
    def container(self, report: Report) -> tuple[Part | None, Section | None]:
        """(part, section) the place is in; (None, None) outside the parts."""
        if self.in_part:
            for part in report.parts:
                if part.uid == self.uid:
                    return part, None
            raise PlaceNotFound(self)
        if self.in_section:
            found = report.find_section(self.uid)
            if found is None:
                raise PlaceNotFound(self)
            part, index = found
            return part, part.sections[index]
        return None, None

    def field_text(self, report: Report) -> str:
        """The whole field (all its lines)."""
        if self.header_name:
            from .report import header_field_text

            return header_field_text(report.header, self.header_name)
        if self.field == "preamble":
            return report.preamble
        if self.field == "closing":
            return report.closing
        part, section = self.container(report)
        if section is not None:
            return section.title if self.field == "title" else section.body
        return part.heading if self.field == "heading" else part.lead

    def line(self, report: Report) -> str:
        """The line the place points into; select ``[start:end]`` of it."""
        lines = self.field_text(report).split("\n")
        if not 0 <= self.paragraph < len(lines):
            raise PlaceNotFound(self)
        return lines[self.paragraph]

    def span(self, report: Report) -> str:
        return self.line(report)[self.start:self.end]

    def field_offsets(self, report: Report) -> tuple[int, int]:
        """``start``/``end`` as offsets in the whole field (lines joined by newlines)."""
        lines = self.field_text(report).split("\n")
        base = sum(len(x) + 1 for x in lines[:self.paragraph])
        return base + self.start, base + self.end

    def describe(self, report: Report, field_label=None) -> str:
        """Where the place is, as the user counts: 第一部分（二）第3段, 前言第1段,
        版头版记·签发人. ``field_label(name)`` may word the header fields."""
        from .report import chinese_number

        name = self.header_name
        if name:
            label = (field_label(name) if field_label and not name.startswith(("doc_", "source"))
                     else None)
            return f"版头版记·{label or HEADER_LABELS.get(name, name)}"
        if self.field == "preamble":
            return f"前言第{self.paragraph + 1}段"
        if self.field == "closing":
            return "结束语"
        try:
            part, section = self.numbers(report)
        except PlaceNotFound:
            return "（已删除的位置）"
        text = f"第{chinese_number(part)}部分"
        if section is None:
            return text + ("标题" if self.field == "heading" else f"开头第{self.paragraph + 1}段")
        text += f"（{chinese_number(section)}）"
        return text + ("标题" if self.field == "title" else f"第{self.paragraph + 1}段")

    # ---- the command line's numbering ----------------------------------------------------------
    def numbers(self, report: Report) -> tuple[int | None, int | None]:
        """(part, section) as the command line counts them: enabled parts from 1 in document
        order, sections from 1 within their part; None where the place is not inside one."""
        if not (self.in_part or self.in_section):
            return None, None
        for pi, part in enumerate(report.enabled_parts, start=1):
            if self.in_part and part.uid == self.uid:
                return pi, None
            if self.in_section:
                for si, s in enumerate(part.sections, start=1):
                    if s.uid == self.uid:
                        return pi, si
        raise PlaceNotFound(self)

    def to_json(self, report: Report) -> dict[str, Any]:
        part, section = self.numbers(report)
        return {"field": self.field, "part": part, "section": section,
                "paragraph": self.paragraph, "start": self.start, "end": self.end}

    @classmethod
    def from_numbers(cls, report: Report, field: str, part: int | None = None,
                     section: int | None = None, paragraph: int = 0, start: int = 0,
                     end: int = 0) -> Place:
        """The place the command line's numbers name (the inverse of :meth:`numbers`)."""
        uid = ""
        if field in PART_FIELDS or field in SECTION_FIELDS:
            parts = report.enabled_parts
            if part is None or not 1 <= part <= len(parts):
                raise PlaceNotFound((field, part, section))
            p = parts[part - 1]
            uid = p.uid
            if field in SECTION_FIELDS:
                if section is None or not 1 <= section <= len(p.sections):
                    raise PlaceNotFound((field, part, section))
                uid = p.sections[section - 1].uid
        return cls(field, uid, paragraph, start, end)


def part_key(uid: str) -> str:
    return f"part:{uid}"


def section_key(uid: str) -> str:
    return f"section:{uid}"


def document_order(report: Report) -> dict[tuple[str, str], int]:
    """(field, uid) → its position in the document, for sorting places."""
    order: dict[tuple[str, str], int] = {}
    from .report import HEADER_FIELDS

    for name in HEADER_FIELDS:
        order[(f"header.{name}", "")] = len(order)
    order[("preamble", "")] = len(order)
    for part in report.enabled_parts:
        order[("heading", part.uid)] = len(order)
        order[("lead", part.uid)] = len(order)
        for s in part.sections:
            order[("title", s.uid)] = len(order)
            order[("body", s.uid)] = len(order)
    order[("closing", "")] = len(order)
    return order


def set_line(report: Report, place: Place, text: str) -> None:
    """Replace the whole line ``place`` points into (PlaceNotFound past the field's end)."""
    lines = place.field_text(report).split("\n")
    if not 0 <= place.paragraph < len(lines):
        raise PlaceNotFound(place)
    lines[place.paragraph] = text
    set_field(report, place, "\n".join(lines))


def set_field(report: Report, place: Place, text: str) -> None:
    """Replace the whole field ``place`` is in."""
    name = place.header_name
    if name:
        if name in ("doc_number", "source_doc_number"):
            report.header.set_doc_number(text)
            report.header.source_doc_number = ""
        else:
            setattr(report.header, name, text)
        return
    if place.field == "preamble":
        report.preamble = text
        return
    if place.field == "closing":
        report.closing = text
        return
    part, section = place.container(report)
    if section is not None:
        if place.field == "title":
            section.title = text
        else:
            section.body = text
    elif place.field == "heading":
        part.heading = text
    else:
        part.lead = text
