"""The document as a list of blocks (paragraphs and the 版记 table) before it becomes OOXML.

Building this intermediate form first lets the paginator count lines on the same objects the
writer turns into XML, so the two never disagree about what is on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Run:
    text: str
    font: str  # role in layout.fonts: fangsong, kaiti, heiti, xiaobiaosong, songti
    size: float  # pt
    bold: bool = False
    color: str | None = None
    spacing: int = 0  # character spacing, twips
    field: str | None = None  # "PAGE": a page-number field instead of text
    line_break_before: bool = False
    scale: int = 100  # horizontal scale in percent (w:w)
    underline: bool = False


@dataclass
class Para:
    runs: list[Run] = field(default_factory=list)
    role: str = "body"  # what it is (tests and the paginator look at it)
    align: str = "both"  # left / center / right / both
    first_line: int = 0  # twips; negative = hanging
    left: int = 0
    right: int = 0
    line: int = 579  # exact line height, twips
    keep_next: bool = False
    page_break_before: bool = False
    border_bottom: tuple[int, int, str] | None = None  # (eighths of a pt, space pt, colour)
    space_after: int = 0  # twips
    tabs: list[tuple[int, str]] = field(default_factory=list)
    tiny: bool = False  # a near-zero-height paragraph (the 版记 frame's rules and anchor)
    keep_lines: bool = False
    frame: str = ""  # w:framePr XML: the paragraph belongs to a positioned frame (the 版记)
    virtual: bool = False  # in the model (pagination, preview) only, never written to the DOCX
    lines: int = 1  # filled in by the paginator's line breaker

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def extra(self) -> int:
        """Height added below the lines (border distance and width, space after)."""
        extra = self.space_after
        if self.border_bottom:
            sz, space_pt, _ = self.border_bottom
            extra += space_pt * 20 + round(sz * 20 / 8)
        return extra

    @property
    def height(self) -> int:
        return self.lines * self.line + self.extra


@dataclass
class Table:
    """The 版记: one column, rows of paragraphs, horizontal rules only."""

    rows: list[list[Para]]
    rules: list[float]  # rule thickness in eighths of a pt: above row 0, between rows…, below last
    role: str = "banji"
    row_heights: list[int] = field(default_factory=list)  # twips, filled by the paginator
    extra_lines: int = 0  # lines a render showed the first row needs beyond the computed count
    # The DOCX writes the 版记 as a frame at the bottom of the type area (not as a w:tbl). When
    # ``start`` is set it opens a section of its own starting on the next even page ("evenPage")
    # or the next page ("nextPage"), with page numbers or not.
    start: str | None = None
    numbered: bool = True

    @property
    def height(self) -> int:
        """Height on the grid, rules included."""
        from .pagination import TABLE_SLACK

        return sum(self.row_heights) + sum(round(r * 20 / 8) for r in self.rules) + TABLE_SLACK


@dataclass
class SectionBreak:
    """Ends a section; the next one starts on a new page with (optionally) no page numbers."""

    numbered: bool = True  # page numbers of the section that ENDS here
    role: str = "section-break"
    virtual: bool = False  # in the model (pagination, preview) only, never written to the DOCX


Block = Para | Table | SectionBreak
