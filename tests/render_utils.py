"""Render a DOCX with LibreOffice and measure the PDF (PyMuPDF: text lines and drawn rules).

In CI (REPORT_EDITOR_REQUIRE_RENDER=1) a missing tool fails the test; locally it skips."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

MM = 72 / 25.4  # points per mm
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37.0, 262.0, 28.0, 184.0  # 版心 edges from the paper's


def require_render() -> None:
    missing = []
    from editor.export.pdf import find_soffice

    if not find_soffice():
        missing.append("soffice (LibreOffice)")
    try:
        import pymupdf  # noqa: F401
    except ImportError:
        missing.append("pymupdf")
    if not shutil.which("pdftotext"):
        missing.append("pdftotext")
    if missing:
        message = "render tools missing: " + ", ".join(missing)
        if os.environ.get("REPORT_EDITOR_REQUIRE_RENDER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def render(docx: Path) -> Path:
    from editor.export.pdf import render as lo_render

    require_render()
    return lo_render(docx, docx.parent)


@dataclass
class Rule:
    page: int
    y_mm: float  # below the paper's top edge
    x0_mm: float
    x1_mm: float
    width_pt: float
    color: tuple


def pages(pdf: Path):
    from editor.export.measure import read_pdf

    return read_pdf(pdf)


def rules(pdf: Path) -> list[Rule]:
    """Horizontal lines at least 100 mm long (the red line and the 版记 rules)."""
    import pymupdf

    out = []
    with pymupdf.open(str(pdf)) as doc:
        for i, page in enumerate(doc):
            for d in page.get_drawings():
                r = d["rect"]
                if r.width > 100 * MM and r.height < 2 * MM:
                    out.append(Rule(i + 1, (r.y0 + r.y1) / 2 / MM, r.x0 / MM, r.x1 / MM,
                                    d.get("width") or 0, tuple(d.get("color") or ())))
    # Drawings come twice for some strokes; keep one per position.
    seen, unique = set(), []
    for r in out:
        key = (r.page, round(r.y_mm, 1))
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique


def body_lines(page):
    """Text lines inside the 版心 (the footer's page number excluded)."""
    return [ln for ln in page.lines if ln.y0 < BOTTOM_MM * MM - 1]


def footer_lines(page):
    return [ln for ln in page.lines if ln.y0 >= BOTTOM_MM * MM - 1]


def visual_rows(lines):
    """Merge lines at the same height (发文字号 and 签发人 are one row)."""
    rows: list[list] = []
    for ln in sorted(lines, key=lambda ln: ln.yc):
        if rows and abs(rows[-1][0].yc - ln.yc) < 2:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def require_kai_font() -> None:
    """The level-2 headings are set in 楷体: a machine with only the Noto CJK faces has no 楷
    stand-in, so they would print in the body's face and the test of distinct faces cannot
    tell anything. Skip with the reason (fail in CI, which installs fonts-arphic-ukai)."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        import subprocess

        families = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True,
                                  text=True, check=False).stdout
        if any(k in families for k in ("楷", "Kai", "UKai", "KaiTi")):
            return
    message = ("no 楷体 stand-in font on this machine (install fonts-arphic-ukai): "
               "the 楷体 level cannot be told from the body")
    if os.environ.get("REPORT_EDITOR_REQUIRE_RENDER") == "1":
        pytest.fail(message)
    pytest.skip(message)

