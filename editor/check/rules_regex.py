"""Checks that look at one paragraph only (cacheable by paragraph text)."""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

from .findings import Hit
from .rules import RuleSet

CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
            "七": 7, "八": 8, "九": 9}


def spans_between(text: str, open_mark: str, close_mark: str) -> list[tuple[int, int]]:
    """Spans of text inside open_mark…close_mark (outermost pairs, marks included)."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == open_mark:
            if depth == 0:
                start = i
            depth += 1
        elif ch == close_mark and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < start and end < b for a, b in spans)


def _expand(rule, m: re.Match) -> str | None:
    if rule.replace is None:
        return None
    if rule.replace == "DATE":
        return f"{m['y']}年{int(m['m'])}月{int(m['d'])}日"
    return m.expand(rule.replace)


def check_regex(text: str, kind: str, year: int, rules: RuleSet) -> list[Hit]:
    hits: list[Hit] = []
    titles = quotes = None
    for rule in rules.regex:
        if not rule.runs_on(kind, year):
            continue
        for m in rule.pattern.finditer(text):
            if m.end() == m.start():
                continue
            in_title = False
            if "《" in text:
                titles = titles if titles is not None else spans_between(text, "《", "》")
                in_title = inside(titles, m.start(), m.end())
            if in_title and rule.skip_in_titles:
                continue
            if rule.skip_in_quotes:
                quotes = quotes if quotes is not None else spans_between(text, "“", "”")
                if inside(quotes, m.start(), m.end()):
                    continue
            if rule.id == "ERR-16" and kind == "closing" and text.strip().startswith("妥否"):
                # the closing phrase of a 请示: the 报告's own closing phrase replaces it
                hits.append(Hit(rule.id, rule.severity, 0, len(text), rule.message, "特此报告。"))
                continue
            fix = None if in_title and not rule.fix_in_titles else _expand(rule, m)
            hits.append(Hit(rule.id, rule.severity, m.start(), m.end(), rule.message, fix))
    return hits


# ---- ERR-02 half-width punctuation ------------------------------------------------------------
@lru_cache(maxsize=4)
def _halfwidth_patterns(version: str, before: str, after: str, marks: str):
    cls = re.escape(marks)
    mark = re.compile(f"(?<={before})[{cls}](?=\\s*{after})")
    paren = re.compile(r"\(([^()（）\n]{0,40})\)")
    return mark, paren


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LINE_END_COLON = re.compile(r"(?<=[\u4e00-\u9fff）》”]):\s*$")


def check_halfwidth(text: str, rules: RuleSet) -> list[Hit]:
    conf = rules.section("halfwidth")
    if not conf:
        return []
    marks: dict[str, str] = conf["marks"]
    sev = conf.get("severity", "error")
    mark_re, paren_re = _halfwidth_patterns(rules.version, conf["before"], conf["after"],
                                            "".join(marks))
    hits = [Hit("ERR-02", sev, m.start(), m.end(), conf["message"], marks[m.group(0)])
            for m in mark_re.finditer(text)]
    # a line that ends on a half-width colon after Chinese (主送机关“…人民政府:”)
    m = _LINE_END_COLON.search(text)
    if m:
        hits.append(Hit("ERR-02", sev, m.start(), m.start() + 1, conf["message"], "："))
    for m in paren_re.finditer(text):
        inner = m.group(1)
        left = text[m.start() - 1] if m.start() else ""
        right = text[m.end()] if m.end() < len(text) else ""
        if _CJK.search(inner) and (_CJK.match(left or " ") or _CJK.match(right or " ")
                                   or _CJK.search(inner[:1] + inner[-1:])):
            if m.start() == 0 and re.fullmatch(r"\d{1,2}|[一二三四五六七八九十]+", inner):
                continue  # a paragraph-start marker: the numbering rule reports it
            hits.append(Hit("ERR-02", sev, m.start(), m.end(), conf["paren_message"],
                            f"（{inner}）"))
    if '"' in text:
        opened = False
        for m in re.finditer('"', text):
            hits.append(Hit("ERR-02", sev, m.start(), m.end(), conf["quote_message"],
                            "”" if opened else "“"))
            opened = not opened
    return hits


# ---- ERR-17 paired marks ---------------------------------------------------------------------------
def check_pairs(text: str, rules: RuleSet) -> list[Hit]:
    conf = rules.section("pairs")
    if not conf:
        return []
    opens, closes = conf["open"], conf["close"]
    names = conf.get("names", {})
    closing_of = dict(zip(opens, closes, strict=True))
    opening_of = dict(zip(closes, opens, strict=True))
    # half-width brackets count as brackets here (their width is ERR-02's business)
    norm = text.replace("(", "（").replace(")", "）")
    stack: list[tuple[str, int]] = []
    hits: list[Hit] = []
    sev = conf.get("severity", "error")
    for i, ch in enumerate(norm):
        if ch in closing_of:
            # “ and ” are the same mark in some fonts: a second “ while one is open is a missing ”
            stack.append((ch, i))
        elif ch in opening_of:
            want = opening_of[ch]
            if stack and stack[-1][0] == want:
                stack.pop()
            elif any(o == want for o, _ in stack):
                # close the inner unclosed marks first: they are the broken ones, and their
                # closing mark belongs just before this one (纲要（2021—2025年》)
                while stack and stack[-1][0] != want:
                    o, pos = stack.pop()
                    name = names.get(o, "标点")
                    message = conf["message_open"].format(mark=name, name=name, open=o,
                                                          close=closing_of[o])
                    hits.append(Hit("ERR-17", sev, pos, i, message,
                                    text[pos:i] + closing_of[o]))
                stack.pop()
            else:
                name = names.get(want, "标点")
                hits.append(Hit("ERR-17", sev, i, i + 1,
                                conf["message_close"].format(mark=name, name=name, open=want,
                                                             close=ch)))
    for o, pos in stack:
        hits.append(_open_hit(text, o, pos, closing_of[o], names, conf, sev))
    return hits


def _open_hit(text, o, pos, close, names, conf, sev) -> Hit:
    name = names.get(o, "标点")
    message = conf["message_open"].format(mark=name, name=name, open=o, close=close)
    # Suggest closing a 书名号 before the next comma when what is between looks like a title.
    if o == "《":
        m = re.compile(r"[^，。；、：！？《》\n]{2,40}").match(text, pos + 1)
        if m and m.end() < len(text) and text[m.end()] in "，。；、：！？":
            return Hit("ERR-17", sev, pos, m.end(), message, text[pos:m.end()] + "》")
    return Hit("ERR-17", sev, pos, pos + 1, message)


# ---- ERR-08 adverb + 的 + verb ------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _de_pattern(version: str, adverbs: tuple[str, ...], verbs: tuple[str, ...]):
    adv = "|".join(sorted(map(re.escape, adverbs), key=len, reverse=True))
    vb = "|".join(sorted(map(re.escape, verbs), key=len, reverse=True))
    return re.compile(f"(?P<a>{adv})的(?P<v>{vb})(?P<next>.?)")


def check_de_di_de(text: str, rules: RuleSet) -> list[Hit]:
    conf = rules.section("de_di_de")
    if not conf or "的" not in text:
        return []
    pattern = _de_pattern(rules.version, tuple(conf["adverbs"]), tuple(conf["verbs"]))
    hits = []
    nominal = tuple(conf.get("nominal_before", ()))
    for m in pattern.finditer(text):
        # “得到有效的落实”“实现了扎实的推进”: the verb is a noun there and 的 is right
        head = text[max(0, m.start() - 5):m.start()].replace("了", "")
        if head.endswith(nominal):
            continue
        # a verb closing the clause is used as a noun (“取得积极的推进。”)
        if not m["next"] or m["next"] in "，。；、！？”）":
            continue
        start = m.start("a")
        end = m.end("v")
        hits.append(Hit("ERR-08", conf.get("severity", "warning"), start, end, conf["message"],
                        f"{m['a']}地{m['v']}"))
    return hits


# ---- ERR-07 titles with year pairs --------------------------------------------------------------------
@lru_cache(maxsize=4)
def _title_patterns(version: str, patterns: tuple[str, ...]):
    return [re.compile(p) for p in patterns]


# Who issues the national documents of [[titles]]; any other name in front of a title makes it
# another document of the same name (《湖南省法治政府建设实施纲要（2021—2025年）》).
_NATIONAL = ("中共中央", "党中央", "国务院", "中央", "国家")
_AUTHORITY_END = re.compile(r"(?<!中)(省|自治区|市|县|区|州|盟|旗|镇|乡|街道|厅|局|委员会)$")


def issued_locally(text: str, start: int) -> bool:
    """The title at ``start`` has an issuing authority of its own in front of it."""
    open_at = text.rfind("《", 0, start)
    if open_at >= 0 and "》" not in text[open_at:start]:
        prefix = text[open_at + 1:start]
        for word in _NATIONAL:
            prefix = prefix.replace(word, "")
        return bool(prefix.strip("、 "))
    # not quoted: only a name that ends like an authority (湖南省, 广州市) issues it
    return bool(_AUTHORITY_END.search(text[max(0, start - 12):start]))


def check_titles(text: str, rules: RuleSet) -> list[Hit]:
    """ERR-07: a national document's name cited with years it never had. A document of a
    province, city or county may share the name with other years: it is left alone."""
    titles = rules.data.get("titles") or []
    if not titles:
        return []
    hits = []
    compiled = _title_patterns(rules.version, tuple(t["pattern"] for t in titles))
    for conf, pattern in zip(titles, compiled, strict=True):
        for m in pattern.finditer(text):
            if issued_locally(text, m.start()):
                continue
            a = int(m["a"])
            b = int(m["b"]) if m["b"] else None
            if b is not None and [a, b] in conf["valid"]:
                continue
            fix = None
            good = [v for v in conf["valid"] if v[1] == b or v[0] == a]
            if len(good) == 1 and b is not None:
                fix = m.group(0).replace(m["a"], str(good[0][0]), 1)
                fix = fix[: fix.rfind(m["b"])] + str(good[0][1]) + fix[fix.rfind(m["b"]) + 4:]
            hits.append(Hit("ERR-07", "error", m.start(), m.end(), conf["message"], fix))
    return hits


# ---- ERR-10 impossible dates ---------------------------------------------------------------------------
_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")


def check_dates(text: str) -> list[Hit]:
    hits = []
    for m in _DATE.finditer(text):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if not 1 <= mo <= 12:
            bad = True
        else:
            bad = not 1 <= d <= calendar.monthrange(y, mo)[1]
        if bad:
            hits.append(Hit("ERR-10", "error", m.start(), m.end(),
                            f"日期“{m.group(0)}”不存在，请核对。"))
    return hits


# ---- ERR-18 numerals ---------------------------------------------------------------------------------
_CN_NUM = "一二三四五六七八九十百千"


@lru_cache(maxsize=4)
def _numeral_patterns(version: str, measures: str):
    cn = re.compile(
        rf"(?<![第“一二三四五六七八九十百千两])(?P<n>[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]百[零一二三四五六七八九十]*)"
        rf"(?P<about>余|多)?(?P<u>{measures})"
    )
    arabic = re.compile(rf"\d+(?P<about>余|多)?(?:{measures})")
    return cn, arabic


def _cn_value(s: str) -> int | None:
    if "百" in s:
        return None
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_DIGIT.get(s[1:], 0)
    tens, _, ones = s.partition("十")
    return CN_DIGIT.get(tens, 0) * 10 + (CN_DIGIT.get(ones, 0) if ones else 0)


def check_numerals(text: str, rules: RuleSet) -> list[Hit]:
    conf = rules.section("numerals")
    if not conf or not any(c in text for c in "十百"):
        return []
    cn, arabic = _numeral_patterns(rules.version, conf["measures"])
    arabic_hits = list(arabic.finditer(text))
    if not arabic_hits:
        return []
    hits = []
    sev = conf.get("severity", "warning")
    for m in cn.finditer(text):
        value = _cn_value(m["n"])
        suggestion = f"{value}{m['about'] or ''}{m['u']}" if value is not None else None
        if m["about"]:
            same = next((a for a in arabic_hits if a["about"]), None)
            if same is None:
                continue  # 十余次 alone is an allowed 概数
            message = conf["mixed_message"].format(a=m.group(0), b=same.group(0))
        else:
            message = conf["message"]
        hits.append(Hit("ERR-18", sev, m.start(), m.end(), message, suggestion))
    return hits
