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
from .layout import Layout, mm
from .pagination import Position


def measured_body_end(report: Report, variant: str, layout: Layout) -> Position | None:
    from . import build_document
    from .measure import available, read_pdf
    from .pdf import PdfError, find_soffice, render

    if not find_soffice() or not available():
        return None
    doc, _, _ = build_document(report, variant, layout, body_only=True)
    with tempfile.TemporaryDirectory(prefix="report-editor-confirm-") as tmp:
        docx = Path(tmp) / "probe.docx"
        doc.save(docx)
        try:
            pdf = render(docx, tmp)
        except PdfError:
            return None
        pages = read_pdf(pdf)
    return body_end_from_pages(pages, layout)


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


__all__ = ["body_end_from_pages", "measured_body_end", "mm"]
