"""Render the exported DOCX with LibreOffice and measure the page (shared PDFs per module)."""

from __future__ import annotations

import re

import pytest

from editor.export import build_document, export_docx, export_with_pdf, load_layout
from editor.model import Header, Part, Report, Section
from tests.render_utils import (
    BOTTOM_MM,
    LEFT_MM,
    MM,
    RIGHT_MM,
    TOP_MM,
    body_lines,
    footer_lines,
    pages,
    render,
    rules,
    visual_rows,
)

WIDE = "法治政府建设依法行政严格执法公正司法全民守法"


def synthetic(extra_chars: int) -> Report:
    """A report of pure Chinese text (no digits) whose body length is set in characters."""
    body = (WIDE * 40)[:200] + "。"
    tail = (WIDE * 60)[: max(1, extra_chars)] + "。"
    return Report(
        year=2025, organ="某某镇人民政府",
        header=Header(organ_mark="某某镇人民政府文件", doc_code="某府", doc_year="2026",
                      doc_serial="3", signer="张某", title="某某镇人民政府关于法治政府建设情况的报告",
                      recipients="某某县人民政府：", signature="某某镇人民政府",
                      date="2026年2月10日", note="（联系人：李某，电话：一二三）", cc="县司法局",
                      printer="某某镇党政综合办公室", print_date="2026年2月10日"),
        preamble=body,
        parts=[Part(key="measures", heading="主要举措和成效",
                    sections=[Section("加强组织领导", body), Section("规范行政决策", body),
                              Section("严格执法", tail)])],
    )


def find_case(want) -> Report:
    layout = load_layout()
    for n in range(1, 1200, 14):
        report = synthetic(n)
        _, result, _ = build_document(report, "redhead", layout)
        if want(result):
            return report
    raise AssertionError("no report length gives the wanted pagination")


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory):
    from editor.ingest import parse_text
    from tests.conftest import sample_text
    from tests.render_utils import require_render

    require_render()
    folder = tmp_path_factory.mktemp("render")
    report = parse_text(sample_text("linjiang-2025.txt"))
    # The GUI's path: render-confirmed pagination, PDF, check of the PDF.
    result, pdf_result = export_with_pdf(report, folder / "redhead.docx", folder / "out.pdf")
    return result, pages(pdf_result.pdf), rules(pdf_result.pdf), pdf_result


@pytest.fixture(scope="module")
def odd_room_pdf(tmp_path_factory):
    # Body ends on an odd page with room: the 版记 goes to the next (even, numbered) page.
    report = find_case(lambda r: r.body_end[0] % 2 == 1 and r.body_end[0] > 1
                       and r.body_end[1] <= 15)
    folder = tmp_path_factory.mktemp("odd")
    result = export_docx(report, folder / "odd.docx")
    pdf = render(result.path)
    return result, pages(pdf), rules(pdf)


@pytest.fixture(scope="module")
def even_full_pdf(tmp_path_factory):
    # Body ends on an even page with no room: a blank page, then the 版记 page, neither numbered.
    report = find_case(lambda r: r.body_end[0] % 2 == 0 and r.body_end[1] >= 21)
    folder = tmp_path_factory.mktemp("even")
    result = export_docx(report, folder / "even.docx")
    pdf = render(result.path)
    return result, pages(pdf), rules(pdf)


def rel(y_pt: float) -> float:
    """mm below the 版心's top edge."""
    return y_pt / MM - TOP_MM


def banji_rules(all_rules, page):
    return sorted((r for r in all_rules if r.page == page and r.color[:3] in ((0, 0, 0), (0.0, 0.0, 0.0))),
                  key=lambda r: r.y_mm)


def test_full_body_pages_have_22_lines(example_pdf):
    result, pdf_pages, _ = example_pdf[:3]
    assert len(pdf_pages) == result.pages == result.banji_page
    full = pdf_pages[1:-1]
    assert len(full) >= 8
    heading = re.compile("^[一二三四五六七八九十]+、")
    twenty_two = 0
    for page in full:
        rows = visual_rows(body_lines(page))
        following = body_lines(pdf_pages[page.number])[0].text
        if len(rows) == 21 and heading.match(following):
            continue  # a 一、 heading kept with its text moved to the next page
        assert len(rows) == 22, page.number
        twenty_two += 1
        # Lines on the 579-twip grid from the 版心's top edge down to its bottom edge.
        assert rel(rows[0][0].y0) < 10.2
        assert 214 < rel(rows[-1][0].y0) < 225
    assert twenty_two >= len(full) - 2


def test_full_lines_have_28_characters(example_pdf):
    _, pdf_pages, _ = example_pdf[:3]
    counted, exact = 0, 0
    for page in pdf_pages[1:-1]:
        for ln in body_lines(page):
            text = ln.text.replace(" ", "")
            pure = all(ord(c) > 0x2E80 for c in text)
            starts_left = abs(ln.x0 / MM - LEFT_MM) < 0.5
            if pure and starts_left and ln.x1 / MM > RIGHT_MM - 1.5 and ln.x1 / MM < RIGHT_MM + 1:
                # 27 only when an opening bracket or quote was carried to the next line.
                assert len(text) in (27, 28), text
                counted += 1
                exact += len(text) == 28
    assert counted >= 50 and exact >= 0.9 * counted


def test_text_block_starts_28_mm_from_the_left(example_pdf):
    _, pdf_pages, _ = example_pdf[:3]
    xs = [ln.x0 / MM for p in pdf_pages for ln in body_lines(p)]
    assert min(xs) == pytest.approx(LEFT_MM, abs=0.5)
    assert max(ln.x1 / MM for p in pdf_pages[1:-1] for ln in body_lines(p)) < RIGHT_MM + 6.5


def test_mark_35_mm_below_type_area_top(example_pdf):
    _, pdf_pages, all_rules = example_pdf[:3]
    mark = next(ln for ln in pdf_pages[0].lines if "人民政府文件" in ln.text)
    assert rel(mark.y0) == pytest.approx(35, abs=2)
    # Centred, within the 156 mm type area.
    assert mark.x0 / MM >= LEFT_MM - 0.5 and mark.x1 / MM <= RIGHT_MM + 0.5
    assert abs((mark.x0 + mark.x1) / 2 / MM - (LEFT_MM + RIGHT_MM) / 2) < 2
    red = [r for r in all_rules if r.page == 1 and r.color[:3] == (1.0, 0.0, 0.0)]
    assert len(red) == 1
    number = next(ln for ln in pdf_pages[0].lines if "12" in ln.text and "府" in ln.text)
    assert red[0].y_mm - number.y1 / MM == pytest.approx(4, abs=1)
    assert red[0].x0_mm == pytest.approx(LEFT_MM, abs=0.5)
    assert red[0].x1_mm == pytest.approx(RIGHT_MM, abs=0.5)
    signer = next(ln for ln in pdf_pages[0].lines if "签发人" in ln.text)
    assert abs(signer.yc - number.yc) < 1 and signer.x1 / MM < RIGHT_MM - 4


def test_page_numbers_7_mm_below_on_the_correct_side(example_pdf):
    _, pdf_pages, _ = example_pdf[:3]
    for page in pdf_pages:
        (foot,) = footer_lines(page)
        assert foot.text.replace(" ", "") == f"—{page.number}—"
        # 一字线上距版心下边缘7 mm: the dashes are at mid-height of the number's line.
        assert foot.yc / MM - BOTTOM_MM == pytest.approx(7, abs=2)
        assert foot.y0 / MM > BOTTOM_MM + 3
        if page.number % 2:
            assert foot.x1 / MM == pytest.approx(RIGHT_MM - 4.94, abs=1.5)  # 右空一字
        else:
            assert foot.x0 / MM == pytest.approx(LEFT_MM + 4.94, abs=1.5)  # 左空一字


def test_banji_last_rule_on_the_bottom_edge_of_an_even_page(example_pdf):
    _, pdf_pages, all_rules = example_pdf[:3]
    last = pdf_pages[-1]
    assert last.number % 2 == 0
    rs = banji_rules(all_rules, last.number)
    assert len(rs) == 3
    assert rs[-1].y_mm == pytest.approx(BOTTOM_MM, abs=1.5)
    assert rs[0].width_pt > rs[1].width_pt  # thick / thin / thick
    assert all(r.x0_mm == pytest.approx(LEFT_MM, abs=0.5) for r in rs)
    assert all(r.x1_mm == pytest.approx(RIGHT_MM, abs=0.5) for r in rs)
    texts = [ln.text for ln in last.lines]
    assert any("抄送" in t for t in texts) and any("印发" in t for t in texts)


def test_signature_and_date_are_on_the_last_body_page(example_pdf):
    _, pdf_pages, _ = example_pdf[:3]
    texts = [ln.text.replace(" ", "") for ln in pdf_pages[-1].lines]
    assert "清河县临江镇人民政府" in texts and "2026年2月10日" in texts
    date = next(ln for ln in pdf_pages[-1].lines if ln.text.replace(" ", "") == "2026年2月10日")
    # 右空四字: four compressed characters (22.2 mm) from the right edge.
    assert RIGHT_MM - date.x1 / MM == pytest.approx(22.2, abs=1.5)


def test_odd_page_with_room_moves_banji_to_next_even_page(odd_room_pdf):
    result, pdf_pages, all_rules = odd_room_pdf
    assert not result.blank_page and result.banji_page == result.body_end[0] + 1
    assert len(pdf_pages) == result.banji_page
    last = pdf_pages[-1]
    assert last.number % 2 == 0
    assert [ln.text.replace(" ", "") for ln in footer_lines(last)] == [f"—{last.number}—"]
    assert banji_rules(all_rules, last.number)[-1].y_mm == pytest.approx(BOTTOM_MM, abs=1.5)
    body_end = pdf_pages[-2]
    assert any("某某镇人民政府" == ln.text.strip() for ln in body_end.lines)


def test_even_page_without_room_adds_unnumbered_blank_page(even_full_pdf):
    result, pdf_pages, all_rules = even_full_pdf
    assert result.blank_page and result.banji_page == result.body_end[0] + 2
    assert len(pdf_pages) == result.banji_page
    blank, banji = pdf_pages[-2], pdf_pages[-1]
    assert blank.lines == []  # no text, no page number
    assert footer_lines(banji) == []
    assert banji.number % 2 == 0
    assert banji_rules(all_rules, banji.number)[-1].y_mm == pytest.approx(BOTTOM_MM, abs=1.5)
    # The body pages before keep their numbers.
    assert [ln.text.replace(" ", "") for ln in footer_lines(pdf_pages[-3])] == \
        [f"—{pdf_pages[-3].number}—"]


@pytest.fixture(scope="module")
def variants_pdf(tmp_path_factory):
    from editor.ingest import parse_text
    from tests.conftest import sample_text

    folder = tmp_path_factory.mktemp("variants")
    report = parse_text(sample_text("linjiang-2025.txt"))
    out = {}
    for variant in ("preprinted", "plain"):
        result = export_docx(report, folder / f"{variant}.docx", variant=variant)
        pdf = render(result.path)
        out[variant] = (result, pages(pdf), rules(pdf))
    return out


def test_preprinted_keeps_the_header_space_without_red(variants_pdf, example_pdf):
    _, pdf_pages, all_rules = variants_pdf["preprinted"]
    assert not any(r.color[:3] == (1.0, 0.0, 0.0) for r in all_rules)
    assert not any("人民政府文件" in ln.text for ln in pdf_pages[0].lines)
    number = next(ln for ln in pdf_pages[0].lines if "签发人" in ln.text)
    red_number = next(ln for ln in example_pdf[1][0].lines if "签发人" in ln.text)
    assert number.y0 == pytest.approx(red_number.y0, abs=0.5)
    title = next(ln for ln in pdf_pages[0].lines if "关于" in ln.text)
    red_title = next(ln for ln in example_pdf[1][0].lines if "关于" in ln.text)
    assert title.y0 == pytest.approx(red_title.y0, abs=0.5)


def test_plain_starts_with_the_title(variants_pdf):
    _, pdf_pages, all_rules = variants_pdf["plain"]
    first = body_lines(pdf_pages[0])
    assert "关于" in first[0].text and rel(first[0].y0) < 10
    assert all_rules == []
    assert not any("抄送" in ln.text for p in pdf_pages for ln in p.lines)


def test_pdf_api_reports_substitutions_and_finds_no_problem(example_pdf):
    result = example_pdf[0]
    pdf_result = example_pdf[3]
    assert result.confirmed
    assert pdf_result.warnings == []
    # The DOCX keeps the office names; the PDF says what stood in for each.
    for name in ("仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体", "宋体"):
        assert name in pdf_result.substitutions
    assert any("未安装" in line for line in pdf_result.substitution_lines())


def test_rendered_fonts_differ_per_level(example_pdf):
    from tests.render_utils import require_kai_font

    require_kai_font()
    _, pdf_pages, _ = example_pdf[:3]
    lines = [ln for p in pdf_pages for ln in p.lines]
    l1 = next(ln for ln in lines if ln.text.startswith("一、"))
    l2 = next(ln for ln in lines if ln.text.startswith("（一）"))
    body = next(ln for ln in lines if ln.text.startswith("2025 年，") or ln.text.startswith("2025年，"))
    title = next(ln for ln in lines if "关于" in ln.text and ln.size > 20)
    assert title.size == pytest.approx(22, abs=0.2) and body.size == pytest.approx(16, abs=0.2)
    assert len({l1.font, l2.font, body.font}) == 3  # 黑体 / 楷体 / 仿宋 stand-ins


def test_long_organ_name_is_narrowed_not_wrapped(tmp_path):
    report = synthetic(10)
    report.header.organ_mark = "某某省某某市某某县某某镇人民政府某某委员会办公室联合文件"
    result = export_docx(report, tmp_path / "long.docx")
    pdf_pages = pages(render(result.path))
    marks = [ln for ln in pdf_pages[0].lines if "联合文件" in ln.text or "某某省" in ln.text]
    assert len(marks) == 1
    assert marks[0].x0 / MM >= LEFT_MM - 0.5 and marks[0].x1 / MM <= RIGHT_MM + 0.5


def test_twenty_cc_organs_and_a_3000_character_section(tmp_path):
    """Hostile input through the GUI's path: every name reaches the PDF and the 版记 still
    closes an even page (the render confirmation follows the stand-in fonts' line breaks)."""
    from tests.render_utils import require_render

    require_render()
    report = synthetic(10)
    report.header.cc = "、".join(f"县{n}局" for n in range(20))
    report.header.signature = ""
    report.header.date = ""
    report.parts[0].sections[0].body = "依法行政" * 750
    report.header.title = "关于" + "某某镇人民政府法治政府建设" * 4 + "情况的报告"
    result, pdf_result = export_with_pdf(report, tmp_path / "h.docx", tmp_path / "h.pdf")
    assert pdf_result.warnings == []
    assert "缺少成文日期" in result.warnings
    pdf_pages = pages(pdf_result.pdf)
    assert len(pdf_pages) == result.banji_page and result.banji_page % 2 == 0
    text = "".join(ln.text for ln in pdf_pages[-1].lines).replace(" ", "")
    assert all(f"县{n}局" in text for n in range(20)) and "县19局。" in text
    rs = banji_rules(rules(pdf_result.pdf), result.banji_page)
    assert rs[-1].y_mm == pytest.approx(BOTTOM_MM, abs=1.5)
    title_rows = visual_rows([ln for ln in pdf_pages[0].lines if ln.size > 20 and "文件" not in ln.text])
    assert 3 <= len(title_rows) <= 4  # never wider than 20 characters of 2号
