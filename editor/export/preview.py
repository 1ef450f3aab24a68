"""The 预览 page model: where every line, rule and page number of the exported 公文 lands.

No Qt here (the window only draws these items, see editor/ui/preview_paint.py), so the layout is
tested like the rest of the exporter. The steps are the exporter's own: Composer → measure_blocks
→ paginate → the 版记 placement of :mod:`editor.export`, so the preview breaks pages exactly where
the DOCX does. pagination.py only *counts* the lines of a paragraph; this module breaks them by
the same rules but keeps each line's characters, and the tests check that both agree line for
line and page for page.

Units are twips (1/20 pt) from the paper's top-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Report
from .blocks import Para, Run, Table
from .layout import Layout
from .pagination import Flow, char_advance, is_wide, measure_blocks, paginate

# Where an exact-height line puts its glyphs: LibreOffice leaves most of the spare height above
# them. Fitted to the render of the example (body 3号, 版头 mark, 页码 4号) within 0.3 mm.
TEXT_RISE = 0.83  # share of (line height − font size) above the glyphs' em box
ASCENT = 0.8  # baseline below the em box's top, share of the font size


@dataclass
class Glyph:
    """One unbreakable piece of a line (a Chinese character or a run of Latin/digits)."""

    x: int
    baseline: int
    text: str
    width: int  # advance the exporter counts for it; the painter keeps the text inside it
    font: str  # role in layout.fonts: fangsong, kaiti, heiti, xiaobiaosong, songti
    size: float  # pt
    bold: bool = False
    color: str | None = None  # "FF0000"; None = black
    scale: int = 100  # horizontal scale in percent (a very long 发文机关标志)


@dataclass
class Rule:
    x0: int
    x1: int
    y: int  # top edge
    thickness: int
    color: str = "000000"


@dataclass
class PreviewPage:
    number: int  # physical page, from 1
    numbered: bool = True
    glyphs: list[Glyph] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    label: str | None = None  # "— 3 —", None on the un-numbered blank and 版记 pages

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


@dataclass
class PreviewDocument:
    variant: str
    width: int  # paper, twips
    height: int
    margins: tuple[int, int, int, int]  # top, bottom, left, right
    pages: list[PreviewPage]
    warnings: list[str] = field(default_factory=list)
    expected_pages: int = 0  # the exporter's own count (ExportResult.pages)
    banji_page: int | None = None


# ---- tokens and lines ----------------------------------------------------------------------------
@dataclass
class _Token:
    text: str
    width: int
    pieces: list[tuple[str, int, Run]]  # (characters, advance, run they come from)


def _tokens(runs: list[Run]) -> list[_Token]:
    """pagination._tokens, keeping which run each character comes from (for its font)."""
    out: list[_Token] = []
    for run in runs:
        for ch in run.text:
            w = char_advance(ch, run.size, run.spacing, run.scale)
            if ch == "\t":
                out.append(_Token(ch, 0, [(ch, 0, run)]))
            elif is_wide(ch) or ch == " " or not out or is_wide(out[-1].text[-1]) \
                    or out[-1].text[-1] in " \t":
                out.append(_Token(ch, w, [(ch, w, run)]))
            else:
                tok = out[-1]
                tok.text += ch
                tok.width += w
                if tok.pieces[-1][2] is run:
                    text, width, _ = tok.pieces[-1]
                    tok.pieces[-1] = (text + ch, width + w, run)
                else:
                    tok.pieces.append((ch, w, run))
    return out


def _break(tokens: list[_Token], first: int, base: int, layout: Layout) -> list[list[_Token]]:
    """pagination._count_segment, returning the lines instead of their number."""
    no_start = layout.linebreak.no_start
    no_end = layout.linebreak.no_end
    lines: list[list[_Token]] = []
    avail, cur, cur_w = first, [], 0
    for tok in tokens:
        if cur_w + tok.width <= avail:
            cur.append(tok)
            cur_w += tok.width
            continue
        if tok.text in no_start and cur_w <= avail:
            cur.append(tok)  # a closing mark hangs past the right edge
            cur_w = avail
            continue
        carry = [tok]
        while cur and len(cur) > 1 and carry[0].text[0] in no_start:
            carry.insert(0, cur.pop())
        while cur and len(cur) > 1 and cur[-1].text[-1] in no_end:
            carry.insert(0, cur.pop())
        lines.append(cur)
        avail, cur, cur_w = base, [], 0
        for t in carry:
            if cur_w + t.width > avail and cur:
                lines.append(cur)
                cur, cur_w = [], 0
            cur.append(t)
            cur_w += t.width
    if cur or not lines:
        lines.append(cur)
    return lines


@dataclass
class _Line:
    x: int  # left edge of the first token, from the 版心's left edge
    tokens: list[_Token]
    gap: float = 0.0  # extra space after each token but the last (justified lines)


def break_lines(para: Para, width: int, layout: Layout) -> list[_Line]:
    """The lines of ``para`` in a column ``width`` twips wide, placed horizontally."""
    if para.tiny:
        return [_Line(0, [])]
    if any("\t" in r.text for r in para.runs):
        return [_tab_line(para, width)]
    segments: list[list[Run]] = [[]]
    for run in para.runs:
        if run.line_break_before and segments[-1]:
            segments.append([])
        segments[-1].append(run)
    out: list[_Line] = []
    base = width - para.left - para.right
    for seg in segments:
        lines = _break(_tokens(seg), base - para.first_line, base, layout)
        for k, toks in enumerate(lines):
            indent = para.first_line if k == 0 else 0
            x0 = para.left + indent
            room = base - indent
            used = sum(t.width for t in toks)
            line = _Line(x0, toks)
            if para.align == "center":
                line.x = x0 + (room - used) // 2
            elif para.align == "right":
                line.x = x0 + room - used
            elif para.align == "both" and k < len(lines) - 1 and len(toks) > 1 and used < room:
                line.gap = (room - used) / (len(toks) - 1)
            out.append(line)
    return out


def _tab_line(para: Para, width: int) -> _Line:
    """发文字号 … 签发人 and the 印发 row: text, then the rest right-aligned on the tab stop
    (tab positions count from the 版心's left edge, as Word's do)."""
    toks = _tokens(para.runs)
    split = next(i for i, t in enumerate(toks) if t.text == "\t")
    head, tail = toks[:split], toks[split + 1 :]
    stop = para.tabs[0][0] if para.tabs else width - para.right
    x0 = para.left + para.first_line
    tail_w = sum(t.width for t in tail)
    head_w = sum(t.width for t in head)
    # One line holding both parts: the gap between them stands for the tab.
    gap = max(0, stop - tail_w - (x0 + head_w))
    filler = _Token("", gap, [])
    return _Line(x0, [*head, filler, *tail])


def _baseline(top: int, line: int, size_pt: float) -> int:
    size = size_pt * 20
    return top + round(TEXT_RISE * max(0, line - size) + ASCENT * size)


# ---- placing the blocks on pages -----------------------------------------------------------------
class _Placer(Flow):
    """The pagination flow, drawing each line where paginate() counts it."""

    def __init__(self, layout: Layout) -> None:
        super().__init__(layout)
        self.L = layout
        self.top, _, self.left, _ = layout.margins
        self.width = layout.text_width
        self.pages = [PreviewPage(1)]
        self.numbered = True
        self._lines: list[_Line] = []

    def new_page(self) -> None:
        super().new_page()
        self.pages.append(PreviewPage(self.pos.page, numbered=self.numbered))

    def section_break(self) -> None:
        # The sections after the body's (blank page, 版记 page) carry no page numbers.
        self.numbered = False
        self.new_page()

    @property
    def page(self) -> PreviewPage:
        return self.pages[-1]

    def place_table(self, table: Table) -> None:
        self.table(table, self.top + self.pos.used)

    def para(self, p: Para, check_break: bool = True) -> None:
        self._lines = break_lines(p, self.width, self.L)
        super().para(p, check_break)

    def place_line(self, para: Para, k: int) -> None:
        # para.lines is what paginate counts; break_lines agrees (tested)
        if k < len(self._lines):
            self.line(self._lines[k], self.top + self.pos.used, para.line)

    def end_para(self, p: Para) -> None:
        if p.border_bottom:
            sz, space_pt, colour = p.border_bottom
            thick = max(1, round(sz * 20 / 8))
            self.page.rules.append(Rule(self.left + p.left, self.left + self.width - p.right,
                                        self.top + self.pos.used + space_pt * 20, thick, colour))

    def line(self, line: _Line, top: int, height: int) -> None:
        sizes = [piece[2].size for t in line.tokens for piece in t.pieces]
        if not sizes:
            return
        base = _baseline(top, height, max(sizes))
        x = float(self.left + line.x)
        for tok in line.tokens:
            px = x
            for text, width, run in tok.pieces:
                if text.strip():
                    self.page.glyphs.append(Glyph(round(px), base, text, width, run.font,
                                                  run.size, run.bold, run.color, run.scale))
                px += width
            x += tok.width + line.gap

    def table(self, t: Table, top: int) -> None:
        """The 版记: a rule above each row and one below the last, rows of exact lines."""
        y = top
        x0, x1 = self.left, self.left + self.width
        for i, row in enumerate(t.rows):
            thick = round(t.rules[i] * 20 / 8)
            self.page.rules.append(Rule(x0, x1, y, max(1, thick)))
            y += thick
            ly = y
            for p in row:
                for line in break_lines(p, self.width, self.L)[: p.lines]:
                    self.line(line, ly, p.line)
                    ly += p.line
            y += t.row_heights[i]
        self.page.rules.append(Rule(x0, x1, y, max(1, round(t.rules[-1] * 20 / 8))))

    def footers(self) -> None:
        """"— N —" in 4号宋体 7 mm below the 版心: odd pages right, even pages left, 空一字."""
        from .docx_writer import DocxWriter

        L = self.L
        size = float(L.sizes.page_number_pt)
        before, height = DocxWriter(L).footer_geometry()
        one = round(size * 20) * int(L.page_number.side_indent_chars)
        base = _baseline(self.top + self.cap + before, height, size)
        dash = L.page_number.dash
        for page in self.pages:
            if not page.numbered:
                continue
            page.label = f"{dash} {page.number} {dash}"
            run = Run(page.label, "songti", size)
            toks = _tokens([run])
            width = sum(t.width for t in toks)
            x = self.left + self.width - one - width if page.number % 2 else self.left + one
            for tok in toks:
                if tok.text.strip():
                    page.glyphs.append(Glyph(x, base, tok.text, tok.width, "songti", size))
                x += tok.width


# ---- the whole document --------------------------------------------------------------------------
def plan(report: Report, variant: str, layout: Layout):
    """The exporter's block list for ``report`` (版头, body, blank lines and the 版记 placed on
    an even page) and its ExportResult, as :func:`editor.export.build_document` makes them, but
    without writing the DOCX."""
    from . import ExportError, ExportResult, _place_banji
    from .compose import VARIANTS, Composer

    if variant not in VARIANTS:
        raise ExportError(f"不认识的版式“{variant}”。")
    work = report.copy()
    work.clean()
    comp = Composer(layout).compose(work, variant)
    blocks = [*comp.head, *comp.body]
    measure_blocks(blocks, layout)
    if comp.banji is not None:
        measure_blocks([comp.banji], layout)
    end = paginate(blocks, layout)
    result = ExportResult(path=None, variant=variant, pages=end.page,
                          warnings=list(comp.warnings),
                          body_end=(end.page, end.used // layout.pitch))
    tail = _place_banji(comp, layout, end, result)
    result.pages = result.banji_page or end.page
    return blocks + tail, result


def build_preview(report: Report, variant: str = "redhead", layout: Layout | None = None
                  ) -> PreviewDocument:
    """Every page of the 公文 ``report`` exports to, as drawable items."""
    from .layout import load_layout

    layout = layout or load_layout()
    blocks, result = plan(report, variant, layout)
    placer = _Placer(layout)
    placer.run(blocks)
    placer.footers()
    return PreviewDocument(variant, layout.page_width, layout.page_height, layout.margins,
                           placer.pages, result.warnings, result.pages, result.banji_page)


__all__ = ["Glyph", "PreviewDocument", "PreviewPage", "Rule", "break_lines", "build_preview",
           "plan"]
