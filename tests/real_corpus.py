"""The real-text corpus (tests/data/real, see its README) and how the checker measures on it.

Shared by tests/test_check_real.py (which asserts the targets) and benchmarks/check_real.py
(which prints the figures). A labelled error counts as found when a finding's span overlaps it;
a finding that overlaps no labelled error (true or planted) is a false finding.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from check_helpers import found, key_spans

from editor.check.checker import Checker
from editor.check.locate import iter_paragraphs
from editor.ingest import parse_text
from editor.model import Report

REAL = Path(__file__).parent / "data" / "real"
HEADER_KEYS = {"来源": "source", "单位": "organ", "类型": "body_type", "年度": "year",
               "省份": "province", "范围": "scope", "说明": "note"}
SHOWN = ("error", "warning")  # what the user sees marked in the text; info is a quiet hint


@dataclass
class CorpusFile:
    path: Path
    meta: dict[str, str]
    text: str  # the whole file, header lines included (key lines count them)
    errors: list[dict]  # true errors, or planted ones for a planted copy
    checklist: dict[str, str] = field(default_factory=dict)
    true_errors: list[dict] = field(default_factory=list)  # of the planted copy's original

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def header_lines(self) -> int:
        return sum(1 for line in self.text.split("\n") if line.startswith("# "))

    @property
    def body(self) -> str:
        """The text as a user would paste it: header lines blanked (line numbers kept)."""
        return "\n".join("" if line.startswith("# ") else line
                         for line in self.text.split("\n"))

    @property
    def chars(self) -> int:
        return sum(len(line) for line in self.body.split("\n"))

    def report(self) -> Report:
        report = parse_text(self.body)
        # The year and the kind of body are what the user confirms when importing.
        if self.meta.get("year", "").isdigit():
            report.year = int(self.meta["year"])
        if self.meta.get("body_type"):
            report.body_type = self.meta["body_type"]
        return report


def _meta(text: str) -> dict[str, str]:
    meta = {}
    for line in text.split("\n"):
        if not line.startswith("# "):
            continue
        key, _, value = line[2:].partition("：")
        if key in HEADER_KEYS:
            meta[HEADER_KEYS[key]] = value.strip()
    return meta


def _load(path: Path, key_path: Path, planted: bool = False) -> CorpusFile:
    text = path.read_text(encoding="utf-8")
    data = json.loads(key_path.read_text(encoding="utf-8")) if key_path.exists() else {}
    if planted:
        original = REAL / (path.stem.removesuffix("-planted") + ".labels.json")
        true = json.loads(original.read_text(encoding="utf-8"))["errors"] \
            if original.exists() else []
        return CorpusFile(path, _meta(text), text, list(data), true_errors=true)
    return CorpusFile(path, _meta(text), text, data.get("errors", []),
                      data.get("checklist", {}))


def real_files() -> list[CorpusFile]:
    """Real report texts with their labels (true errors, checklist verdicts)."""
    return [_load(p, p.with_suffix(".labels.json")) for p in sorted(REAL.glob("*.txt"))]


def variant_files() -> list[CorpusFile]:
    """The samples rewritten the way other places word things (checklist agreement)."""
    folder = REAL / "variants"
    return [_load(p, p.with_suffix(".labels.json")) for p in sorted(folder.glob("*.txt"))]


def planted_files() -> list[CorpusFile]:
    folder = REAL / "planted"
    return [_load(p, p.with_suffix(".json"), planted=True)
            for p in sorted(folder.glob("*-planted.txt"))]


# ---- measuring ------------------------------------------------------------------------------
@dataclass
class Measure:
    chars: int = 0
    false: list[tuple[str, object]] = field(default_factory=list)  # (file, Finding)
    labelled: int = 0
    missed: list[tuple[str, dict]] = field(default_factory=list)
    tidied: list[tuple[str, dict]] = field(default_factory=list)  # corrected by the import
    items: int = 0
    disagree: list[tuple[str, str, str, str]] = field(default_factory=list)

    def false_per_10k(self, severity: str) -> float:
        n = sum(1 for _name, f in self.false if f.severity == severity)
        return n * 10_000 / max(self.chars, 1)

    @property
    def recall(self) -> float:
        """Share of the labelled errors the user is shown or no longer has (tidied on import)."""
        return (self.labelled - len(self.missed)) / max(self.labelled, 1)

    @property
    def agreement(self) -> float:
        return (self.items - len(self.disagree)) / max(self.items, 1)

    def by_class(self) -> Counter:
        return Counter(e.get("class", "?") for _n, e in self.missed)


_MARKER = re.compile(r"^[一二三四五六七八九十]+[、.．]|^[（(][一二三四五六七八九十]+[）)]")


def tidied_on_import(entry: dict, texts: list[str]) -> bool:
    """The import wrote the erroneous text right (a half-width colon after the 主送, a heading
    number it regenerates): the error is not in the draft any more."""
    if any(entry["text"] in t for t in texts):
        return False
    fix = _MARKER.sub("", entry["fix"]).strip()
    return bool(fix) and any(fix in t for t in texts)


def proofread(files: list[CorpusFile], checker: Checker | None = None) -> Measure:
    """False findings (outside every labelled error) and recall on the labelled errors."""
    checker = checker or Checker()
    m = Measure()
    for cf in files:
        report = cf.report()
        result = checker.check(report)
        shown = [f for f in result.findings if f.severity in SHOWN]
        explained: set[int] = set()
        texts = [p.text for p in iter_paragraphs(report)]
        for entry in cf.errors + cf.true_errors:
            spans = key_spans(report, cf.body, entry)
            hits = found(shown, spans) if spans else []
            explained.update(id(f) for f in hits)
            if entry in cf.errors:
                m.labelled += 1
                if not hits and tidied_on_import(entry, texts):
                    m.tidied.append((cf.name, entry))
                elif not hits:
                    m.missed.append((cf.name, entry))
        m.chars += cf.chars
        m.false += [(cf.name, f) for f in shown if id(f) not in explained]
    return m


def checklist_agreement(files: list[CorpusFile], checker: Checker | None = None) -> Measure:
    """How often the automatic 已写到/未写到 agrees with the careful reader's verdict."""
    checker = checker or Checker()
    m = Measure()
    for cf in files:
        if not cf.checklist:
            continue
        report = cf.report()
        by_id = {r.id: r for r in checker.check(report).checklist}
        for item_id, verdict in cf.checklist.items():
            r = by_id.get(item_id)
            if r is None:
                continue
            m.items += 1
            if r.auto != verdict:
                m.disagree.append((cf.name, item_id, verdict, r.auto))
    return m
