"""Sections added, moved and deleted: 编辑 → 添加一节 (Ctrl+Shift+N) / 上移 (Alt+↑) / 下移 (Alt+↓)
/ 删除本节, the same actions on the tree's context menu and as buttons on the part and section
forms, and dragging rows in a part's list of sections. The numbers 一、（一） follow at once.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from editor.model import Section

from .form_stack import FormStack
from .nav_tree import NavTree, part_key, section_key
from .widgets import make_action


class SectionActions(QObject):
    def __init__(self, window, stack: FormStack, tree: NavTree) -> None:
        super().__init__(window)
        self.window = window
        self.stack = stack
        self.act_add = make_action(window, "添加一节", self.add, "Ctrl+Shift+N",
                                   "在当前节之后添加一节")
        self.act_delete = make_action(window, "删除本节", self.delete, None, "删除当前选中的一节")
        self.act_up = make_action(window, "上移", lambda: self.move(-1), "Alt+Up",
                                  "把当前节上移（Alt+↑）")
        self.act_down = make_action(window, "下移", lambda: self.move(1), "Alt+Down",
                                    "把当前节下移（Alt+↓）")
        #: In the order of the 编辑 menu and of the forms' buttons.
        self.actions = [self.act_add, self.act_up, self.act_down, self.act_delete]
        stack.set_section_actions(self.actions)
        stack.form_built.connect(self._form_built)
        tree.addActions(self.actions)

    def _form_built(self, name: str, form) -> None:
        if name == "part":
            form.enabled_toggled.connect(lambda _on: self._changed(self.stack.node))
            form.sections.order_changed.connect(self._dragged)
            form.sections.currentRowChanged.connect(lambda _row: self.update())

    # ---- what the actions work on ----------------------------------------------------------------
    def target(self) -> tuple[int, int | None] | None:
        """(part index, section index or None) the section actions work on."""
        report, key = self.stack.report, self.stack.node or ""
        if report is None:
            return None
        kind, _, uid = key.partition(":")
        if kind == "section":
            found = report.find_section(uid)
            if found is None:
                return None
            part, si = found
            return report.parts.index(part), si
        if kind == "part":
            pi = next(i for i, p in enumerate(report.parts) if p.uid == uid)
            form = self.stack.built("part")
            selected = form.selected_uid() if form is not None else None
            sections = report.parts[pi].sections
            si = next((i for i, s in enumerate(sections) if s.uid == selected), None)
            return pi, si
        return None

    def update(self) -> None:
        """Enable the actions that make sense where the user is."""
        report = self.stack.report
        target = self.target() if report is not None else None
        in_part = target is not None
        on_section = in_part and target[1] is not None
        n = len(report.parts[target[0]].sections) if in_part else 0
        self.act_add.setEnabled(in_part)
        self.act_delete.setEnabled(on_section)
        self.act_up.setEnabled(on_section and target[1] > 0)
        self.act_down.setEnabled(on_section and target[1] < n - 1)

    # ---- the actions ---------------------------------------------------------------------------
    def add(self) -> Section | None:
        """A new, empty section after the current one (at the end of a part); its title has
        the cursor."""
        target = self.target()
        if target is None:
            return None
        self.stack.commit()
        pi, si = target
        part = self.stack.report.parts[pi]
        index = len(part.sections) if si is None else si + 1
        section = Section()
        part.sections.insert(index, section)
        self._changed(section_key(section.uid))
        self.stack.page("section").title.setFocus()
        return section

    def delete(self) -> bool:
        """Delete the current section (asking first if it has any text)."""
        target = self.target()
        if target is None or target[1] is None:
            return False
        self.stack.commit()
        pi, si = target
        part = self.stack.report.parts[pi]
        section = part.sections[si]
        if section.title.strip() or section.body.strip():
            answer = QMessageBox.question(
                self.window, "删除本节",
                f"删除“{section.title or '（未写标题）'}”这一节吗？其中的文字会一起删除。\n"
                "（删除前的内容保留在历史版本中。）",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        del part.sections[si]
        node = self.stack.node
        if node == section_key(section.uid):
            if part.sections:
                nxt = part.sections[min(si, len(part.sections) - 1)]
                select = section_key(nxt.uid)
            else:
                select = part_key(part.uid)
        else:
            select = node
        self._changed(select)
        return True

    def move(self, delta: int) -> bool:
        """Move the current section ``delta`` places (−1 up, 1 down)."""
        target = self.target()
        if target is None or target[1] is None:
            return False
        self.stack.commit()
        pi, si = target
        sections = self.stack.report.parts[pi].sections
        new = si + delta
        if not 0 <= new < len(sections):
            return False
        sections[si], sections[new] = sections[new], sections[si]
        self._changed(self.stack.node, moved=sections[new].uid)
        return True

    def _dragged(self, uids: list[str]) -> None:
        form = self.stack.built("part")
        if form is None or form.part is None:
            return
        by_uid = {s.uid: s for s in form.part.sections}
        if sorted(uids) != sorted(by_uid):
            return
        form.part.sections[:] = [by_uid[u] for u in uids]
        self._changed(self.stack.node)

    def _changed(self, select: str | None, moved: str | None = None) -> None:
        self.stack.structure_changed(select, moved)
        self.window.mark_edited()
        self.update()


__all__ = ["SectionActions"]
