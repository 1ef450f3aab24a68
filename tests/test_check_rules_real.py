"""Each rule that was made or changed on real reports, with positive examples (an error a
published report contained or a clerk would make) and negative ones (correct sentences taken
from published reports in tests/data/real that an earlier version flagged)."""

from __future__ import annotations

import pytest

from editor.check.checker import Checker, paragraph_hits
from editor.check.rules import load_rules
from editor.ingest import parse_text
from editor.model import Place

RULES = load_rules()


def hits(text: str, rule: str, kind: str = "prose", year: int = 2023):
    return [(text[h.start:h.end], h.suggestion) for h in paragraph_hits(text, kind, year, RULES)
            if h.rule == rule]


# ---- doubled characters at word boundaries (domain lexicon) ------------------------------------
@pytest.mark.parametrize("text", [
    "制定了《岳阳县人民政府常务会会前学法制度》",  # 常务会|会前学法
    "由党政综合办主任任副主任，两个科室各1名工作人员",  # 主任|任副主任
    "2025年，北城街街道办事处坚持以习近平新时代中国特色社会主义思想为指导",  # 北城街|街道
    "现就有关工作作如下安排",  # 工作|作如下
])
def test_word_boundaries_are_not_doubled_characters(text):
    assert hits(text, "ERR-09") == []


@pytest.mark.parametrize("text, span", [
    ("我镇镇基本实现矛盾纠纷不出村", "镇镇"),
    ("全面推进法治政府建设建设工作", "建设建设"),
    ("我们的的工作", "的的"),
])
def test_doubled_characters_are_still_found(text, span):
    assert [s for s, _fix in hits(text, "ERR-09")] == [span]


# ---- citations of other documents ----------------------------------------------------------------
def test_a_provincial_document_of_the_same_name_keeps_its_years():
    assert hits("认真贯彻落实《湖南省法治政府建设实施纲要（2021—2023年）》", "ERR-07") == []
    assert hits("按照广州市法治政府建设实施纲要（2021—2023年）", "ERR-07") == []
    assert hits("落实《法治政府建设实施纲要（2021—2023年）》", "ERR-07") == [
        ("法治政府建设实施纲要（2021—2023年）", "法治政府建设实施纲要（2021—2025年）")]


def test_no_uncertain_fix_inside_a_quoted_title():
    # an old official title may really say 法制宣传: not marked inside 《》
    assert hits("印发《关于开展法制宣传教育的第七个五年规划》", "ERR-07") == []
    assert hits("加强法制宣传工作", "ERR-07") == [("法制宣传", "法治宣传")]
    # a bracket or a dash is certain even inside a title
    assert hits("《静海区法治政府建设实施纲要（2021-2025年）》", "ERR-05") == [
        ("2021-2025", "2021—2025")]


# ---- 顿号 between marks ------------------------------------------------------------------------------
def test_comma_between_quoted_items_is_not_marked_but_between_titles_is():
    assert hits("转发最高人民法院“一号司法建议”、“二号司法建议”的报告", "ERR-12") == []
    assert hits("学习《行政复议法》、《民营经济促进法》", "ERR-12") == [("》、《", "》《")]


# ---- one error, one finding --------------------------------------------------------------------
def test_a_half_width_mark_before_er_shi_is_one_finding():
    found = {(h.rule, h.start) for h in paragraph_hits(
        "一是完善制度;二是强化培训；三是加强考核。", "prose", 2023, RULES)}
    assert found == {("ERR-02", 6)}


# ---- 的/得 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, span, fix", [
    ("各项任务推进的积极有力，", "推进的积极有力", "推进得积极有力"),
    ("整改措施落实的扎实有效。", "落实的扎实有效", "落实得扎实有效"),
    ("高质量的推动学习贯彻习近平法治思想", "高质量的推动", "高质量地推动"),
    ("有效的破解了“审批难”问题", "有效的破解", "有效地破解"),
])
def test_de_de_misuse_with_compound_complements(text, span, fix):
    assert hits(text, "ERR-08") == [(span, fix)]


@pytest.mark.parametrize("text", [
    "实现了高质量的推进，",  # 推进 is a noun after 实现
    "取得积极的推进。",
    "加大推进的力度",
    "党委理论学习中心组开展法治理论专题学习12次",
])
def test_correct_de_is_left_alone(text):
    assert hits(text, "ERR-08") == []


# ---- fixed formulations (ERR-19) ---------------------------------------------------------------
@pytest.mark.parametrize("text, span, fix", [
    ("深入学习贯彻习近平法制思想", "习近平法制思想", "习近平法治思想"),
    ("认真学习党的二十大精，", "党的二十大精", "党的二十大精神"),
    ("贯彻《法治政府实施纲要（2021—2025年）》", "法治政府实施纲要", "法治政府建设实施纲要"),
    ("以习近平新时代中国特色社会主意思想为指导", "习近平新时代中国特色社会主意思想",
     "习近平新时代中国特色社会主义思想"),
    ("学习全面依法治国新理念新思路新战略", "全面依法治国新理念新思路新战略",
     "全面依法治国新理念新思想新战略"),
    ("增强了干部职工尊法、守法、学法、用法的思想自觉", "尊法、守法、学法、用法", "尊法、学法、守法、用法"),
])
def test_slips_in_fixed_formulations(text, span, fix):
    assert hits(text, "ERR-19") == [(span, fix)]


@pytest.mark.parametrize("text", [
    "坚持依法治镇、依法执政、依法行政共同推进",  # a town adapts 依法治国
    "严格落实党政主要负责人履行推进法治建设第一责任人职责，将法治建设纳入规划",
    "落实《法治社会建设实施纲要（2020—2025年）》",
    "推动严格公正文明执法",  # a shortened slogan, not a document's name
    "学习习近平新时代中国特色社会主义经济思想",
    "深入学习贯彻习近平法治思想的核心要义",
    "对照《湖南省法治政府建设实施方案（2021—2025年）》",
])
def test_correct_wordings_are_not_slips(text):
    assert hits(text, "ERR-19") == []


# ---- slogans in quotes (ERR-14) ------------------------------------------------------------------
def test_numbered_slogans_want_quotes():
    assert hits("围绕六稳六保工作", "ERR-14") == [("六稳", "“六稳”"), ("六保", "“六保”")]
    assert hits("运用三会一课", "ERR-14") == [("三会一课", "“三会一课”")]
    assert hits("落实“三会一课”制度，围绕“六稳”“六保”工作", "ERR-14") == []


# ---- years where the report year is expected (ERR-11) --------------------------------------------
def _year_findings(report):
    return [f for f in Checker().check(report).findings if f.rule == "ERR-11"]


REPORT = """清河县临江镇人民政府关于2023年度法治政府建设情况的报告
清河县人民政府：
2023年，我镇坚持以习近平法治思想为指导。现将我镇2023年度法治政府建设情况报告如下：
一、主要举措和成效
（一）加强学法。{sentence}
二、存在的不足和原因
（一）学法不够深入。原因是重视不够。
"""


@pytest.mark.parametrize("sentence", [
    "2022年，我镇共开展中心组学法4次。",
    "镇党委深入学习习近平法治思想，2022年共开展中心组学法4次。",
])
def test_a_clause_of_part_one_opening_on_another_year(sentence):
    report = parse_text(REPORT.format(sentence=sentence))
    (f,) = _year_findings(report)
    assert f.text == "2022" and f.suggestion == "2023" and f.severity == "warning"


@pytest.mark.parametrize("sentence", [
    "2022年以来，我镇累计开展学法12次。",  # looks back over a period
    "2022年共开展学法4次，2023年共开展6次，较上年增加2次。",  # a comparison
    "2024年，我镇将继续推进。",  # a later year opens a plan
    "全年共开展学法6次。",
])
def test_years_in_part_one_that_are_right(sentence):
    assert _year_findings(parse_text(REPORT.format(sentence=sentence))) == []


def test_preamble_report_year_slot():
    text = REPORT.format(sentence="全年开展学法6次。").replace("现将我镇2023年度", "现将我镇2022年度")
    (f,) = _year_findings(parse_text(text))
    assert f.place.field == "preamble" and f.text == "2022" and f.suggestion == "2023"


def test_place_of_a_finding_names_its_line():
    report = parse_text(REPORT.format(sentence="2022年，我镇共开展学法4次。"))
    (f,) = _year_findings(report)
    assert f.place == Place("body", report.parts[0].sections[0].uid, 0, f.place.start,
                            f.place.end)
    assert f.place.span(report) == "2022"
