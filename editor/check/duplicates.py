"""ERR-09: doubled characters and words, told apart from correct text by word boundaries.

A plain (.)\\1 rule flags 学习习近平, 履行行政, 会议议题. Here a doubled character is accepted when
it is a reduplicated word (常常), part of an AABB form (扎扎实实) or a listed term (“十五五”), or
when it sits on a word boundary: a known word ends with it on the left and another known word
(or a one-character word such as 任, 作) starts with it on the right (学习|习近平, 会议|议题,
主任|任副主任), or when a place name ends with it and a word like 街道 follows (北城街|街道). The
words come from the general list and the domain lexicon (resources/proofread/). Only what is left
is flagged (我镇镇基本).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .findings import Hit
from .rules import RuleSet

_DOUBLE = re.compile(r"([\u4e00-\u9fff])\1")
_DOUBLE_WORD = re.compile(r"([\u4e00-\u9fff]{2,4})\1")


@lru_cache(maxsize=4)
def _config(version: str, rules: RuleSet):
    conf = rules.section("duplicates")
    return (
        frozenset(conf.get("words", ())),
        tuple(conf.get("terms", ())),
        frozenset(conf.get("never_doubled", ())),
        frozenset(conf.get("repeat_ok", ())),
    )


_LENGTHS = (2, 3, 4, 5, 6)


def _word_left(text: str, i: int, words: frozenset[str]) -> bool:
    """A known word of 2–6 characters ends at text[i] (inclusive)."""
    return any(text[i - n + 1:i + 1] in words for n in _LENGTHS if i - n + 1 >= 0)


def _word_right(text: str, i: int, words: frozenset[str]) -> bool:
    """A known word of 2–6 characters starts at text[i]."""
    return any(text[i:i + n] in words for n in _LENGTHS if i + n <= len(text))


def _place_name_then_word(text: str, i: int, domain: dict) -> bool:
    """text[i] ends a place name (北城街) and text[i+1:] starts a word about it (街道办事处)."""
    if text[i] not in domain.get("place_suffixes", ()):
        return False
    return any(text.startswith(w, i + 1) for w in domain.get("place_followers", ())
               if w[0] == text[i])


def check_duplicates(text: str, rules: RuleSet) -> list[Hit]:
    conf = rules.section("duplicates")
    if not conf:
        return []
    reduplicated, terms, never, repeat_ok = _config(rules.version, rules)
    prefixes = conf.get("left_prefixes", "")
    lexicon = rules.words
    sev = conf.get("severity", "warning")
    hits: list[Hit] = []
    covered: set[int] = set()

    for m in _DOUBLE_WORD.finditer(text):
        word = m.group(1)
        whole = m.group(0)
        if whole in repeat_ok or whole in lexicon or (word[0] == "一" and len(word) == 2):
            continue
        if len(set(word)) == 1:
            continue  # 常常常常 is the single-character case
        second = m.start() + len(word)
        if any(text[second:second + n] in lexicon for n in range(len(word) + 1, 6)):
            continue  # 规范|规范性文件: the second copy begins a longer word
        if word not in lexicon and word not in reduplicated:
            continue
        # AABB written as ABAB? (研究研究) is colloquial, not a slip; only flag real words of ≥3
        # characters or 2-character words repeated inside a longer phrase.
        hits.append(Hit("ERR-09", sev, m.start(), m.end(),
                        conf["word_message"].format(word=word), word))
        covered.update(range(m.start(), m.end()))

    for m in _DOUBLE.finditer(text):
        i = m.start()  # text[i] == text[i+1]
        if i in covered or i + 1 in covered:
            continue
        ch = m.group(1)
        pair = m.group(0)
        # AABB: 扎扎实实, 认认真真, 是是非非
        if text[i + 2:i + 3] and text[i + 2] == text[i + 3:i + 4] and text[i + 2] != ch:
            continue
        if i >= 2 and text[i - 2] == text[i - 1] and text[i - 1] != ch:
            continue
        if ch in never:
            if pair == "了了" and "不了了之" in text[max(0, i - 1):i + 3]:
                continue
            hits.append(Hit("ERR-09", sev, i, i + 2,
                            conf["message"].format(text=pair, char=ch), ch))
            continue
        if pair in reduplicated:
            continue
        if any(t in text[max(0, i - 3):i + 5] for t in terms if pair in t):
            continue
        # 我镇|镇长, 各村|村民: a determiner before the character makes it a word of its own
        left_word = (i >= 1 and text[i - 1] in prefixes) or _word_left(text, i, lexicon)
        right_word = (_word_right(text, i + 1, lexicon)
                      or ch in rules.domain.get("one_char_words", ()))
        if left_word and right_word:
            continue  # a word boundary: 学习|习近平, 主任|任副主任
        if _place_name_then_word(text, i, rules.domain):
            continue  # 北城街|街道办事处
        if pair in lexicon:
            # a word of its own (村村通, 人人) unless both neighbours form words around it
            continue
        hits.append(Hit("ERR-09", sev, i, i + 2,
                        conf["message"].format(text=pair, char=ch), ch))
    return hits
