"""预览 through the real export path: DOCX → LibreOffice PDF → one picture per page.

The window runs :func:`render_preview` in a worker thread (LibreOffice takes seconds). The DOCX
and PDF are made by :func:`editor.export.export_with_pdf`, the code behind 导出PDF, so the
preview is the file the user would get. Pages are turned into PNG files by poppler's
``pdftoppm`` (the Debian package poppler-utils); PyMuPDF is used instead when it happens to be
installed. Without either the window draws its own approximation (editor/export/preview.py).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .pdf import PdfError, find_soffice

DPI = 120  # A4 at 992 × 1403 pixels: sharp at 100 % on ordinary screens, ~4 MB a page


class PreviewUnavailable(RuntimeError):
    """No LibreOffice or no way to turn PDF pages into pictures (message in Chinese)."""


@dataclass
class PdfPreview:
    images: list[Path]  # one PNG per page, in order
    renderer: str  # "pdftoppm" or "PyMuPDF"
    pages: int = 0  # the exporter's page count
    notes: list[str] = field(default_factory=list)  # font stand-ins, problems in the PDF
    pdf: Path | None = None


def rasteriser() -> str | None:
    """Which tool turns PDF pages into pictures here: "pdftoppm", "PyMuPDF" or None."""
    if shutil.which("pdftoppm"):
        return "pdftoppm"
    try:
        import pymupdf  # noqa: F401
    except ImportError:
        return None
    return "PyMuPDF"


def missing() -> str | None:
    """Why the LibreOffice preview cannot run here (a sentence for the status line), or None."""
    if not find_soffice():
        return "未安装 LibreOffice，显示的是近似版式"
    if not rasteriser():
        return "本机缺少显示 PDF 页面的组件（poppler-utils），显示的是近似版式"
    return None


def rasterise(pdf: Path, folder: Path, dpi: int = DPI) -> tuple[list[Path], str]:
    """PNG files of every page of ``pdf`` in ``folder``; (files, tool used)."""
    tool = rasteriser()
    if tool == "pdftoppm":
        prefix = folder / "page"
        try:
            proc = subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-r", str(dpi), "-png",
                                   str(pdf), str(prefix)], capture_output=True, timeout=120,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(f"无法把 PDF 转为页面图片：{exc}") from None
        # pdftoppm pads the page number to the width of the page count: page-01.png …
        images = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if proc.returncode != 0 or not images:
            raise PdfError("无法把 PDF 转为页面图片。")
        return images, tool
    if tool == "PyMuPDF":
        import pymupdf

        images = []
        with pymupdf.open(str(pdf)) as doc:
            for i, page in enumerate(doc):
                path = folder / f"page-{i + 1}.png"
                page.get_pixmap(dpi=dpi).save(str(path))
                images.append(path)
        return images, tool
    raise PreviewUnavailable("本机缺少显示 PDF 页面的组件（poppler-utils），显示的是近似版式")


def render_preview(report, variant: str, layout, folder: Path) -> PdfPreview:
    """Export ``report`` as 导出PDF does into ``folder`` and picture its pages.

    Raises PreviewUnavailable (nothing to run it with) or ExportError / PdfError (it failed)."""
    from . import export_with_pdf

    reason = missing()
    if reason:
        raise PreviewUnavailable(reason)
    folder = Path(folder)
    result, pdf_result = export_with_pdf(report, folder / "预览.docx", folder / "预览.pdf",
                                         variant=variant, layout=layout)
    images, tool = rasterise(pdf_result.pdf, folder)
    notes = list(pdf_result.substitution_lines()) + list(pdf_result.warnings)
    return PdfPreview(images, tool, result.pages, notes, pdf_result.pdf)


__all__ = ["DPI", "PdfPreview", "PreviewUnavailable", "missing", "rasterise", "rasteriser",
           "render_preview"]
