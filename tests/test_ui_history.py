"""History in the window: snapshots by hand, after edits and on close; the 历史版本 view with
its per-section, character-level differences; restoring a snapshot."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from ui_helpers import SAVE_TIMEOUT, saved, type_text

from editor.history import KIND_AUTO, KIND_CLOSE, KIND_MANUAL, KIND_RESTORE, list_snapshots
from editor.service import ReportService
from editor.ui.nav_tree import section_key


@pytest.fixture
def dialogs(dialogs):
    dialogs.answer = QMessageBox.StandardButton.Yes
    return dialogs


def kinds(repo, report_id) -> list[str]:
    return [s.kind for s in list_snapshots(repo, report_id)]


def test_snapshot_by_hand_diff_and_restore(open_window, monkeypatch, qtbot, dialogs, db_path):
    w = open_window()
    report = w.current_report
    section = report.parts[0].sections[1]
    old_body = section.body
    feature = w.history

    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("送审稿", True)))
    feature.act_snapshot.trigger()
    snaps = list_snapshots(w.service.repo, report.id)
    assert [(s.kind, s.note) for s in snaps] == [(KIND_MANUAL, "送审稿")]

    # Edit the second section: a word in the middle goes, a sentence is added.
    w.tree.select_key(section_key(section.uid))
    body = w.page("section").body
    body.set_cursor_position(len(old_body))
    type_text(body, "新增的一句。")
    qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)
    w.refresh()

    dialog = feature.show_history()
    assert dialog.isVisible()
    assert dialog.snapshot_list.count() >= 1
    assert dialog.select_snapshot(snaps[0].id)
    assert "送审稿" in dialog.snapshot_list.currentItem().text()
    assert "手动保存" in dialog.snapshot_list.currentItem().text()
    changed = [d for d in dialog.diffs if d.changed]
    assert [d.uid for d in changed] == [section.uid]
    assert dialog.section_list.count() == 1
    assert dialog.select_section(section.uid)
    assert dialog.highlighted(dialog.new_text) == ["新增的一句。"]
    assert dialog.highlighted(dialog.old_text) == []
    assert dialog.new_text.toPlainText().endswith("新增的一句。")
    assert dialog.old_text.toPlainText() == f"{section.title}\n{old_body}"

    # Restore (confirmed): the window shows the old text; the state before is kept.
    dialogs.answer = QMessageBox.StandardButton.Yes
    assert dialog.restore_selected()
    assert any(kind == "question" for kind, *_ in dialogs.shown)
    assert w.current_node == section_key(section.uid)
    assert w.page("section").body.toPlainText() == old_body
    assert w.current_report.parts[0].sections[1].body == old_body
    assert KIND_RESTORE in kinds(w.service.repo, report.id)
    svc = ReportService(db_path)
    try:
        assert svc.load(report.id).parts[0].sections[1].body == old_body
    finally:
        svc.close()
    # The dialog now compares with the restored text: nothing differs from the chosen version.
    assert dialog.select_snapshot(snaps[0].id)
    assert not [d for d in dialog.diffs if d.changed]
    # And the backup taken before the restore has the edit.
    backup = next(s for s in list_snapshots(w.service.repo, report.id) if s.kind == KIND_RESTORE)
    assert dialog.select_snapshot(backup.id)
    assert [d.uid for d in dialog.diffs if d.changed] == [section.uid]
    dialog.close()


def test_refusing_the_restore_changes_nothing(open_window, dialogs, qtbot):
    w = open_window()
    feature = w.history
    feature.snapshot_by_hand("第一版")
    body = w.page("section").body
    type_text(body, "后来写的")
    qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)
    dialog = feature.show_history()
    dialogs.answer = QMessageBox.StandardButton.No
    assert not dialog.restore_selected()
    assert "后来写的" in body.toPlainText()
    assert KIND_RESTORE not in kinds(w.service.repo, w.current_report.id)


def test_automatic_snapshots_after_edits_and_on_close(open_window, qtbot):
    w = open_window()
    rid = w.current_report.id
    repo = w.service.repo
    assert kinds(repo, rid) == []
    # Opening and saving without edits takes no snapshot.
    w.save_now()
    assert kinds(repo, rid) == []
    body = w.page("section").body
    type_text(body, "第一次修改")
    w.refresh()
    qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)
    qtbot.waitUntil(lambda: kinds(repo, rid) == [KIND_AUTO], timeout=SAVE_TIMEOUT)
    # Within the interval the next save takes none…
    type_text(body, "第二次修改")
    w.refresh()
    qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)
    assert kinds(repo, rid) == [KIND_AUTO]
    # …but leaving the report keeps the latest state.
    w.close()
    assert kinds(repo, rid) == [KIND_CLOSE, KIND_AUTO]
    latest = repo.load_revision(list_snapshots(repo, rid)[0].id)
    assert "第二次修改" in latest.parts[0].sections[0].body


def test_switching_reports_snapshots_the_edited_one(open_window, qtbot):
    w = open_window()
    first = w.current_report.id
    other = w.service.new_report(2026, "清河县司法局", w.current_report.body_type).id
    w.reports.refresh()
    body = w.page("section").body
    for text in ("先写的", "切换前写的"):  # the first save brings the first automatic snapshot
        type_text(body, text)
        w.refresh()
        qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)
    assert kinds(w.service.repo, first) == [KIND_AUTO]
    assert w.open_report(other)
    assert kinds(w.service.repo, first) == [KIND_CLOSE, KIND_AUTO]
    assert kinds(w.service.repo, other) == []
