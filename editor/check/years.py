"""ERR-11 / P4-03 / M-06 / M-07: years that must agree (spec §3 D), and the 发文字号 fields.

Let Y be the report year. The title names Y; the preamble's opening "Y年，" and the Part-1
headings use Y; Part 4 speaks of Y+1; the 成文日期 and the 发文字号 year are Y+1, and the
成文日期 falls before the deadline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..model import Place, Report
from ..model.report import doc_number_field
from ..model.text import sentence_bounds
from .findings import Finding
from .rules import RuleSet

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年)")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_DATE = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$")
_RANGE_MARKS = "—－-~～至到"
_CLAUSE_START = re.compile(r"(^|[。；！？：])\s*$")
_DOC = re.compile(r"^(?P<code>.*?)(?P<open>[〔\[【（(﹝［{])\s*(?P<year>\d{0,4})\s*(?P<close>[〕\]】）)﹞］}])"
                  r"\s*(?P<serial>第?\s*\d*)\s*号?$")


@lru_cache(maxsize=4)
def _plan_patterns(version: str, before: str, after: str):
    return re.compile(f"({before})$"), re.compile(after)


def check_years(report: Report, rules: RuleSet, deadline: tuple[int, int] = (4, 1)
                ) -> Iterator[Finding]:
    y = report.year
    nxt = y + 1
    h = report.header
    # ---- title
    if h.title:
        years = list(_YEAR.finditer(h.title))
        if not years:
            yield Finding("ERR-11", "error", Place("header.title"), "",
                          f"标题中没有写报告年度，应写明“{y}年度”，例如“……关于{y}年度法治政府建设情况的报告”。")
        for m in years:
            if int(m.group(1)) != y:
                yield Finding("ERR-11", "error", Place("header.title", start=m.start(1), end=m.end(1)), m.group(1),
                              f"标题中的年份“{m.group(1)}”与报告年度{y}年不一致。", str(y))
    # ---- preamble: "Y年，……" / "Y年以来，" and "现将Y年度……报告如下"
    for k, line in enumerate(report.preamble.split("\n") if report.preamble else []):
        for m in _preamble_years(line):
            if int(m.group(1)) != y:
                yield Finding("ERR-11", "error",
                              Place("preamble", paragraph=k, start=m.start(1), end=m.end(1)),
                              m.group(1),
                              f"前言中报告年度的位置写了“{m.group(1)}年”，与报告年度{y}年不一致。",
                              str(y))
    # ---- parts
    ok_before, ok_after = _plan_patterns(rules.version, rules.section("years")["plan_ok_before"],
                                         rules.section("years")["plan_ok_after"])
    for part in report.enabled_parts:
        if part.key in ("measures", "theme", "duty"):
            yield from _results_years(part, y)
        if part.key in _REPORT_YEAR_PARTS:
            for m in _YEAR.finditer(part.heading):
                if int(m.group(1)) != y and not _in_range(part.heading, m):
                    yield Finding("ERR-11", "error",
                                  Place("heading", part.uid, start=m.start(1), end=m.end(1)),
                                  m.group(1),
                                  f"这部分写的是{y}年的情况，标题中的“{m.group(1)}年”应为{y}年。",
                                  str(y))
        if part.key != "plan":
            continue
        for loc, text in _part_texts(part):
            for m in _YEAR.finditer(text):
                value = int(m.group(1))
                if value == nxt or _in_range(text, m):
                    continue
                head = text[:m.start(1)]
                tail = text[m.end(1):]
                clause_start = bool(_CLAUSE_START.search(head)) and re.match(r"年(度)?[，,]", tail)
                if loc.field == "heading" or clause_start:
                    yield Finding(
                        "ERR-11", "error", loc.with_span(m.start(1), m.end(1)), m.group(1),
                        f"下一年度安排应写{nxt}年，此处写成了“{m.group(1)}年”。", str(nxt))
                    continue
                if ok_before.search(head[-2:]) or ok_after.match(tail):
                    continue
                if value > nxt:
                    continue  # a longer-term target (到2035年) is not an error
                yield Finding(
                    "ERR-11", "warning", loc.with_span(m.start(1), m.end(1)), m.group(1),
                    f"第四部分是{nxt}年的安排，这里的“{m.group(1)}年”请核对是否应为{nxt}年。",
                    str(nxt))
    # ---- 成文日期
    dm = _DATE.match(h.date or "")
    if dm:
        dy, mo, d = (int(g) for g in dm.groups())
        if dy != nxt:
            yield Finding("ERR-11", "error", Place("header.date", start=dm.start(1), end=dm.end(1)), dm.group(1),
                          f"成文日期的年份应为报告年度的下一年（{nxt}年）。", str(nxt))
        elif (mo, d) > deadline:
            yield Finding("ERR-11", "warning", Place("header.date", start=0, end=len(h.date)),
                          h.date,
                          f"成文日期晚于{deadline[0]}月{deadline[1]}日：法治政府建设年度报告应在每年"
                          f"{deadline[0]}月{deadline[1]}日前报送并向社会公开。")
    # ---- 发文字号 year
    if h.doc_year:
        shown = h.source_doc_number or h.doc_number
        pos = shown.find(h.doc_year)
        loc = Place(f"header.{doc_number_field(h)}", start=max(pos, 0),
                       end=max(pos, 0) + len(h.doc_year) if pos >= 0 else 0)
        if h.doc_year.isdigit():
            if dm:
                want = int(dm.group(1))
                if int(h.doc_year) != want:
                    yield Finding("ERR-11", "error", loc, h.doc_year,
                                  f"发文字号中的年份应与成文日期的年份一致（{want}年）。",
                                  str(want))
            elif int(h.doc_year) not in (y, nxt):
                # Without a 成文日期 the year it will carry is open: a report issued in December
                # of the report year carries that year, one issued in the spring the next.
                yield Finding("ERR-11", "warning", loc, h.doc_year,
                              f"发文字号中的年份一般为{nxt}年（在{y}年内印发的为{y}年），"
                              f"此处为{h.doc_year}年，请核对。")


# Parts about the report year: a year in their heading is the report year (Part 4 has Y+1).
_REPORT_YEAR_PARTS = ("measures", "theme", "duty", "shortcomings")
_PREAMBLE_OPEN = re.compile(r"\s*((?:19|20)\d{2})年(?:度)?(?:以来)?[，,]")
_PREAMBLE_REPORT = re.compile(r"现将.{0,24}?((?:19|20)\d{2})(?=年)")
# A sentence of the 成效 text that opens on a year: "2022年，我镇……" (a slip for the report
# year) unless the sentence compares years or looks back over a period.
_SENTENCE_YEAR = re.compile(r"(?:^|(?<=[。；！？，]))\s*((?:19|20)\d{2})年(?:度)?(?=[，,]|[我全本]"
                            r"(?:镇|乡|街道|县|区|市|局|委|办|单位)|共|累计|全年|组织|开展|完成|"
                            r"办理|受理|涉及|备案|新增|审查|审核|召开|举办|印发|制定|出台|办结|"
                            r"收到|处理|调解|培训)")
_LOOKS_BACK = re.compile(r"以来|至今|以前|之前|此前|相比|同比|较上年|比上年|较(?:19|20)\d{2}|"
                         r"比(?:19|20)\d{2}|增长|下降|减少|提高|上升|持平|连续")


def _preamble_years(line: str) -> list[re.Match]:
    out = []
    m = _PREAMBLE_OPEN.match(line)
    if m:
        out.append(m)
    out += list(_PREAMBLE_REPORT.finditer(line))
    return out


def _results_years(part, y: int) -> Iterator[Finding]:
    """Part 1 tells what was done in the report year: a sentence opening on another year."""
    for place, text in _part_texts(part):
        if place.field in ("heading", "title"):
            continue
        for m in _SENTENCE_YEAR.finditer(text):
            value = int(m.group(1))
            if value >= y:
                continue  # a later year opens a plan (2026年，我局将……), not a slip
            begin, end = sentence_bounds(text, m.start(), m.end())
            sentence = text[begin:end]
            if _LOOKS_BACK.search(sentence) or str(y) in sentence:
                continue
            yield Finding("ERR-11", "warning", place.with_span(m.start(1), m.end(1)), m.group(1),
                          f"这部分写的是{y}年的工作，句首的“{m.group(1)}年”请核对是否应为{y}年。",
                          str(y))


def _in_range(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start(1) - 1):m.start(1)]
    after = text[m.end(1):m.end(1) + 1]
    return (before and before in _RANGE_MARKS) or (after and after in _RANGE_MARKS)


def _part_texts(part):
    yield Place("heading", part.uid), part.heading
    for k, line in enumerate(part.lead.split("\n") if part.lead else []):
        yield Place("lead", part.uid, k), line
    for s in part.sections:
        yield Place("title", s.uid), s.title
        for k, line in enumerate(s.body.split("\n") if s.body else []):
            yield Place("body", s.uid, k), line


def check_doc_number(report: Report) -> Iterator[Finding]:
    """ERR-04: the 发文字号 as imported, and the serial field as typed."""
    h = report.header
    src = h.source_doc_number
    composed = h.doc_number
    if src:
        m = _DOC.match(src)
        problems = []
        if m:
            if m["open"] != "〔" or m["close"] != "〕":
                problems.append(f"年份应使用六角括号“〔〕”，不用“{m['open']}{m['close']}”")
            if not m["year"]:
                problems.append("缺少年份")
            serial = m["serial"].replace(" ", "")
            if serial.startswith("第"):
                problems.append("序号前不加“第”")
            elif serial.startswith("0"):
                problems.append("序号不编虚位（不写前导0）")
        else:
            problems.append("格式应为“机关代字〔年份〕序号号”")
        if problems:
            # the form holds the number in its parts and the export writes it right: what the
            # old file got wrong is told (参考), not counted as an error of this draft
            yield Finding("ERR-04", "info", Place("header.source_doc_number", start=0,
                                                  end=len(src)), src,
                          "原文件中的发文字号" + "，".join(problems)
                          + f"（GB/T 9704—2012 7.2.5）；导出时写作“{composed}”。",
                          composed or None, fix="doc_number")
    serial = h.doc_serial
    if serial and (serial.startswith("0") or not serial.isdigit()):
        fixed = serial.lstrip("0第 ") or None
        yield Finding("ERR-04", "error", Place("header.doc_serial", start=0, end=len(serial)),
                      serial, "发文字号的序号用阿拉伯数字，不编虚位、不加“第”字（GB/T 9704—2012 7.2.5）。",
                      fixed if fixed and fixed.isdigit() else None)
    if h.doc_year and not re.fullmatch(r"(19|20)\d{2}", h.doc_year):
        yield Finding("ERR-04", "error", Place("header.doc_year", start=0, end=len(h.doc_year)),
                      h.doc_year, "发文字号的年份应写全四位数字，如“2026”。")
