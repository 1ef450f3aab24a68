"""One test per proofreading rule, with text it must flag and text it must leave alone."""

from __future__ import annotations

import pytest

from editor.check.checker import paragraph_hits
from editor.check.rules import load_rules

RULES = load_rules()


def hits(text: str, kind: str = "prose", year: int = 2025):
    return paragraph_hits(text, kind, year, RULES)


def rules_of(text: str, kind: str = "prose", year: int = 2025) -> set[str]:
    return {h.rule for h in hits(text, kind, year)}


def only(text: str, rule: str, kind: str = "prose", year: int = 2025):
    found = [h for h in hits(text, kind, year) if h.rule == rule]
    assert found, f"{rule} not found in {text!r}"
    return found


def fixed(text: str, rule: str, kind: str = "prose", year: int = 2025) -> str:
    """The text after applying every suggestion of ``rule``."""
    out = text
    for h in sorted(only(text, rule, kind, year), key=lambda h: -h.start):
        assert h.suggestion is not None
        out = out[:h.start] + h.suggestion + out[h.end:]
    return out


# ---- ERR-01 截止/截至 ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("截止目前，共召开会议5次。", "截至目前，共召开会议5次。"),
    ("截止2025年12月31日，全镇持证人员27人。", "截至2025年12月31日，全镇持证人员27人。"),
    ("截至到年底，已全部办结。", "截至年底，已全部办结。"),
])
def test_err01_flags_jiezhi_before_time(text, want):
    assert fixed(text, "ERR-01") == want


@pytest.mark.parametrize("text", [
    "报名于3月1日截止。", "截止日期为3月31日。", "截至目前，共召开会议5次。",
    "申报截止时间为6月底。",
])
def test_err01_leaves_correct_use(text):
    assert "ERR-01" not in rules_of(text)


# ---- ERR-02 half-width punctuation -------------------------------------------------------------
def test_err02_half_width_marks_in_chinese():
    assert fixed("依法行政,建设法治政府;全面推进", "ERR-02") == "依法行政，建设法治政府；全面推进"
    assert fixed("各村(社区)的年度考核", "ERR-02") == "各村（社区）的年度考核"
    assert fixed('开展"法治体检"活动', "ERR-02") == "开展“法治体检”活动"


@pytest.mark.parametrize("text", [
    "共计1,000元。", "网址www.example.com:8080。", "版本(v2.0)已上线", "依法行政，建设法治政府。",
])
def test_err02_leaves_numbers_and_latin(text):
    assert "ERR-02" not in rules_of(text)


# ---- ERR-03 numbering ---------------------------------------------------------------------------
def test_err03_marks_in_text():
    assert "ERR-03" in rules_of("（一）、加强领导")
    assert "ERR-03" in rules_of("1、健全机制")
    assert "ERR-03" in rules_of("一.加强领导")
    assert "ERR-03" in rules_of("(1)落实公示制度")
    assert "ERR-03" not in rules_of("（一）加强领导")
    assert "ERR-03" not in rules_of("1.健全机制。")


def test_err03_yi_shi_er_shi_sequence():
    bad = "一是加强领导；二是完善制度；四是强化考核。"
    (h,) = only(bad, "ERR-03")
    assert bad[h.start:h.end] == "四是" and h.suggestion == "三是"
    assert "ERR-03" not in rules_of("一是加强领导；二是完善制度；三是强化考核。")
    # a new enumeration may start again from 一是; 统一是 is not an enumeration
    assert "ERR-03" not in rules_of("一是甲；二是乙。一是丙；二是丁。标准统一是前提。")


# ---- ERR-04 发文字号 in the text ---------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("根据县政发[2024]3号文件", "根据县政发〔2024〕3号文件"),
    ("川委办﹝2017﹞15号", "川委办〔2017〕15号"),
    ("按照临府【2024】第5号要求", "按照临府〔2024〕5号要求"),
    ("临府〔2024〕01号", "临府〔2024〕1号"),
])
def test_err04_doc_numbers(text, want):
    assert fixed(text, "ERR-04") == want


def test_err04_missing_year_and_correct_form():
    assert "ERR-04" in rules_of("国发〔〕33号")
    assert "ERR-04" not in rules_of("根据国发〔2010〕33号文件精神")
    assert "ERR-04" not in rules_of("（2024）湘0105行初12号判决")


# ---- ERR-05 year ranges -------------------------------------------------------------------------
def test_err05_year_ranges():
    assert fixed("对2021-2025年普法工作进行总结", "ERR-05") == "对2021—2025年普法工作进行总结"
    assert fixed("《某区法治政府建设实施纲要(20212025年)》", "ERR-05").count("2021—2025") == 1


@pytest.mark.parametrize("text", [
    "贯彻《法治政府建设实施纲要（2021－2025年）》",  # the official title keeps its －
    "2021—2025年是“八五”普法期间",
    "电话：0123-4567890",
])
def test_err05_leaves_official_titles_and_dashes(text):
    assert "ERR-05" not in rules_of(text)


# ---- ERR-06 arithmetic (spec §3 B test vectors) ------------------------------------------------
@pytest.mark.parametrize("text", [
    "受理513宗，办结473宗，办结率92.2%。",
    "共审结2755件，其中维持1691件，占比61.4%。",
    "受理行政复议申请1000件，审结977件，纠错236件，纠错率24.2%。",
    "全年收到1113件，较2022年558件同比增长99.5%。",
    "全县应出庭案件186件，负责人出庭应诉186件，出庭应诉率100%。",
    "组织全局干部参加学法考试，参考率和合格率均为100%。",
    "纳入综合绩效考核，分值占比5%。",
    "审结75件，其中维持50件、驳回12件、纠错8件、调解和解5件，纠错率10.7%。",
])
def test_err06_consistent_rates_pass(text):
    assert "ERR-06" not in rules_of(text)


@pytest.mark.parametrize("text, want", [
    ("全年审结2755件，其中驳回630件，占比22.7%。", "22.9%"),
    ("全年审结2755件，其中直接纠正46件，占比1.78%。", "1.67%"),
    ("共收到申请1113件，其中信息公开类58件，占比5.4%。", "5.2%"),
    ("受理群众信访事项64件，按期办结62件，按期办结率98.4%。", "96.9%"),
    # the rate names its count, which need not be the last one before it
    ("审结75件，其中维持50件、驳回12件、纠错8件、调解和解5件，纠错率12.7%。", "10.7%"),
])
def test_err06_wrong_rates_are_errors_with_the_right_value(text, want):
    (h,) = only(text, "ERR-06")
    assert h.severity == "error"
    assert h.suggestion == want


def test_err06_carry_over_is_a_warning_and_over_100_is_an_error():
    (h,) = only("收到2929件，审结(含结转)2755件，审结率93.8%。", "ERR-06")
    assert h.severity == "warning"
    (h,) = only("办结率120%。", "ERR-06")
    assert h.severity == "error"


# ---- ERR-07 outdated names ------------------------------------------------------------------------
def test_err07_terms():
    assert fixed("推进法制政府建设", "ERR-07") == "推进法治政府建设"
    assert fixed("“七五”普法规划确定的任务", "ERR-07", year=2025) == "“八五”普法规划确定的任务"
    assert "ERR-07" not in rules_of("“七五”普法圆满收官", year=2020)
    assert "ERR-07" in rules_of("贯彻《法治政府建设实施纲要（2022—2025年）》")
    assert "ERR-07" in rules_of("贯彻《法治政府建设实施纲要(2021-2035年)》")
    assert "ERR-07" not in rules_of("贯彻《法治政府建设实施纲要（2021—2025年）》")
    assert "ERR-07" not in rules_of("贯彻《法治政府建设实施纲要（2021－2025年）》")
    assert "ERR-07" not in rules_of("落实重大执法决定法制审核制度")


# ---- ERR-08 的/地/得 ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("有效的化解了一批纠纷", "有效地化解了一批纠纷"),
    ("责任落实的不够到位", "责任落实得不够到位"),
    ("为干部更好得学习法律知识", "为干部更好地学习法律知识"),
    ("工作做的很好，", "工作做得很好，"),
])
def test_err08_de_di_de(text, want):
    assert fixed(text, "ERR-08") == want


@pytest.mark.parametrize("text", [
    "各项任务得到有效的落实。", "实现了全面的提升", "取得积极的推进。", "有效地推进了工作",
    "开展的好人好事评选", "开展了深入的学习研讨",
])
def test_err08_leaves_noun_uses(text):
    assert "ERR-08" not in rules_of(text)


# ---- ERR-09 duplicates ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("确认我镇镇基本履职事项86项", "确认我镇基本履职事项86项"),
    ("进一步进一步规范执法", "进一步规范执法"),
    ("我们的的工作", "我们的工作"),
    ("完成整改。。", "完成整改。"),
    ("全面推进进依法行政", "全面推进依法行政"),
])
def test_err09_duplicates(text, want):
    assert fixed(text, "ERR-09") == want


@pytest.mark.parametrize("text", [
    "深入学习习近平法治思想", "切实履行行政机关负责人出庭应诉职责", "全面推行行政执法公示制度",
    "对县政府常务会议议题开展合法性审查", "高质量谋划“十五五”时期法治政府建设",
    "扎扎实实推进依法行政", "认认真真学法", "层层压实责任", "人人参与普法", "村村建立调解组织",
    "常常深入基层", "一件一件抓落实", "方方面面", "问题不了了之", "规范规范性文件管理",
    "我镇镇长带头出庭", "各村村民委员会", "全县县直部门", "转变工作作风", "是是非非",
])
def test_err09_traps_are_not_flagged(text):
    assert "ERR-09" not in rules_of(text)


# ---- ERR-10 dates --------------------------------------------------------------------------------
def test_err10_dates():
    assert fixed("2025.6.18召开听证座谈会", "ERR-10") == "2025年6月18日召开听证座谈会"
    assert fixed("于2024/3/1印发", "ERR-10") == "于2024年3月1日印发"
    assert "ERR-10" in rules_of("2025年02月30日")
    assert "ERR-10" in rules_of("二〇二六年二月十日", kind="header.date")
    assert "ERR-10" not in rules_of("2026年2月10日", kind="header.date")
    assert "ERR-10" not in rules_of("版本2.0.1发布")


# ---- ERR-12 顿号 between titles -------------------------------------------------------------------
def test_err12():
    assert fixed("学习《行政复议法》、《民营经济促进法》", "ERR-12") == "学习《行政复议法》《民营经济促进法》"
    assert "ERR-12" not in rules_of("学习《行政复议法》《民营经济促进法》")


# ---- ERR-13 spaces -----------------------------------------------------------------------------------
def test_err13_spaces():
    assert fixed("“4.15国家安全教育日” 、“宪法宣传周”", "ERR-13") == "“4.15国家安全教育日”、“宪法宣传周”"
    assert "ERR-13" not in rules_of("使用Word 文档")


# ---- ERR-14 unquoted slogans ------------------------------------------------------------------------
def test_err14_slogans():
    assert fixed("紧扣十四五规划收官", "ERR-14") == "紧扣“十四五”规划收官"
    assert fixed("深化放管服改革", "ERR-14") == "深化“放管服”改革"
    assert "ERR-14" not in rules_of("推动“八五”普法圆满收官")
    assert "ERR-14" not in rules_of("谋划“十五五”时期工作")


# ---- ERR-15 hyphen ranges ---------------------------------------------------------------------------
def test_err15_ranges():
    assert fixed("由3-5人组成", "ERR-15") == "由3～5人组成"
    assert "ERR-15" not in rules_of("由3至5人组成")
    assert "ERR-15" not in rules_of("电话：0123-4567890")


# ---- ERR-16 请示 wording ------------------------------------------------------------------------------
def test_err16_request_language():
    (h,) = only("妥否，请批示。", "ERR-16", kind="closing")
    assert h.suggestion == "特此报告。" and h.severity == "error"
    assert "ERR-16" in rules_of("以上事项请予批准。")
    assert "ERR-16" not in rules_of("特此报告。", kind="closing")


# ---- ERR-17 paired marks ---------------------------------------------------------------------------
def test_err17_pairs():
    text = "制定印发《临江镇2025年法治政府建设工作要点，明确6个方面"
    (h,) = only(text, "ERR-17")
    assert h.suggestion == "《临江镇2025年法治政府建设工作要点》"
    assert "ERR-17" in rules_of("贯彻《法治政府建设实施纲要(2021—2025年)")
    assert "ERR-17" in rules_of("开展“法治体检活动。")
    assert "ERR-17" in rules_of("开展法治体检”活动。")
    assert "ERR-17" not in rules_of("贯彻《法治政府建设实施纲要（2021—2025年）》和“八五”普法规划。")


# ---- ERR-18 numerals ------------------------------------------------------------------------------
def test_err18_numerals():
    assert fixed("开展十二次培训，覆盖360人次。", "ERR-18") == "开展12次培训，覆盖360人次。"
    assert "ERR-18" in rules_of("开展培训10余次，走访十余次。")
    assert "ERR-18" not in rules_of("开展培训十余次。")
    assert "ERR-18" not in rules_of("落实“三项制度”，召开会议5次。")
    assert "ERR-18" not in rules_of("学习党的二十大精神，开展活动5次。")


# ---- header fields -------------------------------------------------------------------------------
def test_header_fields_get_only_their_rules():
    assert rules_of("临府〔2026〕12号", kind="header.doc_number") == set()
    assert rules_of("2026年02月10日", kind="header.date") == {"ERR-10"}
