"""Line breaking and pagination on the exact line grid.

Every body line is an exact 579-twip line and every 3号 character advances 315 twips, so the
number of lines a paragraph takes, and therefore where each page ends, can be computed the way a
clerk counts lines: 28 characters a line with the Chinese punctuation rules (a closing mark never
starts a line, an opening mark never ends one). LibreOffice and Word both keep exact lines whole,
so the paginator only has to move whole lines, and whole keep-together groups, to the next page.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .blocks import Block, Para, SectionBreak, Table
from .layout import Layout


def is_wide(ch: str) -> bool:
    # Ambiguous-width characters (“ ” — … ·) are full width in Chinese fonts with w:hint=eastAsia.
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def char_advance(ch: str, size_pt: float, spacing: int, scale: int = 100) -> int:
    full = round(size_pt * 20 * scale / 100)
    return (full if is_wide(ch) else full // 2) + spacing


def _tokens(para: Para) -> list[tuple[str, int]]:
    """Unbreakable pieces with their widths: one CJK character, or a run of Latin/digits."""
    out: list[tuple[str, int]] = []
    for run in para.runs:
        if run.field:
            out.append(("0", char_advance("0", run.size, run.spacing) * 2))
            continue
        for ch in run.text:
            w = char_advance(ch, run.size, run.spacing, run.scale)
            if ch == "\t":
                out.append((ch, 0))
            elif is_wide(ch) or ch == " " or not out or is_wide(out[-1][0][-1]) \
                    or out[-1][0][-1] in " \t":
                out.append((ch, w))
            else:
                text, width = out[-1]
                out[-1] = (text + ch, width + w)
    return out


def count_lines(para: Para, width: int, layout: Layout) -> int:
    """How many lines ``para`` takes in a column ``width`` twips wide."""
    if para.tiny:
        return 1
    segments = [[]]
    for run in para.runs:
        if run.line_break_before and segments[-1]:
            segments.append([])
        segments[-1].append(run)
    if any("\t" in r.text for r in para.runs):  # tab rows (印发, 发文字号) are one line
        return 1
    total = 0
    for seg in segments:
        total += _count_segment(Para(runs=seg, first_line=para.first_line, left=para.left,
                                     right=para.right), width, layout)
    return max(total, 1)


def _count_segment(para: Para, width: int, layout: Layout) -> int:
    no_start = layout.linebreak.no_start
    no_end = layout.linebreak.no_end
    base = width - para.left - para.right
    avail = base - para.first_line
    lines, cur, cur_w = 0, [], 0
    for tok in _tokens(para):
        text, w = tok
        if cur_w + w <= avail:
            cur.append(tok)
            cur_w += w
            continue
        if text in no_start and cur_w + w <= avail + w:
            # Word and LibreOffice let a closing mark hang past the right edge (overflowPunct).
            cur.append(tok)
            cur_w = avail
            continue
        carry = [tok]
        # A closing mark may not start the next line: the character before it goes down too.
        while cur and len(cur) > 1 and carry[0][0][0] in no_start:
            carry.insert(0, cur.pop())
        # An opening mark may not end this line.
        while cur and len(cur) > 1 and cur[-1][0][-1] in no_end:
            carry.insert(0, cur.pop())
        lines += 1
        avail = base
        cur, cur_w = [], 0
        for t in carry:
            if cur_w + t[1] > avail and cur:
                lines += 1
                cur, cur_w = [], 0
            cur.append(t)
            cur_w += t[1]
    return lines + (1 if cur or lines == 0 else 0)


TABLE_SLACK = 8


@dataclass
class Position:
    page: int  # 1-based
    used: int  # twips used on that page


def measure_blocks(blocks: list[Block], layout: Layout) -> None:
    """Fill in ``lines`` of every paragraph (and the 版记 row heights)."""
    width = layout.text_width
    for b in blocks:
        if isinstance(b, Para):
            b.lines = count_lines(b, width, layout)
        elif isinstance(b, Table):
            b.row_heights = []
            for i, row in enumerate(b.rows):
                for p in row:
                    p.line = layout.pitch
                    p.lines = count_lines(p, width, layout)
                if i == 0 and b.extra_lines:
                    row[-1].lines += b.extra_lines
                # Renderers add the rules to the rows' heights: take them out again (from the
                # rows' line heights too) so the whole 版记 stays a whole number of grid lines.
                rules = b.rules[i + 1] + (b.rules[0] if i == 0 else 0)
                height = sum(p.height for p in row) - round(rules * 20 / 8)
                if i == len(b.rows) - 1:
                    # A few twips of slack so the paragraph Word needs after the table still
                    # fits in the 18 twips between the 22nd line and the 版心's bottom edge.
                    height -= TABLE_SLACK
                lines = sum(p.lines for p in row)
                for p in row:
                    p.line = height // lines
                b.row_heights.append(height)


class Flow:
    """The walk over the blocks that decides where pages break. :func:`paginate` only counts
    with it; the 预览 (editor.export.preview) draws through its hooks, so both break pages at
    the same places by construction."""

    def __init__(self, layout: Layout, start: Position | None = None) -> None:
        self.cap = layout.text_height
        self.pos = Position(1, 0) if start is None else Position(start.page, start.used)

    # ---- hooks (a drawing flow overrides them) ----
    def new_page(self) -> None:
        self.pos = Position(self.pos.page + 1, 0)

    def section_break(self) -> None:
        self.new_page()

    def place_table(self, table: Table) -> None:
        """``table`` goes at the current position (it fits there)."""

    def place_line(self, para: Para, k: int) -> None:
        """Line ``k`` of ``para`` goes at the current position."""

    def end_para(self, para: Para) -> None:
        """After the last line of ``para``, before its space after."""

    # ---- the walk ----
    def run(self, blocks: list[Block]) -> Position:
        i = 0
        while i < len(blocks):
            b = blocks[i]
            if isinstance(b, SectionBreak):
                self.section_break()
                i += 1
                continue
            if isinstance(b, Table):
                if self.pos.used + b.height > self.cap and self.pos.used:
                    self.new_page()
                self.place_table(b)
                self.pos.used += b.height
                i += 1
                continue
            # A keep-with-next chain moves to the next page as a whole when it does not fit.
            j = i
            while j < len(blocks) - 1 and isinstance(blocks[j], Para) and blocks[j].keep_next \
                    and isinstance(blocks[j + 1], Para):
                j += 1
            if j > i:
                group = blocks[i : j + 1]
                need = sum(p.height for p in group[:-1]) + group[-1].line
                if b.page_break_before and self.pos.used:
                    self.new_page()
                if self.pos.used + need > self.cap and self.pos.used and need <= self.cap:
                    self.new_page()
                for p in group:
                    self.para(p, check_break=p is not b)
                i = j + 1
                continue
            self.para(b)
            i += 1
        return self.pos

    def para(self, p: Para, check_break: bool = True) -> None:
        if p.page_break_before and self.pos.used and check_break:
            self.new_page()
        for k in range(p.lines):
            if self.pos.used + p.line > self.cap:
                self.new_page()
            self.place_line(p, k)
            self.pos.used += p.line
        self.end_para(p)
        self.pos.used += p.extra


def paginate(blocks: list[Block], layout: Layout, start: Position | None = None) -> Position:
    """Where the flow ends after ``blocks``: page number and twips used on that page."""
    return Flow(layout, start).run(blocks)
