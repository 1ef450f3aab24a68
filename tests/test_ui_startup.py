"""Start-up: the window shows the report first; its check arrives right after it has painted."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from editor.check import APPROVED, PENDING
from editor.service import ReportService
from editor.ui.app import build_window, make_app, open_service
from editor.ui.review import feature as review_feature
from editor.ui.review import style as review_style

TIMEOUT = 5000


def test_the_first_check_arrives_after_the_window_is_shown(qtbot, db_path, monkeypatch):
    for kind in ("question", "warning", "information", "critical"):  # never a modal box
        monkeypatch.setattr(QMessageBox, kind, staticmethod(
            lambda *a, **k: QMessageBox.StandardButton.Ok))
    make_app()
    seed = ReportService(db_path)
    seed.ensure_example()
    example = seed.load(1)
    example.parts[0].sections[0].body += "\n我们的的工作。"  # one slip the check must find
    seed.save(example)
    seed.close()

    service = open_service(db_path)
    window = build_window(service)
    try:
        feature = window.review
        # Built but not yet painted: the report is open, its check still to come.
        assert window.current_report is not None
        assert feature.result is None
        assert feature.findings_panel.summary.text() == review_feature.CHECKING
        assert feature.checklist_panel.summary.text() == review_feature.CHECKING
        assert feature.status_button.text() == review_feature.CHECKING

        with qtbot.waitExposed(window):
            window.show()
        qtbot.waitUntil(lambda: feature.result is not None, timeout=TIMEOUT)

        found = [f for f in feature.findings_panel.findings() if f.text == "的的"]
        assert len(found) == 1
        assert feature.findings_panel.list.count() == len(feature.result.findings) >= 1
        assert feature.status_text() == "0 处错误 · 1 处提示 · 0 项待确认"
        assert feature.findings_panel.summary.text() != review_feature.CHECKING
        assert feature.checklist_panel.summary.text().startswith("共 ")
    finally:
        window.close()
        service.close()


def test_section_statuses_match_the_engine():
    # the window takes them from the model so that drawing the tree does not import the checker
    assert (review_style.APPROVED, review_style.PENDING) == (APPROVED, PENDING)


def test_the_everyday_start_needs_no_parser_and_reads_db_as_the_parser_does():
    from editor.cli import _everyday_gui_start, build_parser

    for argv in ([], ["gui"], ["--db", "a.db"], ["gui", "--db", "a.db"], ["--db", "a.db", "gui"],
                 ["--db=a.db"], ["--db", "a.db", "gui", "--db", "b.db"]):
        everyday, db = _everyday_gui_start(argv)
        assert everyday, argv
        args = build_parser().parse_args(argv if "gui" in argv else ["gui", *argv])
        assert (args.command, db) == ("gui", getattr(args, "db", None)), argv
    for argv in (["list"], ["--help"], ["gui", "gui"], ["--db"], ["--db", "gui"], ["-x"]):
        assert not _everyday_gui_start(argv)[0], argv
