"""ERR-03: heading and enumeration numbering (spec §3 A).

Part and section numbers are generated from the order, so the L1/L2 check looks at the markers an
imported file had (Section.source_marker). L3 "1." and L4 "（1）" live in the text and are checked
in sequence within their parent; numbering L3 continuously across sections (a real house style)
is accepted. "一是…二是…" enumerations are checked inside each paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Place, PlaceNotFound, Report, Section, chinese_number
from .findings import Finding, Hit

CN_VALUE = {chinese_number(n): n for n in range(1, 100)}
_MARKER = re.compile(r"^(?P<open>[（(])\s*(?P<num>[一二三四五六七八九十]+)\s*(?P<close>[）)])"
                     r"(?P<punct>[、，,.．]*)$")
# A half-width mark before 二是 is ERR-02's finding; the enumeration still runs on (one error,
# one finding), so half-width marks open an item here as full-width ones do.
_ENUM = re.compile(r"(?:^|(?<=[。；，：！？、”）\s,;:!?)]))(?P<n>[一二三四五六七八九十]+)是")
_L3 = re.compile(r"^\s*(?P<n>\d{1,2})\s*(?P<p>[.．、])")
_L4 = re.compile(r"^\s*(?P<o>[（(])(?P<n>\d{1,2})(?P<c>[）)])")


# A paragraph of a body or lead that starts like a part or section heading (一、 / （一）).
_HEADING_LINE = re.compile(r"^\s*(?P<n>[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])"
                           r"\s*")


def section_title(text: str) -> str:
    """The title of a run-in section paragraph: its text up to the first full stop."""
    for mark in "。！？":
        at = text.find(mark)
        if 0 < at <= 60:
            return text[:at].strip()
    return text.strip()[:60]


def make_section(report: Report, place: Place) -> Section | None:
    """Turn the paragraph at ``place`` (a body or lead line starting with 一、 or （一）) and the
    paragraphs after it into a new section right after its own; None if the text changed."""
    try:
        line = place.line(report)
        part, section = place.container(report)
    except PlaceNotFound:
        return None
    m = _HEADING_LINE.match(line)
    if m is None or not line[m.end():].strip():
        return None
    rest = line[m.end():]
    title = section_title(rest)
    after = rest[len(title):].lstrip("。！？ ")
    lines = place.field_text(report).split("\n")
    tail = [after] if after else []
    new = Section(title=title, body="\n".join(tail + lines[place.paragraph + 1:]).strip("\n"))
    kept = "\n".join(lines[:place.paragraph]).rstrip("\n")
    if section is not None:
        section.body = kept
        part.sections.insert(part.sections.index(section) + 1, new)
    else:  # a lead paragraph: the new section comes first in the part
        part.lead = kept
        part.sections.insert(0, new)
    return new


def check_enumeration(text: str) -> list[Hit]:
    """“一是…二是…三是” must run on without gaps or repeats inside a paragraph."""
    if "是" not in text:
        return []
    hits = []
    prev = None
    for m in _ENUM.finditer(text):
        n = CN_VALUE.get(m["n"])
        if n is None:
            continue
        if prev is not None and n != prev + 1 and n != 1:
            want = chinese_number(prev + 1)
            hits.append(Hit(
                "ERR-03", "error", m.start("n"), m.end(),
                f"“{chinese_number(prev)}是”之后应为“{want}是”，此处写成了“{m['n']}是”。",
                f"{want}是",
            ))
        prev = n
    return hits


def check_section_markers(report: Report) -> Iterator[Finding]:
    for pi, part in enumerate(report.enabled_parts, start=1):
        prev_marker = ""
        for si, section in enumerate(part.sections, start=1):
            marker = section.source_marker
            expected = f"（{chinese_number(si)}）"
            if not marker or marker == expected:
                prev_marker = marker or expected
                continue
            m = _MARKER.match(marker)
            problems = []
            if not m:
                problems.append(f"序号“{marker}”格式不对")
            else:
                if m["punct"]:
                    problems.append("带括号的序次语后面不加标点（GB/T 15834—2011 附录B）")
                if m["open"] != "（" or m["close"] != "）":
                    problems.append("序号应使用全角括号“（）”")
                n = CN_VALUE.get(m["num"])
                if n != si:
                    if prev_marker and si > 1:
                        problems.append(f"序号不连续：前一项为“{prev_marker}”，此处应为“{expected}”")
                    else:
                        problems.append(f"序号不连续：此处应为“{expected}”")
            prev_marker = marker
            # The import took the number off and the export numbers the sections itself: what
            # the old file got wrong is told (参考), not counted as an error of this draft.
            yield Finding(
                rule="ERR-03", severity="info",
                place=Place("title", section.uid),
                text=marker,
                message="原文件中的序号“" + marker + "”：" + "；".join(problems)
                + "。导入时已去掉，导出时按顺序编号为“" + expected + "”。",
                suggestion=expected, fix="marker",
            )


def _containers(report: Report):
    """(part index, field, uid, lines) for every block of lines: a part's lead, a section's
    body."""
    for pi, part in enumerate(report.enabled_parts, start=1):
        if part.lead:
            yield pi, "lead", part.uid, part.lead.split("\n")
        for section in part.sections:
            if section.body:
                yield pi, "body", section.uid, section.body.split("\n")


def check_outline(report: Report) -> Iterator[Finding]:
    last_l3_in_part: dict[int, int] = {}
    for pi, field, uid, lines in _containers(report):
        l3 = None  # last L3 number in this container
        l4 = None
        first_l3 = True
        for k, line in enumerate(lines):
            loc = Place(field, uid, k)
            heading = _HEADING_LINE.match(line)
            if heading and line[heading.end():].strip():
                title = section_title(line[heading.end():])
                yield Finding(
                    "ERR-03", "warning", loc.with_span(heading.start("n"), heading.end("n")),
                    heading["n"],
                    f"这一段以“{heading['n']}”开头，像是一节的标题。一、（一）等序号由程序生成："
                    f"可以把它改为新的一节“{title}”。", title, fix="section")
                continue
            m3 = _L3.match(line)
            if m3 and not re.match(r"^\s*\d{1,2}\s*[.．]\d", line):
                n = int(m3["n"])
                if first_l3:
                    ok = n == 1 or n == last_l3_in_part.get(pi, 0) + 1
                    want = 1
                else:
                    ok = n == l3 + 1
                    want = l3 + 1
                if not ok:
                    yield Finding(
                        "ERR-03", "error", loc.with_span(m3.start("n"), m3.end("n")), m3["n"],
                        f"三级标题序号不连续：此处应为“{want}.”，写成了“{m3['n']}{m3['p']}”。",
                        str(want),
                    )
                l3, l4, first_l3 = n, None, False
                last_l3_in_part[pi] = n
                continue
            m4 = _L4.match(line)
            if m4:
                n = int(m4["n"])
                want = 1 if l4 is None else l4 + 1
                if n != want:
                    yield Finding(
                        "ERR-03", "error", loc.with_span(m4.start("n"), m4.end("n")), m4["n"],
                        f"四级标题序号不连续：此处应为“（{want}）”，写成了“{m4.group(0).strip()}”。",
                        str(want),
                    )
                l4 = n
