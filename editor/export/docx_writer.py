"""Blocks → DOCX (python-docx for the package, hand-built OOXML for everything python-docx has
no API for: exact lines, character spacing, borders, tabs, footers with PAGE fields, sections)."""

from __future__ import annotations

import copy
from xml.sax.saxutils import escape

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.hdrftr import FooterPart

from .banji_frame import frame_paras
from .blocks import Block, Para, Run, SectionBreak, Table
from .layout import Layout, mm

W_NS = nsdecls("w")
_THEME_ATTRS = tuple(qn(f"w:{a}") for a in (
    "asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


class DocxWriter:
    def __init__(self, layout: Layout):
        self.L = layout

    # ---- runs and paragraphs as XML strings (one parse for the whole body is fast) --------------
    def run_xml(self, r: Run) -> str:
        name = _attr(self.L.font(r.font))
        rpr = [(f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" '
                f'w:cs="{name}" w:hint="eastAsia"/>')]
        if r.bold:
            rpr.append("<w:b/><w:bCs/>")
        if r.color:
            rpr.append(f'<w:color w:val="{r.color}"/>')
        if r.spacing:
            rpr.append(f'<w:spacing w:val="{r.spacing}"/>')
        if r.scale != 100:
            rpr.append(f'<w:w w:val="{r.scale}"/>')
        half = round(r.size * 2)
        rpr.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
        if r.underline:
            rpr.append('<w:u w:val="single"/>')
        rpr_xml = "<w:rPr>" + "".join(rpr) + "</w:rPr>"
        if r.field:
            return (f'<w:r>{rpr_xml}<w:fldChar w:fldCharType="begin"/></w:r>'
                    f'<w:r>{rpr_xml}<w:instrText xml:space="preserve"> {r.field} </w:instrText></w:r>'
                    f'<w:r>{rpr_xml}<w:fldChar w:fldCharType="separate"/></w:r>'
                    f'<w:r>{rpr_xml}<w:t>1</w:t></w:r>'
                    f'<w:r>{rpr_xml}<w:fldChar w:fldCharType="end"/></w:r>')
        parts = []
        if r.line_break_before:
            parts.append("<w:br/>")
        for i, chunk in enumerate(r.text.split("\t")):
            if i:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
        return f"<w:r>{rpr_xml}{''.join(parts)}</w:r>"

    def ppr_xml(self, p: Para, sect: str = "", extra: str = "") -> str:
        x = []
        if p.keep_next:
            x.append("<w:keepNext/>")
        if p.keep_lines:
            x.append("<w:keepLines/>")
        if p.page_break_before:
            x.append("<w:pageBreakBefore/>")
        if p.frame:
            x.append(p.frame)
        x.append('<w:widowControl w:val="0"/>')
        x.append(extra)
        if p.border_bottom:
            sz, space, color = p.border_bottom
            x.append(f'<w:pBdr><w:bottom w:val="single" w:sz="{sz}" w:space="{space}" '
                     f'w:color="{color}"/></w:pBdr>')
        if p.tabs:
            x.append("<w:tabs>" + "".join(
                f'<w:tab w:val="{kind}" w:pos="{pos}"/>' for pos, kind in p.tabs) + "</w:tabs>")
        # overflowPunct written out as on: with the element absent (Word's default is on) or
        # off, LibreOffice 7.4 drops a 、，。 that falls at the end of a full justified line from
        # the page (3–11 per report were missing from every PDF); written as on, it hangs the
        # mark past the edge and paints it, as Word does, and the line count stays the one
        # pagination.count_lines computes (measured: tests/test_export_pdf_text.py).
        x.append('<w:kinsoku w:val="1"/><w:overflowPunct w:val="1"/>'
                 '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
                 '<w:snapToGrid w:val="0"/>')
        x.append(f'<w:spacing w:before="0" w:after="{p.space_after}" w:line="{p.line}" '
                 f'w:lineRule="exact"/>')
        ind = f'<w:ind w:left="{p.left}" w:right="{p.right}"'
        if p.first_line >= 0:
            ind += f' w:firstLine="{p.first_line}"'
        else:
            ind += f' w:hanging="{-p.first_line}"'
        x.append(ind + "/>")
        x.append(f'<w:jc w:val="{p.align}"/>')
        if p.tiny or not p.runs:
            # Empty lines: a size that cannot push the exact line taller.
            size = 2 if p.tiny else round(self.L.sizes.body_pt * 2)
            x.append(f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
        return "<w:pPr>" + "".join(x) + sect + "</w:pPr>"

    def para_xml(self, p: Para, sect: str = "", extra: str = "") -> str:
        return f"<w:p>{self.ppr_xml(p, sect, extra)}{''.join(self.run_xml(r) for r in p.runs)}</w:p>"

    # The 版记 is a frame (w:framePr), not a table: paragraphs that carry the same framePr make
    # one frame, and a frame anchored to the margin with yAlign="bottom" sits on the bottom edge of
    # the type area of the page its anchor (the next non-frame paragraph) falls on, whatever line
    # breaks the renderer made above it.
    # - Word: framePr is Word's own frame (Format → Frame: Vertical Position "Bottom", relative to
    #   "Margin"; VBA Frame.VerticalPosition = wdFrameBottom with RelativeVerticalPosition =
    #   wdRelativeVerticalPositionMargin, learn.microsoft.com/office/vba/api/word.frame.
    #   verticalposition and word.wdframeposition); ECMA-376 Part 1 §17.3.1.11 framePr (yAlign
    #   "bottom", vAnchor "margin"); the frame is placed relative to the next non-frame paragraph.
    # - WPS Writer reads and writes Word frames (图文框) in .docx; no public WPS documentation of
    #   the markup was found, so this rests on the ECMA-376 behaviour WPS follows for Word files.
    # - LibreOffice 7.4 imports the paragraphs as one text frame on the bottom edge (measured,
    #   shared/spec/gbt9704.md "Correction"; tests/test_export_banji_frame.py renders it).
    # A frame is one block: 抄送 and 印发 are never split across pages. Its paragraphs are made
    # in banji_frame.py.
    def table_xml(self, t: Table) -> str:
        """The frame paragraphs and, after them, the tiny paragraph the frame is anchored to."""
        return "".join(self.para_xml(p, extra=extra) for p, extra in frame_paras(self.L, t))

    # ---- document ------------------------------------------------------------------------------
    def build(self, blocks: list[Block]):
        doc = Document()
        self._setup_styles(doc)
        self._setup_settings(doc)
        self._setup_fonts(doc)
        body = doc.element.body
        body_sect = body.sectPr
        self._setup_section(body_sect)

        numbered = self._footer_pair(doc, numbered=True)
        empty = None
        chunks: list[str] = []
        # (index of the paragraph that ends a section, footers of the NEXT section numbered?,
        #  how the next section starts)
        breaks: list[tuple[int, bool, str]] = []

        def end_section(numbered_after: bool, start: str) -> None:
            nonlocal empty
            if not chunks or not chunks[-1].startswith("<w:p>"):
                chunks.append(self.para_xml(Para([], role="section-end", line=self.L.pitch)))
            breaks.append((len(chunks) - 1, numbered_after, start))
            if not numbered_after:
                empty = empty or self._footer_pair(doc, numbered=False)

        for b in blocks:
            if getattr(b, "virtual", False):
                continue  # the model's blank lines / breaks: the frame places the 版记
            if isinstance(b, SectionBreak):
                end_section(False, "nextPage")
            elif isinstance(b, Para):
                chunks.append(self.para_xml(b))
            else:
                if b.start:
                    end_section(b.numbered, b.start)
                chunks.append(self.table_xml(b))
        xml = f"<w:body {W_NS}>{''.join(chunks)}</w:body>"
        elements = list(parse_xml(xml))
        for el in elements:
            body_sect.addprevious(el)
        # sections[k] is described by the sectPr ending it; the last one by the body's sectPr.
        footers = [numbered] + [numbered if nb else empty for _, nb, _ in breaks]
        starts = ["nextPage"] + [st for _, _, st in breaks]
        for n, (index, _, _) in enumerate(breaks):
            sect = copy.deepcopy(body_sect)
            self._set_footers(sect, footers[n], first=n == 0)
            self._set_start(sect, starts[n])
            p = elements[index]
            ppr = p.find(qn("w:pPr"))
            rpr = ppr.find(qn("w:rPr"))
            if rpr is not None:
                rpr.addnext(sect)
            else:
                ppr.append(sect)
        self._set_footers(body_sect, footers[-1], first=not breaks)
        self._set_start(body_sect, starts[-1])
        return doc

    # ---- styles, settings, sections ------------------------------------------------------------
    def _setup_styles(self, doc) -> None:
        # python-docx's template carries a Word 2010 stylesWithEffects part full of theme fonts;
        # Word rebuilds it when needed, so it is dropped rather than kept stale.
        for rid, rel in list(doc.part.rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                del doc.part.rels[rid]
        styles = doc.styles.element
        # Theme font attributes win over explicit names in Word (it would show 等线/Calibri).
        for el in styles.iter(qn("w:rFonts")):
            for a in _THEME_ATTRS:
                el.attrib.pop(a, None)
        name = _attr(self.L.font("fangsong"))
        half = round(self.L.sizes.body_pt * 2)
        defaults = styles.find(qn("w:docDefaults"))
        new = parse_xml(
            f'<w:docDefaults {W_NS}><w:rPrDefault><w:rPr>'
            f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}" '
            f'w:hint="eastAsia"/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
            f'<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            f'<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:snapToGrid w:val="0"/>'
            f'<w:spacing w:before="0" w:after="0" w:line="{self.L.pitch}" w:lineRule="exact"/>'
            f'<w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>')
        defaults.addprevious(new)
        styles.remove(defaults)

    def _setup_fonts(self, doc) -> None:
        """A font table naming the Chinese fonts with a GB2312 charset and an alternative, so an
        office without 仿宋_GB2312 falls back to 仿宋 rather than to a Latin font."""
        try:
            part = doc.part.part_related_by(RT.FONT_TABLE)
        except KeyError:
            return
        alt = self.L.data.get("font_alt", {})
        fonts = []
        for role in self.L.fonts.keys():  # noqa: SIM118 (a layout group, not a dict)
            name = self.L.font(role)
            if any(f[0] == name for f in fonts):
                continue
            item = alt.get(name)
            fonts.append((name, item.get("value") if isinstance(item, dict) else item))
        xml = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {W_NS}>']
        for name, alt_name in fonts:
            x = f'<w:font w:name="{_attr(name)}">'
            if alt_name:
                x += f'<w:altName w:val="{_attr(alt_name)}"/>'
            x += ('<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/>'
                  '</w:font>')
            xml.append(x)
        xml.append('<w:font w:name="Times New Roman"><w:charset w:val="00"/>'
                   '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>')
        part._blob = "".join(xml).encode("utf-8")

    def _setup_settings(self, doc) -> None:
        doc.settings.odd_and_even_pages_header_footer = True
        s = doc.settings.element
        lang = s.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")

    def _setup_section(self, sect) -> None:
        L = self.L
        top, bottom, left, right = L.margins
        for tag in ("w:pgSz", "w:pgMar", "w:cols", "w:docGrid"):
            el = sect.find(qn(tag))
            if el is not None:
                sect.remove(el)
        footer_dist = self.footer_distance()
        sect.append(parse_xml(f'<w:pgSz {W_NS} w:w="{L.page_width}" w:h="{L.page_height}"/>'))
        sect.append(parse_xml(
            f'<w:pgMar {W_NS} w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" '
            f'w:header="851" w:footer="{footer_dist}" w:gutter="0"/>'))
        sect.append(parse_xml(f'<w:pgNumType {W_NS} w:start="1"/>'))
        sect.append(parse_xml(f'<w:cols {W_NS} w:space="425"/>'))
        sect.append(parse_xml(f'<w:docGrid {W_NS} w:type="lines" w:linePitch="{L.pitch}"/>'))

    # ---- page numbers --------------------------------------------------------------------------
    def footer_geometry(self) -> tuple[int, int]:
        """(space before, exact line) of the footer paragraph: the footer fills the space from
        the 版心's bottom edge down to w:footer, so Word (text bottom at w:footer) and
        LibreOffice (footer area below the body) put the number in the same place."""
        L = self.L
        size = float(L.sizes.page_number_pt)
        line = round(size * 20 * 1.25)
        centre = round(size * 20 * float(L.page_number.dash_centre_ratio))
        before = max(0, mm(L.page_number.distance_mm) - centre)
        return before, line

    def footer_distance(self) -> int:
        before, line = self.footer_geometry()
        return self.L.margins[1] - before - line

    def footer_xml(self, side: str, numbered: bool) -> str:
        L = self.L
        size = float(L.sizes.page_number_pt)
        before, line = self.footer_geometry()
        one = round(size * 20) * int(L.page_number.side_indent_chars)
        ind = f'w:right="{one}"' if side == "right" else f'w:left="{one}"'
        ppr = (f'<w:pPr><w:widowControl w:val="0"/><w:snapToGrid w:val="0"/>'
               f'<w:spacing w:before="{before}" w:after="0" w:line="{line}" w:lineRule="exact"/>'
               f'<w:ind {ind}/><w:jc w:val="{side}"/></w:pPr>')
        runs = ""
        if numbered:
            dash = L.page_number.dash
            runs = "".join(self.run_xml(Run(text, "songti", size, field=fld))
                           for text, fld in ((dash + " ", None), ("", "PAGE"), (" " + dash, None)))
        return f'<w:ftr {nsdecls("w", "r")}><w:p>{ppr}{runs}</w:p></w:ftr>'

    def _footer_pair(self, doc, numbered: bool) -> tuple[str, str]:
        ids = []
        for side in ("right", "left"):  # default = odd pages, even = even pages
            part = FooterPart.new(doc.part.package)
            new = parse_xml(self.footer_xml(side, numbered))
            part._element = new
            ids.append(doc.part.relate_to(part, RT.FOOTER))
        return ids[0], ids[1]

    @staticmethod
    def _set_start(sect, start: str) -> None:
        """w:type: how the section a sectPr describes starts (evenPage: on the next even page,
        the renderer adding a blank page when needed)."""
        for el in sect.findall(qn("w:type")):
            sect.remove(el)
        if start != "nextPage":
            # CT_SectPr order: footnotePr/endnotePr, then type, then pgSz.
            anchor = sect.find(qn("w:pgSz"))
            el = parse_xml(f'<w:type {W_NS} w:val="{start}"/>')
            if anchor is not None:
                anchor.addprevious(el)
            else:
                sect.append(el)

    def _set_footers(self, sect, footers: tuple[str, str], first: bool) -> None:
        for ref in sect.findall(qn("w:footerReference")):
            sect.remove(ref)
        odd, even = footers
        for kind, rid in (("even", even), ("default", odd)):
            sect.insert(0, parse_xml(
                f'<w:footerReference {nsdecls("w", "r")} w:type="{kind}" r:id="{rid}"/>'))
        if not first:
            pg = sect.find(qn("w:pgNumType"))
            if pg is not None:
                sect.remove(pg)
