"""搜索全部报告 (a hit in another report opens it with the text selected) and 查找和替换 within
the open report (preview, a chosen subset replaced, undone)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox
from ui_helpers import SAVE_TIMEOUT, saved, type_text

from editor.find_replace import HEADER_FIELDS
from editor.history import list_snapshots
from editor.ui.history_view import KIND_REPLACE
from editor.ui.nav_tree import section_key


@pytest.fixture
def dialogs(dialogs):
    dialogs.answer = QMessageBox.StandardButton.Yes
    return dialogs


def all_text(report) -> str:
    h = report.header
    texts = [getattr(h, name) for name in HEADER_FIELDS] + [report.preamble, report.closing]
    for p in report.parts:
        texts += [p.heading, p.lead]
        for s in p.sections:
            texts += [s.title, s.body]
    return "\n".join(texts)


def test_search_finds_fresh_typing_in_another_report_and_opens_it(open_window, qtbot):
    w = open_window()
    first = w.current_report
    section = first.parts[1].sections[2]
    w.tree.select_key(section_key(section.uid))
    body = w.page("section").body
    body.set_cursor_position(len(section.body))
    type_text(body, "\n银杏广场普法驿站开展活动。")
    qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)

    other = w.service.new_report(2026, "清河县司法局", first.body_type)
    w.reports.refresh()
    assert w.open_report(other.id)
    assert w.current_report.id == other.id

    feature = w.search
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert feature.dock.isVisible()
    assert feature.act_search.shortcut() == QKeySequence("Ctrl+Shift+F")
    panel = feature.panel
    type_text(panel.query, "普法驿站")
    hits = panel.run()
    assert len(hits) == 1
    assert panel.results.count() == 1
    hit = hits[0]
    assert hit.report_id == first.id and hit.section_uid == section.uid
    item = panel.results.item(0)
    assert "2025年度" in item.text() and "普法驿站" in item.text()
    assert "background-color" in item.data(Qt.ItemDataRole.UserRole + 1)

    # Double-click the result: the first report opens at the section, the hit selected.
    rect = panel.results.visualItemRect(item)
    assert rect.height() > 0
    # As with a real mouse: a press and release, then the double click.
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.current_report.id == first.id
    assert w.current_node == section_key(section.uid)
    cursor = w.page("section").body.textCursor()
    assert cursor.selectedText() == "普法驿站"


def test_search_in_titles_and_no_result(open_window):
    w = open_window()
    panel = w.search.show_search("临江镇人民政府关于")
    assert panel.hits and panel.hits[0].kind == "report"
    assert panel.open_hit(0)
    assert w.page("header").focus_field("title").selectedText() == "临江镇人民政府关于"
    assert panel.run() is not None
    w.search.show_search("这句话不存在的哦")
    assert panel.results.count() == 0 and "没有找到" in panel.status.text()


def test_find_and_replace_preview_subset_and_undo(open_window, qtbot, dialogs, db_path):
    w = open_window()
    report = w.current_report
    rid = report.id
    original = all_text(report)
    n = original.count("行政执法")
    assert n >= 5
    qtbot.keyClick(w, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    dialog = w.search.dialog
    assert dialog is not None and dialog.isVisible() and dialog.replace.isVisible()
    dialog.find.setText("行政执法")
    dialog.replace.setText("综合执法")
    reps = dialog.preview()
    assert len(reps) == n == dialog.list.topLevelItemCount()
    first = dialog.list.topLevelItem(0)
    assert "行政执法" in first.text(1) and "综合执法" in first.text(2)
    assert first.text(0)  # where it is
    # Leave the first two as they are.
    dialog.set_checked(0, False)
    dialog.set_checked(1, False)
    assert dialog.apply_chosen() == n - 2

    now = all_text(w.current_report)
    assert now.count("行政执法") == 2
    assert now.count("综合执法") == original.count("综合执法") + n - 2
    stored = all_text(w.service.load(rid))
    assert stored.count("行政执法") == 2
    # The forms show the new text.
    form_text = w.page("section").body.toPlainText()
    assert form_text == w.current_report.find_section(
        w.current_node.partition(":")[2])[0].sections[
        w.current_report.find_section(w.current_node.partition(":")[2])[1]].body
    # The state before is in the history too.
    assert KIND_REPLACE in [s.kind for s in list_snapshots(w.service.repo, rid)]
    assert dialog.list.topLevelItemCount() == 2  # the preview is refreshed
    assert dialog.undo_button.isEnabled()

    assert dialog.undo()
    assert all_text(w.current_report) == original
    assert all_text(w.service.load(rid)) == original
    assert not dialog.undo_button.isEnabled()
    assert dialogs.shown == []


def test_undo_after_further_edits_asks_first(open_window, qtbot, dialogs):
    w = open_window()
    original = all_text(w.current_report)
    dialog = w.search.show_find_replace(True)
    dialog.find.setText("镇")
    dialog.replace.setText("乡")
    dialog.preview()
    assert dialog.apply_chosen() > 0
    body = w.page("section").body
    type_text(body, "替换后又写")
    qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)
    dialogs.answer = QMessageBox.StandardButton.No
    assert not dialog.undo()
    assert "替换后又写" in body.toPlainText()
    dialogs.answer = QMessageBox.StandardButton.Yes
    assert dialog.undo()
    assert all_text(w.current_report) == original


def test_find_only_and_bad_regex(open_window):
    w = open_window()
    dialog = w.search.show_find_replace(False)
    assert not dialog.replace.isVisible() and not dialog.apply_button.isVisible()
    dialog.find.setText("[一-")
    dialog.regex.setChecked(True)
    assert dialog.preview() == []
    assert "规则有误" in dialog.status.text() and "error" not in dialog.status.text()
    dialog.regex.setChecked(False)
    dialog.find.setText("枫桥经验")
    reps = dialog.preview()
    assert reps
    assert dialog.show_item(0)
    page = w.stack.currentWidget()
    selected = page.title.selectedText() or page.body.textCursor().selectedText()
    assert selected == "枫桥经验"
