"""Plain text (one paragraph a line) → Report.

Recognises the 版头 and 版记 elements by their shape rather than their line number, the parts by
their L1 headings, and sections by （一） markers (half-width brackets and a stray 、 tolerated; the
marker as found is kept on the section so the proofreader can point at it).
"""

from __future__ import annotations

import re

from ..model import Header, Part, Report, Section, clean_text
from ..profile import Profile, load_profile

CN_NUM = "一二三四五六七八九十"
L1 = re.compile(rf"^\s*([{CN_NUM}]+)\s*[、.．,，]\s*(\S.*)$")
L2 = re.compile(rf"^\s*(?P<marker>[（(]\s*[{CN_NUM}]+\s*[）)]\s*[、，.．]?)\s*(?P<text>.*)$")
DOC_LINE = re.compile(r"^(?P<num>.*?号)?\s*(签发人\s*[：:]\s*(?P<signer>.*))?$")
DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
PRINT_LINE = re.compile(r"^\s*(?P<printer>.*?)\s+(?P<date>\d{4}年\d{1,2}月\d{1,2}日)\s*印发\s*$")
CLOSINGS = re.compile(r"^\s*(特此报告|妥否，?请批示|以上报告|专此报告|请审阅)[。！]?\s*$")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")

# Heading classification, checked in this order (content spec: S-05, S-04, S-03, S-02, else S-01).
_OTHER = re.compile(r"其他需要报告|其他(有关)?情况")
_PLAN = re.compile(
    r"下一年度|下一步(工作)?(打算|安排|计划|思路|举措)?|(20\d\d)年(度)?.{0,12}(安排|打算|计划|思路|重点)"
    r"|(工作|主要)(安排|打算|计划|思路)"
)
_DUTY = re.compile(r"第一责任人|主要负责(人|同志)(履行|履职)")
_SHORT = re.compile(r"存在的?(主要)?(问题|不足|短板|差距)|(不足|问题)(和|及|与)(原因|差距)|短板|薄弱环节")
_MEASURES = re.compile(
    r"(举措|措施|做法)(和|及|与)?(成效|成果)|工作(开展|推进)?情况|基本情况|(工作|建设)成效"
)


def classify_heading(text: str, seen: set[str]) -> str:
    """The part key an L1 heading stands for; ``theme`` for a themed Part-1 heading."""
    if _OTHER.search(text):
        return "other"
    if _PLAN.search(text) and "shortcomings" in seen | {"_"} and not _MEASURES.search(text):
        return "plan"
    if _DUTY.search(text) and ("shortcomings" in seen or text.rstrip("。").endswith("情况")):
        return "duty"
    if _SHORT.search(text):
        return "shortcomings"
    if _MEASURES.search(text) and "measures" not in seen:
        return "measures"
    return "theme"


def _split_title(text: str) -> tuple[str, str, bool]:
    """'标题。正文' → ('标题', '正文', True); a line with no 。 is a title on its own line."""
    idx = text.find("。")
    if idx < 0:
        return text.strip(), "", False
    return text[:idx].strip(), text[idx + 1 :].strip(), True


def parse_text(text: str, profile: Profile | None = None) -> Report:
    profile = profile or load_profile()
    lines = [ln.strip() for ln in clean_text(text).split("\n")]
    lines = [ln for ln in lines if ln]
    header = Header(publicity="")
    first_l1 = next((i for i, ln in enumerate(lines) if L1.match(ln)), len(lines))

    # ---- 版头 and 主送: everything before the first L1 heading -----------------------------------
    head, preamble = lines[:first_l1], []
    for i, ln in enumerate(head):
        if "签发人" in ln or re.search(r"[〔\[【（(﹝［]\s*\d{4}\s*[〕\]】）)﹞］]\s*第?\d+\s*号", ln):
            num, _, signer = ln.partition("签发人")
            header.set_doc_number(num.strip())
            header.signer = signer.lstrip("：: ").strip()
        elif not header.organ_mark and not header.title and ln.endswith("文件") and len(ln) < 40:
            header.organ_mark = ln
        elif not header.title and "报告" in ln and len(ln) < 80 and not ln.endswith(("：", ":")):
            header.title = ln
        elif not header.recipients and ln.endswith(("：", ":")) and len(ln) < 80 \
                and "如下" not in ln:
            header.recipients = ln[:-1] + "："
        else:
            preamble.append(ln)

    # ---- 版记 and signature: from the closing phrase on -----------------------------------------
    body_end = len(lines)
    closing = ""
    for i in range(len(lines) - 1, first_l1 - 1, -1):
        if CLOSINGS.match(lines[i]):
            body_end, closing = i, lines[i]
            break
    tail = lines[body_end + 1 :] if closing else []
    if not closing:
        # No closing phrase: peel recognisable 版记 lines off the end.
        while body_end > first_l1 and _is_tail_line(lines[body_end - 1]):
            body_end -= 1
        tail = lines[body_end:]
    for ln in tail:
        m = PRINT_LINE.match(ln)
        if ln.startswith(("抄送：", "抄送:")):
            header.cc = ln[3:].rstrip("。.")
        elif m:
            header.printer, header.print_date = m["printer"], m["date"]
        elif DATE.match(ln):
            header.date = re.sub(r"\s+", "", ln)
        elif ln.startswith(("（", "(")) and ("联系人" in ln or "电话" in ln):
            header.note = ln
        elif not header.signature:
            header.signature = ln

    # ---- body: parts and sections -------------------------------------------------------------
    parts: list[Part] = []
    seen: set[str] = set()
    for ln in lines[first_l1:body_end]:
        m1 = L1.match(ln)
        if m1:
            heading = m1.group(2).strip().rstrip("。")
            key = classify_heading(heading, seen)
            seen.add(key)
            parts.append(Part(key=key, heading=heading))
            continue
        part = parts[-1]
        m2 = L2.match(ln)
        if m2:
            title, body, run_in = _split_title(m2["text"])
            marker = m2["marker"].replace(" ", "")
            part.sections.append(
                Section(title=title, body=body, run_in=run_in, source_marker=marker)
            )
        elif part.sections:
            s = part.sections[-1]
            s.body = f"{s.body}\n{ln}" if s.body else ln
        else:
            part.lead = f"{part.lead}\n{ln}" if part.lead else ln

    year = _report_year(header, preamble, parts)
    report = Report(
        year=year,
        organ=header.signature or _organ_from_mark(header.organ_mark),
        header=header,
        preamble="\n".join(preamble),
        parts=parts,
        closing=closing or "特此报告。",
        profile=profile.id,
    )
    report.body_type = _guess_body_type(report, profile)
    return report


def _is_tail_line(ln: str) -> bool:
    return bool(
        ln.startswith(("抄送", "（联系人", "(联系人"))
        or PRINT_LINE.match(ln)
        or DATE.match(ln)
    )


def _organ_from_mark(mark: str) -> str:
    return mark.removesuffix("文件")


def _report_year(header: Header, preamble: list[str], parts: list[Part]) -> int:
    for text in [header.title, *preamble[:1], *(p.heading for p in parts[:1])]:
        m = YEAR.search(text or "")
        if m:
            return int(m.group(1))
    if header.doc_year.isdigit():
        return int(header.doc_year) - 1
    m = DATE.match(header.date or "")
    if m:
        return int(m.group(1)) - 1
    import datetime

    return datetime.date.today().year - 1


def _guess_body_type(report: Report, profile: Profile) -> str:
    organ = report.organ + report.header.organ_mark
    if re.search(r"(镇|乡)(人民政府|党委|委员会)?", organ) and "县人民政府" not in organ[-6:]:
        kind = "乡镇"
    elif "街道" in organ:
        kind = "街道"
    elif re.search(r"[县区市旗]人民政府$", report.organ):
        kind = "县级政府"
    else:
        kind = "政府部门"
    return kind if kind in profile.body_type_names else profile.body_type_names[0]
