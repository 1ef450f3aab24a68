"""The exported DOCX read back as XML: page, grid, fonts, sizes, colours, footers, variants."""

from __future__ import annotations

import itertools
import re
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from editor.export import ExportError, default_filename, export_docx, load_layout
from editor.model import Report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def example():
    from editor.ingest import parse_text
    from tests.conftest import sample_text

    return parse_text(sample_text("linjiang-2025.txt"))


@pytest.fixture(scope="module")
def exported(example, tmp_path_factory):
    folder = tmp_path_factory.mktemp("docx")
    out = {}
    for variant in ("redhead", "preprinted", "plain"):
        path = folder / f"{variant}.docx"
        out[variant] = (export_docx(example, path, variant=variant), path)
    return out


def xml(path, part="word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def paragraphs_with(doc, text):
    return [p for p in doc.paragraphs if text in p.text]


def run_fonts(run):
    rfonts = run._r.rPr.find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in rfonts.attrib.items()}


def run_size(run):
    return int(run._r.rPr.find(qn("w:sz")).get(qn("w:val"))) / 2


def test_page_size_margins_and_grid(exported):
    _, path = exported["redhead"]
    doc = Document(path)
    sect = doc.sections[0]._sectPr
    pg = sect.find(qn("w:pgSz"))
    mar = sect.find(qn("w:pgMar"))
    assert (pg.get(qn("w:w")), pg.get(qn("w:h"))) == ("11906", "16838")
    assert [mar.get(qn(f"w:{k}")) for k in ("top", "bottom", "left", "right")] == \
        ["2098", "1984", "1587", "1474"]
    grid = sect.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"
    assert "linesAndChars" not in xml(path)


def test_body_lines_exact_579_and_28_char_spacing(exported):
    _, path = exported["redhead"]
    doc = Document(path)
    body = paragraphs_with(doc, "临江镇人民政府在县委")[0]
    spacing = body._p.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:line")) == "579" and spacing.get(qn("w:lineRule")) == "exact"
    ind = body._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLine")) == "630"  # 2 compressed characters
    # Every 3号 run carries −5 twips so 28 characters fit on a 156 mm line.
    for p in doc.paragraphs:
        for r in p.runs:
            if r._r.rPr is not None and r._r.rPr.find(qn("w:sz")) is not None and run_size(r) == 16:
                assert r._r.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5", p.text[:20]


def test_no_theme_fonts_anywhere(exported):
    for _, path in exported.values():
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".xml") and name != "word/theme/theme1.xml":
                    text = z.read(name).decode("utf-8")
                    assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme|w:cstheme", text), name
    styles = xml(exported["redhead"][1], "word/styles.xml")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.DOTALL).group(0)
    assert 'w:eastAsia="仿宋_GB2312"' in defaults and 'w:ascii="仿宋_GB2312"' in defaults
    assert 'w:hint="eastAsia"' in defaults


def test_fonts_and_sizes_per_element(exported):
    _, path = exported["redhead"]
    doc = Document(path)
    mark = paragraphs_with(doc, "临江镇人民政府文件")[0]
    assert run_fonts(mark.runs[0])["eastAsia"] == "方正小标宋简体"
    assert 22 <= run_size(mark.runs[0]) <= 36
    title = paragraphs_with(doc, "情况的报告")[0]
    assert {run_fonts(r)["eastAsia"] for r in title.runs} == {"方正小标宋简体"}
    assert {run_size(r) for r in title.runs} == {22}
    assert [r.text.strip() for r in title.runs] == \
        ["清河县临江镇人民政府关于", "2025年度法治政府建设情况的报告"]
    l1 = paragraphs_with(doc, "一、2025年度推进法治政府建设")[0]
    assert run_fonts(l1.runs[0])["eastAsia"] == "黑体" and run_size(l1.runs[0]) == 16
    # Run-in level 2: the （一）title。 run in 楷体, the body in 仿宋, one paragraph.
    l2 = paragraphs_with(doc, "（一）坚持党的领导，压实法治建设责任。")[0]
    assert l2.runs[0].text == "（一）坚持党的领导，压实法治建设责任。"
    assert run_fonts(l2.runs[0])["eastAsia"] == "楷体_GB2312"
    assert l2.runs[1].text.startswith("镇党委、镇政府")
    assert run_fonts(l2.runs[1])["eastAsia"] == "仿宋_GB2312"
    for f in run_fonts(l2.runs[1]).values():
        assert f in ("仿宋_GB2312", "eastAsia")
    l3 = paragraphs_with(doc, "1.规范文件制定和管理。")[0]
    assert l3.runs[0].text == "1.规范文件制定和管理。"
    assert run_fonts(l3.runs[0])["eastAsia"] == "仿宋_GB2312"
    l4 = paragraphs_with(doc, "（1）落实行政执法公示制度。")[0]
    assert l4.runs[0].text == "（1）落实行政执法公示制度。"
    signer = paragraphs_with(doc, "签发人：")[0]
    fonts = {r.text.strip(): run_fonts(r)["eastAsia"] for r in signer.runs}
    assert fonts["签发人："] == "仿宋_GB2312" and fonts["王建华"] == "楷体_GB2312"
    date = paragraphs_with(doc, "2026年2月10日")[0]
    assert date.alignment is not None and date._p.pPr.find(qn("w:ind")).get(qn("w:right")) == "1260"


def test_red_mark_and_line(exported):
    _, path = exported["redhead"]
    doc = Document(path)
    mark = paragraphs_with(doc, "临江镇人民政府文件")[0]
    assert mark.runs[0]._r.rPr.find(qn("w:color")).get(qn("w:val")) == "FF0000"
    number = paragraphs_with(doc, "临府〔2026〕12号")[0]
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"
    # The line spans the whole 版心: no left/right indent on its paragraph.
    ind = number._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:left")) == "0" and ind.get(qn("w:right")) == "0"


def test_even_and_odd_footers_with_page_field(exported):
    _, path = exported["redhead"]
    doc = Document(path)
    assert doc.settings.odd_and_even_pages_header_footer
    sect = doc.sections[0]
    odd = sect.footer._element
    even = sect.even_page_footer._element
    assert "PAGE" in odd.xml and "PAGE" in even.xml
    jc = lambda el: el.find(f".//{W}jc").get(f"{W}val")
    assert jc(odd) == "right" and jc(even) == "left"
    assert odd.find(f".//{W}ind").get(f"{W}right") == "280"
    assert even.find(f".//{W}ind").get(f"{W}left") == "280"
    assert "— " in sect.footer.paragraphs[0].text and "宋体" in odd.xml
    # Footer distance computed so the dash lands 7 mm under the 版心 (verified on the render).
    footer = int(sect._sectPr.find(qn("w:pgMar")).get(qn("w:footer")))
    assert 1000 < footer < 1700


def banji_paras(doc):
    return [p for p in doc.paragraphs if p._p.pPr is not None
            and p._p.pPr.find(qn("w:framePr")) is not None]


def banji_text(doc) -> str:
    return "\n".join(p.text for p in banji_paras(doc))


def test_banji_is_one_frame_on_the_bottom_of_the_type_area(exported):
    _, path = exported["redhead"]
    doc = Document(path)
    assert not doc.tables  # a frame, not a table (LibreOffice ignores a floating table's place)
    paras = banji_paras(doc)
    assert paras and paras[-1]._p is doc.paragraphs[-1]._p  # the document's last paragraphs
    text = banji_text(doc)
    assert "抄送：县委依法治县办。" in text
    assert "清河县临江镇党政综合办公室" in text and "2026年2月10日印发" in text
    frames = {p._p.pPr.find(qn("w:framePr")).attrib.values().__repr__() for p in paras}
    assert len(frames) == 1  # the same framePr: one frame
    fp = paras[0]._p.pPr.find(qn("w:framePr"))
    assert fp.get(qn("w:yAlign")) == "bottom" and fp.get(qn("w:vAnchor")) == "margin"
    assert fp.get(qn("w:hAnchor")) == "margin" and fp.get(qn("w:w")) == "8845"
    # The same borders on every paragraph (the frame's 首条/末条 rules, 0.35 mm = sz 8).
    borders = {etree_str(p._p.pPr.find(qn("w:pBdr"))) for p in paras}
    assert len(borders) == 1
    bdr = paras[0]._p.pPr.find(qn("w:pBdr"))
    assert bdr.find(qn("w:top")).get(qn("w:sz")) == "8" == bdr.find(qn("w:bottom")).get(qn("w:sz"))
    # 抄送 and 印发 never split: every paragraph but the last keeps with the next, lines together.
    assert all(p._p.pPr.find(qn("w:keepNext")) is not None for p in paras[:-1])
    assert all(p._p.pPr.find(qn("w:keepLines")) is not None for p in paras)
    cell_runs = [r for p in paras for r in p.runs if r.text.strip()]
    assert {run_size(r) for r in cell_runs} == {14}


def etree_str(el) -> str:
    from lxml import etree

    return etree.tostring(el).decode()


def test_preprinted_has_nothing_red(exported):
    _, path = exported["preprinted"]
    text = xml(path)
    assert "FF0000" not in text.upper()
    assert "临江镇人民政府文件" not in text  # the paper has the mark already
    doc = Document(path)
    assert paragraphs_with(doc, "临府〔2026〕12号")  # 发文字号 and 签发人 still printed
    assert paragraphs_with(doc, "签发人：")
    assert "印发" in banji_text(doc)  # 版记 kept


def test_plain_has_no_head_and_no_banji(exported):
    _, path = exported["plain"]
    doc = Document(path)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "临江镇人民政府文件" not in text and "临府〔2026〕12号" not in text
    assert "签发人" not in text and "抄送" not in text and not banji_paras(doc)
    assert doc.paragraphs[0].text.startswith("清河县临江镇人民政府关于")
    assert "2026年2月10日" in text and "特此报告。" in text


def test_house_style_overrides_fonts_and_bold(example, tmp_path):
    result = export_docx(example, tmp_path / "w.docx", layout="windows-fonts")
    text = xml(result.path)
    assert 'w:eastAsia="仿宋"' in text and "仿宋_GB2312" not in text
    assert 'w:eastAsia="楷体"' in text
    doc = Document(export_docx(example, tmp_path / "b.docx", layout="bold-level3").path)
    l3 = paragraphs_with(doc, "1.规范文件制定和管理。")[0]
    assert l3.runs[0].bold and not l3.runs[1].bold
    assert load_layout("windows-fonts").font("fangsong") == "仿宋"


def test_hostile_input_still_gives_a_valid_document(tmp_path):
    from editor.model import Header, Part, Section

    long_body = ("依法行政" * 750)  # a 3,000-character section
    report = Report(
        year=2025, organ="",
        header=Header(title="关于" + "某某镇人民政府法治政府建设" * 4 + "情况的报告", cc="、".join(
            f"县{n}局" for n in range(20)), organ_mark="某某镇人民政府文件"),
        preamble="控制字符\x00\x07\x0b不能进入文件\ufffe。",
        parts=[Part(key="measures", heading="主要举措", sections=[Section("第一节", long_body)]),
               Part(key="shortcomings", heading="", sections=[])],
    )
    result = export_docx(report, tmp_path / "h.docx")
    doc = Document(result.path)  # parses: nothing illegal reached the XML
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "控制字符不能进入文件。" in text
    for needle in ("缺少发文字号", "缺少成文日期", "缺少签发人", "缺少主送机关", "缺少印发机关"):
        assert needle in result.warnings
    assert any("第2部分缺少标题" in w for w in result.warnings)
    title = paragraphs_with(doc, "关于某某镇")[0]
    assert all(len(r.text.strip()) <= 20 for r in title.runs) and len(title.runs) >= 3
    assert "县19局。" in banji_text(doc)
    assert result.banji_page is not None and result.banji_page % 2 == 0


def test_title_is_split_at_natural_boundaries():
    from editor.export.title_lines import split_title

    layout = load_layout()

    def width(s):
        return sum(1 if ord(c) > 0x2E80 else 0.5 for c in s)

    lines = split_title("清河县临江镇人民政府关于2025年度法治政府建设情况的报告", layout, width)
    assert lines == ["清河县临江镇人民政府关于", "2025年度法治政府建设情况的报告"]
    assert width(lines[0]) < width(lines[1])  # 梯形: short over long
    short = split_title("关于法治政府建设情况的报告", layout, width)
    assert short == ["关于法治政府建设情况的报告"]
    long = split_title("某某自治州某某县某某镇人民政府关于2025年度法治政府建设和依法行政工作"
                       "开展情况及2026年工作安排的报告", layout, width)
    assert len(long) == 3 and all(width(s) <= 20 for s in long)
    assert "".join(long).endswith("的报告") and not any(s[0] in "，。的" for s in long[1:])


def test_line_counting_follows_the_grid():
    from editor.export.blocks import Para, Run
    from editor.export.pagination import count_lines

    layout = load_layout()

    def para(text):
        return Para([Run(text, "fangsong", 16, spacing=-5)], first_line=630)

    assert count_lines(para("法" * 26), 8845, layout) == 1
    assert count_lines(para("法" * 27), 8845, layout) == 2
    assert count_lines(para("法" * (26 + 28)), 8845, layout) == 2
    assert count_lines(para("法" * (26 + 28 + 1)), 8845, layout) == 3
    # A full stop that does not fit hangs at the line end instead of opening a line.
    assert count_lines(para("法" * 26 + "。"), 8845, layout) == 1
    # An opening quote never ends a line: it goes down with the next character.
    assert count_lines(para("法" * 25 + "“法"), 8845, layout) == 2


def test_default_filename_is_safe_on_windows(example):
    assert default_filename(example) == "清河县临江镇人民政府关于2025年度法治政府建设情况的报告.docx"
    r = example.copy()
    r.header.title = '关于<a>/b\\c:d*e?f"g|h的报告. '
    assert default_filename(r) == "关于_a__b_c_d_e_f_g_h的报告.docx"
    r.header.title = "CON"
    assert default_filename(r) == "报告_CON.docx"
    r.header.title = ""
    assert default_filename(r).endswith("年度法治政府建设情况的报告.docx")


def test_unknown_variant_and_house_style_are_clear_errors(example, tmp_path):
    with pytest.raises(ExportError, match="不认识的版式"):
        export_docx(example, tmp_path / "x.docx", variant="blue")
    with pytest.raises(ExportError, match="找不到单位版式"):
        export_docx(example, tmp_path / "x.docx", layout="nope")
    assert not (tmp_path / "x.docx").exists()


def test_house_style_from_a_file_changes_the_grid(example, tmp_path):
    style = tmp_path / "our-unit.toml"
    style.write_text('name = "本单位"\n[page]\nline_pitch_twips = 560\n'
                     '[signature]\nblank_lines_before = { value = 2, clause = "本单位" }\n',
                     encoding="utf-8")
    layout = load_layout(style)
    assert layout.pitch == 560 and layout.name == "本单位"
    assert layout.page.clause("line_pitch_twips").startswith("house style")
    assert layout.page.top_margin_mm == 37  # everything else from the standard
    path = export_docx(example, tmp_path / "u.docx", layout=layout).path
    doc = Document(path)
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "560"
    body = paragraphs_with(doc, "临江镇人民政府在县委")[0]
    assert body._p.pPr.find(qn("w:spacing")).get(qn("w:line")) == "560"


def test_font_table_names_fallbacks(exported):
    fonts = xml(exported["redhead"][1], "word/fontTable.xml")
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/>', fonts)
    assert 'w:name="方正小标宋简体"' in fonts


def test_list_house_styles_and_describe():
    from editor.export import list_house_styles

    styles = {s["name"]: s for s in list_house_styles()}
    assert {"windows-fonts", "bold-level3"} <= set(styles)
    assert styles["windows-fonts"]["title"] and styles["windows-fonts"]["description"]
    rows = {key: (value, clause) for key, value, clause in load_layout().describe()}
    assert rows["page.top_margin_mm"] == (37, "5.2.1 天头 37 mm")
    assert rows["page.line_pitch_twips"][0] == 579


def test_an_empty_section_is_left_out_and_the_numbers_close_up(example, tmp_path):
    from editor.model import Section

    report = example.copy()
    part = report.parts[1]
    part.sections.insert(1, Section(title="", body="  \n"))
    path = tmp_path / "empty.docx"
    export_docx(report, path, variant="plain")
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "（一）。" not in text and "（二）。" not in text
    titles = [s.title for s in part.sections if not s.is_empty]
    for i, title in enumerate(titles):
        assert f"{'（一）（二）（三）（四）（五）'[i * 3:i * 3 + 3]}{title}" in text


def test_default_file_names_say_the_version(example):
    names = {v: default_filename(example, ".docx", variant=v)
             for v in ("redhead", "preprinted", "plain")}
    title = default_filename(example)[: -len(".docx")]
    assert names == {"redhead": f"{title}（红头版）.docx", "preprinted": f"{title}（套打版）.docx",
                     "plain": f"{title}（公开版）.docx"}
    assert default_filename(example, ".pdf", variant="plain").endswith("（公开版）.pdf")


def test_file_properties_are_the_reports(example, tmp_path):
    import datetime as dt

    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    path = export_docx(example, tmp_path / "p.docx").path
    cp = Document(path).core_properties
    assert cp.title == example.header.title == "清河县临江镇人民政府关于2025年度法治政府建设情况的报告"
    assert cp.author == "清河县临江镇人民政府"
    assert cp.last_modified_by == "法治政府建设年度报告编辑器"
    assert before <= cp.created == cp.modified <= before + dt.timedelta(minutes=2)
    core = xml(path, "docProps/core.xml")
    assert "python-docx" not in core and "2013" not in core
    app = xml(path, "docProps/app.xml")
    assert "<Application>法治政府建设年度报告编辑器</Application>" in app
    assert "Microsoft" not in app and "Normal.dotm" not in app
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        rels = z.read("_rels/.rels").decode() + z.read("word/_rels/document.xml.rels").decode()
    assert not any(n.startswith(("docProps/thumbnail", "customXml/")) for n in names)
    assert "thumbnail" not in rels and "customXml" not in rels


def title_width(s: str) -> float:
    from editor.export.pagination import char_advance

    return sum(char_advance(c, 22, 0) for c in s) / 440


@pytest.mark.parametrize("title", [
    "某某自治州某某县某某镇人民政府关于2025年度法治政府建设情况的报告",
    "清河县临江镇人民政府关于2025年度法治政府建设情况的报告",
    "某某自治州某某县某某镇人民政府关于2025年度法治政府建设和依法行政工作开展情况及2026年工作安排的报告",
    "中共某某县委全面依法治县委员会办公室关于2025年度法治政府建设和法治社会建设情况的报告",
    "某某市某某区某某街道办事处关于2025年度法治政府建设工作情况和2026年度工作打算的报告",
])
def test_title_lines_break_between_words_in_the_fewest_lines(title):
    import math

    from editor.export.title_lines import split_title, word_boundaries

    layout = load_layout()
    lines = split_title(title, layout, title_width)
    assert "".join(lines) == title
    assert all(title_width(s) <= 20 for s in lines)
    # the fewest lines that fit: never more than the width needs, but for whole words
    assert len(lines) <= math.ceil(title_width(title) / 20) + (1 if len(title) > 50 else 0)
    cuts, pos = set(), 0
    for s in lines[:-1]:
        pos += len(s)
        cuts.add(pos)
    assert cuts <= word_boundaries(title, list(layout.title.break_after))
    for a, b in itertools.pairwise(lines):
        assert not (a.endswith(("镇人", "人民")) or b.startswith("民政府")), lines
    widths = [title_width(s) for s in lines]
    assert max(widths) - min(widths) <= 6  # balanced


def test_a_56_character_title_takes_3_lines_not_4():
    from editor.export.title_lines import split_title

    title = "某某自治州某某县某某镇人民政府关于2025年度法治政府建设和依法行政工作开展情况的报告"
    title = title + "总结" * ((56 - len(title)) // 2)
    assert 54 <= len(title) <= 56 and title_width(title) <= 60
    assert len(split_title(title, load_layout(), title_width)) == 3
