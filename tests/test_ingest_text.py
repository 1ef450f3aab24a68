"""Text import: the samples, the proposal API, tolerated quirks, encodings, arbitrary input."""

import codecs
import re

import pytest
from conftest import DATA, sample_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.ingest import (
    EncodingError,
    ImportError_,
    import_file,
    import_text,
    parse_text,
    propose,
    propose_text,
)
from editor.ingest.encoding import decode_bytes, detect_encoding
from editor.ingest.text_import import _width
from editor.model import Report


def shape(report: Report):
    return [(p.key, p.heading, [(s.title, s.body) for s in p.sections], p.lead)
            for p in report.parts]


def flat(report: Report):
    """Section and lead text with paragraph breaks ignored (hard-wrapped text loses some)."""
    return [(p.key, p.heading, p.lead.replace("\n", ""),
             [(s.title, s.body.replace("\n", "")) for s in p.sections]) for p in report.parts]


# ---- the samples, both outlines -----------------------------------------------------------------
def test_four_part_outline(linjiang):
    assert [p.key for p in linjiang.parts] == ["measures", "shortcomings", "duty", "plan"]
    assert [len(p.sections) for p in linjiang.parts] == [8, 4, 5, 5]
    h = linjiang.header
    assert (h.organ_mark, h.doc_number, h.signer) == ("清河县临江镇人民政府文件", "临府〔2026〕12号", "王建华")
    assert h.recipients == "清河县人民政府："
    assert (h.signature, h.date) == ("清河县临江镇人民政府", "2026年2月10日")
    assert h.note == "（联系人：赵明轩，电话：0123-4567890）"
    assert (h.cc, h.printer, h.print_date) == ("县委依法治县办", "清河县临江镇党政综合办公室", "2026年2月10日")
    assert linjiang.preamble.endswith("现将有关情况报告如下：")
    assert linjiang.parts[1].lead.startswith("对上年度报告中")
    # Third- and fourth-level lines belong to the section above them.
    assert linjiang.parts[0].sections[4].body.count("\n（") == 3
    assert linjiang.year == 2025


def test_themed_outline(sifaju):
    assert [p.key for p in sifaju.parts] == ["theme", "theme", "theme", "shortcomings", "plan"]
    assert [len(p.sections) for p in sifaju.parts] == [3, 4, 4, 4, 5]
    assert sifaju.parts[0].heading.endswith("切实履行第一责任人职责")
    assert sifaju.header.recipients == "中共清河县委员会、清河县人民政府："
    assert sifaju.body_type == "政府部门"


@pytest.mark.parametrize("headings, keys", [
    # wordings of published reports (tests/data/real)
    (["主要工作及成效", "问题与不足", "下一步工作思路"], ["measures", "shortcomings", "plan"]),
    (["主要举措、成效及存在的问题与原因分析", "2026年工作打算"], ["measures", "plan"]),
    (["坚持党的领导，压实法治责任", "存在的困难和问题", "下一步工作安排"],
     ["theme", "shortcomings", "plan"]),
])
def test_part_headings_as_real_reports_word_them(headings, keys):
    from editor.ingest import classify_heading

    seen: set[str] = set()
    got = []
    for h in headings:
        key = classify_heading(h, seen)
        seen.add(key)
        got.append(key)
    assert got == keys


def test_section_title_is_text_up_to_first_full_stop(linjiang):
    s = linjiang.parts[0].sections[0]
    assert s.title == "坚持党的领导，压实法治建设责任"
    assert s.body.startswith("镇党委、镇政府始终把法治政府建设")
    assert s.source_marker == "（一）"


def test_planted_heading_errors_are_kept_as_found():
    report = parse_text(sample_text("linjiang-2025-errors.txt"))
    markers = [s.source_marker for p in report.parts for s in p.sections]
    assert "(四)" in markers and "（二）、" in markers
    assert report.header.source_doc_number == "临府[2026]12号"
    assert report.closing == "妥否，请批示。"


# ---- the proposal the user corrects ---------------------------------------------------------------
def test_proposal_roles_cover_every_element():
    proposal = propose_text(sample_text("linjiang-2025.txt"))
    roles = [b.role for b in proposal.blocks]
    assert roles[:5] == ["organ_mark", "doc_number", "title", "recipients", "preamble"]
    assert roles[-7:] == ["closing", "signature", "date", "note", "cc", "printer"][-7:] or \
        roles[-6:] == ["closing", "signature", "date", "note", "cc", "printer"]
    parts = [b for b in proposal.blocks if b.role == "part"]
    assert [b.key for b in parts] == ["measures", "shortcomings", "duty", "plan"]
    assert proposal.structured and proposal.messages == []


def test_corrected_roles_change_the_report():
    proposal = propose_text(sample_text("linjiang-2025.txt"))
    i = next(i for i, b in enumerate(proposal.blocks) if b.text.startswith("（二）深入学习"))
    proposal.set_role(i, "part", "theme")
    report = proposal.to_report()
    assert len(report.parts) == 5
    assert report.parts[1].key == "theme"
    assert report.parts[1].heading.startswith("（二）深入学习") or "深入学习" in report.parts[1].heading
    j = next(i for i, b in enumerate(proposal.blocks) if b.role == "note")
    proposal.set_role(j, "unknown")
    proposal.refresh_messages()
    assert proposal.to_report().header.note == ""
    assert any("未识别" in m for m in proposal.messages)
    with pytest.raises(ValueError):
        proposal.set_role(0, "nonsense")


def test_no_structure_becomes_one_part_and_the_user_is_told():
    text = "今年我们做了很多工作。\n成效明显，群众满意。\n明年继续努力。\n"
    proposal = propose(text)
    assert not proposal.structured
    assert any("同一个部分" in m for m in proposal.messages)
    report = proposal.to_report()
    assert len(report.parts) == 1
    assert "群众满意" in report.parts[0].lead and "明年继续努力" in report.parts[0].lead


def test_pasted_text_and_file_give_the_same_report(tmp_path):
    text = sample_text("sifaju-2025.txt")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    assert shape(import_text(text)) == shape(import_file(path)) == shape(parse_text(text))
    assert propose(str(path)).source == "r.txt"


# ---- tolerated quirks --------------------------------------------------------------------------------
def test_half_width_brackets_spaces_blank_lines_and_crlf(linjiang):
    text = sample_text("linjiang-2025.txt")
    messy = text.replace("（五）", "(五)").replace("（一）", "（ 一 ）").replace("。", "。 ")
    messy = "\ufeff  " + messy.replace("\n", "\r\n\r\n  \u3000")
    report = parse_text(messy)
    assert [[s.title for s in p.sections] for p in report.parts] == \
        [[s.title for s in p.sections] for p in linjiang.parts]
    assert [[s.body for s in p.sections] for p in report.parts] == \
        [[s.body for s in p.sections] for p in linjiang.parts]
    assert report.parts[0].sections[4].source_marker == "(五)"
    assert report.header == linjiang.header


def _hard_wrap(text: str, width: int) -> str:
    """What copying from a PDF gives: body paragraphs broken at the line width."""
    lines = text.rstrip("\n").split("\n")
    out = lines[:4]
    for ln in lines[4:-5]:
        cur = ""
        for ch in ln:
            if _width(cur + ch) > width:
                out.append(cur)
                cur = ch
            else:
                cur += ch
        out.append(cur)
    return "\n".join(out + lines[-5:]) + "\n"


@pytest.mark.parametrize("name", ["linjiang-2025.txt", "sifaju-2025.txt"])
@pytest.mark.parametrize("width", [50, 56, 60])
def test_pdf_line_breaks_are_joined(name, width):
    text = sample_text(name)
    wrapped = _hard_wrap(text, width)
    assert wrapped.count("\n") > text.count("\n") * 2
    assert flat(parse_text(wrapped)) == flat(parse_text(text))


def test_a_paragraph_broken_by_hand_is_joined_but_headings_are_not():
    text = (
        "一、主要举措和成效\n"
        "（一）坚持党的领导\n"
        "镇党委始终把法治政府建设摆在\n"
        "全局工作的重要位置。\n"
        "二、存在的不足和原因\n"
        "对上年度报告中查找的问题已整改。\n"
    )
    report = parse_text(text)
    s = report.parts[0].sections[0]
    assert (s.title, s.run_in) == ("坚持党的领导", False)
    assert s.body == "镇党委始终把法治政府建设摆在全局工作的重要位置。"
    assert report.parts[1].lead == "对上年度报告中查找的问题已整改。"


def test_header_lines_are_not_joined_and_a_two_line_title_is():
    text = (
        "清河县临江镇人民政府文件\n"
        "临府〔2026〕12号    签发人：王建华\n"
        "清河县临江镇人民政府关于\n"
        "2025年度法治政府建设情况的报告\n"
        "清河县人民政府：\n"
        "2025年，我镇认真落实各项部署。现将有关情况报告如下：\n"
        "一、主要举措和成效\n"
        "（一）坚持党的领导。全年召开会议4次。\n"
    )
    report = parse_text(text)
    h = report.header
    assert h.organ_mark == "清河县临江镇人民政府文件"
    assert (h.doc_number, h.signer) == ("临府〔2026〕12号", "王建华")
    assert h.title == "清河县临江镇人民政府关于2025年度法治政府建设情况的报告"
    assert h.recipients == "清河县人民政府："


def test_heading_glued_to_the_paragraph_before_is_split():
    text = "一、主要举措和成效\n（一）坚持党的领导。全年召开会议4次。（二）依法决策。全年审查合同12份。\n"
    report = parse_text(text)
    assert [s.title for s in report.parts[0].sections] == ["坚持党的领导", "依法决策"]


def test_page_numbers_from_a_pdf_are_dropped():
    text = "一、主要举措和成效\n（一）坚持党的领导。全年召开会议4次。\n— 2 —\n（二）依法决策。审查合同12份。\n"
    report = parse_text(text)
    assert "2 —" not in report.parts[0].sections[0].body


# ---- encodings -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "encoding,prefix,expected",
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-16-le", b"", "utf-16-le"),  # Notepad-style without BOM: found by its NUL bytes
        ("utf-16-be", b"", "utf-16-be"),
    ],
)
def test_encodings_give_the_same_report(tmp_path, linjiang, encoding, prefix, expected):
    text = sample_text("linjiang-2025.txt")
    data = prefix + text.encode(encoding)
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    assert detect_encoding(data) == expected
    assert shape(import_file(path)) == shape(linjiang)
    assert import_file(path).header == linjiang.header


def test_gbk_text_is_not_mistaken_for_utf8():
    data = "法治政府建设年度报告".encode("gbk")
    assert decode_bytes(data) == "法治政府建设年度报告"


def test_binary_file_is_refused_with_a_message(tmp_path):
    path = tmp_path / "picture.txt"
    path.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(ImportError_, match="不是文本文件"):
        import_file(path)


def test_undecodable_text_says_how_to_fix_it():
    with pytest.raises(EncodingError, match="UTF-8"):
        decode_bytes(b"\x81\x30\xff\xfe\x80" * 10)


# ---- arbitrary input ------------------------------------------------------------------------------------
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_ALPHABET = st.sampled_from(
    list("一二三四五（）()、。，：:；报告特此抄送印发签发人号文件年月日2025〔〕 \t\n\r\x00\x0b\x1b\u2028\ufeff")
    + ["（一）", "一、", "\n二、存在的不足和原因\n", "特此报告。", "\n抄送：县委。\n",
       "清河县人民政府：", "临府〔2026〕1号", "2026年2月10日", "\n1.", "（1）"]
)


def _strings(report: Report):
    stack = [report.to_dict()]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            yield item


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(_ALPHABET, max_size=80).map("".join)))
def test_any_text_gives_a_valid_report(text):
    report = parse_text(text)
    assert isinstance(report.year, int)
    assert Report.from_dict(report.to_dict()) == report
    for value in _strings(report):
        assert not _CONTROL.search(value), repr(value)
    for part in report.parts:
        assert part.key
        for s in part.sections:
            assert "\n" not in s.title


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_fail_cleanly(data):
    try:
        text = decode_bytes(data)
    except ImportError_ as exc:
        assert str(exc)
    else:
        assert isinstance(text, str)


def test_samples_dir_is_there():
    assert (DATA / "linjiang-2025.txt").is_file()


@pytest.mark.parametrize("split_at", ["关于", "法治政府", "情况的"])
def test_title_broken_anywhere_over_two_lines(split_at):
    title = "清河县临江镇人民政府关于2025年度法治政府建设情况的报告"
    i = title.index(split_at)
    text = ("清河县临江镇人民政府文件\n" + title[:i] + "\n" + title[i:] + "\n清河县人民政府：\n"
            "2025年，我镇认真落实各项部署。现将有关情况报告如下：\n一、主要举措和成效\n")
    report = parse_text(text)
    assert report.header.title == title
    assert report.preamble == "2025年，我镇认真落实各项部署。现将有关情况报告如下："


def test_the_summary_says_what_the_import_put_right():
    from editor.ingest import tidied_notes

    report = parse_text(sample_text("linjiang-2025-errors.txt"))
    notes = tidied_notes(report)
    assert any("序号" in n and "(四)" in n for n in notes)
    assert any("临府[2026]12号" in n for n in notes)
    assert tidied_notes(parse_text(sample_text("linjiang-2025.txt"))) == []
