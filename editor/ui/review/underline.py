"""Findings shown in the text, as Word and WPS show spelling: the characters of each open
finding get a wavy underline in the box that shows them (red for 错误, orange for 提示; 参考
stays unmarked), a tooltip with the message, and 改正为“…” / 忽略 at the top of the box's
context menu. 改正 goes through ReviewFeature.fix, like the 问题 tab's button, so Ctrl+Z in the
box undoes it.

Only the page on screen is marked: after every check, and whenever a page is loaded. The boxes
themselves (editor.ui.text_box, editor.ui.line_box) drop the marks of a line as soon as its text changes, so between
a keystroke and the next check (~0.4 s) no underline sits on the wrong characters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from editor.model import Place

from ..line_box import CleanLineEdit
from ..marks import Mark
from ..text_box import CleanPlainTextEdit
from .findings_panel import finding_tip
from .style import ERROR, UNDERLINE, fix_words, severity_mark

if TYPE_CHECKING:
    from editor.check import Finding


class Underliner(QObject):
    """Puts the open findings of the last check on the boxes of the page shown."""

    def __init__(self, feature) -> None:
        super().__init__(feature)
        self.feature = feature
        self.window = window = feature.window
        feature.checked.connect(self.update)
        loaded = getattr(window, "page_loaded", None)
        if loaded is not None:
            loaded.connect(lambda _key: self.update())
        window.report_opened.connect(lambda _report: self.update())

    def boxes(self) -> dict:
        """(field, uid) → text box of the page on screen."""
        page = self.window.stack.currentWidget()
        get = getattr(page, "text_boxes", None)
        return get() if get is not None else {}

    def update(self) -> None:
        boxes = self.boxes()
        if not boxes:
            return
        result = self.feature.result
        report = self.window.current_report if result is not None else None
        found: dict[tuple[str, str], list[Finding]] = {}
        if report is not None:
            for f in result.findings:
                p = f.place
                if f.severity in UNDERLINE and p.start < p.end and (p.field, p.uid) in boxes:
                    found.setdefault((p.field, p.uid), []).append(f)
        for key, box in boxes.items():
            findings = found.get(key, [])
            # errors last: drawn over a warning on the same characters
            findings.sort(key=lambda f: f.severity == ERROR)
            text = _field_text(report, key, box) if findings else ""
            if isinstance(box, CleanPlainTextEdit):
                box.set_marks(self._line_marks(text, findings), text if findings else None)
            elif isinstance(box, CleanLineEdit):
                marks = self._line_marks(text, findings).get(0, ("", ()))
                box.set_marks(*marks)

    def _line_marks(self, text: str, findings: list[Finding]) -> dict:
        if not findings:
            return {}
        lines = text.split("\n")
        marks: dict[int, list[Mark]] = {}
        for f in findings:
            p = f.place
            if not 0 <= p.paragraph < len(lines):
                continue
            line = lines[p.paragraph]
            before, after = f.context
            if line[p.start:p.end] != f.text or not line[:p.start].endswith(before) \
                    or not line[p.end:].startswith(after):
                continue  # the text has changed since the check: the next one will say
            marks.setdefault(p.paragraph, []).append(self.mark(f))
        return {n: (lines[n], tuple(m)) for n, m in marks.items()}

    def mark(self, f: Finding) -> Mark:
        _sign, word, _colour = severity_mark(f.severity)
        tip = f"{word}：{finding_tip(f)}\n（右键可改正或忽略）"
        actions = []
        if f.suggestion is not None and f.fix == "text":
            label = fix_words(f)[1]
            actions.append((label, lambda f=f: self.feature.fix(f)))
        actions.append(("忽略", lambda f=f: self.feature.ignore(f)))
        return Mark(f.place.start, f.place.end, UNDERLINE[f.severity], tip, tuple(actions))


def _field_text(report, key: tuple[str, str], box) -> str:
    """The text the findings were made for: the field in the report (the box is committed to
    it before every check), or the box's own text while it has uncommitted typing."""
    if isinstance(box, CleanPlainTextEdit) and box.dirty:
        return box.toPlainText()
    try:
        return Place(*key).field_text(report)
    except LookupError:
        return ""
