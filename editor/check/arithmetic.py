"""ERR-06: percentages that do not match the counts they are computed from (spec §3 B).

Cautious by design: a rate is flagged only when its numerator is clear (the count just before it
whose label names the same thing, or the count just before 占比) and no earlier count of the same
kind in the sentence (else the paragraph) gives the stated value. Growth rates are not flagged.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .findings import Hit
from .rules import RuleSet

_SENTENCE_END = "。；！？;!?"
_CLAUSE_END = "，,：:、"
_PCT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*[%％]")
_CJK_TAIL = re.compile(r"[\u4e00-\u9fff]{1,8}$")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")
_GROWTH = re.compile(r"增长|增加|下降|减少|提高|上升|降低|回落")


@dataclass(frozen=True)
class Count:
    value: float
    group: int
    start: int
    end: int
    label: str  # the Chinese words right before the number


@lru_cache(maxsize=4)
def _compiled(version: str, rules: RuleSet):
    conf = rules.section("arithmetic")
    groups = conf["unit_groups"]
    unit_group = {u: gi for gi, g in enumerate(groups) for u in g}
    units = "|".join(sorted(map(re.escape, unit_group), key=len, reverse=True))
    count = re.compile(rf"(?<![\d.第])(\d+(?:\.\d+)?)(万)?(余|多)?({units})(?!\d)")
    rate_before = re.compile(rf"({conf['rate_words']})[^，。；,;]{{0,6}}$")
    carry = re.compile(conf["carry_over"])
    return unit_group, count, rate_before, carry, tuple(conf.get("total_words", ()))


def _clause_index(text: str, pos: int, start: int) -> int:
    """How many clause breaks lie between ``start`` and ``pos``."""
    return sum(1 for ch in text[start:pos] if ch in _CLAUSE_END)


def _matches(value: float, stated: float, decimals: int) -> bool:
    unit = 10 ** -decimals
    if abs(value - stated) <= unit / 2 + 1e-9:
        return True
    return abs(math.floor(value / unit + 1e-9) * unit - stated) < 1e-9  # truncated, not rounded


def _fmt(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text


def check_arithmetic(text: str, rules: RuleSet) -> list[Hit]:
    if "%" not in text and "％" not in text:
        return []
    conf = rules.section("arithmetic")
    if not conf:
        return []
    unit_group, count_re, rate_before, carry_re, total_words = _compiled(rules.version, rules)
    counts = []
    for m in count_re.finditer(text):
        if m.group(3):  # 630余件: an approximate figure is no basis for a check
            continue
        value = float(m.group(1)) * (10000 if m.group(2) else 1)
        head = _BRACKETED.sub("", text[max(0, m.start() - 16):m.start()])
        label_m = _CJK_TAIL.search(head)
        counts.append(Count(value, unit_group[m.group(4)], m.start(), m.end(),
                            label_m.group(0) if label_m else ""))
    hits: list[Hit] = []
    sev = conf.get("severity", "error")
    for pm in _PCT.finditer(text):
        s_start = max((text.rfind(ch, 0, pm.start()) for ch in _SENTENCE_END), default=-1) + 1
        clause_start = max((text.rfind(ch, 0, pm.start()) for ch in _CLAUSE_END + _SENTENCE_END),
                           default=-1) + 1
        before = text[clause_start:pm.start()]
        rate = rate_before.search(before)
        if not rate:
            continue
        stated = float(pm.group(1))
        decimals = len(pm.group(1).partition(".")[2])
        clause_text = text[clause_start:pm.end()]
        growth = bool(_GROWTH.search(clause_text))
        if stated > 100 and not growth:
            hits.append(Hit("ERR-06", sev, pm.start(), pm.end(), conf["over_message"]))
            continue
        if growth:
            continue
        # the numerator: the last count before the rate, in this clause or the one before
        prior = [c for c in counts if c.end <= pm.start() and c.start >= s_start]
        if not prior:
            continue
        rate_word = rate.group(1)
        name_m = _CJK_TAIL.search(text[clause_start:clause_start + rate.start()])
        name = name_m.group(0) if name_m else ""
        if rate_word == "率":
            # "纠错率" is about the count labelled 纠错, wherever it stands in the sentence
            # ("审结75件，其中维持50件、纠错8件、调解5件，纠错率10.7%").
            key = name[-2:]
            named = [c for c in prior if len(key) == 2 and key in c.label]
            if not named:
                continue  # cannot tell which count the rate is about
            num = named[-1]
        else:
            num = prior[-1]
            if _clause_index(text, pm.start(), num.end) > 1:
                continue
        # denominators: earlier counts of the same kind in the sentence, else the paragraph
        dens = [c for c in prior if c.end <= num.start and c.group == num.group and c.value > 0]
        if not dens:
            dens = [c for c in counts if c.end <= s_start and c.group == num.group and c.value > 0]
        if not dens:
            continue
        if any(_matches(num.value / d.value * 100, stated, decimals) for d in dens):
            if stated == 100 and not any(d.value == num.value for d in dens):
                d = dens[-1]
                hits.append(Hit("ERR-06", "warning", pm.start(), pm.end(),
                                conf["full_message"].format(
                                    num=_n(num.value), den=_n(d.value),
                                    value=_trim(num.value / d.value * 100))))
            continue
        totals = [d for d in dens if any(w in d.label for w in total_words)]
        den = (totals or dens)[-1]
        value = num.value / den.value * 100
        severity = "warning" if carry_re.search(text[s_start:pm.end()]) else sev
        fix = _fmt(value, decimals)
        hits.append(Hit(
            "ERR-06", severity, pm.start(), pm.end(),
            conf["message"].format(num=_n(num.value), den=_n(den.value), value=_trim(value),
                                   fix=fix),
            f"{fix}%",
        ))
    return hits


def _n(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _trim(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")
