"""Report → blocks for each variant: 版头, 主体 (title, 主送, body, signature) and 版记."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..model import Report, clean_line, clean_text, part_number, section_number
from .blocks import Para, Run, Table
from .layout import Layout, mm
from .pagination import char_advance
from .title_lines import split_title

VARIANTS = ("redhead", "preprinted", "plain")

_LEVEL3 = re.compile(r"^(\d{1,2}[.．])(?!\d)")  # 1. but not 2.3万
_LEVEL4 = re.compile(r"^([（(]\d{1,2}[）)])")
_ARABIC_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_END_PUNCT = "。！？；：…"


@dataclass
class Composition:
    head: list = field(default_factory=list)  # 版头 (empty for plain)
    body: list = field(default_factory=list)  # title … 附注
    banji: Table | None = None
    warnings: list[str] = field(default_factory=list)
    head_lines: int = 0  # grid lines the 版头 takes on page 1


class Composer:
    def __init__(self, layout: Layout):
        self.L = layout
        self.pitch = layout.pitch
        self.body_pt = layout.sizes.body_pt
        self.spacing = int(layout.page.char_spacing_twips)
        self.char = layout.body_char

    # ---- runs ----------------------------------------------------------------------------------
    def run(self, text: str, font: str = "fangsong", size: float | None = None, **kw) -> Run:
        size = self.body_pt if size is None else size
        spacing = self.spacing if size == self.body_pt else 0
        return Run(clean_text(text).replace("\n", ""), font, size, spacing=spacing, **kw)

    def blank(self, role: str = "blank", keep_next: bool = False) -> Para:
        return Para([], role=role, align="left", keep_next=keep_next, line=self.pitch)

    def body_para(self, runs: list[Run], role: str = "body", **kw) -> Para:
        indent = int(self.L.body.first_line_indent_chars) * self.char
        align = "both" if self.L.body.justify else "left"
        return Para(runs, role=role, align=align, first_line=indent, line=self.pitch, **kw)

    def width(self, text: str, size: float, spacing: int = 0) -> int:
        return sum(char_advance(ch, size, spacing) for ch in text)

    # ---- the whole document --------------------------------------------------------------------
    def compose(self, report: Report, variant: str) -> Composition:
        out = Composition()
        h = report.header
        if variant != "plain":
            out.head, out.head_lines = self.head(report, variant, out.warnings)
        out.body.extend(self.title(h.title or "", out.warnings))
        if variant != "plain":
            for _ in range(int(self.L.title.blank_lines_after)):
                out.body.append(self.blank())
            if h.recipients:
                out.body.append(Para([self.run(h.recipients)], role="recipients", align="both",
                                     line=self.pitch))
            else:
                out.warnings.append("缺少主送机关")
        else:
            out.body.append(self.blank())
        out.body.extend(self.main_text(report, out.warnings))
        out.body.extend(self.signature(report, variant, out.warnings))
        if variant != "plain":
            out.banji = self.banji(report, out.warnings)
        return out

    # ---- 版头 ------------------------------------------------------------------------------------
    def mark_size(self, mark: str) -> float:
        n = max(len(mark), 1)
        fit = self.L.text_width * float(self.L.sizes.mark_width_ratio) / n / 20
        size = min(float(self.L.sizes.mark_max_pt), math.floor(fit * 2) / 2)
        return max(size, float(self.L.sizes.mark_min_pt))

    def head(self, report: Report, variant: str, warnings: list[str]) -> tuple[list, int]:
        L, h = self.L, report.header
        mark = h.organ_mark or (report.organ + "文件" if report.organ else "")
        if not mark and variant == "redhead":
            warnings.append("缺少发文机关标志")
        size = self.mark_size(mark)
        mark_line = round(size * 20 * 1.2)
        glyph = round(size * 20 * float(L.header.mark_glyph_top_ratio))
        spacer = mm(L.header.mark_top_mm) - glyph
        blocks: list[Para] = [Para([], role="mark-spacer", align="left", line=spacer)]
        runs = [self.run(mark, "xiaobiaosong", size, color=L.colors.red)] \
            if variant == "redhead" and mark else []
        # A name too long even at the smallest size is narrowed (horizontal scale), never wrapped.
        natural = self.width(mark, size)
        room = L.text_width * float(L.sizes.mark_width_ratio)
        if runs and natural > room:
            runs[0].scale = max(33, math.floor(100 * room / natural))
        blocks.append(Para(runs, role="mark", align="center", line=mark_line))
        for _ in range(int(L.header.blank_lines_after_mark)):
            blocks.append(self.blank("head-blank"))
        if not h.doc_number:
            warnings.append("缺少发文字号")
        if not h.signer:
            warnings.append("缺少签发人")
        number_runs = [self.run(h.doc_number, role_font(L, "fangsong"))] if h.doc_number else []
        if h.signer:
            number_runs.append(self.run("\t签发人：", "fangsong"))
            number_runs.append(self.run(h.signer, "kaiti"))
        indent = int(L.header.doc_number_indent_chars) * self.char
        tab = L.text_width - int(L.header.signer_indent_chars) * self.char
        # The red line is the 发文字号 paragraph's bottom border, 4 mm below the glyphs.
        line_pt = float(L.header.red_line_pt)
        space_pt = round((mm(L.header.red_line_gap_mm) - self.pitch
                          * float(L.header.doc_number_descent_ratio)) / 20 - line_pt / 2 - 0.4)
        space_pt = max(0, min(31, space_pt))
        sz = max(2, min(96, round(line_pt * 8)))
        # First-line indent, not a left indent: the border (red line) spans the paragraph's
        # indents and must run across the whole 版心.
        para = Para(number_runs, role="doc-number", align="left", first_line=indent,
                    line=self.pitch, tabs=[(tab, "right")])
        if variant == "redhead":
            para.border_bottom = (sz, space_pt, L.colors.red)
        else:  # pre-printed paper: keep the room, draw nothing
            para.space_after = space_pt * 20 + round(sz * 20 / 8)
        blocks.append(para)
        # Two lines down to the title, rounded so the 版头 ends on the line grid and the body
        # below it stays on the same grid as every other page.
        used = sum(b.line for b in blocks) + para.extra
        want = used + int(L.header.blank_lines_after_line) * self.pitch
        lines = round(want / self.pitch)
        gap = lines * self.pitch - used
        blocks.append(Para([], role="head-gap", align="left", line=gap))
        return blocks, lines

    # ---- title -----------------------------------------------------------------------------------
    def title(self, title: str, warnings: list[str]) -> list[Para]:
        title = clean_line(title)
        if not title:
            warnings.append("缺少标题")
            return [self.blank("title")]
        size = float(self.L.sizes.title_pt)
        lines = split_title(title, self.L, lambda s: self.width(s, size) / (size * 20))
        runs = []
        for i, line in enumerate(lines):
            runs.append(self.run(line, "xiaobiaosong", size, line_break_before=i > 0))
        return [Para(runs, role="title", align="center", line=self.pitch)]

    # ---- 正文 ------------------------------------------------------------------------------------
    def paragraphs(self, text: str) -> list[str]:
        return [p.strip() for p in clean_text(text).split("\n") if p.strip()]

    def numbered_para(self, text: str) -> Para:
        """A body paragraph; one starting with 1. or （1） gets its number styled as level 3/4."""
        L = self.L
        for rx, level in ((_LEVEL3, 3), (_LEVEL4, 4)):
            m = rx.match(text)
            if not m:
                continue
            font = role_font(L, getattr(L.levels, f"level{level}_font"))
            bold = bool(getattr(L.levels, f"level{level}_bold"))
            head = m.group(1)
            rest = text[len(head):]
            # "1.标题。正文" : the title up to its 。 belongs to the heading run.
            stop = rest.find("。")
            if 0 <= stop < 40 and stop < len(rest) - 1:
                head, rest = head + rest[: stop + 1], rest[stop + 1 :]
            return self.body_para([self.run(head, font, bold=bold), self.run(rest)],
                                  role=f"level{level}")
        return self.body_para([self.run(text)])

    def main_text(self, report: Report, warnings: list[str]) -> list[Para]:
        L = self.L
        out = [self.numbered_para(p) for p in self.paragraphs(report.preamble)]
        parts = report.enabled_parts
        if not parts:
            warnings.append("报告没有正文部分")
        for pi, part in enumerate(parts):
            f1 = role_font(L, L.levels.level1_font)
            heading = clean_line(part.heading) or "（未填写标题）"
            if not part.heading.strip():
                warnings.append(f"第{pi + 1}部分缺少标题")
            out.append(self.body_para(
                [self.run(part_number(pi) + heading, f1, bold=bool(L.levels.level1_bold))],
                role="level1", keep_next=True))
            out.extend(self.numbered_para(p) for p in self.paragraphs(part.lead))
            if not part.lead.strip() and all(s.is_empty for s in part.sections):
                warnings.append(f"第{pi + 1}部分“{heading}”没有内容")
            # an empty section is left out and the numbers close up behind it
            kept = [sec for sec in part.sections if not sec.is_empty]
            for si, sec in enumerate(kept):
                out.extend(self.section(si, sec, warnings, heading))
        if report.closing.strip():
            # 特此报告。 stays with the signature block (keep-with-next chain).
            out.append(self.body_para([self.run(clean_line(report.closing))], role="closing",
                                      keep_next=True))
        return out

    def section(self, si: int, sec, warnings: list[str], part_heading: str) -> list[Para]:
        L = self.L
        f2 = role_font(L, L.levels.level2_font)
        b2 = bool(L.levels.level2_bold)
        title = clean_line(sec.title)
        body = self.paragraphs(sec.body)
        marker = section_number(si)
        if not title:
            warnings.append(f"“{part_heading}”的第{si + 1}节缺少标题")
        if not body:
            warnings.append(f"“{part_heading}”{marker}{title}没有正文")
        if sec.run_in:
            head = marker + title + ("" if title and title[-1] in _END_PUNCT else "。")
            first = body[0] if body else ""
            paras = [self.body_para([self.run(head, f2, bold=b2), self.run(first)],
                                    role="level2-run-in")]
            body = body[1:]
        else:
            paras = [self.body_para([self.run(marker + title, f2, bold=b2)], role="level2",
                                    keep_next=True)]
        paras.extend(self.numbered_para(p) for p in body)
        return paras

    # ---- 署名, 成文日期, 附注 ---------------------------------------------------------------------
    def signature(self, report: Report, variant: str, warnings: list[str]) -> list[Para]:
        L, h = self.L, report.header
        out: list[Para] = []
        signature = clean_line(h.signature) or clean_line(report.organ)
        date = clean_line(h.date)
        if not signature:
            warnings.append("缺少发文机关署名")
        if not date:
            warnings.append("缺少成文日期")
        elif not _ARABIC_DATE.match(date):
            warnings.append(f"成文日期“{date}”应使用阿拉伯数字，如“2026年2月10日”")
        if not (signature or date):
            return out
        for _ in range(int(L.signature.blank_lines_before)):
            out.append(self.blank("seal-blank", keep_next=True))
        date_indent = int(L.signature.date_right_indent_chars) * self.char
        date_w = self.width(date, self.body_pt, self.spacing)
        sig_w = self.width(signature, self.body_pt, self.spacing)
        sig_indent = max(0, date_indent + (date_w - sig_w) // 2)
        if signature:
            out.append(Para([self.run(signature)], role="signature", align="right",
                            right=sig_indent, line=self.pitch, keep_next=bool(date)))
        if date:
            out.append(Para([self.run(date)], role="date", align="right", right=date_indent,
                            line=self.pitch, keep_next=bool(h.note and variant != "plain")))
        if h.note and variant != "plain":
            indent = int(L.signature.note_indent_chars) * self.char
            out.append(Para([self.run(clean_line(h.note))], role="note", align="both",
                            first_line=indent, line=self.pitch))
        return out

    # ---- 版记 ------------------------------------------------------------------------------------
    def banji(self, report: Report, warnings: list[str]) -> Table | None:
        L, h = self.L, report.header
        size = float(L.sizes.banji_pt)
        one = round(size * 20) * int(L.banji.side_indent_chars)
        rows = []
        cc = clean_line(h.cc).rstrip("。.，,；;")
        if cc:
            label = "抄送："
            hang = self.width(label, size)
            rows.append([Para([self.run(label + cc + "。", "fangsong", size)], role="cc",
                              align="both", left=one + hang, first_line=-hang, right=one,
                              line=self.pitch)])
        printer = clean_line(h.printer)
        print_date = clean_line(h.print_date)
        if printer or print_date:
            text = printer + "\t" + (print_date + "印发" if print_date else "")
            rows.append([Para([self.run(text, "fangsong", size)], role="printer", align="left",
                              left=one, right=one, line=self.pitch,
                              tabs=[(L.text_width - one, "right")])])
        if not printer:
            warnings.append("缺少印发机关")
        if not print_date:
            warnings.append("缺少印发日期")
        if not rows:
            return None
        thick = round(float(L.banji.thick_rule_mm) / 25.4 * 72 * 8)
        thin = round(float(L.banji.thin_rule_mm) / 25.4 * 72 * 8)
        rules = [thick] + [thin] * (len(rows) - 1) + [thick]
        return Table(rows=rows, rules=rules)


def role_font(layout: Layout, role: str) -> str:
    """Level fonts in the layout are roles (fangsong…); accept a literal font name too."""
    return role if role in layout.fonts.keys() else "fangsong"  # noqa: SIM118
