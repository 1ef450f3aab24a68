"""Matching checklist patterns in one paragraph: normalised text, strong and weak evidence, and
matches that stand in a sentence naming a principal leader.

Real reports write the same thing many ways, so the text is normalised before matching (spaces
between Chinese and digits dropped, full-width digits made ASCII, the variant 遵法 read as 尊法)
(quotation marks around terms dropped too), and the offsets of every match are mapped back to the paragraph as the user sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model.text import sentence_bounds
from ..profile.checklist import ChecklistItem

# Spaces, and the quotation marks around terms (履行“第一责任人”职责 says 第一责任人职责).
_NOISE = re.compile(r"[ \t\u3000\u00a0“”‘’「」]+")
_ASCII_WORD = re.compile(r"[A-Za-z]")
_FOLD = str.maketrans("０１２３４５６７８９", "0123456789")
_VARIANTS = (("遵法", "尊法"),)  # same length: offsets are kept


def normalise(text: str) -> tuple[str, list[int]]:
    """The text as patterns see it, and for each of its characters the offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    last = 0
    for m in _NOISE.finditer(text):
        out.append(text[last:m.start()])
        where.extend(range(last, m.start()))
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        # keep a space between two Latin words; elsewhere it is typing noise (“开展 12 次”)
        if (m.group(0).isspace() and _ASCII_WORD.match(before or " ")
                and _ASCII_WORD.match(after or " ")):
            out.append(" ")
            where.append(m.start())
        last = m.end()
    out.append(text[last:])
    where.extend(range(last, len(text)))
    norm = "".join(out).translate(_FOLD)
    for a, b in _VARIANTS:
        norm = norm.replace(a, b)
    return norm, where


@dataclass(frozen=True)
class Evidence:
    """Matches of one item in one paragraph: how many, the first one (paragraph offsets) and
    whether any came from a strong pattern."""

    n: int = 0
    start: int = -1
    end: int = -1
    strong: bool = False

    def __add__(self, other: Evidence) -> Evidence:
        if not other.n:
            return self
        if not self.n:
            return other
        first = self if (self.strong or not other.strong) else other
        return Evidence(self.n + other.n, first.start, first.end, self.strong or other.strong)


NONE = Evidence()


@dataclass(frozen=True)
class ParaHit:
    """An item's matches in a paragraph: all of them, and those in a leader's sentence."""

    any: Evidence
    led: Evidence


_COMBINED: dict[tuple[int, str, int], tuple[ChecklistItem, tuple]] = {}


def _combined(item: ChecklistItem, body_type: str, year: int
              ) -> tuple[tuple[re.Pattern, bool], ...]:
    """The item's strong and weak patterns, each kind as one alternation (one scan each).
    Keyed by the item's identity: hashing a whole item on every paragraph costs more than
    the matching."""
    key = (id(item), body_type, year)
    found = _COMBINED.get(key)
    if found is None or found[0] is not item:
        out = []
        for patterns, strong in ((item.patterns_of(body_type, year), True), (item.weak, False)):
            if patterns:
                out.append((re.compile("|".join(f"(?:{p})" for p in patterns)), strong))
        found = _COMBINED[key] = (item, tuple(out))
    return found[1]


_QUOTED_TITLE = re.compile(r"《[^《》]*》")
# A document the body made itself (制定《…工作要点》) is evidence of the work; one it carries out
# or studies (执行《…第一责任人职责规定》) is not.
_MADE = re.compile(r"(制定|印发|出台|修订|编制|起草|发布|下发|建立|完善)[了出]?$")


def quoted_titles(norm: str) -> list[tuple[int, int]]:
    """Spans of cited documents' titles whose words are not evidence."""
    if "《" not in norm:
        return []
    return [m.span() for m in _QUOTED_TITLE.finditer(norm)
            if not _MADE.search(norm, max(0, m.start() - 6), m.start())]


try:  # the regular-expression parser, to read which literal text a pattern cannot match without
    from re import _parser as _sre_parse  # Python ≥ 3.11
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]


def _requirement(ops) -> tuple[str, ...] | None:
    """Texts of two characters or more of which every match of the op sequence ``ops`` holds
    at least one, or None. Literal runs, groups, repeats of at least one and alternations whose
    every branch has such texts all give candidates; the most selective one is kept."""
    candidates: list[tuple[str, ...]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 2:
            candidates.append(("".join(run),))
        run.clear()

    for op, arg in ops:
        if op is _sre_parse.LITERAL:
            run.append(chr(arg))
            continue
        flush()
        inner = None
        if op is _sre_parse.SUBPATTERN:
            inner = _requirement(arg[-1])
        elif op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT) and arg[0] >= 1:
            inner = _requirement(arg[2])
        elif op is _sre_parse.BRANCH:
            inner = _any_of(arg[1])
        if inner:
            candidates.append(inner)
    flush()
    if not candidates:
        return None
    # the fewest and longest texts scan fastest and reject most paragraphs
    return max(candidates, key=lambda c: (min(len(t) for t in c), -len(c)))


def _any_of(alternatives) -> tuple[str, ...] | None:
    found: list[str] = []
    for alt in alternatives:
        need = _requirement(list(alt))
        if need is None:
            return None
        found.extend(need)
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=1024)
def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Texts of which every match of ``pattern`` holds at least one; None when that cannot be
    said. A paragraph that holds none of them cannot match, and is not scanned."""
    try:
        return _requirement(list(_sre_parse.parse(pattern)))
    except Exception:  # noqa: BLE001 - an unusual pattern is simply scanned
        return None


def compiled_items(items: list[ChecklistItem], body_type: str, year: int
                   ) -> list[tuple[ChecklistItem, tuple[tuple[re.Pattern, bool], ...]]]:
    """Each item with its compiled patterns, looked up once for a run of paragraphs."""
    return [(item, _combined(item, body_type, year)) for item in items]


def match_item(item: ChecklistItem, patterns: tuple[tuple[re.Pattern, bool], ...], norm: str,
               where: list[int], leader: re.Pattern | None,
               titles: list[tuple[int, int]]) -> ParaHit | None:
    """The item's matches in one normalised paragraph; None when there are none. Words inside
    the title of a cited document (执行《…第一责任人职责规定》) are not evidence of the work."""
    every = item.min_hits > 1
    found_any, found_led = NONE, NONE
    for pattern, strong in patterns:
        needed = required_literals(pattern.pattern)
        if needed is not None and not any(lit in norm for lit in needed):
            continue
        for m in pattern.finditer(norm):
            if m.end() == m.start() or any(a < m.start() and m.end() < b for a, b in titles):
                continue
            ev = Evidence(1, where[m.start()], where[m.end() - 1] + 1, strong)
            found_any = found_any + ev
            if item.leader and leader is not None:
                a, b = sentence_bounds(norm, m.start(), m.end())
                if leader.search(norm, a, b):
                    found_led = found_led + ev
            if not every and found_any.strong and (found_led.n or not item.leader):
                return ParaHit(found_any, found_led)
    if not found_any.n:
        return None
    return ParaHit(found_any, found_led)
