"""审阅版: a copy of the report (the plain variant) in which every proofreading finding and every
required checklist item not yet written is a Word comment (批注) anchored at its text.

Comments are written by python-docx (≥ 1.2: ``Document.add_comment``), the comments part Word and
WPS read (word/comments.xml with w:commentRangeStart/End and a w:commentReference run).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.ns import qn
from docx.text.run import Run as DocxRun

from ..model import Report, part_number

AUTHOR = "法治政府建设年度报告编辑器"
INITIALS = "审"
SEVERITY = {"error": "错误", "warning": "提示", "info": "信息"}
HEADER_NAMES = {"title": "标题", "doc_number": "发文字号", "signer": "签发人", "recipients": "主送机关",
                "signature": "署名", "date": "成文日期", "cc": "抄送", "printer": "印发机关",
                "print_date": "印发日期", "note": "附注", "organ_mark": "发文机关标志"}


@dataclass
class AnnotateResult:
    path: Path
    comments: int
    findings: int
    missing_items: int


def _split_run(run: DocxRun, k: int) -> DocxRun:
    """Split ``run`` (one w:t) before character ``k``; returns the new right-hand run."""
    r = run._r
    new = copy.deepcopy(r)
    r.addnext(new)
    text = run.text
    for el in list(r):
        if el.tag != qn("w:rPr"):
            r.remove(el)
    for el in list(new):
        if el.tag != qn("w:rPr"):
            new.remove(el)
    run._r.append(_t(text[:k]))
    new.append(_t(text[k:]))
    return DocxRun(new, run._parent)


def _t(text: str):
    from docx.oxml import OxmlElement

    t = OxmlElement("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    return t


def _simple(run: DocxRun) -> bool:
    kids = [el.tag for el in run._r if el.tag != qn("w:rPr")]
    return kids == [qn("w:t")]


def span_runs(paragraph, start: int, end: int) -> list[DocxRun]:
    """The runs covering characters [start, end) of ``paragraph.text``, split so that they cover
    exactly that span where the runs are plain text (else the whole runs touched)."""
    pos, out = 0, []
    runs = list(paragraph.runs)
    i = 0
    while i < len(runs):
        run = runs[i]
        n = len(run.text)
        a, b = pos, pos + n
        if b <= start or a >= end or n == 0:
            pos = b
            i += 1
            continue
        if _simple(run) and a < start < b:
            right = _split_run(run, start - a)
            runs.insert(i + 1, right)
            pos = start
            i += 1
            continue
        if _simple(run) and a < end < b:
            _split_run(run, end - a)
            out.append(run)
            break
        out.append(run)
        pos = b
        i += 1
    return out


def _find(paragraphs, needle: str, before: str = "", after: str = ""):
    """(paragraph, start, end) of ``needle`` (with its context when that matches), or None."""
    if not needle:
        return None
    for ctx in ((before, after), (before, ""), ("", after), ("", "")):
        probe = ctx[0] + needle + ctx[1]
        for p in paragraphs:
            k = p.text.find(probe)
            if k >= 0:
                start = k + len(ctx[0])
                return p, start, start + len(needle)
    return None


def _finding_text(f) -> str:
    text = f"[{SEVERITY.get(f.severity, f.severity)}] {f.message}"
    if f.suggestion:
        text += f" 建议改为“{f.suggestion}”。"
    return text


def annotate_report(report: Report, result, path: str | Path, layout=None) -> AnnotateResult:
    """Write the 审阅版 of ``report`` with the findings and checklist of ``result`` (a
    :class:`editor.check.CheckResult`) to ``path``."""
    from . import _atomic_write, _layout, build_document

    lay = _layout(layout)
    doc, _, _ = build_document(report, "plain", lay)
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    title_para = paragraphs[0] if paragraphs else doc.paragraphs[0]
    if not title_para.runs:
        title_para.add_run("")

    def whole(p) -> list[DocxRun]:
        return [r for r in p.runs if r.text] or list(p.runs)

    count = 0
    findings = list(result.findings)
    for f in findings:
        text = _finding_text(f)
        header = f.place.header_name if f.place.field.startswith("header.") else ""
        hit = _find(paragraphs, f.text, *getattr(f, "context", ("", "")))
        before, after = getattr(f, "context", ("", ""))
        if hit is None and f.text and (before or after):
            # The flagged text itself is not in the export (an imported number the program
            # replaces): anchor at the text around it, saying what was flagged.
            near = _find(paragraphs, after[:8]) if after else _find(paragraphs, before[-8:])
            if near is not None:
                hit = near
                text = f"“{f.text}”：{text}"
        if hit is None and header == "title":
            hit = (title_para, 0, len(title_para.text))
        if hit is None:
            # Not in the public text (发文字号, 抄送 … are in the 版头/版记 only), or the span
            # could not be found: on the title, saying where.
            where = HEADER_NAMES.get(header, "") or f.place.describe(report)
            shown = f"“{f.text}”" if f.text else ""
            runs = whole(title_para)
            text = f"（{where}{shown}）{text}"
        else:
            p, a, b = hit
            runs = span_runs(p, a, b) or whole(p)
        doc.add_comment(runs, text=text, author=AUTHOR, initials=INITIALS)
        count += 1
    missing = [r for r in result.checklist if r.severity == "required" and r.auto != "met"
               and r.review != "ticked"]
    parts = report.enabled_parts
    for r in missing:
        anchor = title_para
        m = re.fullmatch(r"part(\d+)", r.item.group or "")
        if m:
            index = int(m.group(1)) - 1
            part = report.parts[index] if index < len(report.parts) else None
            if part is not None and part in parts:
                head = part_number(parts.index(part)) + (part.heading.strip() or "")
                anchor = next((p for p in paragraphs if p.text.startswith(head)), title_para)
        doc.add_comment(whole(anchor), text=f"[必查项未写] {r.group_label}：{r.label}",
                        author=AUTHOR, initials=INITIALS)
        count += 1
    path = Path(path)
    _atomic_write(path, doc.save)
    return AnnotateResult(path, count, len(findings), len(missing))


__all__ = ["AUTHOR", "AnnotateResult", "annotate_report", "span_runs"]
