"""Reports pasted from government web pages: the page furniture (metadata table, date and source
line, font-size and print buttons, breadcrumbs, menus, share prompts, previous/next links,
footer) is left out and shown as 已忽略; the title, the 发文字号 and the year come from the report,
not from the page; the whole body is kept; and the proofreader finds nothing in the furniture.

Real pages are in tests/data/real/web/ (see tests/data/real/README.md); the layouts below are
written after the pages of several provinces' 政府信息公开 sites and wrap the shared samples, so
that the import of the page can be compared with the import of the clean text.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from conftest import DATA, sample_text

from editor.check.checker import Checker
from editor.check.locate import text_at
from editor.ingest import ROLE_LABELS, import_text, propose, propose_text
from editor.ingest.lines import normalise_line, split_lines
from editor.ingest.web_furniture import furniture_rules

WEB = DATA / "real" / "web"
WEB_FILES = sorted(WEB.glob("*.txt"))
HAN = re.compile("[\u4e00-\u9fff]")
L1 = re.compile(r"^[一二三四五六七八九十]+[、.．]")
L2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
# Words only page furniture has (checked on the real corpus: no report text uses them).
FURNITURE_WORDS = (
    "索引号", "主题分类", "体裁分类", "发布机构", "浏览量", "浏览次数", "字体", "分享到", "当前位置",
    "有效性", "成文日期", "发布日期", "发布时间", "打印", "扫一扫", "无障碍", "ICP备", "语音播报",
    "上一篇", "下一篇",
)


# ---- helpers ----------------------------------------------------------------------------------
def web_file(path: Path) -> tuple[dict[str, str], str]:
    """The file's "# 键：值" header and the page text after it."""
    meta, lines = {}, []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("# ") and not lines:
            key, _, value = line[2:].partition("：")
            meta[key.strip()] = value.strip()
        else:
            lines.append(line)
    return meta, "\n".join(lines)


def ignored(proposal) -> list[str]:
    return [b.text for b in proposal.blocks if b.role == "ignored"]


def report_lines(report) -> list[str]:
    """Every line of text the report holds, 版头 and 版记 included."""
    h = report.header
    out = [getattr(h, f.name) for f in dataclasses.fields(h) if isinstance(getattr(h, f.name), str)]
    out += report.preamble.split("\n") + [report.closing]
    for p in report.parts:
        out += [p.heading, *p.lead.split("\n")]
        for s in p.sections:
            out += [s.title, *s.body.split("\n")]
    return [x for x in out if x]


def han(text: str) -> int:
    return len(HAN.findall(text))


def body_han(report) -> int:
    """Chinese characters of the parts (headings, leads, section titles and bodies)."""
    return sum(han(p.heading) + han(p.lead) + sum(han(s.title) + han(s.body) for s in p.sections)
               for p in report.parts)


def source_body_han(text: str) -> int:
    """The same count on the source: every line from the first part heading on, numbers off."""
    lines = split_lines(text)
    start = next(i for i, ln in enumerate(lines) if L1.match(ln))
    return sum(han(L2.sub("", L1.sub("", ln))) for ln in lines[start:])


def findings(report) -> list:
    return Checker().check(report).findings


def finding_line(report, f) -> str:
    return text_at(report, getattr(f, "place", None) or f.location)


def summary(report):
    """What an import produced, minus the generated ids."""
    return (
        report.year, report.organ, report.body_type, report.preamble, report.closing,
        dataclasses.asdict(report.header),
        [(p.key, p.heading, p.lead, [(s.title, s.body, s.source_marker) for s in p.sections])
         for p in report.parts],
    )


def finding_keys(report) -> list[tuple[str, str, str]]:
    return sorted((f.rule, f.text, f.message) for f in findings(report))


def assert_no_furniture_in(report, furniture: list[str]) -> None:
    lines = report_lines(report)
    text = "\n".join(lines)
    for word in FURNITURE_WORDS:
        assert word not in text, word
    title = report.header.title
    rules = furniture_rules()
    for f in furniture:
        if rules.title_copy(f, title) or title.startswith(f):
            continue  # a copy of the title, or the page's 标题 field
        assert f not in lines, f
    for f in findings(report):
        line = finding_line(report, f)
        assert not any(word in line for word in FURNITURE_WORDS), (f.rule, line)
        assert line not in furniture, (f.rule, line)


# ---- the real pages -------------------------------------------------------------------------------
# What a careful reader takes from each page (files added later get the general checks only).
EXPECTED = {
    "2022-jiangxi-nanchangxian-web.txt": ("南昌县政府2022年度法治政府建设工作报告", ""),
    "2024-hubei-wuanzhen.txt": ("武安镇2024年法治政府建设年度报告", ""),
    "2025-chongqing-dazu-wjw-web.txt": (
        "重庆市大足区卫生健康委员会关于2025年法治政府建设情况的报告", ""),
    "2025-chongqing-xintianzhen.txt": (
        "中共重庆市万州区新田镇委员会重庆市万州区新田镇人民政府关于2025年法治政府建设情况的报告",
        "新田委文〔2026〕3号"),
    "2025-shandong-yangzhuangzhen.txt": ("羊庄镇2025年法治政府建设报告", ""),
}


@pytest.mark.parametrize("path", WEB_FILES, ids=lambda p: p.stem)
def test_a_real_page_imports_without_its_furniture(path):
    meta, text = web_file(path)
    proposal = propose_text(text)
    report = proposal.to_report()
    furniture = ignored(proposal)
    assert furniture, "every stored page carries some furniture"
    assert_no_furniture_in(report, furniture)

    assert report.year == int(meta["年度"])
    title, doc_number = EXPECTED.get(path.name, (None, None))
    if title is not None:
        assert report.header.title == title
        assert report.header.doc_number == doc_number
    else:
        assert "报告" in report.header.title and len(report.header.title) < 100
        # A 发文字号, if any, stood on a line of its own, not inside a sentence.
        doc = report.header.doc_number
        assert not doc or any(doc in ln and not re.search("[，。；]", ln)
                              for ln in split_lines(text))
    # No body character lost, none added.
    assert body_han(report) == source_body_han(text)
    # Every paragraph of the text is in the report.
    kept = "".join(report_lines(report))
    for ln in split_lines(text):
        if len(ln) >= 40 and ln.endswith(("。", "：")):
            assert L2.sub("", L1.sub("", ln)).split("。")[0] in kept, ln[:30]


def test_the_stored_pages_are_there():
    # Other helpers add pages; these five were there when the importer learned the furniture.
    assert set(EXPECTED) <= {p.name for p in WEB_FILES}


# ---- page layouts around the shared samples -----------------------------------------------------
def _title(sample: str) -> str:
    return next(ln for ln in sample.split("\n") if "报告" in ln and len(ln) < 80)


def _doc(sample: str) -> str:
    return next(ln for ln in sample.split("\n") if "〔" in ln).split("\t")[0]


def zfxxgk(sample: str) -> tuple[str, str]:
    """A 政府信息公开 page: breadcrumb, metadata in label：value pairs, the h1 and date line;
    below the text the buttons, previous/next links and the footer."""
    top = f"""\
首页 > 政务公开 > 政府信息公开目录 > 法治政府建设年度报告
索引号：11330100002489xxxx/2026-12345 发布机构：清河县人民政府办公室 主题分类：综合政务
发布日期：2026-02-28 浏览次数：1234 字号：大 中 小
{_title(sample)}
来源：清河县司法局  发布时间：2026-02-28 09:18  【字体：大 中 小】 【打印】【关闭】
"""
    bottom = """\
扫一扫在手机打开当前页
【打印本页】 【关闭窗口】
上一篇：关于印发清河县2026年政务公开工作要点的通知
下一篇：没有了
相关链接：中国政府网 | 省政府 | 市政府
主办单位：清河县人民政府办公室  承办单位：清河县大数据发展中心  网站标识码：3301000001
浙ICP备12345678号-1  浙公网安备 33010202000123号
"""
    return top, bottom


def cells(sample: str) -> tuple[str, str]:
    """The metadata table copied cell by cell: each label and each value on a line of its own."""
    top = f"""\
索引号
113301000024890000/2026-00012
发布机构
清河县人民政府
发文字号
{_doc(sample)}
成文日期
2026-02-10
有效性
有效
"""
    return top, "分享到：\n"


def tabs(sample: str) -> tuple[str, str]:
    """The metadata table with its cells separated by tabs (from a browser or a Word table)."""
    top = f"""\
索引号\t113301000024890000/2026-00012\t主题分类\t综合政务
发布机构\t清河县人民政府\t成文日期\t2026-02-10
标题\t{_title(sample)}
发文字号\t{_doc(sample)}\t有效性\t有效
"""
    return top, "【纠错】【责任编辑：张三】\n"


def portal(sample: str) -> tuple[str, str]:
    """A portal's header: the site name with today's date, accessibility links, the menu, the
    browser's title with the site's name after it, then the article's date and source."""
    top = f"""\
{_title(sample)}_清河县人民政府
清河县人民政府 2026年2月28日 星期六
无障碍 简体 | 繁体 长者模式
首页  政务公开  政务服务  互动交流  走进清河
您当前的位置：首页 > 政务公开 > 法定主动公开内容
{_title(sample)}
日期：2026-02-28 来源：清河县司法局 作者：张三 阅读：1024次
【大】【中】【小】  打印本页  关闭窗口
"""
    bottom = """\
上一篇：关于清河县2025年度政府信息公开工作的报告
下一篇：关于印发《清河县2026年法治政府建设工作要点》的通知
版权所有：清河县人民政府  网站标识码：3301000001
"""
    return top, bottom


LAYOUTS = [zfxxgk, cells, tabs, portal]
SAMPLES = ["linjiang-2025.txt", "sifaju-2025.txt"]


@pytest.mark.parametrize("sample_name", SAMPLES)
@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda f: f.__name__)
def test_a_page_around_a_report_imports_as_the_report(layout, sample_name):
    sample = sample_text(sample_name)
    top, bottom = layout(sample)
    proposal = propose_text(top + sample + bottom)
    page, clean = proposal.to_report(), import_text(sample)

    assert summary(page) == summary(clean)
    assert finding_keys(page) == finding_keys(clean)
    furniture = ignored(proposal)
    assert_no_furniture_in(page, furniture)
    # Every furniture line is shown as left out (a 发文字号 or 标题 cell's value goes on).
    shown = set(furniture)
    for ln in (top + bottom).split("\n"):
        ln = normalise_line(ln)
        if ln and ln not in (_doc(sample), _title(sample)):
            assert ln in shown or any(ln in f or f in ln for f in shown), ln
    assert any("已忽略" in m for m in proposal.messages)


def test_a_browser_title_with_the_site_name_is_not_a_second_title():
    text = sample_text("sifaju-2025.txt").replace("清河县司法局文件\n", "")
    title = _title(text)
    proposal = propose_text(f"{title} - 清河县人民政府门户网站\n{text}")
    assert proposal.blocks[0].role == "ignored"
    assert proposal.to_report().header.title == title


# ---- 发文字号 -------------------------------------------------------------------------------------
PAGE = """\
索引号：11330100002489xxxx/2024-12345 发布机构：清河县人民政府办公室 发布日期：2024-03-28 浏览次数：1234 字号：大 中 小
{head}清河县人民政府关于{year_in_title}法治政府建设情况的报告
市人民政府：
根据《清河县人民政府关于加强法治政府建设的实施意见》（清政发〔2021〕18号）要求，现将我县2023年度法治政府建设情况报告如下：
一、主要举措和成效
（一）加强组织领导。县政府常务会议专题研究法治政府建设4次，制定年度工作要点。
二、存在的不足和原因
（一）执法能力有待提升。部分执法人员对新法新规掌握不够。
三、下一年度工作安排
（一）强化学法用法。持续开展领导干部会前学法。
清河县人民政府
2024年3月20日
"""


@pytest.mark.parametrize("year_in_title", ["2023年度", ""])
def test_a_number_cited_in_the_preamble_is_not_the_reports(year_in_title):
    report = import_text(PAGE.format(head="", year_in_title=year_in_title))
    assert report.header.doc_number == "" and report.header.doc_year == ""
    assert "清政发〔2021〕18号" in report.preamble
    assert report.year == 2023  # from the title or the 前言, not 2021 − 1


@pytest.mark.parametrize("line, number, signer", [
    ("文号：清府办〔2024〕5号", "清府办〔2024〕5号", ""),
    ("发文字号：清府〔2024〕12号", "清府〔2024〕12号", ""),
    ("发文字号: 清府〔2024〕12号 签发人：王建华", "清府〔2024〕12号", "王建华"),
    ("[ 发文字号 ] 清府〔2024〕12号", "清府〔2024〕12号", ""),
    ("索引号：113301/2024-00012 发文字号：清府〔2024〕12号 有效性：有效", "清府〔2024〕12号", ""),
    ("清府〔2024〕12号\t签发人：王建华", "清府〔2024〕12号", "王建华"),
])
def test_the_reports_own_number_loses_its_label(line, number, signer):
    report = import_text(PAGE.format(head=line + "\n", year_in_title="2023年度"))
    assert report.header.doc_number == number
    assert report.header.signer == signer
    assert report.year == 2023
    assert "文号" not in report.header.doc_code and "索引号" not in report.preamble


def test_a_number_with_wrong_brackets_is_kept_for_the_proofreader():
    report = import_text(PAGE.format(head="发文字号：清府[2024]12号\n", year_in_title="2023年度"))
    assert report.header.doc_number == "清府〔2024〕12号"
    assert report.header.source_doc_number == "清府[2024]12号"
    assert any(f.text == "清府[2024]12号" for f in findings(report))


def test_a_number_below_the_preamble_or_in_the_footer_is_not_the_reports():
    text = PAGE.format(head="", year_in_title="2023年度").replace(
        "一、主要举措", "清政发〔2021〕18号\n一、主要举措") + "发文字号：清府〔2024〕12号\n"
    report = import_text(text)
    assert report.header.doc_number == ""
    assert report.year == 2023


def test_a_dashed_date_alone_stays_the_date_line():
    text = PAGE.format(head="", year_in_title="2023年度").replace("2024年3月20日", "2024-03-20")
    report = import_text(text)
    assert report.header.date == "2024-03-20"


def test_a_docx_from_a_web_page_loses_its_furniture_too(tmp_path):
    import docx

    sample = sample_text("linjiang-2025.txt")
    top, bottom = zfxxgk(sample)
    document = docx.Document()
    for line in (top + sample + bottom).split("\n"):
        if line.strip():
            document.add_paragraph(line)
    path = tmp_path / "网页另存.docx"
    document.save(path)
    proposal = propose(path)
    assert summary(proposal.to_report()) == summary(import_text(sample))
    # Every line of the page around it is left out, the h1 (a copy of the title) included.
    assert len(ignored(proposal)) == len([x for x in (top + bottom).split("\n") if x])


# ---- the proposal ---------------------------------------------------------------------------------
def test_left_out_lines_can_be_taken_back():
    assert ROLE_LABELS["ignored"] == "已忽略"
    proposal = propose_text(PAGE.format(head="", year_in_title="2023年度"))
    row = next(i for i, b in enumerate(proposal.blocks) if b.role == "ignored")
    assert proposal.blocks[row].text.startswith("索引号")
    assert any(m.startswith("有 1 段是网页上的栏目信息") for m in proposal.messages)
    proposal.set_role(row, "preamble")
    proposal.refresh_messages()
    assert not any("栏目信息" in m for m in proposal.messages)
    assert proposal.to_report().preamble.startswith("索引号")
