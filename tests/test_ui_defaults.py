"""Defaults and feedback: the organ's name picks the 单位类型 and the 主送/抄送 of its
县 or 区; the 序号 takes digits only and says why; the calendar opens on the usual month; the
example report says it is one; search lists every place; the find window keeps off the text;
a report restored from the 回收站 is opened and announced."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCalendarWidget
from ui_helpers import type_text

from editor.profile import load_profile
from editor.ui.example_banner import STATE_CLOSED
from editor.ui.header_fields import SERIAL_HINT, read_serial, usual_signing_month
from editor.ui.nav_tree import HEADER, section_key
from editor.ui.organ_defaults import body_type_for, defaults_for, level_of
from editor.ui.report_dialogs import NewReportDialog, RecycleBinDialog


# ---------------------------------------------------------------------------- names
@pytest.mark.parametrize("organ, body_type, level", [
    ("清河县临江镇人民政府", "乡镇", "县"),
    ("清河县东山乡", "乡镇", "县"),
    ("江北区长安街道办事处", "街道", "区"),
    ("清河县城关街道", "街道", "县"),
    ("清河县司法局", "政府部门", "县"),
    ("清河县市场监督管理局", "政府部门", "县"),
    ("杭州市西湖区城市管理局", "政府部门", "区"),
    ("清河县人民政府办公室", "政府部门", "县"),
    ("清河县人民政府", "县级政府", "县"),
    ("江北区人民政府", "县级政府", "区"),
    ("义乌市佛堂镇人民政府", "乡镇", "市"),
    ("北京市通州区永顺镇人民政府", "乡镇", "区"),
    ("清", None, None),
])
def test_the_name_tells_type_and_level(organ, body_type, level):
    assert body_type_for(organ, load_profile().body_type_names) == body_type
    assert level_of(organ) == level


def test_recipients_follow_the_level():
    p = load_profile()
    assert defaults_for(p, "江北区长安街道办事处", "街道") == \
        {"recipients": "区人民政府：", "cc": "区委依法治区办"}
    assert defaults_for(p, "清河县城关街道", "街道") == \
        {"recipients": "县人民政府：", "cc": "县委依法治县办"}
    assert defaults_for(p, "江北区司法局", "政府部门") == \
        {"recipients": "区委、区人民政府：", "cc": "区委依法治区办"}
    assert defaults_for(p, "清河县司法局", "政府部门") == \
        {"recipients": "县委、县人民政府：", "cc": "县委依法治县办"}
    # A county government reports to the 市 (or 州) above it.
    assert defaults_for(p, "清河县人民政府", "县级政府")["recipients"] == "市人民政府："
    assert defaults_for(p, "某某自治州清河县人民政府", "县级政府")["recipients"] == "州人民政府："


def test_new_report_dialog_picks_the_type_from_the_name(open_window, monkeypatch):
    w = open_window()
    made = {}

    def fill(dialog: NewReportDialog):
        type_text(dialog.organ, "江北区长安街道办事处")
        made["type"] = dialog.body_type.currentText()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NewReportDialog, "exec", fill)
    w.reports.act_new.trigger()
    assert made["type"] == "街道"
    h = w.current_report.header
    assert (w.current_report.body_type, h.recipients, h.cc) == \
        ("街道", "区人民政府：", "区委依法治区办")


def test_a_type_the_user_chose_stays(open_window, monkeypatch):
    w = open_window()

    def fill(dialog: NewReportDialog):
        dialog.body_type.setCurrentText("政府部门")
        dialog.body_type.activated.emit(dialog.body_type.currentIndex())  # chosen by hand
        type_text(dialog.organ, "清河县东山镇人民政府")
        assert dialog.body_type.currentText() == "政府部门"
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NewReportDialog, "exec", fill)
    w.reports.act_new.trigger()
    assert w.current_report.body_type == "政府部门"


def test_header_form_follows_a_new_name_but_keeps_what_was_typed(open_window):
    w = open_window()
    w.tree.select_key(HEADER)
    form = w.page("header")
    h = w.current_report.header
    assert (w.current_report.body_type, h.recipients) == ("乡镇", "清河县人民政府：")
    h.recipients = ""  # as if never filled in
    form.fields["recipients"].setText("")
    form.organ.selectAll()
    type_text(form.organ, "江北区长安街道办事处")
    assert form.body_type.currentText() == "街道"
    assert (h.recipients, h.cc) == ("区人民政府：", "区委依法治区办")
    assert form.fields["recipients"].text() == "区人民政府："
    assert h.signature == "江北区长安街道办事处"  # it was the old name: it follows
    # Typed by the user: stays whatever the name becomes.
    form.fields["cc"].selectAll()
    type_text(form.fields["cc"], "区司法局")
    form.organ.selectAll()
    type_text(form.organ, "清河县东山街道办事处")
    assert h.cc == "区司法局"
    assert h.recipients == "县人民政府："


# ---------------------------------------------------------------------------- 序号
def test_read_serial():
    assert read_serial("12") == ("12", "", "")
    assert read_serial("１２") == ("12", "", "")
    digits, year, note = read_serial("〔2026〕3")
    assert (digits, year) == ("3", "2026") and "年份" in note
    assert read_serial("临府〔2026〕12号")[:2] == ("12", "2026")
    assert read_serial("3号") == ("3", "", SERIAL_HINT)
    assert read_serial("第3") == ("3", "", SERIAL_HINT)
    assert read_serial("1234567")[0] == "123456"


def test_typing_the_whole_number_into_serial_keeps_the_serial(open_window, db_path):
    w = open_window()
    w.tree.select_key(HEADER)
    field = w.page("header").fields["doc_number"]
    field.serial.clear()
    field.year.clear()
    type_text(field.serial, "〔")
    assert field.serial.text() == "" and field.note.isVisibleTo(field)
    assert field.note.text() == SERIAL_HINT
    type_text(field.serial, "2026〕3")
    assert (field.year.text(), field.serial.text()) == ("2026", "3")
    assert "2026" in field.note.text()
    assert field.preview.text() == "预览：临府〔2026〕3号"
    w.save_now()
    assert w.current_report.header.doc_serial == "3"
    field.serial.selectAll()
    type_text(field.serial, "五")
    assert field.serial.text() == "" and field.note.text() == SERIAL_HINT


# ---------------------------------------------------------------------------- calendar
def test_the_calendar_opens_on_the_usual_month_without_week_numbers(open_window):
    assert usual_signing_month(2025, QDate(2026, 11, 30)) == QDate(2026, 2, 1)
    assert usual_signing_month(2025, QDate(2026, 3, 12)) == QDate(2026, 3, 12)
    assert usual_signing_month(2025, QDate(2025, 12, 30)) == QDate(2026, 2, 1)
    w = open_window()
    w.tree.select_key(HEADER)
    form = w.page("header")
    date = form.fields["date"]
    date.clear()
    date._menu.aboutToShow.emit()
    cal = date.calendar
    expected = usual_signing_month(w.current_report.year)
    assert (cal.yearShown(), cal.monthShown()) == (expected.year(), expected.month())
    assert cal.verticalHeaderFormat() == QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader
    date.pick(QDate(2026, 2, 26))
    form.fields["print_date"].clear()
    form.fields["print_date"]._menu.aboutToShow.emit()
    print_cal = form.fields["print_date"].calendar
    assert (print_cal.yearShown(), print_cal.monthShown()) == (2026, 2)


# ---------------------------------------------------------------------------- feedback
def test_the_example_says_it_is_one(open_window, monkeypatch):
    w = open_window()
    banner = w.example_banner
    assert banner.isVisibleTo(w) and "示例报告" in banner.label.text()
    assert banner.new_button.text() == "新建报告…" and "导入" in banner.import_button.text()
    w.reports.act_copy.trigger()  # a copy is the user's own report
    assert not banner.isVisibleTo(w)
    first = w.service.list_reports()[-1].id
    w.open_report(first)
    assert banner.isVisibleTo(w)
    banner.close_button.click()
    assert not banner.isVisibleTo(w)
    assert w.service.repo.get_state(STATE_CLOSED) is True


def test_the_example_says_it_is_one_when_a_command_made_the_file(open_window, tmp_path):
    """A report library first made by a command (list, check …) still marks its example."""
    import subprocess
    import sys

    path = tmp_path / "made-by-a-command.db"
    subprocess.run([sys.executable, "main.py", "list", "--db", str(path)], check=True,
                   capture_output=True, timeout=60, cwd=Path(__file__).resolve().parent.parent)
    w = open_window(path)
    assert w.current_report.organ == "清河县临江镇人民政府"
    assert w.example_banner.isVisibleTo(w)


def test_a_file_of_the_previous_version_keeps_its_example_marked(open_window, tmp_path):
    from editor.service import ReportService

    path = tmp_path / "previous.db"
    service = ReportService(path)
    rid = service.ensure_example()
    # What the previous version stored: True, and the id under the window's own key.
    service.repo.set_state("example_installed", True)
    service.repo.set_state("example_report_id", rid)
    service.close()
    w = open_window(path)
    assert w.current_report.id == rid and w.example_banner.isVisibleTo(w)


def test_search_lists_every_place(open_window, qtbot):
    w = open_window()
    report = w.current_report
    section = report.parts[0].sections[1]
    w.tree.select_key(section_key(section.uid))
    body = w.page("section").body
    body.set_cursor_position(0)
    type_text(body, "枫叶红了。枫叶落了。\n")
    panel = w.search.show_search("枫叶")
    assert len(panel.hits) == 2
    assert [h.start for h in panel.hits] == [0, 5]
    assert panel.results.count() == 2
    assert "找到 2 处" in panel.status.text()
    assert panel.open_hit(1)
    assert body.textCursor().selectedText() == "枫叶"
    assert body.textCursor().selectionStart() == 5


def test_the_find_window_keeps_off_the_selected_text(open_window, qtbot):
    w = open_window()
    dialog = w.search.show_find_replace(False)
    qtbot.waitExposed(dialog)
    # Put it right over the text box, as a user might have dragged it.
    body = w.page("section").body
    dialog.move(body.mapToGlobal(body.rect().topLeft()))
    dialog.find.setText("法治")
    assert dialog.preview()
    assert dialog.show_item(0)
    rect = dialog.selection_rect()
    assert rect is not None
    assert not dialog.frameGeometry().intersects(rect)


def test_restoring_from_the_bin_opens_the_report_and_says_so(open_window, monkeypatch):
    w = open_window()
    gone = w.current_report.id
    w.reports.act_copy.trigger()
    w.open_report(gone)
    w.service.delete(gone)
    w.reports.refresh()
    w.open_report(w.service.list_reports()[0].id)

    def restore(dialog: RecycleBinDialog):
        dialog.list.setCurrentRow(0)
        dialog.restore_selected()
        assert "已恢复" in dialog.status.text()
        return 0

    monkeypatch.setattr(RecycleBinDialog, "exec", restore)
    w.reports.act_bin.trigger()
    assert w.current_report.id == gone
    assert w.reports.list.currentItem().data(0x0100) == gone
    assert "已从回收站恢复" in w.statusBar().currentMessage()
