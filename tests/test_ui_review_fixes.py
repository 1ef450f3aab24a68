"""改正 on a header field that is not a plain text box (the 成文日期 date field)."""

from ui_helpers import saved

from editor.service import ReportService


def test_fix_of_a_dotted_date_in_the_header(open_window, db_path, qtbot):
    seed = ReportService(db_path)
    seed.ensure_example()
    report = seed.load(1)
    report.header.date = "2026.2.10"  # as an imported file may have it
    seed.save(report)
    seed.close()
    w = open_window()
    feature = w.review
    qtbot.waitUntil(lambda: feature.result is not None, timeout=5000)
    found = [f for f in feature.findings_panel.findings() if f.place.field == "header.date"]
    assert found, [f.place for f in feature.findings_panel.findings()]
    panel = feature.findings_panel
    panel.list.setCurrentRow(panel.row_of(found[0]))
    panel.fix_button.click()
    qtbot.waitUntil(lambda: w.current_report.header.date == "2026年2月10日", timeout=5000)
    qtbot.waitUntil(lambda: saved(w), timeout=5000)
