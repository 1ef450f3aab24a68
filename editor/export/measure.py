"""Read a rendered PDF back: the text lines of every page with their boxes (points, top-left
origin). PyMuPDF when it is installed, else poppler's ``pdftotext -bbox-layout``."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float = 0.0
    font: str = ""

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


class MeasureUnavailable(RuntimeError):
    pass


def available() -> bool:
    try:
        import pymupdf  # noqa: F401
        return True
    except ImportError:
        return shutil.which("pdftotext") is not None


def read_pdf(path: str | Path) -> list[Page]:
    try:
        import pymupdf
    except ImportError:
        return _read_poppler(path)
    pages = []
    with pymupdf.open(str(path)) as doc:
        for i, page in enumerate(doc):
            out = Page(i + 1, page.rect.width, page.rect.height)
            for block in page.get_text("dict")["blocks"]:
                for ln in block.get("lines", []):
                    spans = [s for s in ln["spans"] if s["text"].strip()]
                    if not spans:
                        continue
                    x0 = min(s["bbox"][0] for s in spans)
                    y0 = min(s["bbox"][1] for s in spans)
                    x1 = max(s["bbox"][2] for s in spans)
                    y1 = max(s["bbox"][3] for s in spans)
                    out.lines.append(Line("".join(s["text"] for s in spans), x0, y0, x1, y1,
                                          max(s["size"] for s in spans), spans[0]["font"]))
            out.lines.sort(key=lambda ln: (round(ln.y0), ln.x0))
            pages.append(out)
    return pages


def _read_poppler(path: str | Path) -> list[Page]:
    exe = shutil.which("pdftotext")
    if not exe:
        raise MeasureUnavailable("pdftotext")
    xml = subprocess.run([exe, "-bbox-layout", str(path), "-"], capture_output=True,
                         check=True, timeout=120).stdout
    root = ET.fromstring(xml)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = []
    for i, pg in enumerate(root.iterfind(".//x:page", ns)):
        out = Page(i + 1, float(pg.get("width")), float(pg.get("height")))
        for ln in pg.iterfind(".//x:line", ns):
            words = ln.findall("x:word", ns)
            text = "".join(w.text or "" for w in words)
            if not text.strip():
                continue
            out.lines.append(Line(text, float(ln.get("xMin")), float(ln.get("yMin")),
                                  float(ln.get("xMax")), float(ln.get("yMax"))))
        out.lines.sort(key=lambda ln: (round(ln.y0), ln.x0))
        pages.append(out)
    return pages
