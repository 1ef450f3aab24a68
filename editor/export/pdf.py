"""DOCX → PDF with LibreOffice (headless, private profile, our font aliases)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .fonts import fontconfig_file, resolve_fonts

NOT_FOUND = ("未找到 LibreOffice，无法生成 PDF。请安装 LibreOffice（https://zh-cn.libreoffice.org）"
             "后重试；DOCX 已正常导出。")

_WINDOWS_PATHS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
_MAC_PATHS = ("/Applications/LibreOffice.app/Contents/MacOS/soffice",)


# The blank page a section starting on an even page needs (w:type evenPage, before the 版记)
# is an "automatically inserted blank page", which LibreOffice leaves out of PDFs by default:
# keep it, the PDF is printed double-sided. (JSON filter options: LibreOffice ≥ 7.4.)
PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


class PdfError(RuntimeError):
    """PDF conversion failed; the message is plain Chinese."""


@dataclass
class PdfResult:
    pdf: Path
    substitutions: dict[str, str] = field(default_factory=dict)  # requested → used font
    warnings: list[str] = field(default_factory=list)

    def substitution_lines(self) -> list[str]:
        return [f"“{a}”未安装，PDF 中以“{b}”代替" for a, b in self.substitutions.items()
                if a != b]


def find_soffice() -> str | None:
    override = os.environ.get("REPORT_EDITOR_SOFFICE")
    if override:
        return override if os.path.exists(override) else None
    for name in ("soffice", "libreoffice"):
        exe = shutil.which(name)
        if exe:
            return exe
    for path in (*_WINDOWS_PATHS, *_MAC_PATHS):
        if os.path.exists(path):
            return path
    return None


def _env(fontconfig: str | Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    conf = fontconfig or fontconfig_file()
    if conf:
        env["FONTCONFIG_FILE"] = str(conf)
    env.pop("PYTHONPATH", None)
    return env


def render(docx: str | Path, out_dir: str | Path, timeout: int = 180) -> Path:
    """Convert with a throw-away profile; returns the PDF path in ``out_dir``."""
    return render_many([docx], out_dir, timeout=timeout)[0]


def render_many(docxs, out_dir: str | Path, timeout: int = 600,
                fontconfig: str | Path | None = None) -> list[Path]:
    """Convert several DOCX files in one LibreOffice run (one start-up); ``fontconfig``: another
    fonts.conf than ours (tests render with stand-in font set-ups)."""
    exe = find_soffice()
    if not exe:
        raise PdfError(NOT_FOUND)
    docxs = [Path(d) for d in docxs]
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="report-editor-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--norestore", "--convert-to", PDF_FILTER, "--outdir", str(out_dir), *map(str, docxs)]
        try:
            proc = subprocess.run(cmd, check=False, env=_env(fontconfig), capture_output=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfError("LibreOffice 转换 PDF 超时，请关闭正在运行的 LibreOffice 后重试。") from None
        except OSError as exc:
            raise PdfError(f"无法启动 LibreOffice：{exc}") from None
    pdfs = [out_dir / (d.stem + ".pdf") for d in docxs]
    if proc.returncode != 0 or not all(p.exists() for p in pdfs):
        raise PdfError("LibreOffice 未能生成 PDF。请确认已关闭正在运行的 LibreOffice 窗口后重试。")
    return pdfs


def fonts_in_docx(docx: str | Path) -> list[str]:
    """The font names a DOCX asks for (w:eastAsia of every run), in order of first use."""
    names: list[str] = []
    try:
        with zipfile.ZipFile(docx) as z:
            for part in z.namelist():
                if part.startswith("word/") and part.endswith(".xml"):
                    text = z.read(part).decode("utf-8", "replace")
                    for name in re.findall(r'<w:rFonts [^>]*w:eastAsia="([^"]+)"', text):
                        if name not in names:
                            names.append(name)
    except (OSError, zipfile.BadZipFile):
        pass
    return names


def convert_to_pdf(docx: str | Path, pdf: str | Path, fonts: list[str] | None = None) -> PdfResult:
    """Convert ``docx`` to ``pdf`` (written atomically) and report font substitutions: which
    installed font stands in for each font the document asks for."""
    pdf = Path(pdf)
    folder = pdf.parent if str(pdf.parent) else Path(".")
    if not folder.is_dir():
        raise PdfError(f"保存位置不存在：{folder}。请换一个文件夹。")
    with tempfile.TemporaryDirectory(prefix="report-editor-pdf-") as tmp:
        produced = render(docx, tmp)
        from . import _atomic_copy  # the same no-half-written-file rule as the DOCX

        _atomic_copy(produced, pdf)
    result = PdfResult(pdf)
    wanted = fonts if fonts is not None else fonts_in_docx(docx)
    resolved = resolve_fonts(wanted)
    result.substitutions = {k: v for k, v in resolved.items() if k != v}
    return result
