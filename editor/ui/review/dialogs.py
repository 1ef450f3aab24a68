"""The review's dialogs: who confirms (审核人) and the export gate (导出前检查)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from editor.model import Report

from .style import ERROR, RED, SEVERITY


class ReviewerDialog(QDialog):
    """Who confirms (remembered for next time), and for a checklist tick an optional note."""

    def __init__(self, title: str, prompt: str, name: str, with_note: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        text = QLabel(prompt, self)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.name = QLineEdit(name, self)
        self.name.setPlaceholderText("审核人姓名")
        form.addRow("审核人：", self.name)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("可不填，如“第3段已写明无行政复议案件”")
        if with_note:
            form.addRow("备注：", self.note)
        else:
            self.note.hide()
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.error = QLabel("", self)
        self.error.setStyleSheet(f"color: {RED};")
        layout.addWidget(self.error)
        self.setMinimumWidth(380)

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText("请填写审核人姓名。")
            return
        self.accept()


def ask_reviewer(parent: QWidget, title: str, prompt: str, name: str,
                 with_note: bool) -> tuple[str, str] | None:
    """(name, note) or None if cancelled. Tests replace this function (the feature looks it up
    in this module each time)."""
    dialog = ReviewerDialog(title, prompt, name, with_note, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.name.text().strip(), dialog.note.text().strip()


def _where(report: Report, place) -> str:
    """第一部分（二） for a section, 第二部分导语 for a lead, 前言."""
    text = place.describe(report)
    for tail in ("标题", "开头第1段"):
        if text.endswith(tail):
            return text[: -len(tail)] + ("导语" if tail == "开头第1段" else "")
    return text.removesuffix("第1段")


class ExportGateDialog(QDialog):
    """Lists what is still wrong; 仍然导出 (accept) or 返回修改 (reject)."""

    def __init__(self, gate, report: Report, field_label=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出前检查")
        self.gate = gate
        layout = QVBoxLayout(self)
        parts = []
        if gate.errors:
            parts.append(f"还有 {len(gate.errors)} 处错误没有改正")
        if gate.unmet:
            parts.append(f"{len(gate.unmet)} 项必查内容没有写到、也没有人确认")
        outdated, empty = getattr(gate, "outdated", []), getattr(gate, "empty", [])
        if outdated:
            parts.append(f"{len(outdated)} 处还是上一年度的文字（待更新）")
        if empty:
            parts.append(f"{len(empty)} 节没有内容（导出时不会出现）")
        head = QLabel("检查发现：" + "，".join(parts) + "。\n"
                      "可以先返回修改；如确有理由（例如该项确实不适用），也可以仍然导出。", self)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        mark, word, _colour = SEVERITY[ERROR]
        for f in gate.errors:
            self.list.addItem(f"{mark} {word} · {f.place.describe(report, field_label)}："
                              f"“{f.text}” {f.message}")
        for r in gate.unmet:
            self.list.addItem(f"✘ 未写到（必查）· {r.group_label}：{r.label}")
        for place in outdated:
            self.list.addItem(f"◇ 待更新 · {_where(report, place)}：沿用上一年度，尚未改写")
        for place in empty:
            self.list.addItem(f"○ 空节 · {_where(report, place)}：没有标题和正文，导出时略去")
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(self)
        self.export_button = buttons.addButton("仍然导出",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button = buttons.addButton("返回修改", QDialogButtonBox.ButtonRole.RejectRole)
        self.back_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
