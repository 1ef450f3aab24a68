"""Find and replace within a report, with a preview."""

import re

import pytest

from editor.find_replace import apply_replacements, find_replacements, replace_all


def test_preview_lists_every_occurrence_with_context(linjiang):
    reps = find_replacements(linjiang, "临江镇", "临江街道")
    count = sum(v.count("临江镇") for v in (
        linjiang.header.organ_mark, linjiang.header.title, linjiang.header.signature,
        linjiang.header.printer, linjiang.preamble,
        *(s.body for p in linjiang.parts for s in p.sections),
        *(s.title for p in linjiang.parts for s in p.sections),
        *(p.lead for p in linjiang.parts)))
    assert len(reps) == count > 3
    first = reps[0]
    assert first.place.field == "header.organ_mark"
    assert first.before == "清河县临江镇人民政府文件"
    assert first.after == "清河县临江街道人民政府文件"
    body = next(r for r in reps if r.place.field == "body")
    assert "临江镇" in body.before and "临江街道" in body.after
    assert body.label.startswith("一、")


def test_apply_a_chosen_subset_returns_a_new_report(linjiang):
    reps = find_replacements(linjiang, "临江镇", "临江街道")
    chosen = [r for r in reps if r.place.header_name]
    new = apply_replacements(linjiang, chosen)
    assert new.header.title.startswith("清河县临江街道")
    assert new.header.organ_mark == "清河县临江街道人民政府文件"
    assert new.preamble == linjiang.preamble  # not chosen
    assert linjiang.header.title.startswith("清河县临江镇")  # the old one is the undo


def test_several_replacements_in_one_field(linjiang):
    s = linjiang.parts[0].sections[0]
    n = s.body.count("法治")
    new, count = replace_all(linjiang, "法治", "依法治理")
    assert count >= n > 1
    assert new.parts[0].sections[0].body.count("依法治理") == n
    assert "法治" not in new.parts[0].sections[0].body.replace("依法治理", "")


def test_regex_and_stale_preview(linjiang):
    reps = find_replacements(linjiang, r"(\d{4})年度", r"\1年", regex=True)
    assert reps and all(re.fullmatch(r"\d{4}年", r.new) for r in reps)
    edited = linjiang.copy()
    edited.header.title = "另一个标题"
    new = apply_replacements(edited, reps)
    assert new.header.title == "另一个标题"  # stale replacement skipped, nothing damaged
    assert "2026年推进" in new.parts[3].heading
    with pytest.raises(re.error):
        find_replacements(linjiang, "(", "x", regex=True)


def test_nothing_to_find(linjiang):
    assert find_replacements(linjiang, "", "x") == []
    assert find_replacements(linjiang, "不存在的词语", "x") == []
