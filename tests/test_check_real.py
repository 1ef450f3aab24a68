"""The checks measured on real report text (tests/data/real): false findings on correct text,
recall on planted errors, and agreement of the checklist with a careful reader's verdicts.

The figures are printed by benchmarks/check_real.py; here the targets are asserted.
"""

from __future__ import annotations

import pytest
from real_corpus import (
    checklist_agreement,
    planted_files,
    proofread,
    real_files,
    variant_files,
)

from editor.check.checker import Checker

FALSE_PER_10K = 1.0  # findings shown on correct text, per 10,000 characters
RECALL = 0.95
AGREEMENT = 0.95


@pytest.fixture(scope="module")
def checker():
    return Checker()


def _describe(m) -> str:
    return "\n".join(f"{name}: {f.rule} {f.severity} “{f.text}” {f.message}"
                     for name, f in m.false)


def test_the_corpus_is_real_and_labelled():
    real = real_files()
    assert len(real) >= 20
    assert {cf.meta["body_type"] for cf in real} == {"乡镇", "街道", "县级政府", "政府部门"}
    assert len({cf.meta["province"] for cf in real}) >= 6
    years = {int(cf.meta["year"]) for cf in real}
    assert min(years) <= 2020 and max(years) >= 2025
    for cf in real:
        assert cf.meta["source"].startswith("http"), cf.name
        assert cf.checklist, cf.name
        lines = cf.text.split("\n")
        for e in cf.errors:
            assert lines[e["line"] - 1].count(e["text"]) == 1, (cf.name, e)
    planted = planted_files()
    assert sum(len(cf.errors) for cf in planted) >= 60
    classes = {e["class"] for cf in planted for e in cf.errors}
    assert {"E01", "E02", "E03", "E05", "E07", "E08", "E09", "E11", "E18", "E19"} <= classes


def test_planted_keys_give_back_the_real_text():
    real = {cf.name: cf.text for cf in real_files()}
    for cf in planted_files():
        lines = cf.text.split("\n")
        for e in cf.errors:
            i = e["line"] - 1
            assert lines[i].count(e["text"]) == 1, (cf.name, e)
            lines[i] = lines[i].replace(e["text"], e["fix"])
        assert "\n".join(lines) == real[cf.name.removesuffix("-planted")], cf.name


def test_correct_real_text_gets_almost_no_false_findings(checker):
    m = proofread(real_files() + variant_files(), checker)
    assert m.chars > 40_000
    for severity in ("error", "warning"):
        assert m.false_per_10k(severity) <= FALSE_PER_10K, _describe(m)
    assert len(m.false) * 10_000 / m.chars <= FALSE_PER_10K, _describe(m)


def test_planted_errors_are_found_at_their_place(checker):
    m = proofread(planted_files(), checker)
    assert m.labelled >= 60
    assert m.recall >= RECALL, [(n, e["class"], e["text"]) for n, e in m.missed]
    # the planted copies are real text too: nothing else may be flagged in them
    assert len(m.false) * 10_000 / m.chars <= FALSE_PER_10K, _describe(m)


def test_checklist_agrees_with_a_careful_reader(checker):
    m = checklist_agreement(real_files() + variant_files(), checker)
    assert m.items >= 1000
    assert m.agreement >= AGREEMENT, m.disagree
