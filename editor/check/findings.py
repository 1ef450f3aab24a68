"""What the checker reports: a Finding at an exact Location.

Location conventions (what "the paragraph" is; see also locate.py):

* ``part`` counts enabled parts from 1 in document order; ``None`` for text outside the parts
  (header fields, preamble, closing).
* Inside a part, ``section`` is ``None`` for the part's own text: paragraph 0 is the part heading
  (without its 一、 number), paragraph k ≥ 1 is line k-1 of the lead (``part.lead.split("\\n")``).
* Inside a section (``section`` from 1): paragraph 0 is the section title (without its （一）
  number), paragraph k ≥ 1 is line k-1 of the body (``section.body.split("\\n")``, blank lines
  included so the index matches what the user sees in the body box).
* Outside the parts, ``field`` names the text: ``header.<name>`` (paragraph 0; ``header.doc_number``
  is the 发文字号 as imported if it differed, else the composed one), ``preamble`` (paragraph k =
  line k) or ``closing`` (paragraph 0).
* ``start``/``end`` are character offsets (Python str indices) in that paragraph. A finding about
  a generated number (an imported （一） marker) has start == end == 0 on the title paragraph.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from typing import Any

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Location:
    field: str  # header.<name> / preamble / closing / heading / lead / title / body
    part: int | None = None
    section: int | None = None
    paragraph: int = 0
    start: int = 0
    end: int = 0

    def with_span(self, start: int, end: int) -> Location:
        return replace(self, start=start, end=end)

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field, "part": self.part, "section": self.section,
            "paragraph": self.paragraph, "start": self.start, "end": self.end,
        }


@dataclass
class Finding:
    rule: str  # ERR-xx id of the spec
    severity: str  # error / warning / info
    location: Location
    text: str  # the flagged text (the span), or the marker/number it is about
    message: str  # plain Chinese: what is wrong and why
    suggestion: str | None = None  # replacement for the span; None when no automatic fix
    # How 改正 applies the suggestion: "text" replaces the span; "marker" drops the imported
    # section marker (the generated number is right); "doc_number" drops the imported 发文字号.
    fix: str = "text"
    # Text around the span (inside the paragraph): identifies the finding across edits elsewhere.
    context: tuple[str, str] = dc_field(default=("", ""), compare=False)

    @property
    def fingerprint(self) -> str:
        """Stable id for 忽略: rule + the span + a few characters either side, no positions."""
        key = "\x1f".join((self.rule, self.location.field, self.context[0], self.text,
                           self.context[1]))
        return hashlib.blake2b(key.encode(), digest_size=10).hexdigest()

    @property
    def fixable(self) -> bool:
        return self.suggestion is not None

    def sort_key(self) -> tuple:
        loc = self.location
        outside = {"header": 0, "preamble": 1}.get(loc.field.split(".")[0], 3)
        if loc.field == "closing":
            outside = 9
        return (outside, loc.part or 0, loc.section or 0, loc.paragraph, loc.start,
                SEVERITY_ORDER.get(self.severity, 3), self.rule)

    def to_json(self) -> dict[str, Any]:
        loc = self.location
        return {
            "rule": self.rule, "severity": self.severity, "part": loc.part,
            "section": loc.section, "paragraph": loc.paragraph, "start": loc.start,
            "end": loc.end, "field": loc.field, "text": self.text, "message": self.message,
            "suggestion": self.suggestion, "fingerprint": self.fingerprint,
        }


@dataclass(frozen=True)
class Hit:
    """A finding inside one paragraph, before it is given its location (cacheable)."""

    rule: str
    severity: str
    start: int
    end: int
    message: str
    suggestion: str | None = None
    fix: str = "text"
