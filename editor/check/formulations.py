"""ERR-19: fixed political formulations with a slip in them (习近平法制思想, 党的二十大精).

A passage is compared with each formulation of resources/proofread/formulations.toml around the
places where the formulation's first or last three characters stand, so a slip anywhere but at
both ends at once is seen. It is flagged when it comes within one slip of the formulation: one
character dropped or added, two neighbours swapped, one character confused with its look- or
sound-alike (治/制); for long formulations also two adjacent characters dropped (法治政府实施纲要)
or two neighbouring words swapped (公正公开 in the list of the seven features). Text that is a
known correct wording (法治社会建设实施纲要) is never flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .findings import Hit
from .rules import RuleSet

ANCHOR = 3
LONG = 9  # formulations at least this long allow a two-character slip
_FUNCTION_CHARS = "的和及与、，"


@dataclass(frozen=True)
class Formulations:
    phrases: tuple[str, ...]
    documents: frozenset[str]
    also_correct: frozenset[str]
    confusable: frozenset[frozenset[str]]
    local_levels: frozenset[str]
    severity: str
    message: str


@lru_cache(maxsize=4)
def _load(version: str, rules: RuleSet) -> Formulations | None:
    data = rules.formulations
    if not data:
        return None
    documents = tuple(data.get("documents", ()))
    phrases = tuple(p for p in (*data.get("phrases", ()), *documents) if len(p) >= 6)
    return Formulations(
        phrases=phrases,
        documents=frozenset(documents),
        also_correct=frozenset(data.get("also_correct", ())) | frozenset(phrases),
        confusable=frozenset(frozenset(pair) for pair in data.get("confusable", ())
                             if len(pair) == 2),
        local_levels=frozenset(data.get("local_levels", "")),
        severity=data.get("severity", "warning"),
        message=data.get("message", "固定提法有误，应为“{phrase}”。"),
    )


def _one_slip(w: str, f: str, conf: Formulations, words: frozenset[str]) -> bool:
    """``w`` is ``f`` with exactly one slip (see the module docstring)."""
    if sum(1 for c in f if c not in w) > 2:
        return False  # most windows near an anchor are other words: a cheap no first
    if len(w) == len(f):
        diff = [i for i in range(len(f)) if w[i] != f[i]]
        if len(diff) == 1:
            # in a long formulation any one character wrong is a slip (新思路 for 新思想); in a
            # short one only a confusable pair, since most short variants are other words
            pair = frozenset((w[diff[0]], f[diff[0]]))
            if pair <= conf.local_levels:
                return False  # a local wording (依法治镇 for 依法治国), not a slip
            return len(f) >= LONG or pair in conf.confusable
        if len(diff) == 2 and diff[1] == diff[0] + 1:
            i = diff[0]
            if w[i] == f[i + 1] and w[i + 1] == f[i]:
                return True  # neighbours swapped
        if len(f) >= LONG and 2 <= len(diff) <= 6 and diff[-1] - diff[0] <= 5:
            # two neighbouring words of two or three characters swapped (公开公正 → 公正公开,
            # 新理念新思想 → 新思想新理念)
            return any(w == f[:i] + f[i + n:i + 2 * n] + f[i:i + n] + f[i + 2 * n:]
                       for n in (2, 3) for i in range(max(0, diff[0] - n + 1), diff[0] + 1))
        return False
    if len(w) == len(f) - 1:  # one dropped
        if w == f[1:] or w == f[:-1]:
            # an end dropped: a slip (党的二十大精) unless what is left ends on a whole word
            # (…第一责任人职责 is a phrase of its own, not 规定 with a slip)
            return w[-2:] not in words and w[:2] not in words
        return any(f[:i] + f[i + 1:] == w for i in range(1, len(f) - 1))
    if len(w) == len(f) + 1:  # one added (a 的 or 和 added reads as wording, not a slip)
        return any(w[:i] + w[i + 1:] == f and w[i] not in _FUNCTION_CHARS
                   for i in range(len(w)))
    if len(w) == len(f) - 2 and len(f) >= LONG and f in conf.documents:
        return any(f[:i] + f[i + 2:] == w for i in range(1, len(f) - 2))  # 建设 dropped
    return False


def _candidates(text: str, f: str):
    """(start, end) of windows of text that could be ``f`` with a slip."""
    sizes = (len(f) - 2, len(f) - 1, len(f), len(f) + 1)
    head, tail = f[:ANCHOR], f[-ANCHOR:]
    i = text.find(head)
    while i >= 0:
        for n in sizes:
            yield i, i + n
        i = text.find(head, i + 1)
    j = text.find(tail)
    while j >= 0:
        end = j + ANCHOR
        for n in sizes:
            yield end - n, end
        j = text.find(tail, j + 1)


def _spans(text: str, words) -> list[tuple[int, int]]:
    out = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            out.append((i, i + len(w)))
            i = text.find(w, i + 1)
    return out


def check_formulations(text: str, rules: RuleSet) -> list[Hit]:
    conf = _load(rules.version, rules)
    if conf is None:
        return []
    phrases = []
    for f in conf.phrases:
        if f[:ANCHOR] not in text and f[-ANCHOR:] not in text:
            continue
        right = text.count(f)
        if text.count(f[:ANCHOR]) > right or text.count(f[-ANCHOR:]) > right:
            phrases.append(f)  # an anchor stands outside the right wording
    if not phrases:
        return []
    # where the text already says a formulation, or another correct wording, right
    correct = _spans(text, conf.also_correct)
    hits: list[Hit] = []
    for f in phrases:
        for a, b in _candidates(text, f):
            if a < 0 or b > len(text):
                continue
            if any(x <= a and b <= y for x, y in correct):
                continue  # inside a correct wording (习近平法治思想的 …)
            if any(a < y and x < b for x, y in correct if y - x >= len(f)):
                continue  # overlaps the formulation written right
            if _one_slip(text[a:b], f, conf, rules.words):
                hits.append(Hit("ERR-19", conf.severity, a, b, conf.message.format(phrase=f), f))
                correct.append((a, b))  # one finding for one slip
    return hits
