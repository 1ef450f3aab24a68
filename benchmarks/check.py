"""Benchmark of the checker.

Targets: a full check of a 20,000-character report ≤ 50 ms; the re-check after one keystroke
(one character changed in one paragraph) ≤ 16 ms. The floor measured in the same run is one
pass of every regular expression of the rule file over every paragraph (what the simplest
regex proofreader would cost); the full check is printed as a ratio against it, so the figure
can be compared across machines. Run: .venv/bin/python benchmarks/check.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from editor.check.checker import Checker
from editor.check.review import ReviewSession
from editor.ingest import parse_text
from editor.model import Section, han_count

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "linjiang-2025.txt"
TARGET_CHARS = 20_000


def big_report():
    report = parse_text(SAMPLE.read_text(encoding="utf-8"))
    base = [(pi, s) for pi, p in enumerate(report.parts) for s in p.sections]
    n = 0
    while len(_all_text(report)) < TARGET_CHARS:
        pi, s = base[n % len(base)]
        n += 1
        # vary the copy a little so that paragraphs are not all identical (no free cache hits)
        body = s.body.replace("全年", f"第{n}季度", 1)
        report.parts[pi].sections.append(Section(title=f"{s.title}（续{n}）", body=body))
    return report


def _all_text(report) -> str:
    parts = [report.preamble]
    for p in report.parts:
        parts += [p.heading, p.lead] + [s.title + s.body for s in p.sections]
    return "".join(parts)


def stats(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return f"median {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms   (n={len(samples)})"


def main() -> None:
    report = big_report()
    text = _all_text(report)
    print(f"report: {len(text)} characters ({han_count(text)} 汉字), "
          f"{sum(len(p.sections) for p in report.parts)} sections")

    Checker().check(report)  # load rules, word list, compile patterns once (program start)

    from editor.check.locate import iter_paragraphs
    from editor.check.rules import load_rules

    lines = [p.text for p in iter_paragraphs(report)]
    patterns = [r.pattern for r in load_rules().regex]
    floor = []
    for _ in range(15):
        t = time.perf_counter()
        for line in lines:
            for pattern in patterns:
                for _m in pattern.finditer(line):
                    pass
        floor.append((time.perf_counter() - t) * 1000)
    print(f"floor: the rule file's regexes once: {stats(floor)}")

    cold = []
    for _ in range(15):
        checker = Checker()
        t = time.perf_counter()
        result = checker.check(report)
        cold.append((time.perf_counter() - t) * 1000)
    print(f"full check (nothing cached):      {stats(cold)}   findings={len(result.findings)}"
          f"   ratio {statistics.median(cold) / statistics.median(floor):.1f} × floor")

    checker = Checker()
    checker.check(report)
    warm = []
    for _ in range(30):
        t = time.perf_counter()
        checker.check(report)
        warm.append((time.perf_counter() - t) * 1000)
    print(f"full check (unchanged report):    {stats(warm)}")

    session = ReviewSession(report)
    session.check()
    section = report.parts[0].sections[2]
    original = section.body
    keystroke = []
    for i in range(60):
        pos = 10 + i
        section.body = original[:pos] + "法" + original[pos:]  # one character typed
        t = time.perf_counter()
        session.check()
        keystroke.append((time.perf_counter() - t) * 1000)
    print(f"re-check after one keystroke:     {stats(keystroke)}")
    print("targets: full ≤ 50 ms, keystroke ≤ 16 ms")


if __name__ == "__main__":
    main()
