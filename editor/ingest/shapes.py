"""What the lines of a report look like: headings, 版头 and 版记 elements, part keys.

Shared by the line joiner (a line that starts an element is never glued to the one above), the
role proposer and the report builder.
"""

from __future__ import annotations

import re

CN_NUM = "一二三四五六七八九十"
L1 = re.compile(rf"^\s*([{CN_NUM}]+)\s*[、.．,，]\s*(\S.*)$")
# "第一部分 主要举措和成效": some units number their parts this way.
L1_PART = re.compile(rf"^\s*第([{CN_NUM}]+)部分\s*[、：:，,.．]?\s*(\S.*)$")
L2 = re.compile(rf"^\s*(?P<marker>[（(]\s*[{CN_NUM}]+\s*[）)]\s*[、，.．]?)\s*(?P<text>.*)$")
L3 = re.compile(r"^\s*\d{1,2}\s*[.．、](?!\d)\s*\S")
L4 = re.compile(r"^\s*[（(]\s*\d{1,2}\s*[）)]")
_CN_DATE_DIGITS = "〇零一二三四五六七八九十"
DATE = re.compile(
    r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$"
    rf"|^\s*[{_CN_DATE_DIGITS}]{{4}}年[{_CN_DATE_DIGITS}]{{1,2}}月[{_CN_DATE_DIGITS}]{{1,3}}日\s*$"
    # 2025.3.15 / 2025-03-15 / 2025/3/15: wrong for a 成文日期, but still the date line; kept as
    # typed so the proofreader can point at it.
    r"|^\s*(?:19|20)\d{2}\s*[.．/\-－]\s*\d{1,2}\s*[.．/\-－]\s*\d{1,2}\s*$"
)
PRINT_LINE = re.compile(
    r"^\s*(?P<printer>.*?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印发\s*$"
)
CLOSINGS = re.compile(r"^\s*(特此报告|妥否，?请批示|以上报告|专此报告|请审阅)[。！]?\s*$")
CC_LINE = re.compile(r"^抄[送报]\s*[：:]\s*")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")

# ---- 发文字号 ----------------------------------------------------------------------------------
# The whole line is 机关代字〔年份〕序号号. Wrong brackets ([2024], (2024), 【2024】) are accepted
# so the proofreader can point at them; a number cited inside a sentence never has this shape.
_DOC_SHAPE = re.compile(
    r"^[\u4e00-\u9fffA-Za-z]{1,20}\s*[〔\[【（(﹝［{]\s*(?:19|20)\d{2}\s*[〕\]】）)﹞］}]"
    r"\s*第?\s*\d{1,5}\s*号$"
)
# Labels a web page or a form puts before the number ("文号：…", "发文字号：…").
DOC_LABEL = re.compile(r"^\s*(?:发文字号|发文文号|发文编号|文件编号|文号)\s*(?:[：:]\s*|\s+)")
_SIGNER = re.compile(r"[\s\t]*签发人\s*[：:]\s*(?P<signer>\S{1,12}(?:\s\S{1,12})?)\s*$")


def strip_doc_label(line: str) -> str:
    return DOC_LABEL.sub("", line).strip()


def doc_number_line(line: str) -> tuple[str, str] | None:
    """(发文字号, 签发人) when ``line`` is the 发文字号 line — the number alone, the number with
    a trailing 签发人 part, or the 签发人 part alone; None for any other line."""
    text = strip_doc_label(line)
    signer = ""
    m = _SIGNER.search(text)
    if m:
        signer, text = m["signer"], text[: m.start()].strip()
    if not text:
        return ("", signer) if signer else None
    if _DOC_SHAPE.match(text):
        return text, signer
    return None


# ---- headings ---------------------------------------------------------------------------------
def is_l1(line: str) -> bool:
    return bool(L1.match(line) or L1_PART.match(line))


def is_heading(line: str) -> bool:
    """A heading alone on its line (no run-in text after a 。)."""
    return is_l1(line) or (
        bool(L2.match(line) or L3.match(line) or L4.match(line)) and "。" not in line
    )


def is_tail_line(ln: str) -> bool:
    return bool(
        ln.startswith(("抄送", "抄报", "（联系人", "(联系人"))
        or PRINT_LINE.match(ln)
        or DATE.match(ln)
    )


def starts_element(line: str) -> bool:
    return "\t" in line or bool(
        is_l1(line) or L2.match(line) or L3.match(line) or L4.match(line)
        or CLOSINGS.match(line) or is_tail_line(line) or "签发人" in line
    )


def looks_like_signature(ln: str) -> bool:
    return len(ln) <= 30 and not re.search(r"[。，；：！？,;:]", ln) and not starts_element(ln)


# Heading classification, checked in this order (content spec: S-05, S-04, S-03, S-02, else S-01).
_OTHER = re.compile(r"其他需要报告|其他(有关)?情况")
_PLAN = re.compile(
    r"下一年度|下一步(工作)?(打算|安排|计划|思路|举措)?|(20\d\d)年(度)?.{0,12}(安排|打算|计划|思路|重点)"
    r"|(工作|主要)(安排|打算|计划|思路)"
)
_DUTY = re.compile(r"第一责任人|主要负责(人|同志)(履行|履职)")
_SHORT = re.compile(
    r"存在的?(主要)?(问题|不足|短板|差距)|(不足|问题|困难)(和|及|与|、)(原因|差距|不足|问题|困难)"
    r"|短板|薄弱环节"
)
_MEASURES = re.compile(
    r"(举措|措施|做法)(和|及|与|、)?(成效|成果)|工作(开展|推进)?情况|基本情况|(工作|建设)成效"
    r"|工作(及|和|与|、)(成效|成果)"
)


def classify_heading(text: str, seen: set[str]) -> str:
    """The part key an L1 heading stands for; ``theme`` for a themed Part-1 heading."""
    if _OTHER.search(text):
        return "other"
    if _PLAN.search(text) and seen & {"shortcomings", "measures", "theme"} \
            and not _MEASURES.search(text):
        return "plan"  # after what was done (some reports fold the 不足 into Part 1)
    if _DUTY.search(text) and ("shortcomings" in seen or text.rstrip("。").endswith("情况")):
        return "duty"
    short, measures = _SHORT.search(text), _MEASURES.search(text)
    if short and not (measures and measures.start() < short.start() and "measures" not in seen):
        # “主要举措、成效及存在的问题与原因分析” opens with the measures: it is Part 1
        return "shortcomings"
    if _MEASURES.search(text) and "measures" not in seen:
        return "measures"
    return "theme"
