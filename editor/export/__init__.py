"""GB/T 9704-2012 公文 DOCX export.

Public API (the GUI and the command line call only these)::

    export_docx(report, path, variant="redhead", layout=None, confirm=False) -> ExportResult
    convert_to_pdf(docx, pdf) -> PdfResult                    (editor.export.pdf)
    export_with_pdf(report, docx, pdf, variant, layout) -> (ExportResult, PdfResult)
                                                   (confirmed pagination + PDF + check of the PDF)
    default_filename(report, suffix=".docx", variant=None) -> str
                                     "<标题>.docx", "<标题>（红头版）.docx" with a variant
    load_layout(name_or_path=None) -> Layout; list_house_styles() -> list[dict]
    VARIANTS = ("redhead", "preprinted", "plain")

Errors are :class:`ExportError` (and :class:`~editor.export.pdf.PdfError`) with a message in plain
Chinese; a target file is written to a temporary file in the same folder and then renamed, so an
existing file is never left half-written.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Report
from ..os_errors import os_reason
from .blocks import Para, SectionBreak
from .compose import VARIANTS, Composer, Composition
from .docx_writer import DocxWriter
from .layout import Layout, LayoutError, list_house_styles, load_layout
from .pagination import Position, measure_blocks, paginate
from .pdf import PdfError, PdfResult, convert_to_pdf, find_soffice

VARIANT_NAMES = {"redhead": "红头文件", "preprinted": "套打（预印红头纸）", "plain": "网站公开版"}
# What a file name says about its version: 标题（红头版）.docx.
VARIANT_TAGS = {"redhead": "红头版", "preprinted": "套打版", "plain": "公开版"}


class ExportError(Exception):
    """The export failed; ``str(exc)`` is a plain Chinese sentence for the user."""


@dataclass
class ExportResult:
    path: Path
    variant: str
    pages: int  # computed page count
    warnings: list[str] = field(default_factory=list)  # what is missing: "缺少发文字号" …
    banji_page: int | None = None  # page the 版记 is on
    blank_page: bool = False  # an un-numbered blank page was added before the 版记
    body_end: tuple[int, int] = (0, 0)  # (page, lines used on it) where the body ends
    confirmed: bool = False  # a LibreOffice render confirmed the pagination
    adjusted: bool = False  # the render disagreed with the computation and was followed
    layout_name: str = ""


# ---- file names and safe writing -----------------------------------------------------------------
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# Bidirectional controls (U+202E shows "…cod.exe" as "…exe.doc") and other invisible marks:
# removed, not replaced, so a name reads the way it is.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]")
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.IGNORECASE)


def default_filename(report: Report, suffix: str = ".docx", variant: str | None = None) -> str:
    """``<标题>.docx`` or, given the version, ``<标题>（红头版）.docx`` / （套打版） / （公开版）, so
    the three versions never offer to overwrite each other; safe as a Windows file name."""
    title = report.header.title.strip() or \
        f"{report.organ}{report.year}年度法治政府建设情况的报告".strip()
    name = _BAD_CHARS.sub("_", _INVISIBLE.sub("", title))
    name = re.sub(r"\s+", " ", name).strip().rstrip(". ")
    if len(name) > 120:
        name = name[:120].rstrip(". ")
    if not name or _RESERVED.match(name):
        name = f"报告_{name}" if name else "报告"
    if variant in VARIANT_TAGS:
        name += f"（{VARIANT_TAGS[variant]}）"
    return name + suffix


def _error_for(exc: OSError, path: Path) -> ExportError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExportError(f"磁盘空间不足，无法保存“{path.name}”。请清理磁盘或换一个位置后重试。")
    if exc.errno == errno.EROFS:
        return ExportError(f"无法写入“{path}”：所在的磁盘或文件夹是只读的。请换一个位置后重试。")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return ExportError(f"无法写入“{path}”：文件可能正在被 Word 或 WPS 打开，或该文件夹不允许写入。"
                           "请关闭该文件或换一个位置后重试。")
    if isinstance(exc, IsADirectoryError):
        return ExportError(f"“{path}”是一个文件夹，不能用作导出的文件名。请换一个文件名。")
    if exc.errno == errno.ENAMETOOLONG:
        return ExportError(f"文件名“{path.name[:40]}…”太长，无法保存。请换一个短一些的文件名。")
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return ExportError(f"保存位置“{path.parent}”不存在。请换一个文件夹后重试。")
    return ExportError(f"无法保存“{path.name}”：{os_reason(exc)}。请换一个位置后重试。")


def _umask() -> int:
    """The process umask, read without changing it where the system allows (os.umask sets it,
    and another thread creating a file meanwhile would get the wrong mode)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _target_mode(path: Path) -> int:
    """The permissions the written file gets: those of the file it replaces, else what any new
    file of the user gets (0666 less the umask). mkstemp alone would leave 0600. Refuses a
    read-only target (someone protected it on purpose) and a folder."""
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return 0o666 & ~_umask()
    except OSError as exc:
        raise _error_for(exc, path) from None
    if stat.S_ISDIR(st.st_mode):
        raise ExportError(f"“{path}”是一个文件夹，不能用作导出的文件名。请换一个文件名。")
    if not os.access(path, os.W_OK) or not st.st_mode & 0o222:
        raise ExportError(f"文件“{path}”是只读的，程序没有替换它。请换一个文件名，"
                          "或先在文件属性中去掉“只读”后再导出。")
    return stat.S_IMODE(st.st_mode)


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"保存位置“{folder}”不存在。请换一个文件夹后重试。")
    mode = _target_mode(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:40]}-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise _error_for(exc, path) from None
    finally:
        if tmp and os.path.exists(tmp):
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _atomic_copy(src: Path, dest: Path) -> None:
    try:
        def copy(fh):
            with open(src, "rb") as source:
                shutil.copyfileobj(source, fh)

        _atomic_write(Path(dest), copy)
    except ExportError as exc:
        raise PdfError(str(exc)) from None


# ---- the export ----------------------------------------------------------------------------------
def _layout(layout: Layout | str | Path | None) -> Layout:
    if isinstance(layout, Layout):
        return layout
    try:
        return load_layout(layout)
    except LayoutError as exc:
        raise ExportError(str(exc)) from None


def _place_banji(comp: Composition, layout: Layout, end: Position, result: ExportResult) -> list:
    """Where the 版记 goes. The DOCX holds it as a frame on the bottom edge of the type area (see
    docx_writer), so its vertical place comes from the page; the computed pagination only chooses
    the page, an even one, with a safety margin: a renderer may run up to ``banji.safety_lines``
    lines longer than computed (LibreOffice ignores autoSpaceDE/DN=0; stand-in fonts have wider
    digits) or one line shorter.

    - the body ends on an even page with room for the margin and the 版记: the frame follows the
      body on that page;
    - it ends on an odd page, surely (margin included): the 版记 opens a section that starts on
      the next even page (w:type evenPage), numbered;
    - it ends near the bottom of an odd page and may run over: blank lines take the frame's
      anchor surely onto the next (even) page, where the frame drops to the bottom;
    - it ends on an even page without room (or may run over it): a section starting on the next
      even page; the renderer adds the blank page in between; neither is numbered (7.5).

    The returned blocks also hold the model's blank lines down to the 版记 (``virtual``: for the
    pagination and the preview only, never written)."""
    blocks: list = []
    table = comp.banji
    if table is None:
        return blocks
    pitch = layout.pitch
    grid = int(layout.page.lines_per_page) * pitch
    even_only = bool(layout.banji.even_page)
    margin = int(getattr(layout.banji, "safety_lines", 4)) * pitch
    page, used = end.page, end.used
    right_page = page % 2 == 0 or not even_only

    def fill(count: int, first_break: bool = False) -> list:
        return [Para([], role="banji-fill", line=pitch, virtual=True,
                     page_break_before=first_break and i == 0) for i in range(max(0, count))]

    if right_page and used > pitch and used + margin + table.height <= grid:
        blocks += fill((grid - used - table.height) // pitch)
        banji_page = page
    elif even_only and page % 2 == 1 and used + margin > grid \
            and pitch + margin + table.height <= grid:
        # Real blank lines, written to the DOCX: wherever the body really ends (on this page or
        # up to the margin onto the next), the anchor lands on the next page.
        n = (grid - used) // pitch + 1
        blocks += [Para([], role="banji-gap", line=pitch) for _ in range(n)]
        top = (used + n * pitch) - grid
        blocks += fill((grid - top - table.height) // pitch)
        banji_page = page + 1
    elif not even_only or page % 2 == 1:
        table.start, table.numbered = ("evenPage" if even_only else "nextPage"), True
        blocks += fill((grid - table.height) // pitch, first_break=True)
        banji_page = page + 1
    else:
        # Even page and no (sure) room: an un-numbered blank odd page, the 版记 on the next even
        # page, neither numbered (7.5).
        table.start, table.numbered = "evenPage", False
        result.blank_page = True
        blocks.append(SectionBreak(virtual=True))
        blocks.append(Para([], role="blank-page", line=pitch, virtual=True))
        blocks += fill((grid - table.height) // pitch, first_break=True)
        banji_page = page + 2
    blocks.append(table)
    result.banji_page = banji_page
    return blocks


def build_document(report: Report, variant: str, layout: Layout,
                   body_end: Position | None = None, body_only: bool = False,
                   banji_extra: int = 0, probe: bool = False):
    """(python-docx Document, ExportResult without path) for ``report``."""
    if variant not in VARIANTS:
        raise ExportError(f"不认识的版式“{variant}”，可选：redhead（红头）、preprinted（套打）、"
                          "plain（网站公开版）。")
    work = report.copy()
    work.clean()  # characters illegal in XML never reach the file
    comp = Composer(layout).compose(work, variant)
    blocks = [*comp.head, *comp.body]
    measure_blocks(blocks, layout)
    if comp.banji is not None:
        comp.banji.extra_lines = banji_extra
        measure_blocks([comp.banji], layout)
    end = body_end or paginate(blocks, layout)
    result = ExportResult(Path(), variant, end.page, warnings=list(comp.warnings),
                          body_end=(end.page, end.used // layout.pitch),
                          layout_name=str(layout.data.get("name", "")))
    if probe:
        # The confirmation render: the body, then the 版记 alone on a fresh page.
        tail = [] if comp.banji is None else [
            Para([], role="probe", line=layout.pitch, page_break_before=True), comp.banji,
            Para([], role="end", line=4, tiny=True)]
    else:
        tail = [] if body_only else _place_banji(comp, layout, end, result)
    result.pages = result.banji_page or end.page
    doc = DocxWriter(layout).build(blocks + tail)
    set_properties(doc, work, result.pages)
    return doc, result, blocks


PROGRAM = "法治政府建设年度报告编辑器"
_APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            '2006/docPropsVTypes"><Application>{app}</Application><Pages>{pages}</Pages>'
            '<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>'
            '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
            '<HyperlinksChanged>false</HyperlinksChanged></Properties>')


def set_properties(doc, report: Report, pages: int) -> None:
    """The file's own properties, none of python-docx's template: title, the organ as author,
    created/modified now, this program as last editor and application; the template's thumbnail
    and its customXml (a bibliography data store) are left out."""
    import datetime as _dt
    from xml.sax.saxutils import escape

    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    cp = doc.core_properties
    title = report.header.title.strip() or \
        f"{report.organ}{report.year}年度法治政府建设情况的报告".strip()
    cp.title = title
    cp.author = report.organ or (report.header.signature or "").strip()
    cp.last_modified_by = PROGRAM
    cp.created = cp.modified = now
    cp.revision = 1
    core = cp._element  # the template's "generated by python-docx" and empty fields go
    for el in list(core):
        if el.tag.endswith("}description") or not (el.text or "").strip():
            core.remove(el)
    package = doc.part.package
    for rels in (package.rels, doc.part.rels):
        for rid, rel in list(rels.items()):
            kind = rel.reltype.rsplit("/", 1)[-1]
            if kind in ("thumbnail", "customXml"):
                del rels[rid]
            elif kind == "extended-properties":
                rel.target_part._blob = _APP_XML.format(app=escape(PROGRAM),
                                                        pages=max(1, pages)).encode("utf-8")


def export_docx(report: Report, path: str | Path, variant: str = "redhead",
                layout: Layout | str | Path | None = None, confirm: bool = False) -> ExportResult:
    """Write ``report`` as a GB/T 9704 DOCX to ``path``.

    ``layout``: a :class:`Layout`, a house-style name (``windows-fonts``) or path, or None for the
    standard. ``confirm``: render the written file with LibreOffice (when installed) and add what
    the render shows wrong to ``warnings`` (adds a few seconds); the file itself is not changed.
    """
    path = Path(path)
    lay = _layout(layout)
    doc, result, _ = build_document(report, variant, lay)
    _atomic_write(path, doc.save)
    result.path = path
    if confirm and result.variant != "plain":
        # Render the written file (to a temporary PDF) and check it; the DOCX is never re-fitted
        # to one renderer's line breaks: the same file goes to Word, WPS and LibreOffice.
        from .confirm import check_render
        from .measure import MeasureUnavailable, available, read_pdf
        from .pdf import PdfError, find_soffice, render

        if find_soffice() and available():
            with tempfile.TemporaryDirectory(prefix="report-editor-confirm-") as tmp:
                try:
                    pages = read_pdf(render(path, tmp))
                except (PdfError, MeasureUnavailable, OSError):
                    pages = None
            if pages is not None:
                result.confirmed = True
                result.warnings += check_render(pages, result, lay)
    return result


def export_with_pdf(report: Report, docx: str | Path, pdf: str | Path,
                    variant: str = "redhead", layout: Layout | str | Path | None = None):
    """See :func:`editor.export.confirm.export_with_pdf`."""
    from .confirm import export_with_pdf as run

    return run(report, docx, pdf, variant=variant, layout=layout)


__all__ = [
    "VARIANTS",
    "VARIANT_NAMES",
    "VARIANT_TAGS",
    "ExportError",
    "ExportResult",
    "Layout",
    "LayoutError",
    "PdfError",
    "PdfResult",
    "build_document",
    "convert_to_pdf",
    "default_filename",
    "export_docx",
    "export_with_pdf",
    "find_soffice",
    "list_house_styles",
    "load_layout",
]
