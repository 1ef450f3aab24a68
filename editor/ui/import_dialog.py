"""The proposed split of an imported report, shown before anything is created: every paragraph
with the role the importer gave it (editable), the importer's messages, and the parts and
sections the draft will have. 确定 accepts the proposal as corrected; nothing is written here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.ingest import ROLE_LABELS, ROLES, ImportProposal
from editor.model import part_number, section_number

from . import screen
from .widgets import titled

TEXT_LIMIT = 120  # characters of a paragraph shown in its row; the tooltip has all of it

# Rows of structural roles stand out so the split can be checked at a glance; rows left out
# (web page furniture, a repeated title) are greyed so the text that stays reads as one.
ROLE_COLORS = {"part": "#e3eefc", "section": "#eef6e8", "unknown": "#fde8e8", "ignored": "#f2f2f2"}
ROLE_TEXT_COLORS = {"ignored": "#8a8a8a"}
IGNORED_TIP = "网页上的栏目信息（索引号、发布日期、打印本页等）或重复的标题，不会导入。如是正文，请改选角色。"


def _short(text: str, limit: int = TEXT_LIMIT) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ImportDialog(QDialog):
    """Shows ``proposal`` and lets the user change each block's role (``proposal`` is changed
    in place). ``report()`` builds the draft from the blocks as they now stand."""

    def __init__(self, proposal: ImportProposal, profile=None, parent: QWidget | None = None,
                 title: str = "导入报告") -> None:
        super().__init__(parent)
        self.proposal = proposal
        self.profile = profile
        self.setWindowTitle(title)
        screen.fit(self, 1180, 760)

        source = proposal.source or "导入的文本"
        info = f"来源：{source}，共 {len(proposal.blocks)} 段。"
        self.info = QLabel(info + "请核对每段被识别成了什么；识别错的，在“识别为”一栏改正。"
                           "点“创建草稿”后才会新建报告。", self)
        self.info.setWordWrap(True)
        if proposal.encoding:  # a technical detail: there for whoever needs it, not in the text
            self.info.setToolTip(f"文件的文字编码：{proposal.encoding}")

        self.messages = QLabel(self)
        self.messages.setWordWrap(True)
        self.messages.setStyleSheet(
            "background: #fff6d6; border: 1px solid #e6c96a; padding: 6px; color: #5a4500;")

        self.table = QTableWidget(len(proposal.blocks), 2, self)
        self.table.setHorizontalHeaderLabels(["段落内容", "识别为"])
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(1, 190)
        self.combos: list[QComboBox] = []
        for i, block in enumerate(proposal.blocks):
            self.table.setItem(i, 0, QTableWidgetItem(_short(block.text)))
            combo = QComboBox(self.table)
            for role in ROLES:
                combo.addItem(ROLE_LABELS[role], role)
            combo.setCurrentIndex(ROLES.index(block.role) if block.role in ROLES else 0)
            combo.currentIndexChanged.connect(lambda _i, row=i: self._role_changed(row))
            self.table.setCellWidget(i, 1, combo)
            self.combos.append(combo)
            self._color_row(i)

        self.preview = QTreeWidget(self)
        self.preview.setHeaderLabels(["导入后的结构"])
        self.preview.setUniformRowHeights(True)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(titled("识别结果（每段一行）", self.table, parent=split))
        split.addWidget(titled("将建立的部分和节", self.preview, parent=split))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([720, 420])

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("创建草稿")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.messages)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        self._update()

    # ---- roles ---------------------------------------------------------------------------------
    def set_role(self, row: int, role: str) -> None:
        """Change a block's role as the user would with its combo box."""
        self.combos[row].setCurrentIndex(ROLES.index(role))

    def _role_changed(self, row: int) -> None:
        role = self.combos[row].currentData()
        self.proposal.set_role(row, role)
        self._color_row(row)
        self._update()

    def _color_row(self, row: int) -> None:
        block = self.proposal.blocks[row]
        color = ROLE_COLORS.get(block.role)
        text_color = ROLE_TEXT_COLORS.get(block.role)
        item = self.table.item(row, 0)
        item.setBackground(QBrush(QColor(color)) if color else QBrush())
        item.setForeground(QBrush(QColor(text_color)) if text_color else QBrush())
        tip = block.text[:2000]
        item.setToolTip(f"{IGNORED_TIP}\n\n{tip}" if block.role == "ignored" else tip)

    # ---- messages and preview ------------------------------------------------------------------
    def _update(self) -> None:
        self.proposal.refresh_messages()
        self._fill_preview()
        messages = list(self.proposal.messages)
        report = getattr(self, "_preview_report", None)
        if report is not None:
            from editor.ingest import tidied_notes

            # what the import puts right is said here, and is not an error of the draft
            messages += [f"导入时整理：{note}" for note in tidied_notes(report)]
        self.messages.setText("\n".join(messages))
        self.messages.setVisible(bool(messages))

    def _fill_preview(self) -> None:
        self.preview.clear()
        try:
            report = self.report()
        except Exception as exc:  # noqa: BLE001 (an odd mapping must not close the dialog)
            self.preview.addTopLevelItem(QTreeWidgetItem([f"无法按当前设置建立结构：{exc}"]))
            return
        self._preview_report = report
        h = report.header
        top = QTreeWidgetItem([f"标题：{h.title or '（未识别）'}"])
        self.preview.addTopLevelItem(top)
        if report.preamble:
            self.preview.addTopLevelItem(QTreeWidgetItem([f"前言：{_short(report.preamble, 40)}"]))
        for pi, part in enumerate(report.parts):
            item = QTreeWidgetItem([part_number(pi) + (part.heading or "（无标题）")])
            item.setToolTip(0, part.heading)
            self.preview.addTopLevelItem(item)
            for si, s in enumerate(part.sections):
                child = QTreeWidgetItem([section_number(si) + _short(s.title or s.body, 40)])
                child.setToolTip(0, s.title)
                item.addChild(child)
        if report.closing:
            self.preview.addTopLevelItem(QTreeWidgetItem([f"结束语：{report.closing}"]))
        self.preview.expandAll()

    def report(self):
        return self.proposal.to_report(self.profile)


class PasteDialog(QDialog):
    """A big box to paste a whole report into (copied from Word, WPS, a PDF or a web page)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("粘贴整份报告")
        screen.fit(self, 820, 640)
        label = QLabel("把整份报告（从标题到落款）复制后粘贴到下面，点“下一步”查看识别结果。", self)
        label.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText("在这里粘贴（Ctrl+V）整份报告的文字。")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("下一步")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)


__all__ = ["ImportDialog", "PasteDialog"]
