"""Text rules shared by every layer: cleaning pasted text and counting 字数 as Word does."""

from __future__ import annotations

import functools
import re

# Characters XML 1.0 forbids (they make a DOCX unreadable) plus DEL and the noncharacters that
# web pages and PDF copies smuggle in. Tab and newline are kept: they carry structure.
_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff\ufeff]"
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def clean_text(text: str) -> str:
    """Return ``text`` with line breaks normalised to \\n and unsafe control characters removed."""
    if not text:
        return ""
    text = _NEWLINES.sub("\n", text)
    return _ILLEGAL.sub("", text)


def clean_line(text: str) -> str:
    """Like :func:`clean_text` for single-line fields: line breaks become nothing."""
    return clean_text(text).replace("\n", "").replace("\t", " ").strip()


# Word's 字数 counts every East Asian character (ideographs, kana, hangul, full-width forms and
# CJK punctuation, and the curly quotes/dashes Chinese text uses) as one, and every run of other
# non-space characters as one word.
_EAST_ASIAN = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f"
    "\u3190-\u31ff\u3200-\u32ff\u3300-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
    "\uac00-\ud7ff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\ufe50-\ufe6f\uff00-\uffef"
    "\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2022"
    "\U00020000-\U0003134f"
)
_TOKEN = re.compile(f"[{_EAST_ASIAN}]|[^\\s{_EAST_ASIAN}]+")
_HAN_CLASS = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"


def word_count(text: str) -> int:
    """字数 as Word and WPS report it for Chinese text."""
    if not text:
        return 0
    return len(_TOKEN.findall(text))


def han_count(text: str) -> int:
    """Number of Chinese characters (汉字) alone."""
    return len(_han().findall(text)) if text else 0


@functools.cache
def _han() -> re.Pattern[str]:
    # Compiled on first use: re spends ~4 ms on a class of wide ranges, and the window does
    # not need it to open.
    return re.compile(_HAN_CLASS)


# A number the program generates, typed by habit at the start of a title: （三） (3) 三、 3. 3、
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[（(]\s*(?:[一二三四五六七八九十]{1,3}|\d{1,2})\s*[）)]|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|\d{1,2}\s*[.．、](?!\d))\s*"
)


def split_leading_number(text: str) -> tuple[str, str]:
    """(the number typed at the start of a title, the title without it); ("", text) if none.
    The program numbers parts and sections itself, so a typed number would print twice."""
    m = _LEADING_NUMBER.match(text)
    if not m or not text[m.end():].strip():
        return "", text  # a number alone: the user may still be typing the title
    return m.group(0).strip(), text[m.end():]


SENTENCE_END = "。；！？"


def sentence_bounds(text: str, start: int, search_end: int) -> tuple[int, int]:
    """(first, stop) of the sentence that holds ``start``: from after the last 。；！？ before
    ``start`` to the first one found from ``search_end`` on (not included); the line's ends
    where there is none."""
    first = max(text.rfind(c, 0, start) for c in SENTENCE_END) + 1
    stops = [i for i in (text.find(c, search_end) for c in SENTENCE_END) if i >= 0]
    return first, (min(stops) if stops else len(text))
