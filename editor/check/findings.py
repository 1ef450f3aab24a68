"""What the checker reports: a Finding at an exact Place (editor.model.place).

A finding about a generated number (an imported （一） marker) sits at start == end == 0 of the
section's title line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import TYPE_CHECKING, Any

from ..model import Place

if TYPE_CHECKING:
    from ..model import Report

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
NEAR = 3  # characters either side that identify an ignored finding


@dataclass
class Finding:
    rule: str  # ERR-xx id of the spec
    severity: str  # error / warning / info
    place: Place
    text: str  # the flagged text (the span), or the marker/number it is about
    message: str  # plain Chinese: what is wrong and why
    suggestion: str | None = None  # replacement for the span; None when no automatic fix
    # How 改正 applies the suggestion: "text" replaces the span; "marker" drops the imported
    # section marker (the generated number is right); "doc_number" drops the imported 发文字号;
    # "section" makes the paragraph (一、…/（一）…) and those after it a new section.
    fix: str = "text"
    # Text around the span (inside the paragraph): identifies the finding across edits elsewhere.
    context: tuple[str, str] = dc_field(default=("", ""), compare=False)

    @property
    def fingerprint(self) -> str:
        """Stable id for 忽略: rule + the span + a few characters either side, no positions."""
        key = "\x1f".join((self.rule, self.place.field, self.context[0], self.text,
                           self.context[1]))
        return hashlib.blake2b(key.encode(), digest_size=10).hexdigest()

    @property
    def ignore_key(self) -> str:
        """What 忽略 remembers: the rule, the text and its nearest characters either side, so an
        edit elsewhere in the paragraph (or an earlier line added) keeps it ignored, and two
        equal slips in different sentences are told apart."""
        key = "\x1f".join((self.rule, self.place.field, self.context[0][-NEAR:], self.text,
                           self.context[1][:NEAR]))
        return "k:" + hashlib.blake2b(key.encode(), digest_size=10).hexdigest()

    def ignored_by(self, keys: set[str]) -> bool:
        """Whether 忽略 was chosen for this finding (by its key, or by the longer fingerprint
        an earlier version stored)."""
        return self.ignore_key in keys or self.fingerprint in keys

    @property
    def fixable(self) -> bool:
        return self.suggestion is not None

    def sort_key(self, order: dict[tuple[str, str], int]) -> tuple:
        """Document order (``order`` from editor.model.document_order), then severity."""
        p = self.place
        return (order.get((p.field, p.uid), len(order)), p.paragraph, p.start,
                SEVERITY_ORDER.get(self.severity, 3), self.rule)

    def to_json(self, report: Report) -> dict[str, Any]:
        """The command line's form (shared/design/architecture.md): part and section numbered
        from 1 in document order, ``paragraph`` the 0-based line of ``field``."""
        data = {
            "rule": self.rule, "severity": self.severity, **self.place.to_json(report),
            "text": self.text, "message": self.message, "suggestion": self.suggestion,
            "fingerprint": self.fingerprint,
        }
        if self.start_end_empty and self.text:
            # about something not in the line (an imported （五） marker before the title):
            # ``text`` stays line[start:end] and the marker is given apart
            data["text"], data["marker"] = "", self.text
        return data

    @property
    def start_end_empty(self) -> bool:
        return self.place.start == self.place.end


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
