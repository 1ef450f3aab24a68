"""Checks across paragraphs: section markers, L3/L4 numbering, years, 发文字号."""

from __future__ import annotations

import pytest

from editor.check.checker import Checker
from editor.model import Section


@pytest.fixture(scope="module")
def checker():
    return Checker()


def rule(result, rule_id, severity=None):
    return [f for f in result.findings
            if f.rule == rule_id and (severity is None or f.severity == severity)]


# ---- section markers (generated L2 numbers) ---------------------------------------------------
def test_imported_markers_out_of_sequence_or_malformed(checker, linjiang):
    secs = linjiang.parts[1].sections
    for i, s in enumerate(secs):
        s.source_marker = f"（{'一二三四五'[i]}）"
    secs[2].source_marker = "（五）"
    secs[1].source_marker = "(二)"
    found = rule(checker.check(linjiang), "ERR-03")
    assert [(*f.place.numbers(linjiang), f.suggestion) for f in found] == [
        (2, 2, "（二）"), (2, 3, "（三）")]
    assert "全角括号" in found[0].message and "应为“（三）”" in found[1].message


def test_markers_written_in_the_editor_are_not_checked(checker, linjiang):
    for s in linjiang.parts[0].sections:
        s.source_marker = ""
    linjiang.parts[0].sections.insert(0, Section(title="新增", body="正文。"))
    assert rule(checker.check(linjiang), "ERR-03") == []


# ---- L3 / L4 in the text ----------------------------------------------------------------------
def test_l3_gap_is_flagged(checker, linjiang):
    s = linjiang.parts[0].sections[3]
    s.body = "导语。\n1.第一项。\n2.第二项。\n4.第四项。"
    (f,) = rule(checker.check(linjiang), "ERR-03")
    assert (f.place.numbers(linjiang)[1], f.place.paragraph, f.text, f.suggestion) == (
        4, 3, "4", "3")


def test_l3_numbered_on_across_sections_is_a_house_style(checker, linjiang):
    a, b = linjiang.parts[0].sections[3], linjiang.parts[0].sections[4]
    a.body = "1.甲。\n2.乙。"
    b.body = "3.丙。\n（1）子项。\n（2）子项。\n4.丁。"
    assert rule(checker.check(linjiang), "ERR-03") == []
    b.body = "3.丙。\n（1）子项。\n（3）子项。"
    (f,) = rule(checker.check(linjiang), "ERR-03")
    assert f.suggestion == "2"


# ---- years ------------------------------------------------------------------------------------
def test_title_without_year_and_with_wrong_year(checker, linjiang):
    linjiang.header.title = "清河县临江镇人民政府关于法治政府建设情况的报告"
    assert rule(checker.check(linjiang), "ERR-11", "error")
    linjiang.header.title = "清河县临江镇人民政府关于2024年度法治政府建设情况的报告"
    (f,) = rule(checker.check(linjiang), "ERR-11", "error")
    assert f.text == "2024" and f.suggestion == "2025" and f.place.field == "header.title"


def test_part_one_heading_with_the_wrong_year(checker, linjiang):
    linjiang.parts[0].heading = "2024年法治政府建设基本情况"
    (f,) = rule(checker.check(linjiang), "ERR-11")
    assert f.place.numbers(linjiang)[0] == 1 and f.suggestion == "2025"


def test_part_four_years(checker, linjiang):
    plan = linjiang.parts[3]
    plan.lead = "2025年，我镇将继续推进。"
    (f,) = rule(checker.check(linjiang), "ERR-11", "error")
    assert f.place.field == "lead" and f.suggestion == "2026"
    # comparisons, ranges and long-term targets are fine
    plan.lead = ("2026年，我镇将在2025年工作基础上，对照2021—2025年规划，较2025年提高5个百分点，"
                 "到2035年基本建成法治政府。")
    assert rule(checker.check(linjiang), "ERR-11") == []
    plan.sections[0].body += "完成2025年确定的目标。"
    (f,) = rule(checker.check(linjiang), "ERR-11")
    assert f.severity == "warning"


def test_date_and_doc_number_years(checker, linjiang):
    linjiang.header.date = "2025年2月10日"
    found = rule(checker.check(linjiang), "ERR-11", "error")
    assert {f.place.field for f in found} == {"header.date", "header.doc_number"}
    linjiang.header.date = "2026年5月10日"
    (f,) = rule(checker.check(linjiang), "ERR-11")
    assert f.severity == "warning" and "4月1日" in f.message
    items = {r.id: r for r in checker.check(linjiang).checklist}
    assert items["M-07"].auto == "missing"


def test_doc_number_year_without_a_date_is_not_called_wrong(checker, linjiang):
    """A report on 2025 issued in December 2025 carries 〔2025〕; with no 成文日期 both 2025 and
    2026 are right, and only another year is worth a question (never an error)."""
    linjiang.header.date = ""
    for year in ("2025", "2026"):
        linjiang.header.doc_year = year
        assert rule(checker.check(linjiang), "ERR-11") == [], year
    linjiang.header.doc_year = "2023"
    (f,) = rule(checker.check(linjiang), "ERR-11")
    assert f.severity == "warning" and f.suggestion is None


def test_doc_serial_with_leading_zero(checker, linjiang):
    linjiang.header.doc_serial = "012"
    (f,) = rule(checker.check(linjiang), "ERR-04")
    assert f.place.field == "header.doc_serial" and f.suggestion == "12"
    items = {r.id: r for r in checker.check(linjiang).checklist}
    assert items["M-03"].auto == "missing"


def test_look_alike_brackets_in_imported_doc_number(checker, linjiang):
    linjiang.header.set_doc_number("川委办﹝2026﹞15号")
    assert linjiang.header.source_doc_number == "川委办﹝2026﹞15号"
    (f,) = rule(checker.check(linjiang), "ERR-04")
    assert f.suggestion == "川委办〔2026〕15号" and "六角括号" in f.message


# ---- checklist metadata ------------------------------------------------------------------------
def test_metadata_items(checker, linjiang):
    items = {r.id: r for r in checker.check(linjiang).checklist}
    assert all(items[i].auto == "met" for i in ("M-01", "M-02", "M-03", "M-04", "M-05",
                                                 "M-06", "M-07", "M-09", "M-10", "M-11"))
    linjiang.header.signer = ""
    linjiang.header.recipients = "清河县人民政府"
    items = {r.id: r for r in checker.check(linjiang).checklist}
    assert items["M-04"].auto == "missing" and items["M-05"].auto == "missing"


def test_warm_fills_the_caches_in_slices_and_check_then_reads_them(linjiang):
    from editor.check.checker import Checker

    checker = Checker()
    calls = 1
    while not checker.warm(linjiang, budget=0.0):  # one paragraph a call
        calls += 1
    assert calls > 50  # resumed where it stopped, one slice after another
    checker.check(linjiang)
    assert checker.paragraphs_checked == 0  # everything came from the warmed cache
    assert checker.warm(linjiang)  # nothing left to do
