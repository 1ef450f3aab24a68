"""Checklist coverage: which items of the profile's checklist the text covers (auto-detection),
combined with the reviewer's ticks (ticked / unticked / stale).

Patterns are matched paragraph by paragraph and the hits of every item are cached per paragraph
text, so a re-check after typing only scans the paragraphs that changed; each scope (Part 1,
Part 2 …) is then gathered and summed once per check, not once per item, which keeps a
re-check cheap even when one section holds a megabyte of pasted text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ..model import Place, Report
from ..model.status import MET, MISSING, STALE, STRONG, TICKED, UNTICKED, WEAK
from ..model.text import sentence_bounds
from ..profile.checklist import GROUP_LABELS, Checklist, ChecklistItem
from .findings import Finding
from .locate import Para, text_at
from .matching import (
    NONE,
    Evidence,
    ParaHit,
    compiled_items,
    match_item,
    normalise,
    quoted_titles,
)

PART1_KEYS = ("measures", "theme")
_STOP_BIGRAMS = frozenset(
    ["工作", "法治", "建设", "政府", "进一", "一步", "加强", "推进", "提升", "部分", "存在", "问题", "不足", "能力", "水平", "有待", "还不", "不够", "仍有", "相对", "较为", "持续", "深化", "全面", "推动", "健全", "完善"]
)


def sentence_around(line: str, start: int, end: int) -> str:
    """The sentence of ``line`` that holds ``start``..``end``, with its closing mark."""
    a, b = sentence_bounds(line, start, max(end - 1, start))
    return line[a:b + 1].strip()


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@dataclass
class ItemResult:
    item: ChecklistItem
    label: str
    severity: str  # for this report's body type
    auto: str  # MET / MISSING
    hits: int
    review: str = UNTICKED  # TICKED / UNTICKED / STALE
    evidence: Place | None = None
    # "weak" when only boilerplate matched: shown as 可能已写到, for a reviewer to confirm
    strength: str = STRONG
    scope_hash: str = ""
    detail: str = ""
    reviewer: str = ""
    ticked_at: str = ""
    note: str = ""

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def group(self) -> str:
        return self.item.group

    @property
    def group_label(self) -> str:
        return GROUP_LABELS.get(self.item.group, self.item.group)

    @property
    def satisfied(self) -> bool:
        """Covered: detected in the text, or confirmed by a reviewer whose tick is current."""
        return self.auto == MET or self.review == TICKED

    def evidence_text(self, report: Report) -> str:
        """The sentence that satisfied the item (what a reviewer reads to confirm it)."""
        if self.evidence is None:
            return ""
        return sentence_around(text_at(report, self.evidence), self.evidence.start,
                               self.evidence.end)

    def to_json(self, report: Report) -> dict[str, Any]:
        evidence = None
        if self.evidence is not None:
            evidence = {**self.evidence.to_json(report), "text": self.evidence_text(report)}
        return {
            "id": self.item.id, "part": self.item.group, "label": self.label,
            "severity": self.severity, "auto": self.auto, "strength": self.strength,
            "review": self.review, "hits": self.hits, "detail": self.detail, "reviewer": self.reviewer,
            "ticked_at": self.ticked_at, "note": self.note, "evidence": evidence,
        }


class ChecklistEvaluator:
    def __init__(self, checklist: Checklist):
        self.checklist = checklist
        self._leader = re.compile(checklist.leader_pattern) if checklist.leader_pattern else None
        self._duty = re.compile(checklist.duty_pattern) if checklist.duty_pattern else None
        # (group, body type, year, paragraph text) → {item id: ParaHit} for the items of the
        # group that match at all (most paragraphs match few items), so a re-check scans only
        # changed paragraphs, and a paragraph only for the items whose scope holds it.
        self._para_hits: dict[tuple[str, str, int, str], dict[str, ParaHit]] = {}

    def item_hits(self, items: list[ChecklistItem], body_type: str, year: int,
                  text: str, group: str = "") -> dict[str, ParaHit]:
        """The matches of ``items`` (the items of ``group``) in one paragraph (cached)."""
        key = (group, body_type, year, text)
        hits = self._para_hits.get(key)
        if hits is None:
            hits = {}
            norm, where = normalise(text)
            titles = quoted_titles(norm)
            for item, patterns in compiled_items(items, body_type, year):
                found = match_item(item, patterns, norm, where, self._leader, titles)
                if found is not None:
                    hits[item.id] = found
            if len(self._para_hits) > 50_000:
                self._para_hits.clear()
            self._para_hits[key] = hits
        return hits

    def _gather(self, items: list[ChecklistItem], report: Report, scope: list[Para],
                duty: set[str], group: str) -> dict[str, tuple[Evidence, Place | None]]:
        """Per item: the summed evidence over the scope and where the best one is. Items about
        a leader's own work count, outside the 第一责任人 scope, only a leader's sentences."""
        leader_items = {i.id for i in items if i.leader}
        out: dict[str, tuple[Evidence, Place | None]] = {}
        for p in scope:
            in_duty = p.part_key == "duty" or p.place.uid in duty
            for item_id, hit in self.item_hits(items, report.body_type, report.year,
                                               p.text, group).items():
                ev = hit.led if item_id in leader_items and not in_duty else hit.any
                if not ev.n:
                    continue
                if p.kind == "title" and ev.strong:
                    # a heading announces the work; the text under it shows it was done
                    ev = Evidence(ev.n, ev.start, ev.end, False)
                total, place = out.get(item_id, (NONE, None))
                if place is None or (ev.strong and not total.strong):
                    place = p.place.with_span(ev.start, ev.end)
                out[item_id] = (total + ev, place)
        return out

    def duty_uids(self, report: Report) -> set[str]:
        """Parts and sections whose heading says they are about the 第一责任人 duty: their text
        is the leader's work without a leader named in every sentence."""
        if self._duty is None:
            return set()
        uids = set()
        for part in report.enabled_parts:
            whole = bool(self._duty.search(part.heading))
            if whole:
                uids.add(part.uid)
            uids.update(s.uid for s in part.sections if whole or self._duty.search(s.title))
        return uids

    # ---- scopes ----------------------------------------------------------------------------
    @staticmethod
    def scope_paras(item: ChecklistItem, report: Report, paras: list[Para]) -> list[Para]:
        body = [p for p in paras if not p.kind.startswith("header.") and p.part_key]
        if item.scope in ("headings_L1", "headings_L1_L2"):
            kinds = ("heading",) if item.scope == "headings_L1" else ("heading", "title")
            # a heading counts once something is written under it (a new report's generated
            # headings are not yet its parts)
            written = _written(report)
            return [p for p in body if p.kind in kinds and p.place.uid in written]
        # content items look at what was written, not at the part headings (which are the
        # profile's defaults: “存在的不足和原因” proves no cause was analysed)
        body = [p for p in body if p.kind != "heading"]
        if item.scope in ("part1", "part3_else_part1"):
            # What was done is told in Part 1 and in the 第一责任人 part alike (many reports
            # put their measures under a “履行第一责任人职责，加强法治政府建设” heading); the
            # items about the leader's own work need a leader outside that part (_gather).
            return [p for p in body if p.part_key in PART1_KEYS or p.part_key == "duty"]
        if item.scope == "part2":
            return [p for p in body if p.part_key == "shortcomings"]
        if item.scope == "part4":
            return [p for p in body if p.part_key == "plan"]
        return []

    def evaluate(self, report: Report, paras: list[Para], ticks: dict[str, Any] | None,
                 year_findings: list[Finding]) -> list[ItemResult]:
        ticks = ticks or {}
        results = []
        body_type = report.body_type
        items = list(self.checklist.for_body_type(body_type))
        text_items = [i for i in items if i.scope != "metadata_field"]
        # One pass per distinct scope: its paragraphs, its text (for tick hashes) and the
        # summed hits of every item, instead of one pass per item.
        scopes: dict[tuple[str, str], tuple[list[Para], str, dict]] = {}
        duty = self.duty_uids(report)
        for item in text_items:
            key = self._scope_key(item)
            if key not in scopes:
                scope = self.scope_paras(item, report, paras)
                text = self._scope_text(item, report, scope)
                group = match_group(item)
                members = [i for i in text_items if match_group(i) == group]
                scopes[key] = (scope, text, self._gather(members, report, scope, duty, group),
                               text_hash(text))
        for item in items:
            if item.scope == "metadata_field":
                auto, hits, detail, scope_text, evidence = self._metadata(item, report,
                                                                          year_findings)
                scope_hash = text_hash(scope_text)
            else:
                info = scopes[self._scope_key(item)]
                auto, hits, detail, scope_text, evidence, strong = self._text_item(
                    item, report, year_findings, info)
                scope_hash = info[3]
            res = ItemResult(item=item, label=item.label_of(body_type),
                             severity=item.severity_of(body_type), auto=auto, hits=hits,
                             evidence=evidence, scope_hash=scope_hash, detail=detail)
            if auto == MET and item.scope != "metadata_field" and not strong:
                res.strength = WEAK
            tick = ticks.get(item.id)
            if tick is not None:
                res.review = TICKED if tick.text_hash == res.scope_hash else STALE
                res.reviewer = tick.reviewer
                res.ticked_at = tick.ticked_at
                res.note = tick.note or ""
            results.append(res)
        return results

    def warm(self, items: list[ChecklistItem], report: Report, para: Para) -> None:
        """Fill the caches for one paragraph (the checker's warm-up between events)."""
        for group in paragraph_groups(para):
            members = [i for i in items if match_group(i) == group]
            if members:
                self.item_hits(members, report.body_type, report.year, para.text, group)

    @staticmethod
    def _scope_key(item: ChecklistItem) -> tuple[str, str]:
        # Structure items hash the outline, others the scope's paragraphs (see _scope_text).
        return item.scope, "structure" if item.group == "structure" else ""

    def scope_text(self, item: ChecklistItem, report: Report, paras: list[Para]) -> str:
        """The text a tick approves (its hash is stored with the tick)."""
        if item.scope == "metadata_field":
            return _template(item, report)
        return self._scope_text(item, report, self.scope_paras(item, report, paras))

    @staticmethod
    def _scope_text(item: ChecklistItem, report: Report, scope: list[Para]) -> str:
        if item.group == "structure":
            keys = "|".join(p.key for p in report.enabled_parts)
            return keys + "\n" + "\n".join(p.heading for p in report.enabled_parts)
        return "\n".join(p.text for p in scope)

    def _text_item(self, item, report, year_findings, scope_info):
        _scope, scope_text, gathered, _hash = scope_info
        found, evidence = gathered.get(item.id, (NONE, None))
        detail = ""
        met = found.n >= max(item.min_hits, 1)
        strong = found.strong
        if item.part_keys:
            # a part counts once something is written in it: a new report's generated
            # headings alone are not the part
            present = [p for p in report.enabled_parts if p.key in item.part_keys
                       and (p.lead.strip() or any(not s.is_empty for s in p.sections))]
            if present:
                met = strong = True
                evidence = evidence or Place("heading", present[0].uid)
        if item.check == "plan_years":
            plan = [p for p in report.enabled_parts if p.key == "plan"]
            plan_places = _part_uids(plan[0]) if plan else set()
            wrong = [f for f in year_findings if f.rule == "ERR-11" and f.severity == "error"
                     and f.place.uid in plan_places]
            # Without a Part 4 there is no year to be wrong: S-04 reports the missing part.
            met = strong = not wrong
            evidence = wrong[0].place if wrong else evidence
            detail = (f"第四部分有{len(wrong)}处年份错误。" if wrong
                      else "" if plan else "没有第四部分（见结构项）。")
        if item.check == "answers_shortcomings" and not met:
            met, detail = _answers(report)
            strong = met
        return (MET if met else MISSING), found.n, detail, scope_text, evidence, strong

    def _metadata(self, item, report, year_findings):
        text = _template(item, report)
        blank = not text.strip() or not _fields_filled(item, report)
        met = not blank and any(re.search(p, text) for p in item.patterns_of(report.body_type))
        detail = ""
        h = report.header
        if met and item.check == "title_year" and str(report.year) not in h.title:
            met, detail = False, f"标题中没有报告年度“{report.year}”。"
        if met and item.check == "doc_number" and h.doc_serial.startswith("0"):
            met, detail = False, "发文字号的括号或序号写法不规范。"
        if met and item.check == "date_deadline":
            bad = [f for f in year_findings if f.place.field == "header.date"]
            if bad:
                met, detail = False, bad[0].message
        if met and item.check == "report_year" and not 1990 <= report.year <= 2100:
            met = False
        loc = Place(f"header.{item.field}") if item.field and item.field != "year" else None
        return (MET if met else MISSING), int(met), detail, text, loc


def _written(report: Report) -> set[str]:
    """Uids of the parts and sections that hold some text beyond their heading."""
    uids = set()
    for part in report.enabled_parts:
        full = [s.uid for s in part.sections if s.body.strip()]
        if part.lead.strip() or full or any(not s.is_empty for s in part.sections):
            uids.add(part.uid)
        uids.update(full)
    return uids


def match_group(item: ChecklistItem) -> str:
    """Items whose scopes hold the same paragraphs are matched together: Part 1 and the
    第一责任人 items read the same text."""
    return "content" if item.scope in ("part1", "part3_else_part1") else item.scope


def paragraph_groups(para: Para) -> tuple[str, ...]:
    """The match groups whose scope can hold ``para``."""
    if para.kind == "heading":
        return ("headings_L1", "headings_L1_L2")
    groups = ("headings_L1_L2",) if para.kind == "title" else ()
    key = para.part_key
    if key in PART1_KEYS or key == "duty":
        return (*groups, "content")
    return (*groups, {"shortcomings": "part2", "plan": "part4"}.get(key, ""))


def _part_uids(part) -> set[str]:
    return {part.uid} | {s.uid for s in part.sections}


def _fields_filled(item: ChecklistItem, report: Report) -> bool:
    names = re.findall(r"\{(\w+)\}", item.template or "")
    values = _values(report)
    return all(str(values.get(n, "")).strip() for n in names)


def _values(report: Report) -> dict[str, Any]:
    h = report.header
    return {
        "title": h.title, "signature": h.signature or report.organ, "doc_number": h.doc_number,
        "signer": h.signer, "recipients": h.recipients, "year": report.year, "date": h.date,
        "publicity": h.publicity, "cc": h.cc, "printer": h.printer, "print_date": h.print_date,
        "note": h.note, "organ_mark": h.organ_mark,
    }


def _template(item: ChecklistItem, report: Report) -> str:
    try:
        return (item.template or "").format(**_values(report))
    except (KeyError, IndexError):
        return ""


def _bigrams(text: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]", " ", text)
    grams = set()
    for chunk in han.split():
        grams.update(chunk[i:i + 2] for i in range(len(chunk) - 1))
    return grams - _STOP_BIGRAMS


def _answers(report: Report) -> tuple[bool, str]:
    """Do the Part-4 arrangements take up the Part-2 shortcomings (by shared key words)?"""
    short = [p for p in report.enabled_parts if p.key == "shortcomings"]
    plan = [p for p in report.enabled_parts if p.key == "plan"]
    if not short or not plan:
        return False, ""
    plan_text = "\n".join([plan[0].lead] + [s.title + s.body for s in plan[0].sections])
    plan_grams = _bigrams(plan_text)
    items = [s.title for s in short[0].sections] or [short[0].lead]
    answered = sum(1 for t in items if len(_bigrams(t) & plan_grams) >= 2)
    ok = items and answered * 2 >= len(items)
    return bool(ok), f"第二部分{len(items)}条不足中有{answered}条在第四部分有对应安排。"
