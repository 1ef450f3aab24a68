"""The report as plain data: no Qt, no SQLite, no DOCX.

A report is a header (版头/版记 elements), a preamble, an ordered list of parts and a closing
phrase. A part has a heading, an optional lead paragraph and sections; a section has a title and a
body of plain paragraphs. Heading numbers (一、 （一）) are never stored: they follow from the order.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .text import clean_line, clean_text, word_count

SCHEMA_VERSION = 1

CN_DIGITS = "零一二三四五六七八九"


def new_uid() -> str:
    """12 random hex digits (the form uuid4().hex[:12] gave, without importing uuid at start)."""
    return os.urandom(6).hex()


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (enough for headings)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "" if tens == 1 else CN_DIGITS[tens]
        return head + "十" + (CN_DIGITS[ones] if ones else "")
    return str(n)


def part_number(index: int) -> str:
    """The 一、 marker of the part at ``index`` (0-based)."""
    return f"{chinese_number(index + 1)}、"


def section_number(index: int) -> str:
    """The （一） marker of the section at ``index`` (0-based)."""
    return f"（{chinese_number(index + 1)}）"


_DOC_NUMBER = re.compile(
    r"^\s*(?P<code>.*?)\s*[〔\[【（(﹝［{]\s*(?P<year>\d{4})\s*[〕\]】）)﹞］}]\s*"
    r"第?\s*(?P<serial>\d+)\s*号\s*$"
)


@dataclass
class Header:
    """The 版头, 主体 and 版记 elements of an upward 报告, as the user types them."""

    organ_mark: str = ""  # 发文机关标志, e.g. 清河县临江镇人民政府文件
    doc_code: str = ""  # 机关代字, e.g. 临府
    doc_year: str = ""  # 发文字号 year, e.g. 2026
    doc_serial: str = ""  # 发文字号 序号, e.g. 12
    signer: str = ""  # 签发人
    title: str = ""  # 标题
    recipients: str = ""  # 主送机关, ending in ：
    signature: str = ""  # 发文机关署名
    date: str = ""  # 成文日期, 2026年2月10日
    note: str = ""  # 附注, （联系人：…，电话：…）
    cc: str = ""  # 抄送机关
    printer: str = ""  # 印发机关
    print_date: str = ""  # 印发日期
    publicity: str = "主动公开"  # 公开属性
    # The 发文字号 exactly as an imported file had it, when it differs from the composed one
    # (e.g. 临府[2026]12号): kept so the proofreader can show the user what was wrong.
    source_doc_number: str = ""

    @property
    def doc_number(self) -> str:
        """The composed 发文字号, e.g. 临府〔2026〕12号; empty while nothing is filled in."""
        if not (self.doc_code or self.doc_year or self.doc_serial):
            return ""
        serial = self.doc_serial.lstrip("0") or self.doc_serial
        return f"{self.doc_code}〔{self.doc_year}〕{serial}号"

    def set_doc_number(self, text: str) -> bool:
        """Split a typed or imported 发文字号 into its fields. Returns False if it has no year."""
        text = clean_line(text or "")
        m = _DOC_NUMBER.match(text)
        if not m:
            self.doc_code, self.doc_year, self.doc_serial = clean_line(text), "", ""
            return False
        self.doc_code = m["code"]
        self.doc_year = m["year"]
        self.doc_serial = m["serial"]
        self.source_doc_number = "" if self.doc_number == text else text
        return True

    def clean(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                setattr(self, f.name, clean_line(value))


# Header fields that hold running text, in document order (the proofreader reads these).
HEADER_FIELDS = ("organ_mark", "doc_number", "signer", "title", "recipients", "signature",
                 "date", "note", "cc", "printer", "print_date")


def doc_number_field(header: Header) -> str:
    """Where the 发文字号 text stands: as imported (``source_doc_number``) when that differed from
    the composed one, so a finding can point at what was wrong, else ``doc_number``."""
    return "source_doc_number" if header.source_doc_number else "doc_number"


def header_field_text(header: Header, name: str) -> str:
    """A header field's text (``doc_number`` is the composed 发文字号)."""
    return getattr(header, name, "") or ""


# Review state of a section (issue: section review). "" means never reviewed.
SECTION_STATES = ("", "pending", "approved", "outdated")


@dataclass
class Section:
    title: str = ""
    body: str = ""
    uid: str = field(default_factory=new_uid)
    # "（一）标题。正文……" in one paragraph (the usual form) or the title on a line of its own.
    run_in: bool = True
    status: str = ""
    reviewer: str = ""
    reviewed_at: str = ""
    # The numbering as it stood in an imported file, kept so the proofreader can point at a
    # malformed source marker; empty for sections created in the editor.
    source_marker: str = ""

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n") if p.strip()]

    @property
    def is_empty(self) -> bool:
        """Neither title nor body: the export leaves it out (it would print a bare “（一）。”)."""
        return not self.title.strip() and not self.body.strip()

    def word_count(self) -> int:
        return word_count(self.title) + word_count(self.body)


@dataclass
class Part:
    key: str  # profile part key: measures / shortcomings / duty / plan / other, or theme
    heading: str = ""
    lead: str = ""
    sections: list[Section] = field(default_factory=list)
    enabled: bool = True
    uid: str = field(default_factory=new_uid)
    lead_status: str = ""  # "outdated" (待更新): the lead is last year's, not yet rewritten

    def word_count(self) -> int:
        return word_count(self.heading) + word_count(self.lead) + sum(
            s.word_count() for s in self.sections
        )


@dataclass
class Report:
    year: int
    organ: str = ""  # 报告单位, e.g. 清河县临江镇人民政府
    body_type: str = "乡镇"  # 乡镇 / 街道 / 县级政府 / 政府部门
    profile: str = "fazhi_zhengfu"
    header: Header = field(default_factory=Header)
    preamble: str = ""
    parts: list[Part] = field(default_factory=list)
    closing: str = "特此报告。"
    preamble_status: str = ""  # "outdated" (待更新): last year's 前言, not yet rewritten
    id: int | None = None
    created_at: str = ""
    updated_at: str = ""

    # ---- structure helpers -------------------------------------------------------------
    @property
    def enabled_parts(self) -> list[Part]:
        return [p for p in self.parts if p.enabled]

    def part_by_key(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)

    def find_section(self, uid: str) -> tuple[Part, int] | None:
        for part in self.parts:
            for i, s in enumerate(part.sections):
                if s.uid == uid:
                    return part, i
        return None

    def word_count(self) -> int:
        """字数 of everything that goes into the body of the document."""
        total = word_count(self.header.title) + word_count(self.header.recipients)
        total += word_count(self.preamble) + word_count(self.closing)
        return total + sum(p.word_count() for p in self.enabled_parts)

    def clean(self) -> None:
        """Strip control characters from every field (pasted web text breaks DOCX files)."""
        self.header.clean()
        self.organ = clean_line(self.organ)
        self.preamble = clean_text(self.preamble)
        self.closing = clean_line(self.closing)
        for part in self.parts:
            part.heading = clean_line(part.heading)
            part.lead = clean_text(part.lead)
            for s in part.sections:
                s.title = clean_line(s.title)
                s.body = clean_text(s.body)

    # ---- (de)serialisation -------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["schema"] = SCHEMA_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        header = _build(Header, data.get("header") or {})
        parts = []
        for p in data.get("parts") or []:
            sections = [_build(Section, s) for s in p.get("sections") or []]
            part = _build(Part, {k: v for k, v in p.items() if k != "sections"})
            part.sections = sections
            parts.append(part)
        top = {k: v for k, v in data.items() if k not in ("header", "parts", "schema")}
        report = _build(cls, top)
        report.header = header
        report.parts = parts
        return report

    def copy(self) -> Report:
        return Report.from_dict(self.to_dict())


def _build(cls, data: dict[str, Any]):
    """Construct a dataclass from a dict, ignoring keys this version does not know."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})
