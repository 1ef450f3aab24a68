"""The second pass: render the body with LibreOffice and measure where it really ends.

The computed pagination assumes the office fonts' metrics (half-width digits = half an em); a
PDF made on a machine with stand-in fonts can break a few lines differently. Rendering the body
alone (no 版记) and reading the last line's position back tells the exporter how many lines the
last page really holds, so the blank lines before the 版记 can follow the render.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..model import Report
from .blocks import Para
from .layout import Layout
from .pagination import Position


def measure_render(report: Report, variant: str, layout: Layout) -> tuple[Position, int] | None:
    """Render the body plus the 版记 on a page of its own; return where the body really ends
    and how many more lines than computed the 版记 needs (None when no renderer is installed)."""
    from . import build_document
    from .measure import available, read_pdf
    from .pdf import PdfError, find_soffice, render

    if not find_soffice() or not available():
        return None
    doc, _, blocks = build_document(report, variant, layout, probe=True)
    # Empty paragraphs at the end of the body leave no trace in the PDF: count them here.
    trailing = 0
    for b in reversed(blocks):
        if not (isinstance(b, Para) and not b.text.strip()):
            break
        trailing += 1
    table = next((b for b in doc.tables), None)
    with tempfile.TemporaryDirectory(prefix="report-editor-confirm-") as tmp:
        docx = Path(tmp) / "probe.docx"
        doc.save(docx)
        try:
            pdf = render(docx, tmp)
        except PdfError:
            return None
        pages = read_pdf(pdf)
    extra = 0
    if table is not None and len(pages) > 1:
        rows = _visual_rows(pages[-1].lines, layout)
        computed = _banji_lines(report, variant, layout)
        extra = max(0, len(rows) - computed)
        pages = pages[:-1]
    end = body_end_from_pages(pages, layout)
    if end is None:
        return None
    for _ in range(trailing):
        if end.used + layout.pitch > int(layout.page.lines_per_page) * layout.pitch:
            end = Position(end.page + 1, 0)
        end = Position(end.page, end.used + layout.pitch)
    return end, extra


def _banji_lines(report: Report, variant: str, layout: Layout) -> int:
    from .compose import Composer
    from .pagination import measure_blocks

    work = report.copy()
    work.clean()
    table = Composer(layout).banji(work, [])
    if table is None:
        return 0
    measure_blocks([table], layout)
    return sum(p.lines for row in table.rows for p in row)


def _visual_rows(lines, layout: Layout) -> list[list]:
    pt_per_mm = 72 / 25.4
    bottom = layout.page.top_margin_mm * pt_per_mm + layout.text_height / 20
    rows: list[list] = []
    for ln in sorted((ln for ln in lines if ln.y0 < bottom), key=lambda ln: ln.yc):
        if rows and abs(rows[-1][0].yc - ln.yc) < 2:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def body_end_from_pages(pages, layout: Layout) -> Position | None:
    """(last page, twips used on it) from the measured text lines of a rendered body."""
    pt_per_mm = 72 / 25.4
    top = layout.page.top_margin_mm * pt_per_mm
    bottom = top + layout.text_height / 20
    pitch_pt = layout.pitch / 20
    for page in reversed(pages):
        lines = [ln for ln in page.lines if top - 5 < ln.yc < bottom]
        if not lines:
            continue
        last = max(ln.yc for ln in lines)
        index = int((last - top) // pitch_pt)
        return Position(page.number, (index + 1) * layout.pitch)
    return None




def check_render(pages, result, layout: Layout) -> list[str]:
    """Problems a rendered PDF shows against the exporter's plan (empty list = as planned)."""
    problems: list[str] = []
    if not pages:
        return ["PDF 中没有页面。"]
    if result.banji_page is None:
        return problems
    pt_per_mm = 72 / 25.4
    bottom = (layout.page.top_margin_mm * pt_per_mm) + layout.text_height / 20
    last = pages[-1]
    printed = [ln for ln in last.lines if "印发" in ln.text]
    if not printed:
        problems.append("PDF 最后一页没有找到版记（印发机关和印发日期）。")
    elif bottom - max(ln.y1 for ln in printed) > layout.pitch / 20:
        problems.append("PDF 中版记没有落在页面版心底部。")
    cc_pages = {p.number for p in pages for ln in p.lines if "抄送" in ln.text}
    if cc_pages and cc_pages != {last.number}:
        problems.append("PDF 中版记的抄送与印发不在同一页。")
    if bool(layout.banji.even_page) and last.number % 2:
        problems.append("PDF 中版记落在奇数页上。")
    return problems


def export_with_pdf(report: Report, docx: str | Path, pdf: str | Path, variant: str = "redhead",
                    layout=None):
    """The one-click DOCX (the same file 导出 writes: nothing is re-fitted to LibreOffice's line
    breaks, the 版记 frame finds the bottom by itself), then its PDF, then a check of the PDF.

    Returns (ExportResult, PdfResult); problems found in the PDF are in PdfResult.warnings.
    Raises ExportError / PdfError (PdfError when LibreOffice is missing: the DOCX is written).
    """
    from . import _layout, export_docx
    from .measure import MeasureUnavailable, read_pdf
    from .pdf import convert_to_pdf

    lay = _layout(layout)
    result = export_docx(report, docx, variant=variant, layout=lay)
    pdf_result = convert_to_pdf(result.path, pdf)
    try:
        pdf_result.warnings += check_render(read_pdf(pdf_result.pdf), result, lay)
        result.confirmed = True
    except (MeasureUnavailable, OSError):
        pass
    return result, pdf_result


__all__ = ["body_end_from_pages", "check_render", "export_with_pdf", "measure_render"]
