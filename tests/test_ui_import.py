"""Starting from an existing report in the window: 导入… through the proposal dialog, drag and
drop, 粘贴整份报告…, and 由上一年度报告新建 with its 待更新 marks.

The helpers at the top (message-box recorder, window factory, typing, modal-dialog driver) are
shared with tests/test_ui_history.py and tests/test_ui_search.py."""

from __future__ import annotations

import warnings
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QMessageBox

from editor.history import KIND_IMPORT, list_snapshots
from editor.rollover import OUTDATED
from editor.service import ReportService
from editor.ui import file_dialogs
from editor.ui.import_dialog import ImportDialog, PasteDialog
from editor.ui.nav_tree import section_key

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "linjiang-2025.txt"
from ui_helpers import SAVE_TIMEOUT, saved, type_text


# ---------------------------------------------------------------------------- shared helpers
@pytest.fixture
def dialogs(dialogs):
    # Import, history and search tests agree to the questions they meet (overwrite, restore).
    dialogs.answer = QMessageBox.StandardButton.Yes
    return dialogs


def db_reports(db_path) -> list:
    svc = ReportService(db_path)
    try:
        return [svc.load(r.id) for r in svc.list_reports()]
    finally:
        svc.close()


class ModalDriver:
    """Acts on modal dialogs opened with exec(): each one of a known type is handed, once, to
    its handler (which fills it in and clicks a button, as the user would)."""

    def __init__(self, handlers: dict[type, object]) -> None:
        self.handlers = handlers
        self.seen: list[object] = []
        self.timer = QTimer(interval=30)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        w = QApplication.activeModalWidget()
        if w is None or w in self.seen:
            return
        handler = self.handlers.get(type(w))
        if handler is not None:
            self.seen.append(w)
            try:
                handler(w)
            finally:
                if w.isVisible():  # a failing handler must not leave the test waiting
                    w.reject()

    def stop(self) -> None:
        self.timer.stop()


@pytest.fixture
def drive():
    drivers: list[ModalDriver] = []

    def make(handlers):
        d = ModalDriver(handlers)
        drivers.append(d)
        return d

    yield make
    for d in drivers:
        d.stop()


def click(dialog, which: QDialogButtonBox.StandardButton) -> None:
    dialog.buttons.button(which).click()


OK = QDialogButtonBox.StandardButton.Ok
CANCEL = QDialogButtonBox.StandardButton.Cancel


def row_starting(dialog: ImportDialog, prefix: str) -> int:
    return next(i for i, b in enumerate(dialog.proposal.blocks) if b.text.startswith(prefix))


# ---------------------------------------------------------------------------- import
def test_import_txt_through_the_proposal_dialog_with_a_corrected_role(
        open_window, drive, monkeypatch, db_path, dialogs):
    w = open_window()
    before = {r.id for r in w.service.list_reports()}
    monkeypatch.setattr(file_dialogs, "get_open_file_name",
                        lambda *a, **k: (str(SAMPLE), ""))
    shown = {}

    def accept(dialog: ImportDialog) -> None:
        shown["roles"] = [c.currentText() for c in dialog.combos]
        shown["preview_before"] = dialog.preview.topLevelItemCount()
        # The user decides the eighth item of part 一 belongs to the seventh's text.
        row = row_starting(dialog, "（八）")
        assert dialog.combos[row].currentData() == "section"
        dialog.set_role(row, "body")
        shown["row"] = row
        click(dialog, OK)

    drive({ImportDialog: accept})
    w.importer.act_import.trigger()

    assert "标题" in shown["roles"] and "部分标题（一级标题）" in shown["roles"]
    new = [r for r in db_reports(db_path) if r.id not in before]
    assert len(new) == 1
    report = new[0]
    assert report.year == 2025
    assert report.header.title.startswith("清河县临江镇人民政府关于2025年度")
    first = report.parts[0]
    assert len(first.sections) == 7  # 8 in the file, one turned into body text
    assert "深入开展法治宣传教育" in first.sections[6].body
    # Opened in the window, with an "import" snapshot.
    assert w.current_report.id == report.id
    assert [s.kind for s in list_snapshots(w.service.repo, report.id)] == [KIND_IMPORT]
    assert dialogs.shown == []


def test_cancel_creates_nothing(open_window, drive, monkeypatch, db_path):
    w = open_window()
    count = len(w.service.list_reports())
    opened = w.current_report.id
    monkeypatch.setattr(file_dialogs, "get_open_file_name",
                        lambda *a, **k: (str(SAMPLE), ""))
    d = drive({ImportDialog: lambda dlg: click(dlg, CANCEL)})
    assert w.importer.import_file() is None
    assert d.seen  # the dialog was shown
    assert len(db_reports(db_path)) == count
    assert w.current_report.id == opened


def test_import_a_docx_made_with_python_docx(open_window, drive, tmp_path, db_path):
    path = tmp_path / "去年的报告.docx"
    document = docx.Document()
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line)
    document.save(path)
    w = open_window()
    d = drive({ImportDialog: lambda dlg: click(dlg, OK)})
    rid = w.importer.import_file(path)
    assert rid is not None and d.seen
    assert d.seen[0].proposal.source == "去年的报告.docx"
    report = w.service.load(rid)
    assert [p.key for p in report.parts][:2] == ["measures", "shortcomings"]
    assert len(report.parts[0].sections) == 8
    assert w.current_report.id == rid


@pytest.mark.parametrize("name, content, words", [
    ("坏文件.docx", b"this is not a zip at all", "不是 Word 文档"),
    ("旧格式.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Word"),
    ("空文件.txt", b"", "空的"),
])
def test_a_bad_file_shows_the_message_and_creates_nothing(
        open_window, drive, tmp_path, db_path, dialogs, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    w = open_window()
    count = len(w.service.list_reports())
    d = drive({ImportDialog: lambda dlg: click(dlg, OK)})
    assert w.importer.import_file(path) is None
    assert d.seen == []  # no proposal to show
    assert len(dialogs.shown) == 1
    kind, title, text = dialogs.shown[0]
    assert kind == "warning" and title == "无法导入" and words in text
    assert "Traceback" not in text
    assert len(db_reports(db_path)) == count


def test_dropping_a_file_on_the_window_imports_it(open_window, drive, tmp_path, db_path):
    path = tmp_path / "拖进来的报告.txt"
    path.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    w = open_window()
    count = len(w.service.list_reports())
    d = drive({ImportDialog: lambda dlg: click(dlg, OK)})
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with warnings.catch_warnings():  # PySide6 flags the only constructor Qt 6 has
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(w, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w, drop)
    assert d.seen and d.seen[0].proposal.source == "拖进来的报告.txt"
    assert len(db_reports(db_path)) == count + 1
    assert w.current_report.header.title.startswith("清河县临江镇人民政府")


def test_paste_a_whole_report(open_window, drive, db_path):
    w = open_window()
    count = len(w.service.list_reports())
    text = """\
关于2024年度法治政府建设情况的报告
2024年，我局认真贯彻落实上级部署。现将有关情况报告如下：
一、主要举措和成效
（一）健全制度。制定了三项制度。
（二）规范执法。开展执法检查12次。
二、存在的不足和原因
（一）学习不够深入。个别干部学习不够。
三、下一年度主要安排
（一）继续抓好学习。
特此报告。"""
    seen = {}

    def paste(dlg: PasteDialog) -> None:
        dlg.text.setPlainText(text)
        click(dlg, OK)

    def accept(dlg: ImportDialog) -> None:
        seen["messages"] = dlg.messages.text()
        click(dlg, OK)

    drive({PasteDialog: paste, ImportDialog: accept})
    w.importer.act_paste.trigger()
    reports = db_reports(db_path)
    assert len(reports) == count + 1
    report = w.current_report
    assert report.year == 2024
    assert [len(p.sections) for p in report.enabled_parts][:3] == [2, 1, 1]
    assert report.parts[0].sections[1].body == "开展执法检查12次。"


WEB_TOP = ("索引号：113301/2026-00012 发布机构：清河县临江镇人民政府 发布日期：2026-02-28 "
           "浏览次数：1234 字号：大 中 小\n")
WEB_BOTTOM = "扫一扫在手机打开当前页\n【打印本页】 【关闭窗口】\n"


def test_web_page_furniture_is_shown_as_ignored_and_can_be_taken_back(qtbot):
    from editor.ingest import propose_text

    dialog = ImportDialog(propose_text(WEB_TOP + SAMPLE.read_text(encoding="utf-8") + WEB_BOTTOM))
    qtbot.addWidget(dialog)
    ignored = [i for i, c in enumerate(dialog.combos) if c.currentText() == "已忽略"]
    assert ignored == [0, len(dialog.combos) - 2, len(dialog.combos) - 1]
    assert dialog.table.item(0, 0).foreground().color().name() == "#8a8a8a"
    assert "有 3 段是网页上的栏目信息" in dialog.messages.text()
    assert "索引号" not in dialog.report().preamble
    # The user says the first line belongs to the 前言.
    dialog.set_role(0, "preamble")
    assert dialog.report().preamble.startswith("索引号")
    assert "有 2 段是网页上的栏目信息" in dialog.messages.text()
    assert dialog.table.item(0, 0).foreground().color().name() != "#8a8a8a"


def test_paste_a_report_from_a_web_page(open_window, drive, db_path):
    w = open_window()
    count = len(w.service.list_reports())
    drive({PasteDialog: lambda dlg: (dlg.text.setPlainText(
        WEB_TOP + SAMPLE.read_text(encoding="utf-8") + WEB_BOTTOM), click(dlg, OK)),
        ImportDialog: lambda dlg: click(dlg, OK)})
    w.importer.act_paste.trigger()
    assert len(db_reports(db_path)) == count + 1
    report = w.current_report
    assert report.header.doc_number == "临府〔2026〕12号" and report.year == 2025
    assert "索引号" not in report.preamble and report.header.note.startswith("（联系人")


def test_pasting_text_without_structure_says_so_and_the_user_can_fix_it(open_window, drive):
    w = open_window()
    text = "今年我们做了很多工作。\n主要举措\n建立了法律顾问制度。\n明年继续努力。"
    seen = {}

    def accept(dlg: ImportDialog) -> None:
        seen["before"] = dlg.messages.text()
        dlg.set_role(row_starting(dlg, "主要举措"), "part")
        seen["parts"] = dlg.preview.topLevelItemCount()
        click(dlg, OK)

    drive({ImportDialog: accept})
    rid = w.importer.import_pasted(text)
    assert "没有识别出" in seen["before"]
    assert rid is not None
    # (The importer joins a line without end punctuation to the next: broken PDF lines.)
    headings = [p.heading for p in w.current_report.parts]
    assert any(h.startswith("主要举措") for h in headings)
    assert seen["parts"] >= 2


# ---------------------------------------------------------------------------- new from last year
def test_new_report_from_last_year_marks_sections_to_update(open_window, monkeypatch, qtbot,
                                                            db_path):
    w = open_window()
    old = w.current_report
    assert old.year == 2025
    asked = {}

    def get_item(_parent, _title, _label, items, current, _editable):
        asked["items"], asked["current"] = items, current
        return items[current], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    w.importer.act_rollover.trigger()
    assert asked["items"][asked["current"]].startswith("2025年度")

    new = w.current_report
    assert new.id != old.id and new.year == 2026
    plan = next(p for p in new.parts if p.key == "plan")
    assert "2027年度" in plan.heading
    sections = [s for p in new.parts for s in p.sections]
    assert sections and all(s.status == OUTDATED for s in sections)
    first, second = new.parts[0].sections[:2]
    assert "待更新" in w.tree.item_text(section_key(first.uid))

    # Editing a section clears its mark (in the tree and in the database).
    assert w.current_node == section_key(first.uid)
    body = w.page("section").body
    body.set_cursor_position(0)
    type_text(body, "今年")
    w.refresh()  # the debounced refresh after typing
    assert first.status == ""
    assert "待更新" not in w.tree.item_text(section_key(first.uid))
    assert "待更新" in w.tree.item_text(section_key(second.uid))
    # 标记本节为已更新 clears the mark without editing.
    w.tree.select_key(section_key(second.uid))
    act = w.outdated.act_updated
    assert act.isEnabled()
    act.trigger()
    assert second.status == ""
    # the 前言 and the part leads carried over are marked too, and cleared by editing
    assert new.preamble_status == OUTDATED
    assert "待更新" in w.tree.item_text("preamble")
    w.show_changes("preamble")
    preamble = w.page("preamble").body
    preamble.setFocus()
    preamble.set_cursor_position(0)
    type_text(preamble, "今年，")
    w.refresh()
    assert new.preamble_status == ""
    assert "待更新" not in w.tree.item_text("preamble")
    qtbot.waitUntil(lambda: saved(w), timeout=SAVE_TIMEOUT)
    stored = w.service.load(new.id)
    assert [s.status for s in stored.parts[0].sections[:3]] == ["", "", OUTDATED]
    assert stored.parts[0].sections[0].body.startswith("今年")
    # Last year's report is untouched.
    assert all(s.status == "" for p in w.service.load(old.id).parts for s in p.sections)


def test_the_import_summary_says_what_was_tidied(qtbot):
    from conftest import DATA

    from editor.ingest import propose_file
    from editor.ui.import_dialog import ImportDialog

    dialog = ImportDialog(propose_file(DATA / "linjiang-2025-errors.txt"))
    qtbot.addWidget(dialog)
    text = dialog.messages.text()
    assert "导入时整理" in text and "(四)" in text and "临府[2026]12号" in text
