"""Plain text (one paragraph a line, or text copied from a PDF) → proposed roles → Report.

Recognises the 版头 and 版记 elements by their shape rather than their line number, the parts by
their L1 headings, and sections by （一） markers (half-width brackets and a stray 、 tolerated; the
marker as found is kept on the section so the proofreader can point at it).

The work is split in two so the user can correct it in between: :func:`propose_lines` gives every
paragraph a role (an :class:`~editor.ingest.proposal.ImportProposal`), :func:`build_report` turns
the roles into a :class:`~editor.model.Report`. :func:`parse_text` does both.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..model import Header, Part, Report, Section, clean_text
from ..profile import Profile, load_profile
from .proposal import NO_STRUCTURE_MESSAGE, Block, ImportProposal

CN_NUM = "一二三四五六七八九十"
L1 = re.compile(rf"^\s*([{CN_NUM}]+)\s*[、.．,，]\s*(\S.*)$")
# "第一部分 主要举措和成效": some units number their parts this way.
L1_PART = re.compile(rf"^\s*第([{CN_NUM}]+)部分\s*[、：:，,.．]?\s*(\S.*)$")
L2 = re.compile(rf"^\s*(?P<marker>[（(]\s*[{CN_NUM}]+\s*[）)]\s*[、，.．]?)\s*(?P<text>.*)$")
L3 = re.compile(r"^\s*\d{1,2}\s*[.．、](?!\d)\s*\S")
L4 = re.compile(r"^\s*[（(]\s*\d{1,2}\s*[）)]")
DOC_LINE = re.compile(r"^(?P<num>.*?号)?\s*(签发人\s*[：:]\s*(?P<signer>.*))?$")
DOC_NUMBER = re.compile(r"[〔\[【（(﹝［]\s*\d{4}\s*[〕\]】）)﹞］]\s*第?\d+\s*号")
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


# ---- line clean-up ----------------------------------------------------------------------------
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2014\u2026"
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\u00ad]")
_SPACES_IN_CJK = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
# Full-width punctuation carries its own spacing: spaces beside it are stray.
_FW_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2018-\u201d\u2014\u2026"
_SPACES_BY_PUNCT = re.compile(f" +(?=[{_FW_PUNCT}])|(?<=[{_FW_PUNCT}]) +")
# A PDF's page numbers: "— 3 —", "-3-", "3".
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")
# A run-in section heading glued to the end of the paragraph before it ("…成效。（二）标题。…").
_EMBEDDED_L2 = re.compile(rf"(?<=。)(?=[（(][{CN_NUM}]{{1,3}}[）)][^。\n]{{2,40}}。)")
# What a finished paragraph ends with; anything else, followed by more text, is a broken line.
_LATIN = re.compile(r"[A-Za-z]")
_TERMINAL = re.compile(r"[。！？；：!?;:…]$|[。！？；…][”’」』）)]$")


def normalise_line(line: str) -> str:
    line = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", line)).strip()
    return _SPACES_BY_PUNCT.sub("", _SPACES_IN_CJK.sub("", line))


def split_lines(text: str) -> list[str]:
    """Non-empty, cleaned lines of ``text`` (any line ending), page-number lines dropped."""
    out = []
    for raw in clean_text(text).split("\n"):
        line = normalise_line(raw)
        if line and not _PAGE_NUMBER.match(line):
            out.extend(p for p in _EMBEDDED_L2.split(line) if p)
    return out


def _width(text: str) -> int:
    """Display width in half-width units: what decides where a PDF line breaks."""
    return sum(1 if ord(ch) < 0x1100 else 2 for ch in text)


def _is_l1(line: str) -> bool:
    return bool(L1.match(line) or L1_PART.match(line))


def _starts_element(line: str) -> bool:
    return "\t" in line or bool(
        _is_l1(line) or L2.match(line) or L3.match(line) or L4.match(line)
        or CLOSINGS.match(line) or _is_tail_line(line) or "签发人" in line
    )


# Narrower "lines" are headings or short items, not a page's text width.
_MIN_WRAP_WIDTH = 30


def _is_heading(line: str) -> bool:
    """A heading alone on its line (no run-in text after a 。)."""
    return _is_l1(line) or (
        bool(L2.match(line) or L3.match(line) or L4.match(line)) and "。" not in line
    )


def _wrap_width(lines: list[str]) -> int | None:
    """The line width of hard-wrapped text (a PDF copy), or None for one-paragraph-a-line text.

    In hard-wrapped text many lines stop mid-sentence at (nearly) the same width; in the line
    format only headings lack final punctuation and their widths vary.
    """
    widths = [
        _width(ln) for ln in lines
        if _width(ln) >= _MIN_WRAP_WIDTH and not _TERMINAL.search(ln) and not _is_heading(ln)
    ]
    if len(widths) < 3:
        return None
    counts = Counter(widths)
    best, support = 0, 0
    for w in sorted(counts, reverse=True):
        s = sum(counts[x] for x in range(w - 3, w + 1))
        if s > support:
            best, support = w, s
    if support >= 3 and support >= 0.4 * len(widths):
        return best
    return None


def _continues(line: str, width: int | None, last: str | None = None) -> bool:
    """Does the paragraph ``line`` go on in the next line? ``last`` is its last physical line
    when earlier lines have been joined to it already."""
    last = line if last is None else last
    if "\t" in last:
        return False  # a table row or the 发文字号 line
    terminal = bool(_TERMINAL.search(line))
    heading = _is_heading(line)
    if width is None:
        # One paragraph a line, with the odd paragraph broken by hand: a line that stops
        # mid-sentence goes on, a heading on a line of its own does not.
        return not terminal and not heading
    # Hard-wrapped text: a paragraph goes on while its lines are full; its last line is short.
    # Headings are short and rarely hold the digits that make wrapped widths vary, so one
    # continues only if it filled the line to the brim.
    w = _width(last)
    if heading:
        return not terminal and w >= width - 1
    if terminal:
        return w >= width - 4 and line[-1] in "，、；：,;:"
    return w >= width - 4


def join_broken_lines(lines: list[str], width: int | None) -> list[str]:
    out: list[str] = []
    last = ""
    for ln in lines:
        if out and _continues(out[-1], width, last) and not _starts_element(ln):
            # Latin words break at spaces; Chinese text and numbers do not.
            sep = " " if _LATIN.match(out[-1][-1:]) and _LATIN.match(ln[:1]) else ""
            out[-1] = out[-1] + sep + ln
        else:
            out.append(ln)
        last = ln
    return out


def _is_tail_line(ln: str) -> bool:
    return bool(
        ln.startswith(("抄送", "抄报", "（联系人", "(联系人"))
        or PRINT_LINE.match(ln)
        or DATE.match(ln)
    )


def _looks_like_signature(ln: str) -> bool:
    return len(ln) <= 30 and not re.search(r"[。，；：！？,;:]", ln) and not _starts_element(ln)


# ---- roles ------------------------------------------------------------------------------------
def propose_text(text: str, source: str = "粘贴的文本", encoding: str = "") -> ImportProposal:
    return propose_lines(split_lines(text), source=source, encoding=encoding)


def propose_lines(
    lines: Iterable[str], source: str = "", encoding: str = ""
) -> ImportProposal:
    """Give every paragraph a role. ``lines`` may be raw; they are cleaned here."""
    lines = [x for ln in lines for x in split_lines(ln)]
    first_l1 = next((i for i, ln in enumerate(lines) if _is_l1(ln)), len(lines))
    structured = first_l1 < len(lines)
    floor = first_l1 if structured else 0

    # ---- 版记 and signature: from the closing phrase on ------------------------------------
    body_end, closing_at = len(lines), None
    for i in range(len(lines) - 1, floor - 1, -1):
        if CLOSINGS.match(lines[i]):
            body_end, closing_at = i, i
            break
    if closing_at is None:
        # No closing phrase: peel recognisable 版记 lines off the end.
        while body_end > floor and _is_tail_line(lines[body_end - 1]):
            body_end -= 1
        # An organ name right above the 成文日期 is the signature.
        if (
            body_end < len(lines) and DATE.match(lines[body_end])
            and body_end - 1 > floor and _looks_like_signature(lines[body_end - 1])
        ):
            body_end -= 1
    tail = _tail_blocks(lines[body_end + (closing_at is not None):])

    # ---- 版头 and 主送 ----------------------------------------------------------------------
    head_end = first_l1 if structured else body_end
    head, rest_start = _head_blocks(lines[:head_end], strict=not structured)
    body_lines = lines[rest_start:body_end] if not structured else lines[first_l1:body_end]
    if not structured:
        head = head[: rest_start]

    # Preamble and body paragraphs broken across lines (text copied from a PDF) are joined.
    width = _wrap_width(lines[rest_start if not structured else first_l1 : body_end]
                        + [b.text for b in head if b.role == "preamble"])
    head = _join_role(head, "preamble", width)
    blocks = head + _body_blocks(join_broken_lines(body_lines, width))
    if closing_at is not None:
        blocks.append(Block(lines[closing_at], "closing"))
    blocks += tail

    proposal = ImportProposal(blocks=blocks, source=source, encoding=encoding,
                              structured=structured)
    if not structured and any(b.role in ("body", "section") for b in blocks):
        proposal.messages.append(NO_STRUCTURE_MESSAGE)
    proposal.refresh_messages()
    return proposal


def _head_blocks(head: list[str], strict: bool) -> tuple[list[Block], int]:
    """Roles of the lines before the first part heading. With ``strict`` (no part headings at
    all) the header ends at the first line that is not a header element or the 如下： preamble;
    returns the blocks and where the header ends."""
    blocks: list[Block] = []
    have = set()
    skip_next = False
    for i, ln in enumerate(head):
        if skip_next:
            skip_next = False
            continue
        nxt = head[i + 1] if i + 1 < len(head) else ""
        if "签发人" in ln or DOC_NUMBER.search(ln):
            role = "doc_number"
        elif not have & {"organ_mark", "title"} and ln.endswith("文件") and len(ln) < 40:
            role = "organ_mark"
        elif "title" not in have and "报告" in ln and len(ln) < 80 and not ln.endswith(("：", ":")):
            role = "title"
        elif (
            "title" not in have and ("关于" in ln or nxt.startswith("关于"))
            and "报告" not in ln and len(ln) < 60
            and not _TERMINAL.search(ln) and "报告" in nxt and len(nxt) < 40
            and not nxt.endswith(("：", ":"))
        ):
            # A long title broken over two lines.
            blocks += [Block(ln, "title"), Block(nxt, "title")]
            have.add("title")
            skip_next = True
            continue
        elif (
            not have & {"organ_mark", "title", "recipients", "preamble"} and len(ln) < 40
            and not re.search(r"[，,。；;：:]", ln) and not _TERMINAL.search(ln)
            and any("报告" in later for later in head[i + 1 : i + 4])
        ):
            # An issuing organ's name above the title without "文件" (e.g. a 党工委 line).
            role = "organ_mark"
        elif "recipients" not in have and ln.endswith(("：", ":")) and len(ln) < 80 \
                and "如下" not in ln:
            role = "recipients"
        elif strict and not (ln.endswith(("如下：", "如下:")) and "preamble" not in have):
            return blocks, i
        else:
            role = "preamble"
        blocks.append(Block(ln, role))
        have.add(role)
    return blocks, len(head)


def _join_role(blocks: list[Block], role: str, width: int | None) -> list[Block]:
    out: list[Block] = []
    last = ""
    for b in blocks:
        prev = out[-1] if out else None
        if prev and prev.role == role == b.role and _continues(prev.text, width, last) \
                and not _starts_element(b.text):
            prev.text += b.text
        else:
            out.append(Block(b.text, b.role, b.key))
        last = b.text
    return out


def _body_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    seen: set[str] = set()
    for ln in lines:
        m1 = L1.match(ln) or L1_PART.match(ln)
        if m1:
            key = classify_heading(_heading_text(m1.group(2))[0], seen)
            seen.add(key)
            blocks.append(Block(ln, "part", key))
        elif L2.match(ln):
            blocks.append(Block(ln, "section"))
        else:
            blocks.append(Block(ln, "body"))
    return blocks


def _tail_blocks(tail: list[str]) -> list[Block]:
    blocks: list[Block] = []
    have_signature = False
    for ln in tail:
        if CC_LINE.match(ln):
            role = "cc"
        elif PRINT_LINE.match(ln):
            role = "printer"
        elif DATE.match(ln):
            role = "date"
        elif ln.startswith(("（", "(")) and ("联系人" in ln or "电话" in ln):
            role = "note"
        elif not have_signature:
            role, have_signature = "signature", True
        else:
            role = "unknown"
        blocks.append(Block(ln, role))
    return blocks


# ---- roles → Report ---------------------------------------------------------------------------
def _heading_text(text: str) -> tuple[str, str]:
    """An L1 heading's text and a lead run into the same paragraph ('标题。正文…')."""
    text = text.strip()
    idx = text.find("。")
    if 0 <= idx < len(text) - 1:
        return text[:idx].strip(), text[idx + 1 :].strip()
    return text.rstrip("。"), ""


def _split_title(text: str) -> tuple[str, str, bool]:
    """'标题。正文' → ('标题', '正文', True); a line with no 。 is a title on its own line."""
    idx = text.find("。")
    if idx < 0:
        return text.strip(), "", False
    return text[:idx].strip(), text[idx + 1 :].strip(), True


def build_report(blocks: Iterable[Block], profile: Profile | None = None) -> Report:
    profile = profile or load_profile()
    header = Header(publicity="")
    preamble: list[str] = []
    parts: list[Part] = []
    seen: set[str] = set()
    closing = ""

    def current_part() -> Part:
        if not parts:
            key = "measures" if "measures" not in seen else "theme"
            seen.add(key)
            parts.append(Part(key=key, heading=""))
        return parts[-1]

    for b in blocks:
        ln, role = b.text.strip(), b.role
        if not ln:
            continue
        if role == "organ_mark":
            header.organ_mark += ln
        elif role == "doc_number":
            num, _, signer = ln.partition("签发人")
            if num.strip() or not signer:
                header.set_doc_number(num.strip())
            if signer:
                header.signer = signer.lstrip("：: ").strip()
        elif role == "title":
            header.title += ln
        elif role == "recipients":
            header.recipients = (ln[:-1] if ln.endswith(("：", ":")) else ln) + "："
        elif role == "preamble":
            preamble.append(ln)
        elif role == "part":
            m = L1.match(ln) or L1_PART.match(ln)
            heading, lead = _heading_text(m.group(2) if m else ln)
            key = b.key or classify_heading(heading, seen)
            seen.add(key)
            parts.append(Part(key=key, heading=heading, lead=lead))
        elif role == "section":
            m2 = L2.match(ln)
            title, body, run_in = _split_title(m2["text"] if m2 else ln)
            marker = m2["marker"].replace(" ", "") if m2 else ""
            current_part().sections.append(
                Section(title=title, body=body, run_in=run_in, source_marker=marker)
            )
        elif role == "body":
            part = current_part()
            if part.sections:
                s = part.sections[-1]
                s.body = f"{s.body}\n{ln}" if s.body else ln
            else:
                part.lead = f"{part.lead}\n{ln}" if part.lead else ln
        elif role == "closing":
            closing = ln
        elif role == "signature":
            if not header.signature:
                header.signature = ln
        elif role == "date":
            header.date = re.sub(r"\s+", "", ln)
        elif role == "note":
            header.note = ln
        elif role == "cc":
            header.cc = CC_LINE.sub("", ln).rstrip("。.")
        elif role == "printer":
            m = PRINT_LINE.match(ln)
            if m:
                header.printer = m["printer"]
                header.print_date = re.sub(r"\s+", "", m["date"])
            else:
                header.printer = ln.removesuffix("印发").strip()
        # "unknown": left out, as the proposal told the user.

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
    report.clean()
    return report


def parse_text(text: str, profile: Profile | None = None) -> Report:
    return propose_text(text).to_report(profile)


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
    if m and m.group(1):
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
