"""Where a long 标题 breaks into lines (GB/T 9704 7.3.1: 回行时要做到词意完整，排列对称，长短适宜):
the fewest lines that fit, balanced (梯形 or 菱形), broken between words — the words of the
proofreader's list and the layout's break words (after 关于, 的 …) — and inside a word only
when nothing else fits.
"""

from __future__ import annotations

import functools
import itertools
import math
import re

from .layout import Layout


@functools.lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """The word list the proofreader ships (resources/proofread/words.txt, from jieba) and its
    government words (domain_words.toml), plus the layout's break words: the units a title's
    lines may not split (GB/T 9704 7.3.1 回行时要做到词意完整)."""
    from ..paths import read_toml, resource

    words: set[str] = set()
    try:
        with open(resource("proofread", "words.txt"), encoding="utf-8") as fh:
            words.update(w for line in fh if (w := line.strip()) and not w.startswith("#"))
    except OSError:
        words = set()  # without the list, titles break at the layout's break words only
    try:
        data = read_toml(resource("proofread", "domain_words.toml"))
    except Exception:  # noqa: BLE001 - a missing or broken list only makes breaks coarser
        data = {}
    for key in ("words", "place_followers"):
        words.update(str(w) for w in data.get(key, []) if isinstance(w, str))
    return frozenset(w for w in words if len(w) >= 2)


def word_boundaries(title: str, extra: list[str] = ()) -> set[int]:
    """Positions between words of ``title``: a segmentation into the fewest pieces, each a word
    of the list, a run of digits/Latin letters, or one character."""
    words = title_words() | {w for w in extra if len(w) >= 2}
    n = len(title)
    best: list[tuple[int, int]] = [(0, 0)] + [(n + 1, 0)] * n  # (pieces, start of last piece)
    for i in range(1, n + 1):
        choices = []
        j = i - 1
        if title[j].isascii() and title[j].isalnum():
            while j > 0 and title[j - 1].isascii() and title[j - 1].isalnum():
                j -= 1
            choices.append(j)
        else:
            choices.append(i - 1)
            for k in range(max(0, i - 8), i - 1):
                if title[k:i] in words:
                    choices.append(k)
        for k in choices:
            if best[k][0] + 1 < best[i][0] or (best[k][0] + 1 == best[i][0] and k < best[i][1]):
                best[i] = (best[k][0] + 1, k)
    cuts, i = set(), n
    while i > 0:
        i = best[i][1]
        if i:
            cuts.add(i)
    return cuts


def split_title(title: str, layout: Layout, width_of) -> list[str]:
    """Break a long title into the fewest lines that fit, only between words, balanced (梯形
    short over long, or 菱形), preferring the layout's natural break words (after 关于, 的 …);
    a break inside a word only when no line count up to two more than the fewest allows one."""
    limit = float(layout.title.max_chars_per_line)
    if width_of(title) <= limit:
        return [title]
    n_lines = math.ceil(width_of(title) / limit)
    breaks = list(layout.title.break_after)
    natural = set()
    for w in breaks:
        for m in re.finditer(re.escape(w), title):
            natural.add(m.end())
    no_start, no_end = layout.linebreak.no_start, layout.linebreak.no_end

    def allowed(i: int) -> bool:
        return 0 < i < len(title) and title[i] not in no_start and title[i - 1] not in no_end \
            and not (title[i - 1].isascii() and title[i].isascii())

    between_words = {i for i in word_boundaries(title, breaks) if allowed(i)}
    anywhere = {i for i in range(1, len(title)) if allowed(i)}
    for pool in (between_words, anywhere):
        cands = sorted(pool)
        for count in range(n_lines, n_lines + 3):
            best = None
            for cuts in _cut_sets(cands, count - 1, title, width_of, limit):
                bounds = (0, *cuts, len(title))
                lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
                widths = [width_of(s) for s in lines]
                score = 0.5 * sum(1 for c in cuts if c not in natural)
                score += 4.0 * sum(1 for c in cuts if c not in between_words)
                score += max(widths) - min(widths) if count > 2 else 0
                if count == 2:
                    a, b = widths
                    # 梯形: the upper line shorter; equal lines make a rectangle.
                    score += (0 if a < b else 6 + (a - b)) + abs(b - a - 4) * 0.3
                else:
                    mid = widths[1:-1]
                    diamond = all(m >= widths[0] and m >= widths[-1] for m in mid)
                    ladder = widths == sorted(widths)
                    score += 0 if (diamond or ladder) else 1.5
                if best is None or score < best[0]:
                    best = (score, lines)
            if best is not None:
                return best[1]
    # Nothing fits: hard-wrap at the limit.
    out, cur = [], ""
    for ch in title:
        if width_of(cur + ch) > limit:
            out.append(cur)
            cur = ""
        cur += ch
    return out + ([cur] if cur else [])


def _cut_sets(cands: list[int], k: int, title: str, width_of, limit: float):
    """Every increasing choice of ``k`` cut positions whose lines all fit (pruned search)."""
    n = len(title)

    def rec(start: int, left: int, from_index: int):
        if left == 0:
            if width_of(title[start:]) <= limit:
                yield ()
            return
        for idx in range(from_index, len(cands) - left + 1):
            c = cands[idx]
            if width_of(title[start:c]) > limit:
                break
            # the rest must fit in the lines left
            if width_of(title[c:n]) > limit * left:
                continue
            for rest in rec(c, left - 1, idx + 1):
                yield (c, *rest)

    yield from rec(0, k, 0)
