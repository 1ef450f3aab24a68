"""The 版记 does not depend on the renderer.

The same DOCX files are rendered by LibreOffice with three stand-in font set-ups (every Chinese
font name mapped to one face: Noto Serif CJK, AR PL UKai, WenQuanYi Zen Hei — digits of
different widths, with and without the gap LibreOffice adds between Chinese and digits), for
report lengths whose bodies end at every position of a page. In every render the 版记's last
rule must be on the bottom edge of the type area (±1 mm) of an even last page, with 抄送 and 印发
on that page.

The suite renders 8 lengths per font set-up (about 20 s); ``REPORT_EDITOR_BENCH=1`` renders every
body end the generator reaches (34 of the 44 lines of an odd or even last page; keep-with-next
chains make the others impossible), 102 renders in about 50 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from editor.export import build_document, export_docx, load_layout
from editor.model import Header, Part, Report, Section
from tests.render_utils import BOTTOM_MM, pages, require_render, rules

FACES = {
    "noto-serif": "Noto Serif CJK SC",
    "ukai": "AR PL UKai CN",
    "wqy-zenhei": "WenQuanYi Zen Hei",
}
NAMES = ("仿宋_GB2312", "仿宋", "楷体_GB2312", "楷体", "黑体", "宋体", "方正小标宋简体")
TEXT = "法治政府建设依法行政严格执法公正司法全民守法，全年办理行政复议案件12件、应诉35件，"


def report_of(chars: int) -> Report:
    """A report whose body grows with ``chars`` (Chinese with digits, so renderers that add a
    gap between Chinese and digits or have wide digits run longer than computed)."""
    body = (TEXT * 12)[:260] + "。"
    tail = (TEXT * 80)[: max(1, chars)] + "。"
    return Report(
        year=2025, organ="某某镇人民政府",
        header=Header(organ_mark="某某镇人民政府文件", doc_code="某府", doc_year="2026",
                      doc_serial="3", signer="张某", title="某某镇人民政府关于2025年度法治政府建设情况的报告",
                      recipients="某某县人民政府：", signature="某某镇人民政府",
                      date="2026年2月10日", cc="县委依法治县办，县司法局",
                      printer="某某镇党政综合办公室", print_date="2026年2月10日"),
        preamble=body,
        parts=[Part(key="measures", heading="主要举措和成效",
                    sections=[Section("加强组织领导", body), Section("规范行政决策", body),
                              Section("严格执法", tail)])],
    )


def lengths(count: int) -> list[int]:
    """Body lengths whose computed ends fall on different lines of odd and even pages."""
    layout = load_layout()
    seen: dict[tuple[int, int], int] = {}
    for n in range(1, 1800, 9):
        _, result, _ = build_document(report_of(n), "redhead", layout)
        page, line = result.body_end
        seen.setdefault((page % 2, line), n)
    keys = sorted(seen)
    if count >= len(keys):
        return [seen[k] for k in keys]
    step = len(keys) / count
    return [seen[keys[int(i * step)]] for i in range(count)]


def fontconfig_for(face: str, folder: Path) -> Path:
    system = next((p for p in ("/etc/fonts/fonts.conf", "/usr/local/etc/fonts/fonts.conf")
                   if os.path.exists(p)), None)
    aliases = "".join(f'<alias binding="strong"><family>{n}</family><prefer><family>{face}'
                      f"</family></prefer></alias>" for n in NAMES)
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
            f"{aliases}" + (f'<include ignore_missing="yes">{system}</include>' if system else "")
            + "</fontconfig>\n")
    path = folder / f"fonts-{face.replace(' ', '_')}.conf"
    path.write_text(text, encoding="utf-8")
    return path


def installed(face: str) -> bool:
    fc = shutil.which("fc-list")
    if not fc:
        return False
    out = subprocess.run([fc, ":lang=zh", "family"], check=False, capture_output=True,
                         text=True).stdout
    return face in out


def measure(pdf: Path) -> dict:
    pg = pages(pdf)
    last = pg[-1]
    black = sorted((r for r in rules(pdf) if r.page == last.number
                    and r.color[:3] in ((0, 0, 0), (0.0, 0.0, 0.0))), key=lambda r: r.y_mm)
    cc = {p.number for p in pg for ln in p.lines if "抄送" in ln.text}
    printed = {p.number for p in pg for ln in p.lines if "印发" in ln.text}
    return {"pages": len(pg), "last": last.number, "rule": black[-1].y_mm if black else None,
            "cc": cc, "printed": printed}


def problems_of(m: dict) -> list[str]:
    out = []
    if m["last"] % 2:
        out.append("odd last page")
    if m["rule"] is None or abs(m["rule"] - BOTTOM_MM) > 1.0:
        out.append(f"last rule at {m['rule']}")
    if m["cc"] != {m["last"]} or m["printed"] != {m["last"]}:
        out.append(f"抄送 on {sorted(m['cc'])}, 印发 on {sorted(m['printed'])}")
    return out


def run_matrix(folder: Path, count: int) -> tuple[dict, list[str]]:
    from editor.export.pdf import render_many

    require_render()
    docs = []
    for n in lengths(count):
        result = export_docx(report_of(n), folder / f"len{n}.docx")
        docs.append((n, result))
    table, failures = {}, []
    for key, face in FACES.items():
        if not installed(face):
            if os.environ.get("REPORT_EDITOR_REQUIRE_RENDER") == "1":
                pytest.fail(f"stand-in font {face} missing")
            continue
        out = folder / key
        out.mkdir()
        pdfs = render_many([r.path for _, r in docs], out, fontconfig=fontconfig_for(face, folder))
        for (n, result), pdf in zip(docs, pdfs):
            m = measure(pdf)
            table[(key, n)] = (result.body_end, result.banji_page, m)
            for p in problems_of(m):
                failures.append(f"{key} length {n} (computed end {result.body_end}, 版记 page "
                                f"{result.banji_page}, rendered {m['pages']} pages): {p}")
    return table, failures


def test_banji_on_the_bottom_edge_of_an_even_page_in_every_render(tmp_path):
    count = 44 if os.environ.get("REPORT_EDITOR_BENCH") == "1" else 8
    table, failures = run_matrix(tmp_path, count)
    assert len({k for k, _ in table}) >= 2, "fewer than two stand-in font set-ups installed"
    assert not failures, "\n".join(failures)
