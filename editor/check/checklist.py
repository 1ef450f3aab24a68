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

from ..model import Report
from ..profile.checklist import GROUP_LABELS, Checklist, ChecklistItem
from .findings import Finding, Location
from .locate import Para

PART1_KEYS = ("measures", "theme")
_STOP_BIGRAMS = frozenset(
    ["工作", "法治", "建设", "政府", "进一", "一步", "加强", "推进", "提升", "部分", "存在", "问题", "不足", "能力", "水平", "有待", "还不", "不够", "仍有", "相对", "较为", "持续", "深化", "全面", "推动", "健全", "完善"]
)


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@dataclass
class ItemResult:
    item: ChecklistItem
    label: str
    severity: str  # for this report's body type
    auto: str  # met / missing
    hits: int
    review: str = "unticked"  # ticked / unticked / stale
    evidence: Location | None = None
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
        return self.auto == "met" or self.review == "ticked"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.item.id, "part": self.item.group, "label": self.label,
            "severity": self.severity, "auto": self.auto, "review": self.review,
            "hits": self.hits, "detail": self.detail, "reviewer": self.reviewer,
            "ticked_at": self.ticked_at, "note": self.note,
            "evidence": self.evidence.to_json() if self.evidence else None,
        }


class ChecklistEvaluator:
    def __init__(self, checklist: Checklist):
        self.checklist = checklist
        self._compiled: dict[tuple[str, str], tuple[re.Pattern, ...]] = {}
        self._cache: dict[tuple[str, str, str], tuple[int, int, int]] = {}
        # (body type, paragraph text) → {item id: (matches, first start, first end)} for the
        # items with at least one match (most paragraphs match few items).
        self._para_hits: dict[tuple[str, str], dict[str, tuple[int, int, int]]] = {}

    def _patterns(self, item: ChecklistItem, body_type: str) -> tuple[re.Pattern, ...]:
        key = (item.id, body_type)
        if key not in self._compiled:
            self._compiled[key] = tuple(re.compile(p) for p in item.patterns_of(body_type))
        return self._compiled[key]

    def _count(self, item: ChecklistItem, body_type: str, text: str) -> tuple[int, int, int]:
        """(matches, first start, first end) of the item's patterns in one paragraph."""
        key = (item.id, body_type, text)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = result = self._match(item, body_type, text)
        return result

    def _match(self, item: ChecklistItem, body_type: str, text: str) -> tuple[int, int, int]:
        n, first = 0, (-1, -1)
        for pattern in self._patterns(item, body_type):
            if item.min_hits <= 1:
                m = pattern.search(text)
                if m:
                    n, first = 1, (m.start(), m.end())
                    break
            else:
                for m in pattern.finditer(text):
                    if n == 0:
                        first = (m.start(), m.end())
                    n += 1
        return (n, *first)

    def item_hits(self, items: list[ChecklistItem], body_type: str,
                  text: str) -> dict[str, tuple[int, int, int]]:
        """The matches of ``items`` in one paragraph (cached by its text): item id →
        (matches, first start, first end), for the items that match at all."""
        key = (body_type, text)
        hits = self._para_hits.get(key)
        if hits is None:
            hits = {}
            for item in items:
                found = self._match(item, body_type, text)
                if found[0]:
                    hits[item.id] = found
            if len(self._para_hits) > 50_000:
                self._para_hits.clear()
            self._para_hits[key] = hits
        return hits

    def _gather(self, items: list[ChecklistItem], body_type: str,
                scope: list[Para]) -> dict[str, tuple[int, Location | None]]:
        """Per item: total matches over the scope and where the first one is."""
        out: dict[str, list] = {}
        for p in scope:
            for item_id, (n, a, b) in self.item_hits(items, body_type, p.text).items():
                acc = out.get(item_id)
                if acc is None:
                    out[item_id] = [n, p.location.with_span(a, b)]
                else:
                    acc[0] += n
        return {k: (v[0], v[1]) for k, v in out.items()}

    # ---- scopes ----------------------------------------------------------------------------
    @staticmethod
    def scope_paras(item: ChecklistItem, report: Report, paras: list[Para]) -> list[Para]:
        body = [p for p in paras if not p.kind.startswith("header.") and p.part_key]
        if item.scope in ("headings_L1", "headings_L1_L2"):
            kinds = ("heading",) if item.scope == "headings_L1" else ("heading", "title")
            return [p for p in body if p.kind in kinds]
        # content items look at what was written, not at the part headings (which are the
        # profile's defaults: “存在的不足和原因” proves no cause was analysed)
        body = [p for p in body if p.kind != "heading"]
        if item.scope == "part1":
            return [p for p in body if p.part_key in PART1_KEYS]
        if item.scope == "part2":
            return [p for p in body if p.part_key == "shortcomings"]
        if item.scope == "part4":
            return [p for p in body if p.part_key == "plan"]
        if item.scope == "part3_else_part1":
            duty = [p for p in body if p.part_key == "duty"]
            return duty or [p for p in body if p.part_key in PART1_KEYS]
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
        for item in text_items:
            key = self._scope_key(item)
            if key not in scopes:
                scope = self.scope_paras(item, report, paras)
                text = self._scope_text(item, report, scope)
                scopes[key] = (scope, text, self._gather(text_items, body_type, scope),
                               text_hash(text))
        for item in items:
            if item.scope == "metadata_field":
                auto, hits, detail, scope_text, evidence = self._metadata(item, report,
                                                                          year_findings)
                scope_hash = text_hash(scope_text)
            else:
                info = scopes[self._scope_key(item)]
                auto, hits, detail, scope_text, evidence = self._text_item(
                    item, report, paras, year_findings, info)
                scope_hash = info[3]
            res = ItemResult(item=item, label=item.label_of(body_type),
                             severity=item.severity_of(body_type), auto=auto, hits=hits,
                             evidence=evidence, scope_hash=scope_hash, detail=detail)
            tick = ticks.get(item.id)
            if tick is not None:
                res.review = "ticked" if tick.text_hash == res.scope_hash else "stale"
                res.reviewer = tick.reviewer
                res.ticked_at = tick.ticked_at
                res.note = tick.note or ""
            results.append(res)
        return results

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

    def _text_item(self, item, report, paras, year_findings, scope_info):
        _scope, scope_text, gathered, _hash = scope_info
        body_type = report.body_type
        total, evidence = gathered.get(item.id, (0, None))
        detail = ""
        met = total >= max(item.min_hits, 1)
        if item.part_keys:
            present = [p for p in report.enabled_parts if p.key in item.part_keys]
            if present:
                met = True
                pi = report.enabled_parts.index(present[0]) + 1
                evidence = evidence or Location("heading", part=pi)
            if item.check == "duty_anywhere" and not met:
                duty = [p for p in paras if p.part_key in PART1_KEYS and p.kind == "prose"]
                p301 = self.checklist.item("P3-01")
                if p301 is not None:
                    for p in duty:
                        n, a, b = self._count(p301, body_type, p.text)
                        if n:
                            met, evidence = True, p.location.with_span(a, b)
                            detail = "第一责任人职责情况写在第一部分中。"
                            break
        if item.check == "plan_years":
            plan = [p for p in report.enabled_parts if p.key == "plan"]
            wrong = [f for f in year_findings if f.rule == "ERR-11" and f.severity == "error"
                     and f.location.part is not None
                     and report.enabled_parts[f.location.part - 1].key == "plan"]
            met = bool(plan) and not wrong
            evidence = wrong[0].location if wrong else evidence
            detail = f"第四部分有{len(wrong)}处年份错误。" if wrong else ""
        if item.check == "answers_shortcomings" and not met:
            met, detail = _answers(report)
        return ("met" if met else "missing"), total, detail, scope_text, evidence

    def _metadata(self, item, report, year_findings):
        text = _template(item, report)
        blank = not text.strip() or not _fields_filled(item, report)
        met = not blank and any(p.search(text) for p in self._patterns(item, report.body_type))
        detail = ""
        h = report.header
        if met and item.check == "title_year" and str(report.year) not in h.title:
            met, detail = False, f"标题中没有报告年度“{report.year}”。"
        if met and item.check == "doc_number" and (h.source_doc_number or
                                                    h.doc_serial.startswith("0")):
            met, detail = False, "发文字号的括号或序号写法不规范。"
        if met and item.check == "date_deadline":
            bad = [f for f in year_findings if f.location.field == "header.date"]
            if bad:
                met, detail = False, bad[0].message
        if met and item.check == "report_year" and not 1990 <= report.year <= 2100:
            met = False
        loc = Location(f"header.{item.field}") if item.field and item.field != "year" else None
        return ("met" if met else "missing"), int(met), detail, text, loc


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
