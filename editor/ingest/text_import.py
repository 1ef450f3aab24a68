"""Plain text (one paragraph a line, or text copied from a PDF or a web page) → proposed roles.

Recognises the 版头 and 版记 elements by their shape rather than their line number, the parts by
their L1 headings, and sections by （一） markers (half-width brackets and a stray 、 tolerated; the
marker as found is kept on the section so the proofreader can point at it). A web page's
furniture (web_furniture) is set aside first and shown as 已忽略 where it stood.

The work is split in two so the user can correct it in between: :func:`propose_lines` gives every
paragraph a role (an :class:`~editor.ingest.proposal.ImportProposal`), :func:`build_report`
(build.py) turns the roles into a :class:`~editor.model.Report`. :func:`parse_text` does both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Report, clean_text
from ..profile import Profile
from .build import build_report, heading_text
from .lines import TERMINAL as _TERMINAL
from .lines import continues as _continues
from .lines import join_broken_lines, normalise_line, split_lines
from .lines import width as _width
from .lines import wrap_width as _wrap_width
from .proposal import NO_STRUCTURE_MESSAGE, Block, ImportProposal
from .shapes import (
    CC_LINE,
    CLOSINGS,
    DATE,
    L1,
    L1_PART,
    L2,
    PRINT_LINE,
    classify_heading,
    doc_number_line,
    is_l1,
    is_tail_line,
    looks_like_signature,
    starts_element,
)
from .web_furniture import IGNORED, drop_furniture, furniture_rules, merge_dropped


# ---- roles ------------------------------------------------------------------------------------
def propose_text(text: str, source: str = "粘贴的文本", encoding: str = "") -> ImportProposal:
    # Lines as pasted: the spaces that clean-up removes still tell a site's menu from text.
    return propose_lines(clean_text(text).split("\n"), source=source, encoding=encoding)


def propose_lines(
    lines: Iterable[str], source: str = "", encoding: str = ""
) -> ImportProposal:
    """Give every paragraph a role. ``lines`` may be raw; they are cleaned here."""
    cleaned, raws, breaks = [], [], set()
    for raw in lines:
        parts = split_lines(raw)
        if not parts and raw.strip() == "":
            breaks.add(len(cleaned))
        cleaned += parts
        raws += [raw if len(parts) == 1 else ""] * len(parts)
    split = drop_furniture(cleaned, raws, breaks,
                           zone_end=next((i for i, ln in enumerate(cleaned) if is_l1(ln)),
                                         len(cleaned)))
    lines = split.kept
    first_l1 = next((i for i, ln in enumerate(lines) if is_l1(ln)), len(lines))
    structured = first_l1 < len(lines)
    floor = first_l1 if structured else 0

    # ---- 版记 and signature: from the closing phrase on ------------------------------------
    body_end, closing_at = len(lines), None
    for i in range(len(lines) - 1, floor - 1, -1):
        if CLOSINGS.match(lines[i]):
            body_end, closing_at = i, i
            break
    if closing_at is None:
        # No closing phrase: peel recognisable 版记 lines off the end.
        while body_end > floor and is_tail_line(lines[body_end - 1]):
            body_end -= 1
        # An organ name right above the 成文日期 is the signature.
        if (
            body_end < len(lines) and DATE.match(lines[body_end])
            and body_end - 1 > floor and looks_like_signature(lines[body_end - 1])
        ):
            body_end -= 1
    tail = _tail_blocks(lines[body_end + (closing_at is not None):])

    # ---- 版头 and 主送 ----------------------------------------------------------------------
    head_end = first_l1 if structured else body_end
    head, rest_start = _head_blocks(lines[:head_end], strict=not structured,
                                    field_titles=split.titles)
    body_lines = lines[rest_start:body_end] if not structured else lines[first_l1:body_end]
    if not structured:
        head = head[: rest_start]

    # Preamble and body paragraphs broken across lines (text copied from a PDF) are joined.
    width = _wrap_width(lines[rest_start if not structured else first_l1 : body_end]
                        + [b.text for b in head if b.role == "preamble"])
    head = _join_role(head, "preamble", width)
    blocks = head + _body_blocks(join_broken_lines(body_lines, width))
    if closing_at is not None:
        blocks.append(Block(lines[closing_at], "closing"))
    blocks += tail
    blocks = merge_dropped(blocks, lines, split.dropped, lambda text: Block(text, IGNORED))

    proposal = ImportProposal(blocks=blocks, source=source, encoding=encoding,
                              structured=structured)
    if not structured and any(b.role in ("body", "section") for b in blocks):
        proposal.messages.append(NO_STRUCTURE_MESSAGE)
    proposal.refresh_messages()
    return proposal


def _title_lines(ln: str, nxt: str) -> int:
    """1 if ``ln`` is a title, 2 if it is a long title's first line, else 0."""
    if "报告" in ln and len(ln) < 80 and not ln.endswith(("：", ":")):
        return 1
    if (
        ("关于" in ln or nxt.startswith("关于")) and "报告" not in ln and len(ln) < 60
        and not _TERMINAL.search(ln) and "报告" in nxt and len(nxt) < 40
        and not nxt.endswith(("：", ":"))
    ):
        return 2
    return 0


def _head_blocks(head: list[str], strict: bool,
                 field_titles: set[int] = frozenset()) -> tuple[list[Block], int]:
    """Roles of the lines before the first part heading. With ``strict`` (no part headings at
    all) the header ends at the first line that is not a header element or the 如下： preamble;
    returns the blocks and where the header ends. ``field_titles``: lines that are the value
    of a web page's 标题 field, the title only if the text shows none of its own."""
    blocks: list[Block] = []
    have = set()
    skip_next = False
    field_title = None  # index in blocks of the 标题 value waiting to be needed
    rules = furniture_rules()
    page_titles = _page_headings(head, rules)
    for i, ln in enumerate(head):
        if skip_next:
            skip_next = False
            continue
        if i in page_titles:
            blocks.append(Block(ln, IGNORED))
            continue
        nxt = head[i + 1] if i + 1 < len(head) else ""
        top = not have & {"recipients", "preamble"}
        if i in field_titles:
            # Left out for now: the title only if no line of the text turns out to be one.
            if field_title is None and top:
                field_title = len(blocks)
            blocks.append(Block(ln, IGNORED))
            continue
        title = "".join(b.text for b in blocks if b.role == "title")
        if title and top:
            # The page's <h1> above the text, or the browser's title with the site name after
            # it: a copy of the title, not a second one.
            copy = 1 if rules.title_copy(ln, title) else \
                2 if nxt and rules.title_copy(ln + nxt, title) else 0
            if copy == 1 and len(_unspace(ln)) < len(_unspace(title)):
                # The title seen first carried the site's name; this is the clean one.
                _demote_title(blocks)
                blocks.append(Block(ln, "title"))
                continue
            if copy:
                blocks += [Block(x, IGNORED) for x in (ln, nxt)[:copy]]
                skip_next = copy == 2
                continue
        title_lines = _title_lines(ln, nxt) if "title" not in have else 0
        if doc_number_line(ln) is not None and top:
            # Only a line that is a 发文字号 (a number cited in the 前言 is not), and only
            # above the 主送 and the 前言.
            role = "doc_number"
        elif not have & {"organ_mark", "title"} and ln.endswith("文件") and len(ln) < 40:
            role = "organ_mark"
        elif title_lines == 1:
            role = "title"
        elif title_lines == 2:
            # A long title broken over two lines.
            blocks += [Block(ln, "title"), Block(nxt, "title")]
            have.add("title")
            skip_next = True
            continue
        elif (
            not have & {"organ_mark", "title", "recipients", "preamble"} and len(ln) < 40
            and not re.search(r"[，,。；;：:]", ln) and not _TERMINAL.search(ln)
            and any("报告" in later for later in head[i + 1 : i + 4])
        ):
            # An issuing organ's name above the title without "文件" (e.g. a 党工委 line).
            role = "organ_mark"
        elif "recipients" not in have and ln.endswith(("：", ":")) and len(ln) < 80 \
                and "如下" not in ln:
            role = "recipients"
        elif strict and not (ln.endswith(("如下：", "如下:")) and "preamble" not in have):
            return _field_title(blocks, field_title), i
        else:
            role = "preamble"
        blocks.append(Block(ln, role))
        have.add(role)
    return _field_title(blocks, field_title), len(head)


def _field_title(blocks: list[Block], index: int | None) -> list[Block]:
    if index is not None and not any(b.role == "title" for b in blocks):
        blocks[index].role = "title"
    return blocks


def _page_headings(head: list[str], rules) -> set[int]:
    """The page's <h1> and the browser's title when the text repeats the title further down
    (the document's own title, maybe below its 版头): the last clean copy is the title, so the
    版头 above it stays one; the others are left out."""
    first = next((i for i, ln in enumerate(head) if _title_lines(ln, "") == 1), None)
    if first is None:
        return set()
    group = [first]
    for j in range(first + 1, len(head)):
        if head[j].endswith(("：", ":")):
            break  # the 主送: the title is behind us
        if _title_lines(head[j], "") == 1 and rules.title_copy(head[j], head[first]):
            group.append(j)
    shortest = min(len(_unspace(head[i])) for i in group)
    keep = max(i for i in group if len(_unspace(head[i])) == shortest)
    return set(group) - {keep}


def _demote_title(blocks: list[Block]) -> None:
    for b in blocks:
        if b.role == "title":
            b.role = IGNORED


def _unspace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _join_role(blocks: list[Block], role: str, width: int | None) -> list[Block]:
    out: list[Block] = []
    last = ""
    for b in blocks:
        prev = out[-1] if out else None
        if prev and prev.role == role == b.role and _continues(prev.text, width, last) \
                and not starts_element(b.text):
            prev.text += b.text
        else:
            out.append(Block(b.text, b.role, b.key))
        last = b.text
    return out


def _body_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    seen: set[str] = set()
    for ln in lines:
        m1 = L1.match(ln) or L1_PART.match(ln)
        if m1:
            key = classify_heading(heading_text(m1.group(2))[0], seen)
            seen.add(key)
            blocks.append(Block(ln, "part", key))
        elif L2.match(ln):
            blocks.append(Block(ln, "section"))
        else:
            blocks.append(Block(ln, "body"))
    return blocks


def _tail_blocks(tail: list[str]) -> list[Block]:
    blocks: list[Block] = []
    have_signature = False
    for ln in tail:
        if CC_LINE.match(ln):
            role = "cc"
        elif PRINT_LINE.match(ln):
            role = "printer"
        elif DATE.match(ln):
            role = "date"
        elif ln.startswith(("（", "(")) and ("联系人" in ln or "电话" in ln):
            role = "note"
        elif not have_signature:
            role, have_signature = "signature", True
        else:
            role = "unknown"
        blocks.append(Block(ln, role))
    return blocks


def parse_text(text: str, profile: Profile | None = None) -> Report:
    return propose_text(text).to_report(profile)


# build_report, classify_heading, normalise_line and _width are imported from here by older code.
__all__ = [
    "_width", "build_report", "classify_heading", "normalise_line", "parse_text", "propose_lines",
    "propose_text", "split_lines",
]
