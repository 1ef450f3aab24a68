"""Page furniture of a government web page (metadata table, date and source line, print and
font-size buttons, breadcrumbs, menus, share prompts, previous/next links, footer), recognised
so that a report pasted from its page does not carry it into the 前言 or the 版记.

What counts as furniture is data (``resources/ingest/web_furniture.toml``). The decision is made
for a whole line, on its shape: every piece of it must be a known field ("索引号：…"), button or
token, so a paragraph that merely mentions 来源 or 发布 stays text. Nothing is deleted: the
proposal shows the lines as 已忽略 where they stood, and the user may take any of them back.

Two fields of the metadata carry the report's own data: 发文字号 (when its value has that shape)
and 标题 (when it names a 报告, for pages that show the title nowhere else). In the header zone
their values go on to the importer as lines of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..paths import TOMLDecodeError, read_toml, resource
from .errors import ImportError_
from .shapes import L2, L3, L4, doc_number_line, is_l1

IGNORED = "ignored"
_KINDS = ("meta", "dated", "counts", "links", "navigation", "doc_number", "title")
# Between the pieces of a furniture line: spaces, list bullets, and the brackets and bars that
# buttons and table cells sit in.
_SEP = re.compile(r"[\s【】\[\]［］（）()|｜丨·•●■▪◆*\-－：:]+")
_EDGE = " \t|｜丨·•●■▪◆*-－"  # not brackets: [2024] is a 发文字号's (wrong) bracket
_VALUE_STOP = re.compile(r"[【】\t]")
_SENTENCE_END = re.compile(r"[。！？!?][”’」』）)]?$")
_PROSE_PUNCT = re.compile(r"[，。；、,;！？]")
_NAV_SEP = re.compile(r"[>＞»›→/\\]")
_MENU_SPLIT = re.compile(r"[\s|｜丨]+")
_CRUMB_STEP = re.compile(r"[\w（）()·]{1,30}")
_HOME = ("首页", "网站首页", "主页")


class FurnitureDataError(ImportError_):
    """resources/ingest/web_furniture.toml is missing or malformed (an installation fault, said
    to the user like any import failure rather than as a traceback)."""


@dataclass
class Verdict:
    """A furniture line cut into pieces (text, role): "ignored", or "doc_number" / "title" for
    the value of such a field, which goes on as a line of its own. ``pending`` names the kind
    of a label left alone on its line (a table pasted cell by cell: its value comes next)."""

    pieces: list[tuple[str, str]] = field(default_factory=list)
    pending: str = ""


@dataclass
class Split:
    kept: list[str]
    dropped: list[tuple[int, str]]  # (number of kept lines before it, text)
    titles: set[int]  # indices into ``kept`` of 标题 values taken from the metadata


class FurnitureRules:
    def __init__(self, data: dict) -> None:
        limits = data.get("limits", {})
        self.max_line = int(limits.get("max_line_chars", 220))
        self.sentence_chars = int(limits.get("sentence_chars", 16))
        self.max_value = int(limits.get("max_value_chars", 60))
        self.pending_chars = int(limits.get("pending_value_chars", 40))
        self.menu_items = int(limits.get("menu_items", 3))
        self.menu_item_chars = int(limits.get("menu_item_chars", 10))
        self.kind: dict[str, str] = {}
        for kind in _KINDS:
            for label in data.get("labels", {}).get(kind, []):
                self.kind[_unspace(label)] = kind
        # Longest first: Python's alternation takes the first that matches, not the longest.
        names = "|".join(re.escape(k) for k in sorted(self.kind, key=len, reverse=True))
        # "索引号：", "索引号:" or "[ 索引号 ]" (the bracket form stands for the colon).
        self.label = re.compile(
            rf"(?P<open>[\[【［]\s*)?(?P<label>{names})\s*(?:(?P<colon>[：:])|(?P<close>[\]】］]))?")
        self.next_label = re.compile(rf"[\[【［]\s*(?:{names})\s*[\]】］]|(?:{names})\s*[：:]")
        pats = data.get("patterns", {})
        words = sorted(data.get("words", {}).get("list", []), key=len, reverse=True)
        self.words = frozenset(words)
        alternatives = [*pats.get("tokens", []), *(re.escape(w) for w in words)] or ["(?!)"]
        self.token = re.compile("|".join(f"(?:{a})" for a in alternatives))
        self.crumbs = re.compile(pats.get("crumbs", r"(?!)"))
        self.date_value = re.compile(pats.get("date_value", r"(?!)"))
        self.count_value = re.compile(pats.get("count_value", r"\s*\d+"))
        self.lines = [re.compile(p) for p in pats.get("lines", [])]
        self.title_suffix = re.compile(pats.get("title_suffix", r"(?!)"))

    # ---- one line ---------------------------------------------------------------------------
    def classify(self, line: str, raw: str = "", pending: str = "",
                 in_header: bool = True) -> Verdict | None:
        """The verdict on ``line`` (cleaned; ``raw`` is it as pasted, spaces and all), or None
        when it is report text. ``pending``: the kind of a label alone on the line before;
        ``in_header``: 发文字号 and 标题 values may be kept (the header zone)."""
        text = line.strip()
        if not text or len(text) > self.max_line or _is_structure(text):
            return None
        if len(text) >= self.sentence_chars and _SENTENCE_END.search(text):
            return None
        if pending and self._pending_value_ok(text, pending):
            role = self._kept_role(text, pending) if in_header else ""
            return Verdict([(text, role or IGNORED)])
        if any(p.fullmatch(text) for p in self.lines) or (raw and self._menu(raw)):
            return Verdict([(text, IGNORED)])
        spans: list[tuple[int, int, str]] = []
        cells = _cells(text)
        i = 0
        while i < len(cells):
            start, cell = cells[i]
            label, kind = self._bare_label(cell)
            if kind and i + 1 < len(cells) and not self._bare_label(cells[i + 1][1])[1]:
                # A table pasted with tabs: the label's value is the next cell.
                vstart, value = cells[i + 1]
                if not self._value_ok(value.strip(_EDGE), kind, self.max_value):
                    return None
                role = self._kept_role(value.strip(_EDGE), kind)
                if role:
                    spans.append((vstart, vstart + len(value), role))
                i += 2
                continue
            cell_spans = self._scan(cell)
            if cell_spans is None:
                return None
            spans += [(start + a, start + b, role) for a, b, role in cell_spans]
            i += 1
        if not in_header:
            spans = []
        pending_kind = ""
        if len(cells) == 1:
            label, kind = self._bare_label(cells[0][1])
            # Buttons that look like labels (分享到, 上一篇) have no value to wait for.
            if kind and label not in self.words:
                pending_kind = kind
        return Verdict(_pieces(text, spans), pending_kind)

    def _kept_role(self, value: str, kind: str) -> str:
        if kind == "doc_number" and doc_number_line(value) is not None:
            return "doc_number"
        if kind == "title" and "报告" in value:
            return "title"
        return ""

    def _bare_label(self, cell: str) -> tuple[str, str]:
        m = self.label.fullmatch(cell.strip(_EDGE))
        if not m or (m["open"] and not m["close"]):
            return "", ""
        label = _unspace(m["label"])
        return label, self.kind[label]

    def _value_ok(self, value: str, kind: str, limit: int) -> bool:
        if kind == "dated":
            return bool(self.date_value.match(value)) and len(value) <= limit
        if kind == "counts":
            return bool(self.count_value.fullmatch(value))
        if kind == "navigation":
            return "。" not in value and (value in _HOME or bool(_NAV_SEP.search(value)))
        if kind == "links":
            return len(value) <= self.max_line and "。" not in value
        return len(value) <= limit and "。" not in value and not _is_structure(value)

    def _pending_value_ok(self, value: str, kind: str) -> bool:
        # The next line may as well be the title or the 主送 of a page whose table had an
        # empty cell: those are never taken as a value.
        return (self._value_ok(value, kind, self.pending_chars) and "报告" not in value
                and not value.endswith(("：", ":")))

    def _menu(self, raw: str) -> bool:
        """A site's menu: a line of short items, one of them a known word or site name."""
        items = [x for x in _MENU_SPLIT.split(raw.strip()) if x]
        if len(items) < self.menu_items or any(
            len(x) > self.menu_item_chars or _PROSE_PUNCT.search(x) for x in items
        ):
            return False
        return any(self.token.fullmatch(x) or any(p.fullmatch(x) for p in self.lines)
                   for x in items)

    def _scan(self, cell: str) -> list[tuple[int, int, str]] | None:
        """Read ``cell`` piece by piece; None as soon as a piece is not furniture. Returns the
        spans of the values to keep (发文字号, 标题) and their roles."""
        pos, n = 0, len(cell)
        spans: list[tuple[int, int, str]] = []
        while pos < n:
            if cell[pos].isspace():
                pos += 1
                continue
            step = self._field(cell, pos)
            if step is not None:
                pos, span = step
                if span:
                    spans.append(span)
                continue
            c = self.crumbs.match(cell, pos)
            if c:
                # The last step of a breadcrumb is the page's name, up to the next field.
                nxt = self.next_label.search(cell, c.end())
                last = _CRUMB_STEP.match(cell, c.end(), nxt.start() if nxt else n)
                pos = last.end() if last else c.end()
                continue
            m = _SEP.match(cell, pos) or self.token.match(cell, pos)
            if not m or m.end() == pos:
                return None
            pos = m.end()
        return spans

    def _field(self, cell: str, pos: int) -> tuple[int, tuple[int, int, str] | None] | None:
        """A "label：value" field at ``pos``: (its end, the span of a value to keep); None when
        there is none."""
        m = self.label.match(cell, pos)
        if not m or (m["open"] and not (m["colon"] or m["close"])):
            return None
        kind = self.kind[_unspace(m["label"])]
        has_colon = bool(m["colon"] or (m["open"] and m["close"]))
        vpos = m.end()
        while vpos < len(cell) and cell[vpos].isspace():
            vpos += 1
        if kind == "counts":
            c = self.count_value.match(cell, vpos)
            if c and re.search(r"\d", c.group()):
                return c.end(), None
        elif kind == "dated":
            d = self.date_value.match(cell, vpos)
            if d:
                return d.end(), None
        if not has_colon:
            # A label word with no colon counts only at the end of its cell ("字号" of
            # "字号 大 中 小" is a button, read as a word).
            return (len(cell), None) if vpos == len(cell) else None
        end = self._value_end(cell, vpos, kind)
        raw_value = cell[vpos:end]
        value = raw_value.strip(_EDGE)
        if not value:
            return end, None
        if kind in ("dated", "counts"):  # the value sat in a cell of its own: "| 2025-02-28 |"
            return (end, None) if self._value_ok(value, kind, self.max_value) else None
        limit = self.max_line if kind in ("navigation", "links") else self.max_value
        if not self._value_ok(value, kind, limit):
            return None
        role = self._kept_role(value, kind)
        if not role:
            return end, None
        a = vpos + raw_value.index(value)
        return end, (a, a + len(value), role)

    def _value_end(self, cell: str, start: int, kind: str) -> int:
        nxt = self.next_label.search(cell, start)
        end = nxt.start() if nxt else len(cell)
        if kind not in ("doc_number", "title"):
            stop = _VALUE_STOP.search(cell, start, end)
            end = stop.start() if stop else end
        return end

    # ---- the page's title ----------------------------------------------------------------
    def title_copy(self, line: str, title: str) -> bool:
        """Is ``line`` the title again: the same words, or the title with the site's name after
        it as a browser's tab shows it ("……的报告_清河县人民政府")?"""
        a, b = _key(line), _key(title)
        if not a or not b:
            return False
        if a == b:
            return True
        longer, shorter = (line, b) if len(a) > len(b) else (title, a)
        if not _key(longer).startswith(shorter):
            return False
        return bool(self.title_suffix.fullmatch(_tail_after(longer, shorter)))


# ---- the whole text -------------------------------------------------------------------------------
def drop_furniture(lines: list[str], raws: list[str] | None = None,
                   breaks: set[int] | frozenset[int] = frozenset(),
                   zone_end: int | None = None, rules: FurnitureRules | None = None) -> Split:
    """``lines`` without their furniture. ``raws[i]`` is line i as pasted (for menus),
    ``breaks`` the lines that follow a blank line (a label's value never does), ``zone_end``
    the first line after the header zone (only there are 发文字号 and 标题 values kept)."""
    rules = rules or furniture_rules()
    zone_end = len(lines) if zone_end is None else zone_end
    out = Split([], [], set())
    pending = ""
    for i, ln in enumerate(lines):
        verdict = rules.classify(ln, raws[i] if raws else "",
                                 "" if i in breaks else pending, in_header=i < zone_end)
        pending = ""
        if verdict is None:
            out.kept.append(ln)
            continue
        for text, role in verdict.pieces:
            if role == IGNORED:
                out.dropped.append((len(out.kept), text))
                continue
            if role == "title":
                out.titles.add(len(out.kept))
            out.kept.append(text)
        pending = verdict.pending
    return out


def merge_dropped(blocks: list, kept: list[str], dropped: list[tuple[int, str]], make) -> list:
    """Put the furniture back among ``blocks`` (made from ``kept``, where a block may be several
    lines joined) at the place it was found; ``make(text)`` builds its block."""
    if not dropped:
        return blocks
    out: list = []
    j, di = 0, 0
    for b in blocks:
        while di < len(dropped) and dropped[di][0] <= j:
            out.append(make(dropped[di][1]))
            di += 1
        out.append(b)
        target, acc = len(_unspace(b.text)), 0
        while j < len(kept) and acc < target:
            acc += len(_unspace(kept[j]))
            j += 1
    out += [make(text) for _, text in dropped[di:]]
    return out


@lru_cache(maxsize=4)
def furniture_rules(path: str | None = None) -> FurnitureRules:
    p = Path(path) if path else resource("ingest", "web_furniture.toml")
    try:
        return FurnitureRules(read_toml(p))
    except (OSError, UnicodeDecodeError, TOMLDecodeError, re.error, TypeError) as exc:
        raise FurnitureDataError(
            f"程序的数据文件“{p.name}”缺失或已损坏，无法导入。请重新安装本程序。（{exc}）") from exc


# ---- helpers ----------------------------------------------------------------------------------
def _unspace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_structure(text: str) -> bool:
    """Headings are the report's own structure, never page furniture."""
    return is_l1(text) or bool(L2.match(text) or L3.match(text) or L4.match(text))


def _cells(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for cell in text.split("\t"):
        if cell.strip():
            out.append((pos, cell))
        pos += len(cell) + 1
    return out


def _pieces(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    for a, b, role in sorted(spans):
        out += [(text[pos:a], IGNORED), (text[a:b], role)]
        pos = b
    out.append((text[pos:], IGNORED))
    return [(t.strip(), role) for t, role in out if _SEP.sub("", t)]


_PUNCT = re.compile(r"[\s《》“”\"'「」『』]")


def _key(text: str) -> str:
    return _PUNCT.sub("", text)


def _tail_after(text: str, prefix_key: str) -> str:
    """What follows the characters of ``prefix_key`` at the start of ``text``."""
    n = 0
    for i, ch in enumerate(text):
        if n == len(prefix_key):
            return text[i:]
        if not _PUNCT.match(ch):
            n += 1
    return ""
