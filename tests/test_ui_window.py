"""The main window as a user drives it: typing, autosave, reopening, sections, header fields."""

from __future__ import annotations

from PySide6.QtCore import QDate, QMimeData, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMessageBox
from ui_helpers import SAVE_TIMEOUT, saved, type_text

from editor.model import Place
from editor.service import ReportService, StorageError
from editor.ui import autosave
from editor.ui.app import build_window, make_app, open_service
from editor.ui.nav_tree import HEADER, PREAMBLE, part_key, section_key
from editor.ui.qtcompat import emit
from editor.ui.report_dialogs import NewReportDialog
from editor.ui.widgets import HintLabel


def db_report(db_path, report_id):
    svc = ReportService(db_path)
    try:
        return svc.load(report_id)
    finally:
        svc.close()


def tree_texts(window, part) -> list[str]:
    return [window.tree.item_text(section_key(s.uid)) for s in part.sections]


# ---------------------------------------------------------------------------- typing & reopening
def test_typing_is_autosaved_and_the_next_start_opens_the_same_place(open_window, db_path,
                                                                     dialogs, qtbot):
    w = open_window()
    report = w.current_report
    first = report.parts[0].sections[0]
    assert w.current_node == section_key(first.uid)  # a fresh start opens the first section
    form = w.page("section")
    QApplication.processEvents()  # (highlighting etc. must not count as an edit)
    assert saved(w) and not form.body.dirty
    form.body.set_cursor_position(len(first.body))
    type_text(form.body, "新增一句话。")
    assert w.save_state.label.text() == "未保存"
    qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)
    assert w.save_state.label.text() == "已保存"
    assert db_report(db_path, report.id).parts[0].sections[0].body.endswith("新增一句话。")

    # Go to the third section of part 二 and put the cursor somewhere in it, then quit.
    target = report.parts[1].sections[2]
    w.tree.select_key(section_key(target.uid))
    form.body.set_cursor_position(7)
    w.close()
    assert dialogs.shown == []  # closing never asks

    w2 = open_window()
    assert w2.current_report.id == report.id
    assert w2.current_node == section_key(target.uid)
    assert w2.page("section").body.textCursor().position() == 7
    assert w2.current_report.parts[0].sections[0].body.endswith("新增一句话。")


def test_ctrl_s_saves_at_once_and_status_shows_word_counts(open_window, db_path, qtbot):
    w = open_window()
    form = w.page("section")
    type_text(form.title, "（改）")
    qtbot.keyClick(w, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved(w), (w.autosaver.state, w.autosaver.message)
    report = w.current_report
    assert db_report(db_path, report.id).parts[0].sections[0].title.endswith("（改）")
    w.refresh()
    section = report.parts[0].sections[0]
    assert f"全文 {report.word_count():,} 字" in w.count_label.text()
    assert f"本节 {section.word_count():,} 字" in w.count_label.text()
    assert w.tree.item_text(section_key(section.uid)).endswith("（改）")


def test_closing_with_unsaved_typing_saves_without_asking(open_window, db_path, dialogs, qtbot):
    w = open_window()
    rid = w.current_report.id
    type_text(w.page("section").body, "关窗前最后一句")
    assert not saved(w)
    w.close()
    assert dialogs.shown == []
    assert "关窗前最后一句" in db_report(db_path, rid).parts[0].sections[0].body


def test_a_failed_save_keeps_the_text_and_retries(open_window, db_path, monkeypatch, qtbot):
    w = open_window()
    rid = w.current_report.id
    real_save = w.service.save

    def broken(_report):
        raise StorageError("磁盘空间已满，无法保存。请清理磁盘后继续，已输入的内容仍在窗口中。")

    monkeypatch.setattr(w.service, "save", broken)
    type_text(w.page("section").body, "保存失败时的文字")
    qtbot.waitUntil(lambda: w.autosaver.state == autosave.ERROR, timeout=SAVE_TIMEOUT)
    assert "磁盘空间已满" in w.save_state.error_label.text()
    assert w.save_state.label.text() == "保存失败"
    assert "保存失败时的文字" in w.page("section").body.toPlainText()

    monkeypatch.setattr(w.service, "save", real_save)
    w.autosaver._retry.setInterval(50)
    qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)
    assert w.save_state.error_label.text() == ""
    assert "保存失败时的文字" in db_report(db_path, rid).parts[0].sections[0].body


def test_closing_when_saving_is_impossible_writes_a_rescue_file(open_window, dialogs,
                                                                monkeypatch, qtbot, tmp_path):
    w = open_window()

    def broken(_report):
        raise StorageError("数据库变成了只读，无法保存。")

    monkeypatch.setattr(w.service, "save", broken)
    type_text(w.page("section").body, "救回来的文字")
    w.close()
    rescued = list(tmp_path.glob("未保存的报告-*.json"))
    assert len(rescued) == 1
    assert "救回来的文字" in rescued[0].read_text(encoding="utf-8")
    assert [d[0] for d in dialogs.shown] == ["information"]  # told, not asked


# ---------------------------------------------------------------------------- reports
def test_new_report_dialog_creates_a_report_with_the_profile_headings(open_window, monkeypatch,
                                                                       db_path):
    w = open_window()

    def fill_and_accept(dialog):
        assert dialog.year.value() == w.service.default_year()
        dialog.year.setValue(2025)
        dialog.organ.setText("清河县东山街道办事处")
        dialog.body_type.setCurrentText("街道")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NewReportDialog, "exec", fill_and_accept)
    w.reports.act_new.trigger()
    report = w.current_report
    assert report.organ == "清河县东山街道办事处"
    assert report.header.title == "清河县东山街道办事处关于2025年度法治政府建设情况的报告"
    # A 街道 of a 县 reports to the 县 (the profile's 街道 default names the 区).
    assert (report.header.recipients, report.header.cc) == ("县人民政府：", "县委依法治县办")
    assert [p.heading for p in report.enabled_parts] == [
        "2025年度推进法治政府建设的主要举措和成效",
        "存在的不足和原因",
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        "2026年度推进法治政府建设的主要安排",
    ]
    assert w.tree.item_text(part_key(report.parts[3].uid)) == "四、2026年度推进法治政府建设的主要安排"
    assert w.reports.list.count() == 2
    assert w.reports.list.currentItem().data(Qt.ItemDataRole.UserRole) == report.id
    assert db_report(db_path, report.id).organ == "清河县东山街道办事处"


def test_new_report_dialog_refuses_an_empty_name(service, qtbot):
    make_app()
    dialog = NewReportDialog(service)
    qtbot.addWidget(dialog)
    dialog.organ.setText("   ")
    dialog.accept()
    assert dialog.report is None
    assert not dialog.error.isHidden()
    assert "报告单位" in dialog.error.text()
    assert service.list_reports() == []


def test_rename_copy_delete_and_restore(open_window, dialogs, monkeypatch, db_path):
    w = open_window()
    original = w.current_report.id
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("临江镇2025年度法治政府建设报告", True)))
    w.reports.act_rename.trigger()
    assert db_report(db_path, original).header.title == "临江镇2025年度法治政府建设报告"

    w.reports.act_copy.trigger()
    copy_id = w.current_report.id
    assert copy_id != original
    assert w.current_report.header.title == "临江镇2025年度法治政府建设报告（副本）"
    assert w.reports.list.count() == 2

    dialogs.answer = QMessageBox.StandardButton.Yes
    w.reports.act_delete.trigger()
    assert dialogs.shown[-1][0] == "question"  # deleting asks first
    assert w.reports.list.count() == 1
    assert [r.id for r in w.service.list_reports(deleted=True)] == [copy_id]
    assert w.current_report.id == original

    w.service.restore(copy_id)
    w.reports.refresh()
    assert w.reports.list.count() == 2


def test_recycle_bin_restores_and_empties(service, qtbot, dialogs):
    from editor.ui.report_dialogs import RecycleBinDialog

    make_app()
    a = service.new_report(2025, "甲镇人民政府", "乡镇").id
    b = service.new_report(2025, "乙镇人民政府", "乡镇").id
    service.delete(a)
    service.delete(b)
    dialog = RecycleBinDialog(service)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2
    dialog.list.setCurrentRow(0)
    dialog.restore_selected()
    assert dialog.list.count() == 1
    assert len(service.list_reports()) == 1
    dialogs.answer = QMessageBox.StandardButton.Yes
    dialog.empty()
    assert service.list_reports(deleted=True) == []
    assert dialog.list.isHidden()


# ---------------------------------------------------------------------------- sections
def test_add_move_and_delete_sections_renumber_the_tree(open_window, dialogs, qtbot, db_path):
    w = open_window()
    report = w.current_report
    part = report.parts[0]
    titles = [s.title for s in part.sections]

    new = w.sections.add()  # after the open section (一)
    assert part.sections[1] is new
    form = w.page("section")
    assert form.number.text() == "（二）"
    type_text(form.title, "新加的一节")
    w.refresh()
    texts = tree_texts(w, part)
    assert texts[1] == "（二）新加的一节"
    assert texts[2].startswith("（三）" + titles[1][:5])

    form.body.setFocus()
    qtbot.keyClick(form.body, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert part.sections[2] is new
    assert form.number.text() == "（三）"
    assert tree_texts(w, part)[2] == "（三）新加的一节"
    w.sections.act_up.trigger()
    w.sections.act_up.trigger()
    assert part.sections[0] is new
    assert tree_texts(w, part)[0] == "（一）新加的一节"
    assert not w.sections.act_up.isEnabled()

    dialogs.answer = QMessageBox.StandardButton.Yes
    assert w.sections.delete()
    assert dialogs.shown[-1][0] == "question"  # it had a title: confirmed first
    assert [s.title for s in part.sections] == titles
    assert tree_texts(w, part)[0].startswith("（一）" + titles[0][:5])

    w.save_now()
    assert [s.title for s in db_report(db_path, report.id).parts[0].sections] == titles


def test_deleting_an_empty_section_does_not_ask(open_window, dialogs):
    w = open_window()
    part = w.current_report.parts[0]
    n = len(part.sections)
    w.sections.add()
    assert w.sections.delete()
    assert dialogs.shown == []
    assert len(part.sections) == n


def test_part_page_moves_and_drags_sections(open_window, db_path):
    w = open_window()
    report = w.current_report
    part = report.parts[1]
    w.tree.select_key(part_key(part.uid))
    form = w.page("part")
    assert form.number.text() == "二、"
    assert form.sections.count() == len(part.sections)
    uids = [s.uid for s in part.sections]

    form.sections.setCurrentRow(0)
    w.sections.act_down.trigger()
    assert [s.uid for s in part.sections] == [uids[1], uids[0], *uids[2:]]
    assert form.selected_uid() == uids[0]

    # What a drop in the list reports: the new order of the rows.
    emit(form.sections.order_changed, list(reversed(uids)))
    assert [s.uid for s in part.sections] == list(reversed(uids))
    assert form.sections.item(0).text().startswith("（一）" + part.sections[0].title[:4])
    assert w.tree.item_text(section_key(uids[-1])).startswith("（一）")
    w.save_now()
    assert [s.uid for s in db_report(db_path, report.id).parts[1].sections] == list(
        reversed(uids))


def test_optional_part_can_be_switched_on(open_window, db_path):
    w = open_window()
    report = w.current_report
    other = report.part_by_key("other")
    assert other is not None and not other.enabled
    assert w.tree.item_text(part_key(other.uid)).endswith("（未启用）")
    w.tree.select_key(part_key(other.uid))
    form = w.page("part")
    assert form.enabled.isVisible()
    form.enabled.setChecked(True)
    assert w.tree.item_text(part_key(other.uid)) == "五、其他需要报告的情况"
    w.sections.add()
    w.save_now()
    stored = db_report(db_path, report.id).part_by_key("other")
    assert stored.enabled and len(stored.sections) == 1


def test_show_selects_the_text_of_a_place(open_window):
    """Places as editor.model.Place names them: a field, a uid, its line from 0, offsets."""
    w = open_window()
    report = w.current_report
    section = report.parts[0].sections[3]  # (四) has a lead sentence and 1. 2. 3. paragraphs
    line = section.body.split("\n")[2]
    assert w.show_place(Place("body", section.uid, 2, 2, 8))
    assert w.current_node == section_key(section.uid)
    assert w.page("section").body.textCursor().selectedText() == line[2:8]
    assert w.show_place(Place("title", section.uid, 0, 0, 2))
    assert w.page("section").title.selectedText() == section.title[:2]

    part = report.parts[1]
    assert w.show_place(Place("lead", part.uid, 0, 0, 3))  # line 0 of the lead of part 二
    assert w.current_node == part_key(part.uid)
    assert w.page("part").lead.textCursor().selectedText() == part.lead[:3]

    assert w.show_place(Place("header.signer", start=0, end=1))
    assert w.current_node == HEADER
    assert w.page("header").fields["signer"].selectedText() == report.header.signer[:1]
    assert w.show_place(Place("preamble", paragraph=0, start=0, end=4))
    assert w.current_node == PREAMBLE
    assert w.page("preamble").body.textCursor().selectedText() == report.preamble[:4]
    assert not w.show_place(Place("title", "no-such-uid"))
    report.parts[1].enabled = False
    assert not w.show_place(Place("heading", report.parts[1].uid))


def test_report_changed_is_emitted_after_edits(open_window, qtbot):
    w = open_window()
    with qtbot.waitSignal(w.report_changed, timeout=SAVE_TIMEOUT):
        type_text(w.page("section").body, "变")
    assert "变" in w.current_report.parts[0].sections[0].body


# ---------------------------------------------------------------------------- header
def test_doc_number_fields_compose_the_brackets(open_window, qtbot, db_path):
    w = open_window()
    w.tree.select_key(HEADER)
    field = w.page("header").fields["doc_number"]
    for edit in (field.code, field.year, field.serial):
        edit.clear()
    type_text(field.code, "东府〔")
    type_text(field.year, "20x26")
    type_text(field.serial, "7")
    assert field.code.text() == "东府"
    assert field.year.text() == "2026"
    assert field.preview.text() == "预览：东府〔2026〕7号"
    w.save_now()
    assert db_report(db_path, w.current_report.id).header.doc_number == "东府〔2026〕7号"


def test_date_picker_stores_chinese_dates_and_may_be_empty(open_window, qtbot, db_path):
    w = open_window()
    w.tree.select_key(HEADER)
    form = w.page("header")
    date = form.fields["date"]
    emit(date.calendar.clicked, QDate(2026, 2, 10))
    assert date.text() == "2026年2月10日"
    date.clear()
    assert w.current_report.header.date == ""
    date.line.setFocus()
    type_text(date.line, "2026-3-5")
    emit(date.line.editingFinished)
    assert w.current_report.header.date == "2026年3月5日"
    form.fields["print_date"].pick(QDate(2026, 2, 10))
    w.save_now()
    header = db_report(db_path, w.current_report.id).header
    assert (header.date, header.print_date) == ("2026年3月5日", "2026年2月10日")


def test_header_fields_show_their_hints(open_window):
    w = open_window()
    w.tree.select_key(HEADER)
    form = w.page("header")
    profile = w.service.profile
    for name in ("organ_mark", "signer", "title", "recipients", "note", "publicity"):
        assert form.fields[name].toolTip() == profile.field_hint(name)
    shown = [label.text() for label in form.findChildren(HintLabel)]
    for name in ("organ_mark", "signer", "date", "cc", "print_date"):
        assert profile.field_hint(name) in shown


# ---------------------------------------------------------------------------- bad input
def test_pasted_control_characters_are_cleaned(open_window, qtbot):
    w = open_window()
    form = w.page("section")
    form.body.set_text("")
    QApplication.clipboard().setText("第一段\x00内\x07容\r\n第二段\x0b\ufeff")
    form.body.paste()
    assert form.body.toPlainText() == "第一段内容\n第二段"
    form.title.clear()
    QApplication.clipboard().setText("标题\x01一\n二\t三")
    form.title.paste()
    assert form.title.text() == "标题一二 三"
    assert w.current_report.parts[0].sections[0].title == "标题一二 三"


def test_a_megabyte_paste_is_saved(open_window, qtbot, db_path):
    w = open_window()
    form = w.page("section")
    big = ("依法行政，建设法治政府。" * 9000 + "\n") * 10  # ~1.1 million characters
    mime = QMimeData()
    mime.setText(big)
    form.body.set_text("")
    form.body.insertFromMimeData(mime)
    qtbot.waitUntil(lambda: saved(w), timeout=15000)
    body = db_report(db_path, w.current_report.id).parts[0].sections[0].body
    assert len(body) == len(big) > 1_000_000
    w.refresh()
    assert f"本节 {w.current_report.parts[0].sections[0].word_count():,} 字" in \
        w.count_label.text()


def test_long_typing_does_not_wear_out_python_booleans(open_window, qtbot):
    """PySide6 6.12 steals a reference to True on every Python-side emit; on Python 3.11 the
    interpreter aborts once the count reaches zero. Typing must not drain it."""
    import sys

    w = open_window()
    body = w.page("section").body
    before = sys.getrefcount(True)
    type_text(body, "法" * 600)
    w.refresh()
    w.save_now()
    assert sys.getrefcount(True) >= before - 20


def test_without_reports_the_window_offers_a_new_one(db_path, qtbot, dialogs):
    make_app()
    service = open_service(db_path)
    service.delete(service.list_reports()[0].id)
    window = build_window(service)
    try:
        assert window.current_report is None
        assert window.stack.currentWidget() is window.page("empty")
        assert not window.reports.act_copy.isEnabled() and not window.sections.act_add.isEnabled()
        assert window.reports.act_new.isEnabled()
        window.close()
        assert dialogs.shown == []
    finally:
        service.close()


def test_preamble_closing_and_the_report_list(open_window, db_path, qtbot):
    w = open_window()
    report = w.current_report
    item = w.reports.list.currentItem().text()
    # The usual title is not repeated in the list (two lines an entry); it is the tooltip.
    assert "2025年度" in item and report.organ in item and report.header.title not in item
    assert report.header.title == w.reports.list.currentItem().toolTip()
    assert "最后修改：" in item

    w.act_preamble.trigger()
    form = w.page("preamble")
    form.body.set_cursor_position(0)
    type_text(form.body, "（前言改）")
    form.closing.clear()
    type_text(form.closing, "特此报告，请审阅。")
    w.tree.select_key(HEADER)
    title = w.page("header").fields["title"]
    title.clear()
    type_text(title, "新标题：临江镇2025年度报告")
    qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)
    stored = db_report(db_path, report.id)
    assert stored.preamble.startswith("（前言改）")
    assert stored.closing == "特此报告，请审阅。"
    assert stored.header.title == "新标题：临江镇2025年度报告"
    w.refresh()
    assert "新标题：临江镇2025年度报告" in w.reports.list.currentItem().text()


def test_about_says_the_version_and_the_folders(open_window, monkeypatch):
    from editor.ui.about_dialog import AboutDialog
    from editor.version import version

    w = open_window()
    shown = {}
    monkeypatch.setattr(AboutDialog, "exec", lambda d: shown.update(
        text=" ".join(label.text() for label in d.findChildren(QLabel)), folders=d.folders))
    w._about()
    assert version() in shown["text"]
    assert shown["folders"]["资料文件夹"] == w.service.db_path.parent


def test_about_says_which_input_method_chinese_typing_goes_through(open_window, monkeypatch):
    from editor.ui import about_dialog

    w = open_window()
    for said in ("输入法：fcitx5（经 IBus 接口）", ""):
        monkeypatch.setattr(about_dialog, "input_method_description", lambda s=said: s)
        dialog = about_dialog.AboutDialog(w.service.db_path, w)
        texts = [label.text() for label in dialog.findChildren(QLabel)]
        assert (said in texts) == bool(said)
        assert not any(t.startswith("输入法") for t in texts) or said
        dialog.deleteLater()


def test_the_program_settles_the_input_method_before_qt_starts(tmp_path):
    """make_app() decides the input method before it creates the QApplication (Qt reads the
    variables only then); this test's own QApplication exists already, so a child process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("from editor.ui.app import make_app\n"
            "from editor.ui.input_method import input_method_description\n"
            "make_app()\nprint(input_method_description())\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=Path(__file__).resolve().parent.parent, timeout=60, check=True)
    assert out.stdout.strip().startswith("输入法："), out.stdout + out.stderr
