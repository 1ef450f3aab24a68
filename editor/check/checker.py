"""The checker: proofreading findings + checklist coverage, incrementally.

Paragraph-level results are cached by (rule-set version, kind of text, report year, paragraph
text), so after a keystroke only the changed paragraph is proofread again; the cross-paragraph
checks (numbering, years, 发文字号, checklist coverage from cached per-paragraph counts) are cheap.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Place, PlaceNotFound, Report, document_order
from ..model.status import ERROR, MET, OUTDATED, REQUIRED, STALE, TICKED, WARNING
from ..profile.checklist import Checklist, load_checklist
from . import arithmetic, duplicates, formulations, numbering, rules_regex, years
from .checklist import ChecklistEvaluator, ItemResult
from .findings import SEVERITY_ORDER, Finding, Hit
from .locate import Para, iter_paragraphs, set_text_at, text_at
from .rules import RuleSet, load_rules

CONTEXT = 8  # characters either side of a span that identify an ignored finding
_HEADER_PROSE = ("header.title", "header.recipients", "header.note", "header.signature",
                 "header.cc", "header.organ_mark")


def paragraph_hits(text: str, kind: str, year: int, rules: RuleSet) -> list[Hit]:
    """Every single-paragraph check for one piece of text of the given kind."""
    if not text.strip():
        return []
    hits = rules_regex.check_regex(text, kind, year, rules)
    if kind.startswith("header."):
        if kind in _HEADER_PROSE:
            hits += rules_regex.check_halfwidth(text, rules)
            hits += rules_regex.check_pairs(text, rules)
        if kind in ("header.date", "header.print_date"):
            hits += rules_regex.check_dates(text)
        return hits
    hits += rules_regex.check_halfwidth(text, rules)
    hits += rules_regex.check_pairs(text, rules)
    hits += rules_regex.check_titles(text, rules)
    hits += formulations.check_formulations(text, rules)
    hits += duplicates.check_duplicates(text, rules)
    if kind == "closing":
        return hits
    hits += rules_regex.check_de_di_de(text, rules)
    hits += rules_regex.check_dates(text)
    if kind == "prose":
        hits += rules_regex.check_numerals(text, rules)
        hits += arithmetic.check_arithmetic(text, rules)
        hits += numbering.check_enumeration(text)
    return _dedupe(hits)


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One finding per span and rule; a span inside a longer one of the same rule goes."""
    out: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if any(o.rule == h.rule and o.start <= h.start and h.end <= o.end and o != h
               for o in out):
            continue
        if h not in out:
            out.append(h)
    return out


def with_context(finding: Finding, paragraph: str) -> Finding:
    loc = finding.place
    finding.context = (paragraph[max(0, loc.start - CONTEXT):loc.start],
                       paragraph[loc.end:loc.end + CONTEXT])
    return finding


@dataclass
class CheckResult:
    findings: list[Finding]  # open findings (ignored ones removed), in document order
    checklist: list[ItemResult]
    ignored: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def unmet_required(self) -> list[ItemResult]:
        return [r for r in self.checklist if r.severity == REQUIRED and not r.satisfied]

    @property
    def to_confirm(self) -> list[ItemResult]:
        """待确认: required items not covered, and ticks made stale by later edits."""
        return [r for r in self.checklist
                if (r.severity == REQUIRED and not r.satisfied) or r.review == STALE]

    def summary(self) -> dict[str, Any]:
        counts = {s: 0 for s in SEVERITY_ORDER}
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        met = sum(1 for r in self.checklist if r.auto == MET)
        required = [r for r in self.checklist if r.severity == REQUIRED]
        return {
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
            "ignored": len(self.ignored),
            "checklist_items": len(self.checklist),
            "checklist_met": met,
            "required_items": len(required),
            "required_unmet": len(self.unmet_required),
            "ticked": sum(1 for r in self.checklist if r.review == TICKED),
            "stale": sum(1 for r in self.checklist if r.review == STALE),
            "to_confirm": len(self.to_confirm),
            "text": self.status_text(),
        }

    def status_text(self) -> str:
        """For the status bar, e.g. “3 处错误 · 5 项待确认”."""
        parts = [f"{len(self.errors)} 处错误"]
        if self.warnings:
            parts.append(f"{len(self.warnings)} 处提示")
        parts.append(f"{len(self.to_confirm)} 项待确认")
        return " · ".join(parts)

    def to_json(self, report: Report) -> dict[str, Any]:
        return {
            "findings": [f.to_json(report) for f in self.findings],
            "checklist": [r.to_json(report) for r in self.checklist],
            "summary": self.summary(),
        }


@dataclass
class ExportGate:
    """What the export confirmation dialog shows: open errors, unmet required items, text still
    carried over from last year's report (待更新) and empty sections (left out of the file)."""

    errors: list[Finding]
    unmet: list[ItemResult]
    outdated: list[Place] = field(default_factory=list)
    empty: list[Place] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unmet and not self.outdated and not self.empty

    def message(self) -> str:
        if self.ok:
            return "检查通过：没有错误，必备内容齐全。"
        lines = []
        if self.errors:
            lines.append(f"还有 {len(self.errors)} 处错误未改正：")
            lines += [f"  · {f.message}（“{f.text}”）" for f in self.errors[:10]]
            if len(self.errors) > 10:
                lines.append(f"  · ……另有 {len(self.errors) - 10} 处")
        if self.unmet:
            lines.append(f"还有 {len(self.unmet)} 项必备内容未写或未确认：")
            lines += [f"  · {r.id} {r.label}" for r in self.unmet]
        if self.outdated:
            lines.append(f"还有 {len(self.outdated)} 处沿用上一年度的文字没有更新（待更新）。")
        if self.empty:
            lines.append(f"有 {len(self.empty)} 节没有内容，导出时不会出现。")
        lines.append("仍要导出吗？")
        return "\n".join(lines)


def carried_over(report: Report) -> list[Place]:
    """The texts a new report took from last year's and nobody has rewritten yet."""
    out = [Place("preamble")] if report.preamble_status == OUTDATED else []
    for part in report.enabled_parts:
        if part.lead_status == OUTDATED:
            out.append(Place("lead", part.uid))
        out += [Place("title", s.uid) for s in part.sections if s.status == OUTDATED]
    return out


def empty_sections(report: Report) -> list[Place]:
    return [Place("title", s.uid) for p in report.enabled_parts for s in p.sections if s.is_empty]


def export_gate(result: CheckResult, report: Report | None = None) -> ExportGate:
    if report is None:
        return ExportGate(errors=result.errors, unmet=result.unmet_required)
    return ExportGate(errors=result.errors, unmet=result.unmet_required,
                      outdated=carried_over(report), empty=empty_sections(report))


class Checker:
    """Check a report; keep one per open report and call check() after every edit."""

    def __init__(self, rules: RuleSet | None = None, checklist: Checklist | None = None,
                 profile: str = "fazhi_zhengfu"):
        self.rules = rules or load_rules()
        self.checklist = checklist if checklist is not None else load_checklist(profile)
        self.evaluator = ChecklistEvaluator(self.checklist)
        self._cache: dict[tuple[str, int, str], tuple[Hit, ...]] = {}
        self.paragraphs_checked = 0  # paragraphs proofread by the last check (not from cache)
        self._warm_job = None  # (report, generator) of an unfinished warm()
        self._warm_budget = 0.015

    def _hits(self, para: Para, year: int) -> tuple[Hit, ...]:
        key = (para.kind, year, para.text)
        hits = self._cache.get(key)
        if hits is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            hits = tuple(paragraph_hits(para.text, para.kind, year, self.rules))
            self._cache[key] = hits
            self.paragraphs_checked += 1
        return hits

    def warm(self, report: Report, budget: float = 0.015) -> bool:
        """Fill the per-paragraph caches for at most ``budget`` seconds; True once every
        paragraph is cached, so that check() is quick. A window calls this between events
        after a big paste (a megabyte of new text takes about a second to proofread), so the
        work is spread out instead of freezing the window once. Successive calls on the same
        report resume where the last one stopped."""
        self._warm_budget = budget
        if self._warm_job is None or self._warm_job[0] is not report:
            self._warm_job = (report, self._warm_steps(report))
        try:
            next(self._warm_job[1])
            return False
        except StopIteration:
            self._warm_job = None
            return True

    def _warm_steps(self, report: Report):
        items = [i for i in self.checklist.for_body_type(report.body_type)
                 if i.scope != "metadata_field"]
        deadline = time.perf_counter() + self._warm_budget
        for para in list(iter_paragraphs(report)):
            if (para.kind, report.year, para.text) in self._cache:
                continue
            self._hits(para, report.year)
            self.evaluator.warm(items, report, para)
            if time.perf_counter() > deadline:
                yield
                deadline = time.perf_counter() + self._warm_budget

    def proofread(self, report: Report, paras: list[Para] | None = None) -> list[Finding]:
        paras = paras if paras is not None else list(iter_paragraphs(report))
        self.paragraphs_checked = 0
        findings: list[Finding] = []
        for para in paras:
            for h in self._hits(para, report.year):
                loc = para.place.with_span(h.start, h.end)
                findings.append(Finding(
                    rule=h.rule, severity=h.severity, place=loc,
                    text=para.text[h.start:h.end], message=h.message, suggestion=h.suggestion,
                    fix=h.fix,
                    context=(para.text[max(0, h.start - CONTEXT):h.start],
                             para.text[h.end:h.end + CONTEXT]),
                ))
        return findings

    def cross_findings(self, report: Report) -> list[Finding]:
        out = list(numbering.check_section_markers(report))
        out += numbering.check_outline(report)
        out += years.check_years(report, self.rules, self.checklist.deadline)
        out += years.check_doc_number(report)
        for f in out:
            with_context(f, text_at(report, f.place))
        return out

    def check(self, report: Report, ignored: Iterable[str] = (),
              ticks: dict[str, Any] | None = None) -> CheckResult:
        paras = list(iter_paragraphs(report))
        cross = self.cross_findings(report)
        findings = self.proofread(report, paras) + cross
        year_findings = [f for f in cross if f.rule == "ERR-11"]
        checklist = self.evaluator.evaluate(report, paras, ticks, year_findings)
        ignored = set(ignored)
        open_, dismissed = [], []
        order = document_order(report)
        for f in sorted(findings, key=lambda f: f.sort_key(order)):
            (dismissed if f.ignored_by(ignored) else open_).append(f)
        return CheckResult(findings=open_, checklist=checklist, ignored=dismissed)

    def scope_hash(self, report: Report, item_id: str) -> str:
        """Hash of the text a tick on ``item_id`` approves now."""
        from .checklist import text_hash

        item = self.checklist.item(item_id)
        if item is None:
            raise KeyError(item_id)
        return text_hash(self.evaluator.scope_text(item, report, list(iter_paragraphs(report))))


def apply_fixes(report: Report, findings: list[Finding]) -> int:
    """Apply several text fixes; returns how many were made. Later spans of a line go first, so
    the offsets of the earlier ones still hold."""
    ordered = sorted(findings, key=lambda f: (f.place.field, f.place.uid, f.place.paragraph,
                                              f.place.start), reverse=True)
    return sum(1 for f in ordered if apply_fix(report, f))


def apply_fix(report: Report, finding: Finding) -> bool:
    """Apply the suggested fix of ``finding`` to ``report``. False if there is none, or the text
    has changed since the check (then check again)."""
    if finding.suggestion is None:
        return False
    loc = finding.place
    if finding.fix == "marker":
        from .locate import section_at

        section = section_at(report, loc)
        if section is None or section.source_marker != finding.text:
            return False
        section.source_marker = ""
        return True
    if finding.fix == "section":
        from .numbering import make_section

        return make_section(report, loc) is not None
    if finding.fix == "doc_number":
        h = report.header
        if h.source_doc_number != finding.text:
            return False
        h.set_doc_number(finding.suggestion)
        h.source_doc_number = ""
        return True
    try:
        paragraph = loc.line(report)
    except PlaceNotFound:
        return False
    if paragraph[loc.start:loc.end] != finding.text:
        return False
    set_text_at(report, loc,
                paragraph[:loc.start] + finding.suggestion + paragraph[loc.end:])
    return True
