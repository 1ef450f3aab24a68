"""Single lines of a pasted web page: what is page furniture and, as much, what is not (text
that mentions 来源, 发布 or 浏览 is the report's, and so is every line of the stored reports);
and that the furniture is data (resources/ingest/web_furniture.toml), not code."""

from __future__ import annotations

import pytest
from conftest import DATA
from test_ingest_web import (
    L2,
    PAGE,
    SAMPLES,
    ignored,
    report_lines,
    summary,
    web_file,
)

from editor.ingest import import_text, propose_text
from editor.ingest.lines import normalise_line
from editor.ingest.web_furniture import FurnitureRules, furniture_rules
from editor.paths import read_toml, resource

# ---- single lines -------------------------------------------------------------------------------
FURNITURE = [
    # The shapes met on the sites of several provinces (as copied, spaces and all).
    ("索引号：11330100002489xxxx/2024-12345 发布机构：XX县人民政府办公室 发布日期：2024-03-28 "
     "浏览次数：1234 字号：大 中 小"),
    "索 引 号：370481/2026-00158",
    "[ 索引号 ] 11500111MB15011811/2026-00005 [ 发文字号 ]",
    "| 发布机构： | 武安镇人民政府 | 发文日期： | 2025-02-28 | ||",
    "发文机关：清河县人民政府  成文日期：2024-03-28  有效性：有效",
    "主题分类：综合政务\\其他 公开方式：主动公开 公开范围：面向全社会",
    "来源：清河县司法局  发布时间：2024-03-28 09:18  【字体：大 中 小】 【打印】【关闭】",
    "日期：2026-01-19 来源：万州区新田镇",
    "信息来源：清河县司法局 | 发布时间：2024-03-28 | 浏览次数：",
    "时间：2023-05-07 17:15:05 作者：张三 阅读：1024次",
    "（阅读次数：1234）",
    "【字体：大 中 小】【打印】【关闭】",
    "字号 大 中 小 打印本页 关闭窗口",
    "【打印】【关闭】",
    "打印 关闭",
    "分享到：",
    "扫一扫在手机打开当前页",
    "当前位置：首页 > 政务公开 > 法治政府建设 > 年度报告",
    "您当前位置： 首页>区政府部门>卫生健康委员会>政务公开",
    "首页 > 政务公开 > 政府信息公开目录",
    "政府信息公开 > 法定主动公开内容 > 其他主动公开内容 > 法治政府建设年度报告日期：2025-02-28 14:30",
    "无障碍 简体 | 繁体",
    "首页  政务公开  渝快办  互动交流",
    "中国政府网 | 重庆市人民政府网 | 重庆市万州区人民政府网 | 万州经济技术开发区网 | |",
    "天津市静海区人民政府 2019年12月3日星期二",
    "上一篇：关于印发清河县2024年政务公开工作要点的通知",
    "下一篇：没有了",
    "【纠错】【责任编辑：赵文涵】",
    "主办单位：清河县人民政府办公室  承办单位：清河县大数据发展中心  网站标识码：3301000001",
    "浙ICP备12345678号-1  浙公网安备 33010202000123号",
    "Copyright © 2024 清河县人民政府 版权所有",
    "基层政务公开",
    "语音播报",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_a_furniture_line_is_recognised(line):
    verdict = furniture_rules().classify(normalise_line(line), raw=line)
    assert verdict is not None and all(role == "ignored" for _, role in verdict.pieces)


# ---- what is not furniture ------------------------------------------------------------------------
PROSE = [
    # Lines that start like a field or mention its words, but are the report's text.
    "来源：县统计局2023年统计公报，数据截至2023年12月31日。",
    "（三）规范信息发布。全年通过政府网站发布信息1200条，浏览次数累计3万余次，来源均经审核。",
    "发布日期、发文机关、发文字号等要素在政府网站同步公开。",
    "打印、关闭等按钮已完成适老化改造，无障碍浏览覆盖全部页面。",
    "（四）加强政府网站和政务公开",
    "1.政务公开",
    "索引号编制规则已统一，全年新增公开目录事项86项。",
    "清河县<b>云溪</b>镇人民政府",  # two ">" but no breadcrumb
]


@pytest.mark.parametrize("line", PROSE)
def test_text_that_mentions_furniture_words_is_never_furniture(line):
    assert furniture_rules().classify(normalise_line(line)) is None


def test_a_body_full_of_such_words_is_kept_whole():
    body = "\n".join(PROSE[:4] + PROSE[5:])
    text = PAGE.format(head="", year_in_title="2023年度").replace(
        "（一）加强组织领导。", f"（一）加强组织领导。\n{body}\n（二）加强制度建设。")
    proposal = propose_text(text)
    assert [b.role for b in proposal.blocks].count("ignored") == 1  # the metadata line only
    report = proposal.to_report()
    assert summary(report) == summary(import_text(text.split("\n", 1)[1]))
    kept = report_lines(report)
    for line in PROSE[:4] + PROSE[5:]:
        sentence = max(L2.sub("", line).split("。"), key=len)
        assert any(sentence in k for k in kept), line


def test_a_long_line_ending_like_a_sentence_is_never_furniture():
    rules = furniture_rules()
    line = "索引号：113301/2024-00012 发布机构：清河县人民政府办公室 发布日期：2024-03-28。"
    assert rules.classify(line) is None
    assert rules.classify(line.rstrip("。")) is not None


def test_the_real_reports_have_no_furniture():
    # The stored reports (web pages cleaned by hand) and the shared samples: nothing is ignored.
    paths = [p for p in sorted((DATA / "real").rglob("*.txt")) if p.parent.name != "web"]
    paths += [DATA / s for s in SAMPLES]
    assert len(paths) > 10
    for path in paths:
        _, text = web_file(path)
        assert ignored(propose_text(text)) == [], path.name


# ---- the data file ------------------------------------------------------------------------------
def test_the_furniture_is_data():
    data = read_toml(resource("ingest", "web_furniture.toml"))
    assert FurnitureRules(data).classify("我要留言") is None
    data["words"]["list"].append("我要留言")
    assert FurnitureRules(data).classify("我要留言 打印本页") is not None
    data["labels"]["meta"].append("联系电话")
    assert FurnitureRules(data).classify("联系电话：0123-4567890") is not None


def test_a_broken_data_file_is_an_import_error(tmp_path):
    from editor.ingest import ImportError_

    bad = tmp_path / "web_furniture.toml"
    bad.write_text("[labels\nmeta = 1", encoding="utf-8")
    with pytest.raises(ImportError_, match="数据文件“web_furniture.toml”"):
        furniture_rules(str(bad))
