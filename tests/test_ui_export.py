"""导出 from the window: the file the user gets, the errors they see, the PDF job."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
from docx import Document
from PySide6.QtCore import QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from test_ui_window import db_report, type_text

import editor.export as engine
from editor.export import pdf as pdf_engine
from editor.ui import export_feature, file_dialogs
from editor.ui.app import build_window, make_app, open_service
from editor.ui.export_dialogs import ExportDialog, HouseStyleDialog, layout_differences
from editor.ui.nav_tree import section_key

PDF_TIMEOUT = 120_000  # ms: LibreOffice renders twice (pagination check, then the PDF)


class Boxes:
    """Message boxes: the static warnings/informations, and the result box (its text)."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.results: list[str] = []
        self.click: str | None = None  # button text to press in the result box

    def record(self, kind):
        def show(_parent, title, text, *args, **kwargs):
            self.shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return show

    def texts(self, kind=None) -> list[str]:
        return [t for k, _, t in self.shown if kind is None or k == kind]


class SaveDialog:
    """file_dialogs.get_save_file_name answering from a list ("" = cancel); records each call."""

    def __init__(self) -> None:
        self.answers: list[str] = []
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, _parent, title, directory, filt, *args, **kwargs):
        self.calls.append((title, directory, filt))
        answer = self.answers.pop(0) if self.answers else ""
        return answer, filt


@pytest.fixture
def boxes(monkeypatch) -> Boxes:
    b = Boxes()
    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(b.record(kind)))

    def exec_box(box):
        b.results.append(box.text())
        for button in box.buttons():
            if button.text() == b.click:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    return b


@pytest.fixture
def save_dialog(monkeypatch) -> SaveDialog:
    d = SaveDialog()
    monkeypatch.setattr(file_dialogs, "get_save_file_name", d)
    return d


@pytest.fixture
def opened_urls(monkeypatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(
        lambda url: urls.append(url.toLocalFile()) or True))
    return urls


@pytest.fixture
def window(qtbot, db_path, boxes, save_dialog):
    make_app()
    service = open_service(db_path)
    w = build_window(service)
    with qtbot.waitExposed(w):
        w.show()
    # The review panel's own gate (tested in its own tests and below) would ask about the
    # missing fields these tests leave on purpose; here the export itself is under test.
    w.export.review = None
    yield w
    feature = w.export
    feature.worker.wait(PDF_TIMEOUT)
    w.close()
    service.close()


def docx_text(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def docx_xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def type_in_first_section(w, text: str) -> None:
    first = w.current_report.parts[0].sections[0]
    w.stack.select_node(section_key(first.uid))
    form = w.page("section")
    form.body.set_cursor_position(len(first.body))
    type_text(form.body, text)


# ---------------------------------------------------------------------------- DOCX
def test_ctrl_e_exports_what_was_just_typed_and_offers_to_open_it(window, save_dialog, boxes,
                                                                  opened_urls, tmp_path, db_path,
                                                                  monkeypatch):
    """One click: Ctrl+E writes at once, in the last version and folder (the first time the
    红头版 in 文档, named after the report), and a message that does not block offers 打开文件,
    打开所在文件夹 and 另存为…."""
    w = window
    feature = w.export
    assert feature.act_export.shortcut().toString() == "Ctrl+E"
    assert feature.act_export in w.toolbar.actions() and feature.act_pdf in w.toolbar.actions()
    assert feature.act_export in w.menu("文件").actions()
    assert feature.act_export_as in w.menu("文件").actions()
    type_in_first_section(w, "导出前刚输入的一句话。")
    # Exported at once: no autosave has happened yet, the export must save and use the widget text.
    assert w.autosaver.state != "saved"
    documents = tmp_path / "文档"
    documents.mkdir()
    monkeypatch.setattr(feature, "folder", lambda: documents)
    monkeypatch.setattr(ExportDialog, "exec", lambda d: pytest.fail("no dialog on one click"))
    feature.act_export.trigger()

    report = w.current_report
    target = documents / engine.default_filename(report, variant="redhead")
    assert target.name.endswith("（红头版）.docx") and target.exists()
    assert save_dialog.calls == []
    text = docx_text(target)
    assert "导出前刚输入的一句话。" in text
    assert "人民政府文件" in text  # the red 发文机关标志 of the 红头版
    assert "导出前刚输入的一句话。" in db_report(db_path, report.id).parts[0].sections[0].body
    box = feature.result_box
    assert box is not None and box.isVisible() and not box.isModal()
    assert "已导出红头版" in box.text()
    assert {b.text() for b in box.buttons()} == {"打开文件", "打开所在文件夹", "另存为…", "关闭"}
    next(b for b in box.buttons() if b.text() == "打开所在文件夹").click()
    assert opened_urls == [str(documents)]
    assert list(documents.iterdir()) == [target]  # no temporary file left beside it

    # A second click never replaces the first file (it may have been edited in WPS)
    target.write_bytes(b"edited elsewhere")
    feature.act_export.trigger()
    assert target.read_bytes() == b"edited elsewhere"
    assert (documents / target.name.replace(".docx", " (2).docx")).exists()

    # A history snapshot marks the export.
    from editor.history import KIND_EXPORT

    kinds = [(r["kind"], r["note"]) for r in w.service.repo.revisions(report.id)]
    assert (KIND_EXPORT, target.name) in kinds


def test_the_folder_and_variant_are_remembered(window, save_dialog, boxes, opened_urls, tmp_path,
                                               monkeypatch):
    w = window
    feature = w.export
    folder = tmp_path / "年度报告"
    folder.mkdir()
    save_dialog.answers = [str(folder / "公开版")]  # no suffix typed: .docx is added
    boxes.click = "打开文件"
    feature.variant_actions["plain"].trigger()
    plain = folder / "公开版.docx"
    assert plain.exists() and opened_urls == [str(plain)]
    assert "人民政府文件" not in docx_text(plain)  # no 红头 on the web version
    assert "公开版" in save_dialog.calls[0][0]
    # the name offered says the version
    assert save_dialog.calls[0][1].endswith("（公开版）.docx")

    # Next time 导出为… starts in that folder, on 公开版
    seen = {}

    def fake_exec(dialog):
        seen["variant"] = dialog.variant()
        dialog.buttons["preprinted"].setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", fake_exec)
    save_dialog.answers = [str(folder / "套打.docx")]
    feature.act_export_as.trigger()
    assert seen["variant"] == "plain"
    assert save_dialog.calls[1][1].startswith(str(folder))
    preprinted = folder / "套打.docx"
    assert preprinted.exists()
    assert "人民政府文件" not in docx_text(preprinted)
    assert "已导出套打版" in boxes.results[-1]
    # and one click now writes the 套打版 in that folder
    feature.act_export.trigger()
    report = w.current_report
    assert (folder / engine.default_filename(report, variant="preprinted")).exists()

def test_cancelled_dialogs_write_nothing(window, save_dialog, boxes, tmp_path, monkeypatch):
    feature = window.export
    monkeypatch.setattr(ExportDialog, "exec", lambda d: QDialog.DialogCode.Rejected)
    feature.act_export.trigger()
    assert save_dialog.calls == []
    save_dialog.answers = [""]
    feature.variant_actions["redhead"].trigger()
    assert len(save_dialog.calls) == 1
    assert boxes.results == [] and boxes.shown == []


def test_a_failed_write_says_why_reopens_the_dialog_and_keeps_the_old_file(window, save_dialog,
                                                                          boxes, tmp_path,
                                                                          monkeypatch):
    feature = window.export
    target = tmp_path / "报告.docx"
    save_dialog.answers = [str(target)]
    feature.variant_actions["redhead"].trigger()
    before = target.read_bytes()

    def locked(_src, _dst):
        raise PermissionError(13, "Permission denied")

    type_in_first_section(window, "新的一句。")
    monkeypatch.setattr(engine.os, "replace", locked)
    save_dialog.answers = [str(target), ""]  # the locked file, then the user gives up
    feature.variant_actions["redhead"].trigger()
    assert len(save_dialog.calls) == 3
    assert save_dialog.calls[2][1] == str(target)  # re-opened on the name that failed
    warnings = boxes.texts("warning")
    assert len(warnings) == 1 and "正在被 Word 或 WPS 打开" in warnings[0]
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".docx", ".tmp")) == \
        ["报告.docx"]

    # A folder that is really a file: the message says so; the next name works.
    monkeypatch.undo()
    monkeypatch.setattr(file_dialogs, "get_save_file_name", save_dialog)
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(boxes.record("warning")))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.results.append(box.text()) or 0)
    save_dialog.answers = [str(target / "x.docx"), str(tmp_path / "另存.docx")]
    feature.variant_actions["redhead"].trigger()
    assert "不存在" in boxes.texts("warning")[-1]
    assert "新的一句。" in docx_text(tmp_path / "另存.docx")
    assert target.read_bytes() == before


def test_missing_header_fields_are_listed_after_export(window, save_dialog, boxes, tmp_path):
    w = window
    h = w.current_report.header
    h.doc_code = h.doc_year = h.doc_serial = ""
    h.date = ""
    w.mark_edited()
    target = tmp_path / "缺字号.docx"
    save_dialog.answers = [str(target)]
    w.export.variant_actions["redhead"].trigger()
    assert target.exists()
    text = boxes.results[-1]
    assert "缺少发文字号" in text and "文件已照常生成" in text
    assert "〔" not in docx_text(target)


def test_the_review_gate_can_stop_the_export(window, save_dialog, boxes, tmp_path):
    asked = []

    class Review:
        def confirm_export(self, parent):
            asked.append(parent)
            return False

    window.export.review = Review()
    feature = window.export
    save_dialog.answers = [str(tmp_path / "a.docx"), str(tmp_path / "a.pdf")]
    feature.variant_actions["redhead"].trigger()
    assert feature.export_pdf(variant="redhead") is False
    assert asked == [window, window]
    assert save_dialog.calls == [] and list(tmp_path.glob("a.*")) == []


def test_the_real_review_panel_is_asked_first(qtbot, db_path, boxes, save_dialog, tmp_path,
                                              monkeypatch):
    from editor.ui.review import dialogs as review_dialogs
    make_app()
    service = open_service(db_path)
    w = build_window(service)
    try:
        if getattr(w, "review", None) is None or w.export.review is not w.review:
            pytest.fail("the review feature is not installed")
        asked = []
        monkeypatch.setattr(review_dialogs.ExportGateDialog, "exec",
                            lambda d: asked.append(d) or QDialog.DialogCode.Rejected)
        w.current_report.header.date = ""  # an error the review gate stops for
        w.mark_edited()
        save_dialog.answers = [str(tmp_path / "gate.docx")]
        w.export.variant_actions["redhead"].trigger()
        assert asked and save_dialog.calls == []
        assert not (tmp_path / "gate.docx").exists()
    finally:
        w.close()
        service.close()


def test_the_house_style_setting_is_used_by_every_export(window, save_dialog, boxes, tmp_path,
                                                         monkeypatch):
    feature = window.export
    chosen = {}

    def pick(dialog):
        chosen["details"] = dialog.details.toPlainText()
        assert dialog.select("windows-fonts")
        chosen["windows"] = dialog.details.toPlainText()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(HouseStyleDialog, "exec", pick)
    feature.act_style.trigger()
    assert chosen["details"].startswith("无")  # the standard differs from nothing
    assert "fonts.fangsong：仿宋_GB2312 → 仿宋" in chosen["windows"]
    assert window.service.repo.get_state(export_feature.STATE_STYLE) == "windows-fonts"

    target = tmp_path / "win.docx"
    save_dialog.answers = [str(target)]
    feature.variant_actions["redhead"].trigger()
    xml = docx_xml(target)
    assert 'w:eastAsia="仿宋"' in xml and "仿宋_GB2312" not in xml
    assert "版式：Windows 自带字体" in boxes.results[-1]


def test_a_units_own_style_file_and_a_broken_one(window, save_dialog, boxes, tmp_path,
                                                 monkeypatch):
    own = tmp_path / "本单位.toml"
    own.write_text('name = "本单位"\n[levels]\nlevel3_bold = true\n', encoding="utf-8")
    dialog = HouseStyleDialog("", window)
    monkeypatch.setattr(file_dialogs, "get_open_file_name", lambda *a, **k: (str(own), ""))
    dialog._load_file()
    assert dialog.style() == str(own)
    assert "levels.level3_bold：否 → 是" in dialog.details.toPlainText()
    assert dialog.ok.isEnabled()
    dialog.add_file(str(tmp_path / "不存在.toml"))
    assert "找不到" in dialog.details.toPlainText() and not dialog.ok.isEnabled()
    dialog.close()

    # A stored style whose file has gone: the export says what to do and writes nothing.
    window.service.repo.set_state(export_feature.STATE_STYLE, str(tmp_path / "已删除.toml"))
    save_dialog.answers = [str(tmp_path / "x.docx")]
    window.export.variant_actions["redhead"].trigger()
    assert "版式设置" in boxes.texts("warning")[-1]
    assert not (tmp_path / "x.docx").exists()
    assert layout_differences("bold-level3")


def test_the_export_dialog_lists_three_versions(window):
    d = ExportDialog("preprinted", "windows-fonts", pdf=True, pdf_note="说明", parent=window)
    assert [b.text() for b in d.buttons.values()] == ["红头版", "套打版", "公开版"]
    assert d.variant() == "preprinted"
    assert "Windows 自带字体" in d.style_label.text()
    assert d.windowTitle() == "导出 PDF"
    d.close()


# ---------------------------------------------------------------------------- PDF
def test_pdf_runs_in_the_background_and_reports_font_substitutions(window, save_dialog, boxes,
                                                                   qtbot, tmp_path, monkeypatch):
    w = window
    feature = w.export
    monkeypatch.setattr(ExportDialog, "exec", lambda d: QDialog.DialogCode.Accepted)
    type_in_first_section(w, "PDF 里的新句子。")
    target = tmp_path / "报告.pdf"
    save_dialog.answers = [str(target)]
    ticks = []
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    feature.act_pdf.trigger()
    # Back in the event loop at once: the work happens on another thread.
    assert feature.running is not None
    assert not feature.act_pdf.isEnabled()
    assert feature.act_pdf.isVisible()
    assert not feature.busy.isHidden() and "正在生成 PDF" in feature.busy_label.text()
    assert ".pdf" in save_dialog.calls[0][2]
    qtbot.waitUntil(lambda: feature.running is None, timeout=PDF_TIMEOUT)
    timer.stop()
    assert len(ticks) > 5  # the window kept handling events while LibreOffice ran
    assert feature.act_pdf.isEnabled() and feature.busy.isHidden()
    assert target.read_bytes().startswith(b"%PDF")
    docx = target.with_suffix(".docx")
    assert "PDF 里的新句子。" in docx_text(docx)
    result, pdf_result = feature.last_result
    assert result.confirmed
    box = feature.result_box  # shown without blocking the window
    assert box.isVisible() and not box.isModal()
    text = box.text()
    box.close()
    assert "报告.pdf" in text and "报告.docx" in text
    subs = pdf_result.substitution_lines()
    assert subs  # this machine has no 仿宋_GB2312 / 方正小标宋简体
    assert all(s in text for s in subs) and "代用字体" in text
    shown = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "PDF里的新句子。" in re.sub(r"\s+", "", shown)


def test_pdf_without_libreoffice_says_how_to_get_it(window, save_dialog, boxes, tmp_path,
                                                    monkeypatch):
    feature = window.export
    monkeypatch.setattr(export_feature.pdf_engine, "find_soffice", lambda: None)
    notes = []

    def fake_exec(dialog):
        notes.append(dialog.findChildren(type(window.save_state.label))[-1].text())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", fake_exec)
    save_dialog.answers = [str(tmp_path / "无PDF.pdf")]
    feature.act_pdf.trigger()
    assert feature.act_pdf.isEnabled() and feature.act_pdf.isVisible()
    assert "未找到 LibreOffice" in notes[0]
    assert save_dialog.calls[0][1].endswith(".docx")
    assert pdf_engine.NOT_FOUND in boxes.texts("warning")[-1]
    assert (tmp_path / "无PDF.docx").exists() and not (tmp_path / "无PDF.pdf").exists()


def test_a_pdf_that_cannot_be_written_reopens_the_dialog(window, save_dialog, boxes, qtbot,
                                                         tmp_path, monkeypatch):
    feature = window.export
    calls = []

    def failing(report, docx, pdf, variant, layout):
        calls.append(pdf)
        raise engine.PdfError("LibreOffice 未能生成 PDF。请确认已关闭正在运行的 LibreOffice 窗口后重试。")

    monkeypatch.setattr(engine, "export_with_pdf", failing)
    save_dialog.answers = [str(tmp_path / "a.pdf"), ""]
    assert feature.export_pdf(variant="plain")
    qtbot.waitUntil(lambda: len(save_dialog.calls) == 2, timeout=10_000)
    assert "LibreOffice 未能生成 PDF" in boxes.texts("warning")[-1]
    assert save_dialog.calls[1][1] == str(tmp_path / "a.pdf")
    assert feature.running is None and feature.act_pdf.isEnabled()
    QApplication.processEvents()


def test_the_reviewer_copy_has_comments(window, save_dialog, tmp_path):
    from docx import Document as Read

    w = window
    w.export.review = w.review
    type_in_first_section(w, "截止目前，已完成。")
    target = tmp_path / "审阅版.docx"
    save_dialog.answers = [str(target)]
    assert w.export.export_annotated() == target
    comments = list(Read(str(target)).comments)
    assert any("截至" in c.text for c in comments)
    assert "条批注" in w.statusBar().currentMessage()


def test_free_name_never_replaces(tmp_path):
    from editor.ui.export_feature import free_name

    first = tmp_path / "报告（红头版）.docx"
    assert free_name(first) == first
    first.write_text("x")
    assert free_name(first).name == "报告（红头版） (2).docx"


def test_missing_official_fonts_are_said_before_exporting(window, save_dialog, tmp_path,
                                                          monkeypatch):
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QLabel

    from editor.ui import fonts

    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *a: ["Noto Serif CJK SC"]))
    assert fonts.missing_official_fonts() == list(fonts.OFFICIAL_FONTS)
    seen = []

    def fake_exec(dialog):
        seen.append(" ".join(label.text() for label in dialog.findChildren(QLabel)))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ExportDialog, "exec", fake_exec)
    window.export.export()
    assert "本机没有公文字体：仿宋_GB2312" in seen[0] and "WPS" in seen[0]
    # with the fonts installed nothing is said
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(
        lambda *a: [n for aliases in fonts.OFFICIAL_FONTS.values() for n in aliases]))
    assert fonts.missing_official_fonts() == []
    window.export.export()
    assert "本机没有公文字体" not in seen[1]
