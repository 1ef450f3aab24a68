"""Roles → :class:`~editor.model.Report`: the second half of an import, run on the blocks as the
user left them in the proposal."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Header, Part, Report, Section
from ..profile import Profile, load_profile
from .proposal import Block
from .shapes import (
    CC_LINE,
    DATE,
    L1,
    L1_PART,
    L2,
    PRINT_LINE,
    YEAR,
    classify_heading,
    doc_number_line,
    strip_doc_label,
)


def heading_text(text: str) -> tuple[str, str]:
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
            _set_doc_number(header, ln)
        elif role == "title":
            header.title += ln
        elif role == "recipients":
            header.recipients = (ln[:-1] if ln.endswith(("：", ":")) else ln) + "："
        elif role == "preamble":
            preamble.append(ln)
        elif role == "part":
            m = L1.match(ln) or L1_PART.match(ln)
            heading, lead = heading_text(m.group(2) if m else ln)
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
        # "unknown" and "ignored": left out, as the proposal told the user.

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


def _set_doc_number(header: Header, line: str) -> None:
    found = doc_number_line(line)
    if found is None:
        # The user chose this role for a line of another shape: take it as typed, minus a label.
        num, _, signer = strip_doc_label(line).partition("签发人")
        found = (num.strip(), signer.lstrip("：: ").strip())
    num, signer = found
    if num or not signer:
        header.set_doc_number(num)
    if signer:
        header.signer = signer


def _organ_from_mark(mark: str) -> str:
    return mark.removesuffix("文件")


# A cited document's own years ("《……纲要（2023—2027年）》") say nothing of the report's year.
_CITED_TITLE = re.compile(r"《[^《》]*》")


def _report_year(header: Header, preamble: list[str], parts: list[Part]) -> int:
    for text in [header.title, *preamble[:1], *(p.heading for p in parts[:1])]:
        m = YEAR.search(_CITED_TITLE.sub("", text or ""))
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
