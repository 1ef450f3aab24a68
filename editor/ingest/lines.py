"""Raw text → clean paragraph lines: odd spaces and invisible characters removed, page numbers
dropped, and paragraphs that a PDF copy broke into lines joined again."""

from __future__ import annotations

import re
from collections import Counter

from ..model import clean_text
from .shapes import CN_NUM, is_heading, starts_element

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2014\u2026"
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\u00ad]")
_SPACES_IN_CJK = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")
# Full-width punctuation carries its own spacing: spaces beside it are stray.
_FW_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2018-\u201d\u2014\u2026"
_SPACES_BY_PUNCT = re.compile(f" +(?=[{_FW_PUNCT}])|(?<=[{_FW_PUNCT}]) +")
# A PDF's page numbers: "— 3 —", "-3-", "3".
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")
# A run-in section heading glued to the end of the paragraph before it ("…成效。（二）标题。…").
_EMBEDDED_L2 = re.compile(rf"(?<=。)(?=[（(][{CN_NUM}]{{1,3}}[）)][^。\n]{{2,40}}。)")
# What a finished paragraph ends with; anything else, followed by more text, is a broken line.
_LATIN = re.compile(r"[A-Za-z]")
TERMINAL = re.compile(r"[。！？；：!?;:…]$|[。！？；…][”’」』）)]$")


def normalise_line(line: str) -> str:
    line = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", line)).strip()
    return _SPACES_BY_PUNCT.sub("", _SPACES_IN_CJK.sub("", line))


def split_lines(text: str) -> list[str]:
    """Non-empty, cleaned lines of ``text`` (any line ending), page-number lines dropped."""
    out = []
    for raw in clean_text(text).split("\n"):
        line = normalise_line(raw)
        if line and not _PAGE_NUMBER.match(line):
            out.extend(p for p in _EMBEDDED_L2.split(line) if p)
    return out


def width(text: str) -> int:
    """Display width in half-width units: what decides where a PDF line breaks."""
    return sum(1 if ord(ch) < 0x1100 else 2 for ch in text)


# Narrower "lines" are headings or short items, not a page's text width.
_MIN_WRAP_WIDTH = 30


def wrap_width(lines: list[str]) -> int | None:
    """The line width of hard-wrapped text (a PDF copy), or None for one-paragraph-a-line text.

    In hard-wrapped text many lines stop mid-sentence at (nearly) the same width; in the line
    format only headings lack final punctuation and their widths vary.
    """
    widths = [
        width(ln) for ln in lines
        if width(ln) >= _MIN_WRAP_WIDTH and not TERMINAL.search(ln) and not is_heading(ln)
    ]
    if len(widths) < 3:
        return None
    counts = Counter(widths)
    best, support = 0, 0
    for w in sorted(counts, reverse=True):
        s = sum(counts[x] for x in range(w - 3, w + 1))
        if s > support:
            best, support = w, s
    if support >= 3 and support >= 0.4 * len(widths):
        return best
    return None


def continues(line: str, wrap: int | None, last: str | None = None) -> bool:
    """Does the paragraph ``line`` go on in the next line? ``last`` is its last physical line
    when earlier lines have been joined to it already."""
    last = line if last is None else last
    if "\t" in last:
        return False  # a table row or the 发文字号 line
    terminal = bool(TERMINAL.search(line))
    heading = is_heading(line)
    if wrap is None:
        # One paragraph a line, with the odd paragraph broken by hand: a line that stops
        # mid-sentence goes on, a heading on a line of its own does not.
        return not terminal and not heading
    # Hard-wrapped text: a paragraph goes on while its lines are full; its last line is short.
    # Headings are short and rarely hold the digits that make wrapped widths vary, so one
    # continues only if it filled the line to the brim.
    w = width(last)
    if heading:
        return not terminal and w >= wrap - 1
    if terminal:
        return w >= wrap - 4 and line[-1] in "，、；：,;:"
    return w >= wrap - 4


def glue(before: str, after: str) -> str:
    # Latin words break at spaces; Chinese text and numbers do not.
    sep = " " if _LATIN.match(before[-1:]) and _LATIN.match(after[:1]) else ""
    return before + sep + after


def join_broken_lines(lines: list[str], wrap: int | None) -> list[str]:
    out: list[str] = []
    last = ""
    for ln in lines:
        if out and continues(out[-1], wrap, last) and not starts_element(ln):
            out[-1] = glue(out[-1], ln)
        else:
            out.append(ln)
        last = ln
    return out
