"""The 预览 page model against the exporter: same lines, same pages, 版头 and 版记
in their places, page numbers where GB/T 9704 puts them; and the LibreOffice pictures."""

from __future__ import annotations

import itertools

import pytest

from editor.export import build_document, export_docx, load_layout
from editor.export.blocks import Para, Table
from editor.export.pagination import count_lines
from editor.export.preview import break_lines, build_preview, plan
from tests.conftest import sample_text

MM = 1440 / 25.4  # twips per mm
LAYOUT = load_layout()
TOP, BOTTOM, LEFT, RIGHT = (m / MM for m in LAYOUT.margins)


def report(name="linjiang-2025.txt"):
    from editor.ingest import parse_text

    return parse_text(sample_text(name))


@pytest.fixture(scope="module")
def example():
    return report()


def in_type_area(page):
    """The page's glyphs without the page number (below the 版心)."""
    return [g for g in page.glyphs if g.baseline / MM < 297 - BOTTOM]


def footer(page):
    return [g for g in page.glyphs if g.baseline / MM > 297 - BOTTOM]


def with_extra_lines(rep, n: int):
    """The example with ``n`` one-line paragraphs added at its end (moves the body's end)."""
    rep = rep.copy()
    sec = rep.parts[-1].sections[-1]
    sec.body += "".join("\n补充一句话作为测试。" for _ in range(n))
    return rep


@pytest.mark.parametrize("name", ["linjiang-2025.txt", "sifaju-2025.txt"])
@pytest.mark.parametrize("variant", ["redhead", "preprinted", "plain"])
def test_lines_are_broken_exactly_as_the_paginator_counts_them(name, variant):
    blocks, _ = plan(report(name), variant, LAYOUT)
    paras = [b for b in blocks if isinstance(b, Para)]
    paras += [p for b in blocks if isinstance(b, Table) for row in b.rows for p in row]
    assert len(paras) > 30
    for p in paras:
        assert len(break_lines(p, LAYOUT.text_width, LAYOUT)) == count_lines(
            p, LAYOUT.text_width, LAYOUT), p.text


@pytest.mark.parametrize("variant", ["redhead", "preprinted", "plain"])
def test_page_count_is_the_exporters(example, variant, tmp_path):
    doc = build_preview(example, variant, LAYOUT)
    written = export_docx(example, tmp_path / "out.docx", variant=variant, layout=LAYOUT)
    assert len(doc.pages) == doc.expected_pages == written.pages == 12
    assert doc.banji_page == written.banji_page
    # Every character of the body is on some page, once, in order.
    _, _, blocks = build_document(example, variant, LAYOUT)
    body = "".join(b.text for b in blocks if isinstance(b, Para)).replace("\t", "")
    drawn = "".join(g.text for p in doc.pages for g in in_type_area(p))
    assert body.replace(" ", "") in drawn.replace(" ", "")


def test_lines_fill_the_grid_22_lines_28_characters(example):
    page = build_preview(example, "redhead", LAYOUT).pages[1]  # a full body page
    body = [g for g in page.glyphs if g.size == 16]
    baselines = sorted({g.baseline for g in body})
    assert len(baselines) == 22
    pitch = {b - a for a, b in itertools.pairwise(baselines)}
    assert pitch == {LAYOUT.pitch}
    full = [[g for g in body if g.baseline == b] for b in baselines]
    longest = max(full, key=lambda line: sum(len(g.text) for g in line if len(g.text) == 1))
    assert sum(1 for g in longest if len(g.text) == 1) >= 27
    # Justified lines end on the 版心's right edge.
    assert abs((longest[-1].x + longest[-1].width) / MM - (210 - RIGHT)) < 1.5
    assert min(g.x for g in body) / MM == pytest.approx(LEFT, abs=0.1)
    assert max(baselines) / MM < 297 - BOTTOM


def test_red_mark_35_mm_below_the_type_area_and_the_red_rule(example):
    page = build_preview(example, "redhead", LAYOUT).pages[0]
    red = [g for g in page.glyphs if g.color == "FF0000"]
    assert "".join(g.text for g in red) == example.header.organ_mark == "清河县临江镇人民政府文件"
    size_mm = red[0].size / 72 * 25.4
    glyph_top = red[0].baseline / MM - 0.8 * size_mm  # the em box's top
    assert glyph_top - TOP == pytest.approx(35, abs=2)
    (rule,) = [r for r in page.rules if r.color == "FF0000"]
    assert (rule.x0 / MM, rule.x1 / MM) == (pytest.approx(LEFT, abs=0.1),
                                           pytest.approx(210 - RIGHT, abs=0.1))
    number = [g for g in page.glyphs if "〔" in g.text or "号" == g.text]
    assert number and all(g.baseline < rule.y for g in number)
    # the 发文字号 stands 4 mm above the rule (glyph bottom ≈ baseline + descent)
    assert 2 < (rule.y - number[0].baseline) / MM < 6


def test_other_variants_have_no_red(example):
    for variant in ("preprinted", "plain"):
        doc = build_preview(example, variant, LAYOUT)
        assert not [g for p in doc.pages for g in p.glyphs if g.color]
        assert not [r for p in doc.pages for r in p.rules if r.color != "000000"]
    plain = build_preview(example, "plain", LAYOUT)
    assert not plain.pages[-1].rules  # no 版记 on the public version
    assert "抄送" not in plain.pages[-1].text


def test_page_numbers_odd_right_even_left_7_mm_below(example):
    doc = build_preview(example, "redhead", LAYOUT)
    for page in doc.pages:
        assert page.label == f"— {page.number} —"
        digits = [g for g in footer(page) if g.text == str(page.number)]
        dashes = [g for g in footer(page) if g.text == "—"]
        assert len(footer(page)) == 3
        assert digits and len(dashes) == 2
        left, right = dashes[0].x / MM, (dashes[1].x + dashes[1].width) / MM
        if page.number % 2:
            assert right == pytest.approx(210 - RIGHT - 4.94, abs=0.2)  # 右空一字 (4号)
        else:
            assert left == pytest.approx(LEFT + 4.94, abs=0.2)
        # the dash's middle (≈ baseline − 0.3 em) 7 mm below the 版心
        middle = dashes[0].baseline / MM - 0.3 * 14 / 72 * 25.4
        assert middle - (297 - BOTTOM) == pytest.approx(7, abs=1.5)


def test_banji_on_the_bottom_of_the_last_even_page(example):
    doc = build_preview(example, "redhead", LAYOUT)
    last = doc.pages[-1]
    assert last.number % 2 == 0 and doc.banji_page == last.number
    assert "抄送" in last.text and "印发" in last.text
    rules = sorted(last.rules, key=lambda r: r.y)
    assert len(rules) == 3
    bottom = (rules[-1].y + rules[-1].thickness) / MM
    assert bottom == pytest.approx(297 - BOTTOM, abs=1.0)


def test_blank_page_before_the_banji_is_unnumbered(example):
    rep = with_extra_lines(example, 7)  # the body now fills page 12 (even): no room left
    doc = build_preview(rep, "redhead", LAYOUT)
    _, result, _ = build_document(rep, "redhead", LAYOUT)
    assert result.blank_page and len(doc.pages) == result.pages == 14
    blank, banji = doc.pages[12], doc.pages[13]
    assert not blank.numbered and not blank.glyphs and blank.label is None
    assert not banji.numbered and banji.label is None and "印发" in banji.text
    assert doc.pages[11].label == "— 12 —"


def test_an_edit_moves_the_page_breaks(example):
    before = build_preview(example, "redhead", LAYOUT)
    after = build_preview(with_extra_lines(example, 30), "redhead", LAYOUT)
    assert len(after.pages) == len(before.pages) + 2  # the 版记 stays on an even page
    assert "补充一句话作为测试" in "".join(p.text for p in after.pages)


# ---- the LibreOffice path --------------------------------------------------------------------
def test_missing_tools_are_said_in_chinese(monkeypatch):
    from editor.export import preview_pdf

    monkeypatch.setattr(preview_pdf, "find_soffice", lambda: None)
    assert preview_pdf.missing() == "未安装 LibreOffice，显示的是近似版式"
    with pytest.raises(preview_pdf.PreviewUnavailable, match="LibreOffice"):
        preview_pdf.render_preview(None, "redhead", LAYOUT, ".")
    monkeypatch.setattr(preview_pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(preview_pdf, "rasteriser", lambda: None)
    assert "poppler-utils" in preview_pdf.missing()


def test_libreoffice_pages_as_pictures(example, tmp_path):
    from render_utils import require_render

    from editor.export import preview_pdf

    require_render()
    if not preview_pdf.rasteriser():
        pytest.skip("no PDF rasteriser")
    out = preview_pdf.render_preview(example, "redhead", LAYOUT, tmp_path)
    assert len(out.images) == out.pages == 12
    assert all(p.exists() and p.stat().st_size > 1000 for p in out.images)
    assert out.renderer in ("pdftoppm", "PyMuPDF")
    assert [p.name for p in out.images][:2] in (["page-01.png", "page-02.png"],
                                                ["page-1.png", "page-2.png"])
