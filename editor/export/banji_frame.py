"""The 版记 as one frame at the foot of the last page: the paragraphs, their rules and the
抄送 lines broken as GB/T 9704 wants them (回行与冒号后首字对齐)."""

from __future__ import annotations

import copy

from .blocks import Para, Run, Table
from .layout import Layout
from .pagination import _tokens

# LibreOffice 7.4 keeps framed paragraphs in one frame only when they all carry the same
# borders (it turns them into the frame's borders; differing borders, a w:between or an
# empty paragraph make it lay them out inline: measured). Word draws one box round
# consecutive paragraphs with the same borders and the same left/right indents. So every
# 版记 paragraph has the same top and bottom rule (the 首条/末条 thick rules, spanning the
# whole 版心), no left/right indent, 左右各空一字 as first-line indents and tabs, the 抄送
# lines broken here (回行与冒号后首字对齐), and the thin middle rule an underlined tab.

def frame_pr(layout: Layout) -> str:
    return (f'<w:framePr w:w="{layout.text_width}" w:wrap="notBeside" w:vAnchor="margin" '
            'w:hAnchor="margin" w:yAlign="bottom"/>')


def frame_paras(layout: Layout, t: Table) -> list[tuple[Para, str]]:
    """The 版记 as (paragraph, extra pPr XML) pairs of one frame."""
    width = layout.text_width
    black = layout.colors.black
    size = float(layout.sizes.banji_pt)
    one = round(size * 20) * int(layout.banji.side_indent_chars)
    frame = frame_pr(layout)
    thick = round(t.rules[0])
    borders = (f'<w:pBdr><w:top w:val="single" w:sz="{thick}" w:space="0" w:color="{black}"/>'
               f'<w:bottom w:val="single" w:sz="{round(t.rules[-1])}" w:space="0" '
               f'w:color="{black}"/></w:pBdr>')
    out: list[Para] = []
    for i, row in enumerate(t.rows):
        if i:
            out.append(_thin_rule(layout, t.rules[i]))
        for p in row:
            if p.role == "cc":
                out.extend(_cc_lines(layout, p, width, one))
            else:
                q = copy.copy(p)
                q.first_line, q.left, q.right = one + max(0, p.left - one), 0, 0
                q.tabs = [(width - one, "right")] if p.tabs else []
                out.append(q)
    for q in out:
        q.frame, q.keep_next, q.keep_lines = frame, True, True
        q.line = q.line if q.role == "banji-rule" else layout.pitch
    out[-1].keep_next = False
    return [(q, borders) for q in out]


def _thin_rule(layout: Layout, sz: float) -> Para:
    # An underlined right tab across the 版心: a line LibreOffice, Word and WPS all draw.
    # Underline thickness follows the font size: 7 pt ≈ a 0.25 mm rule.
    run = Run("\t", "songti", 7, underline=True)
    return Para([run], role="banji-rule", align="left", line=round(7 * 20 * 0.6),
                tabs=[(layout.text_width, "right")])


def _cc_lines(layout: Layout, p: Para, width: int, one: int) -> list[Para]:
    hang = p.left - one
    no_start = layout.linebreak.no_start
    lines: list[list] = [[]]
    avail, used = width - 2 * one, 0
    for tok in _tokens(p):
        if used + tok[1] > avail and lines[-1]:
            if tok[0][0] in no_start:  # a closing mark hangs on (never starts a line)
                lines[-1].append(tok)
                used = avail
                continue
            lines.append([])
            avail, used = width - 2 * one - hang, 0
        lines[-1].append(tok)
        used += tok[1]
    run = p.runs[0]
    out = []
    for k, toks in enumerate(lines):
        r = copy.copy(run)
        r.text = "".join(t[0] for t in toks)
        out.append(Para([r], role="cc", align="left", first_line=one + (hang if k else 0),
                        line=layout.pitch))
    return out

