"""A rescue file (``未保存的报告-….json``: the window writes it when the database cannot be
written, e.g. a full disk) read back whole: every field of the report, as it was in the window.

It is the report's own JSON (``Report.to_dict``), so nothing is guessed from paragraphs. The
proposal still carries blocks, for the import dialog's preview; as long as the user leaves
their roles alone, ``to_report`` returns the rescued report itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..model import Report, new_uid
from .errors import UnsupportedFormatError
from .proposal import Block, ImportProposal

RESCUE_PREFIX = "未保存的报告"


def looks_like_rescue(name: str, data: bytes) -> bool:
    """JSON in the shape of a report, or a file named as the rescue names them."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head == b"{" and (name.startswith(RESCUE_PREFIX) or name.lower().endswith(".json")
                             or b'"parts"' in data[:1_000_000])


def rescued_proposal(name: str, data: bytes) -> ImportProposal:
    """Raises :class:`UnsupportedFormatError` for JSON that is not (a whole) report."""
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise UnsupportedFormatError(
            f"文件“{name}”像是程序另存的报告（JSON 格式），但内容不完整或已损坏"
            "（可能是磁盘满时没有写完），无法导入。请找同一时间另存在其他文件夹里的那一份。") from exc
    if not (isinstance(raw, dict) and isinstance(raw.get("parts"), list)
            and isinstance(raw.get("header", {}), dict) and isinstance(raw.get("year"), int)):
        raise UnsupportedFormatError(
            f"文件“{name}”是 JSON 文件，但不是本程序另存的报告，无法导入。"
            "请选择 .docx 或 .txt 报告，或程序另存的“未保存的报告-….json”。")
    try:
        report = Report.from_dict(raw)
        report.clean()
    except (TypeError, ValueError, AttributeError) as exc:
        raise UnsupportedFormatError(
            f"文件“{name}”中的报告数据不完整，无法导入。请找同一时间另存的其他副本。") from exc
    proposal = RescuedProposal(blocks=_blocks(report), source=name, encoding="utf-8",
                               rescued=report)
    proposal.original = [(b.text, b.role, b.key) for b in proposal.blocks]
    was = f"（原编号 {raw.get('id')}）" if raw.get("id") else ""
    proposal.messages.append(f"这是程序在无法保存时另存的报告{was}，将按原样完整导入为一份新草稿。")
    return proposal


def _blocks(report: Report) -> list[Block]:
    h = report.header
    blocks = [Block(text, role) for text, role in (
        (h.organ_mark, "organ_mark"), (h.doc_number, "doc_number"), (h.title, "title"),
        (h.recipients, "recipients")) if text]
    blocks += [Block(line, "preamble") for line in report.preamble.splitlines() if line.strip()]
    for part in report.parts:
        blocks.append(Block(part.heading or "（无标题）", "part", part.key))
        blocks += [Block(line, "body") for line in part.lead.splitlines() if line.strip()]
        for s in part.sections:
            blocks.append(Block(s.title or "（无标题）", "section"))
            blocks += [Block(line, "body") for line in s.body.splitlines() if line.strip()]
    tail = ((report.closing, "closing"), (h.signature, "signature"), (h.date, "date"),
            (h.note, "note"), (h.cc, "cc"), (h.printer, "printer"))
    return blocks + [Block(text, role) for text, role in tail if text]


@dataclass
class RescuedProposal(ImportProposal):
    rescued: Report | None = None
    original: list[tuple[str, str, str]] = field(default_factory=list)

    def to_report(self, profile=None) -> Report:
        """The rescued report as a new draft (new id and uids, so it never collides with the
        report it was saved from); rebuilt from the blocks only if the user changed a role."""
        if self.rescued is None or [(b.text, b.role, b.key) for b in self.blocks] != self.original:
            return super().to_report(profile)
        report = self.rescued.copy()
        report.id = None
        report.created_at = report.updated_at = ""
        for part in report.parts:
            part.uid = new_uid()
            for s in part.sections:
                s.uid = new_uid()
        return report
