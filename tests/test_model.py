import json

import pytest

from editor.model import (
    Header,
    Report,
    Section,
    chinese_number,
    clean_text,
    part_number,
    section_number,
    word_count,
)


def test_json_round_trip_keeps_everything(linjiang):
    data = json.loads(json.dumps(linjiang.to_dict(), ensure_ascii=False))
    back = Report.from_dict(data)
    assert back == linjiang
    assert back.parts[0].sections[3].body.count("\n") == 3


def test_from_dict_ignores_unknown_keys_from_newer_versions(linjiang):
    data = linjiang.to_dict()
    data["future_field"] = 1
    data["header"]["future"] = "x"
    data["parts"][0]["sections"][0]["future"] = True
    assert Report.from_dict(data).header.title == linjiang.header.title


@pytest.mark.parametrize(
    "text,count",
    [
        ("", 0),
        ("法治政府", 4),
        ("法治政府，建设。", 8),  # full-width punctuation counts, as in Word
        ("2025年", 2),  # a run of digits is one word
        ("“八五”普法", 6),
        ("GB/T 9704-2012 公文", 4),
        ("办结率99.5%。", 5),
    ],
)
def test_word_count_matches_word(text, count):
    assert word_count(text) == count


def test_report_word_count_sums_parts(linjiang):
    total = linjiang.word_count()
    assert 5000 < total < 7000
    assert total >= sum(p.word_count() for p in linjiang.parts)


@pytest.mark.parametrize("n,cn", [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")])
def test_chinese_numbers(n, cn):
    assert chinese_number(n) == cn


def test_numbers_are_generated():
    assert part_number(3) == "四、"
    assert section_number(10) == "（十一）"


def test_doc_number_is_composed_with_tortoise_brackets():
    h = Header(doc_code="临府", doc_year="2026", doc_serial="012")
    assert h.doc_number == "临府〔2026〕12号"
    assert Header().doc_number == ""


@pytest.mark.parametrize(
    "typed", ["临府〔2026〕12号", "临府[2026]12号", "临府【2026】第12号", "临府﹝2026﹞12号", "临府(2026)12号"]
)
def test_doc_number_is_parsed_from_any_bracket(typed):
    h = Header()
    assert h.set_doc_number(typed)
    assert (h.doc_code, h.doc_year, h.doc_serial) == ("临府", "2026", "12")
    assert h.source_doc_number == ("" if typed == "临府〔2026〕12号" else typed)


def test_clean_text_strips_control_characters_keeps_structure():
    dirty = "依法\x00行政\x0b\r\n第二段\ufffe\x1f\t缩进\u2028末行"
    assert clean_text(dirty) == "依法行政\n第二段\t缩进\n末行"


def test_report_clean_reaches_every_field(linjiang):
    linjiang.header.title = "标题\x07"
    linjiang.parts[1].sections[0].body = "a\x00b"
    linjiang.parts[1].lead = "c\x1bd"
    linjiang.clean()
    assert linjiang.header.title == "标题"
    assert linjiang.parts[1].sections[0].body == "ab"
    assert linjiang.parts[1].lead == "cd"


def test_section_paragraphs_skip_blank_lines():
    assert Section(body="一\n\n二\n").paragraphs == ["一", "二"]
