"""The proposed split of an imported text, which the user sees and may correct before the draft
is created.

An :class:`ImportProposal` is a list of :class:`Block` s, one per paragraph, each with the role the
importer detected. The GUI shows them (text + role + part key), lets the user change roles, then
calls :meth:`ImportProposal.to_report`. Roles are plain strings so they survive JSON and Qt models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Report, chinese_number

# role → label shown to the user, in the order a report has them.
ROLE_LABELS: dict[str, str] = {
    "organ_mark": "发文机关标志",
    "doc_number": "发文字号/签发人",
    "title": "标题",
    "recipients": "主送机关",
    "preamble": "前言",
    "part": "部分标题（一级标题）",
    "section": "小节（二级标题及正文）",
    "body": "正文段落",
    "closing": "结束语",
    "signature": "发文机关署名",
    "date": "成文日期",
    "note": "附注",
    "cc": "抄送",
    "printer": "印发机关和印发日期",
    "unknown": "未识别（不导入）",
    # Web page furniture (索引号, 发布日期, 打印本页 …) and copies of the title: recognised, and
    # left out unless the user picks another role.
    "ignored": "已忽略",
}
ROLES = tuple(ROLE_LABELS)

NO_STRUCTURE_MESSAGE = (
    "没有识别出“一、”“二、”这样的部分标题，全部正文已放在同一个部分里。"
    "请在下面为段落指定角色（例如把某段设为“部分标题”），或导入后在编辑器中调整。"
)
UNKNOWN_MESSAGE = "有 {n} 段未能识别，标为“未识别”的段落不会导入；如需保留，请为它们指定角色。"
IGNORED_MESSAGE = (
    "有 {n} 段是网页上的栏目信息（如索引号、发布日期、浏览次数、打印本页）或重复的标题，"
    "标为“已忽略”，不会导入；如有正文被误判，请为它改选角色。"
)


@dataclass
class Block:
    text: str
    role: str
    # For role "part": the profile part key (measures / shortcomings / duty / plan / other /
    # theme). Empty means "work it out from the heading text" when the report is built.
    key: str = ""

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass
class ImportProposal:
    blocks: list[Block] = field(default_factory=list)
    source: str = ""  # file name or "粘贴的文本"
    encoding: str = ""  # the text encoding detected, for .txt files
    structured: bool = True  # False: no part headings were found
    messages: list[str] = field(default_factory=list)

    def set_role(self, index: int, role: str, key: str = "") -> None:
        if role not in ROLE_LABELS:
            raise ValueError(f"unknown role {role!r}")
        self.blocks[index].role = role
        self.blocks[index].key = key if role == "part" else ""

    def lines(self, role: str) -> list[str]:
        return [b.text for b in self.blocks if b.role == role]

    def to_report(self, profile=None) -> Report:
        """Build the report from the blocks and their (possibly corrected) roles."""
        from .build import build_report

        return build_report(self.blocks, profile)

    def refresh_messages(self) -> None:
        self.messages = [m for m in self.messages if not m.startswith("有 ")]
        # Both start with "有 ", which is how the line above finds them to recount.
        n = sum(1 for b in self.blocks if b.role == "unknown")
        if n:
            self.messages.append(UNKNOWN_MESSAGE.format(n=n))
        n = sum(1 for b in self.blocks if b.role == "ignored")
        if n:
            self.messages.append(IGNORED_MESSAGE.format(n=n))


def tidied_notes(report: Report) -> list[str]:
    """What the import put right on its way in, for the summary after an import: the user will
    not find these in the draft, and they are not counted as errors of it."""
    notes = []
    # a section's own number went into the program's numbering; only the ones the old file
    # had wrong (half-width, a stray 、, out of order) are worth telling
    markers = [s.source_marker for p in report.parts for i, s in enumerate(p.sections, 1)
               if s.source_marker and s.source_marker != f"（{chinese_number(i)}）"]
    if markers:
        shown = "”“".join(dict.fromkeys(markers[:4]))
        notes.append(f"原文件有 {len(markers)} 个小标题序号写法不规范或不连续（如“{shown}”），"
                     "导入时已去掉，导出时由程序按顺序编号。")
    if report.header.source_doc_number:
        notes.append(f"发文字号原文为“{report.header.source_doc_number}”，已拆分填入发文字号各栏；"
                     "原写法见“问题”中的提示。")
    return notes

