"""编辑 → 撤销 / 重做 for the whole report: across sections, structure changes, fixes, replace."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_helpers import type_text

from editor.ui.nav_tree import section_key

TIMEOUT = 5000


def undo_of(w):
    return w.undo


def ctrl(qtbot, widget, key):
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.ControlModifier)


def type_at_end(w, qtbot, text):
    body = w.page("section").body
    body.setFocus()
    body.set_cursor_position(len(body.toPlainText()))
    type_text(body, text)
    w.refresh()  # what the pause after typing does
    return body


def test_the_edit_menu_has_undo_and_redo(open_window):
    w = open_window()
    texts = [a.text() for a in w.menu("编辑").actions()]
    assert texts[:2] == ["撤销", "重做"]
    assert undo_of(w).act_undo.shortcut().toString() == "Ctrl+Z"
    assert not undo_of(w).act_undo.isEnabled()  # nothing done yet


def test_undo_spans_sections_and_survives_switching(open_window, qtbot):
    w = open_window()
    report = w.current_report
    first, second = report.parts[0].sections[0], report.parts[0].sections[1]
    before_first, before_second = first.body, second.body
    type_at_end(w, qtbot, "第一处修改。")
    w.show_changes(section_key(second.uid))
    body = type_at_end(w, qtbot, "第二处修改。")
    ctrl(qtbot, body, Qt.Key.Key_Z)
    assert w.current_report.parts[0].sections[1].body == before_second
    assert w.current_report.parts[0].sections[0].body.endswith("第一处修改。")
    # the next undo goes back into the first section and shows it
    ctrl(qtbot, w.focusWidget(), Qt.Key.Key_Z)
    assert w.current_report.parts[0].sections[0].body == before_first
    assert w.current_node == section_key(first.uid)
    assert w.page("section").body.toPlainText() == before_first
    # redo brings both back, Ctrl+Y
    ctrl(qtbot, w.focusWidget(), Qt.Key.Key_Y)
    ctrl(qtbot, w.focusWidget(), Qt.Key.Key_Y)
    assert w.current_report.parts[0].sections[0].body.endswith("第一处修改。")
    assert w.current_report.parts[0].sections[1].body.endswith("第二处修改。")


def test_adding_moving_and_deleting_sections_are_undone(open_window, qtbot, dialogs):
    w = open_window()
    part = w.current_report.parts[0]
    uids = [s.uid for s in part.sections]
    w.sections.add()
    w.refresh()
    assert len(w.current_report.parts[0].sections) == len(uids) + 1
    undo_of(w).undo()
    assert [s.uid for s in w.current_report.parts[0].sections] == uids
    w.show_changes(section_key(uids[0]))
    w.sections.move(1)
    w.refresh()
    assert [s.uid for s in w.current_report.parts[0].sections][:2] == [uids[1], uids[0]]
    undo_of(w).undo()
    assert [s.uid for s in w.current_report.parts[0].sections] == uids
    w.show_changes(section_key(uids[2]))
    deleted = w.current_report.parts[0].sections[2].body
    dialogs.answer = QMessageBox.StandardButton.Yes  # 确定删除这一节？
    assert w.sections.delete()
    w.refresh()
    assert uids[2] not in [s.uid for s in w.current_report.parts[0].sections]
    undo_of(w).undo()
    restored = w.current_report.parts[0].sections[2]
    assert restored.uid == uids[2] and restored.body == deleted
    # and everything is saved as it is now
    assert w.save_now()
    stored = w.service.repo.load(w.current_report.id)
    assert [s.uid for s in stored.parts[0].sections] == uids


def test_a_fix_is_one_step(open_window, qtbot):
    w = open_window()
    feature = w.review
    type_at_end(w, qtbot, "\n截止目前，已完成。")
    qtbot.waitUntil(lambda: any(f.text == "截止" for f in feature.findings_panel.findings()),
                    timeout=TIMEOUT)
    finding = next(f for f in feature.findings_panel.findings() if f.text == "截止")
    assert feature.fix(finding)
    assert "截至目前" in w.current_report.parts[0].sections[0].body
    undo_of(w).undo()
    body = w.current_report.parts[0].sections[0].body
    assert "截止目前，已完成。" in body and "截至目前" not in body
    # the text typed before the fix is still there: only the fix was taken back
    undo_of(w).undo()
    assert "截止目前" not in w.current_report.parts[0].sections[0].body


def test_a_replace_is_one_step(open_window, qtbot):
    w = open_window()
    before = w.current_report.to_dict()
    qtbot.keyClick(w, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    dialog = w.search.dialog
    dialog.find.setText("行政执法")
    dialog.replace.setText("综合执法")
    dialog.preview()
    assert dialog.apply_chosen() > 3
    assert "行政执法" not in str(w.current_report.to_dict()["parts"])
    dialog.close()
    assert undo_of(w).undo()
    after = w.current_report.to_dict()
    assert after["parts"] == before["parts"] and after["header"] == before["header"]
