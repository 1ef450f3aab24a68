"""导出: the open report as a GB/T 9704-2012 公文 DOCX (and PDF) from the window.

:class:`ExportFeature` adds 导出… (Ctrl+E), 导出为 ▸ 红头版/套打版/公开版, 导出PDF… and 版式设置… to
the 文件 menu (导出 and 导出PDF also to the toolbar); it asks the review feature it is given
(``review.confirm_export``) before every export. The PDF runs in a worker thread: LibreOffice
takes seconds and the window must keep taking keystrokes meanwhile.
"""

from __future__ import annotations

import contextlib
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QMessageBox, QProgressBar

from .export_dialogs import VARIANT_CHOICES, VARIANT_LABELS, ExportDialog, HouseStyleDialog
from .export_result import free_name, result_text, show_result
from .fonts import missing_fonts_note, missing_official_fonts
from .lazy import LazyModule
from .worker import Worker

file_dialogs = LazyModule("editor.ui.file_dialogs")  # QFileSystemModel etc.: on first use

# The engine (python-docx and all) costs ~70 ms to import: loaded on the first export, not at start.
engine = LazyModule("editor.export")
pdf_engine = LazyModule("editor.export.pdf")

STATE_VARIANT = "export.variant"
STATE_FOLDER = "export.folder"
STATE_STYLE = "export.house_style"  # "" = the standard, a house-style name, or a TOML path


def _write_pdf(report, docx: Path, pdf: Path, variant: str, layout) -> tuple[str, object]:
    """The PDF job's work, in the worker thread: ("ok", (ExportResult, PdfResult)) or
    ("error", a sentence)."""
    try:
        return "ok", engine.export_with_pdf(report, docx, pdf, variant=variant, layout=layout)
    except (engine.ExportError, engine.PdfError) as exc:
        return "error", str(exc)
    except Exception as exc:  # noqa: BLE001 - the user gets a sentence, never a traceback
        return "error", f"导出 PDF 时出现意外错误：{exc}。请重试，或先只导出 DOCX。"


class ExportFeature(QObject):
    def __init__(self, window, review=None) -> None:
        super().__init__(window)
        self.window = window
        #: The export gate: ``review.confirm_export(parent)`` (None: exports without asking).
        self.review = review
        self.worker = Worker(self)
        self.worker.finished.connect(self._pdf_done)
        self.running: dict | None = None  # the PDF job being made
        self.last_result = None  # (ExportResult, PdfResult | None) of the last export
        self.result_box: QMessageBox | None = None

        a = self._action
        self.act_export = a("导出", self.export_now, "Ctrl+E",
                            "一键导出符合 GB/T 9704-2012 的公文 Word 文件（上次的版本和文件夹）")
        self.act_export_as = a("导出为…", self.export, None,
                               "选择版本和保存位置导出公文 Word 文件")
        self.act_pdf = a("导出PDF…", self.export_pdf, "Ctrl+Shift+E",
                         "导出 Word 文件并用 LibreOffice 生成 PDF（在后台进行）")
        self.act_annotated = a("导出审阅版…", self.export_annotated, None,
                               "导出带批注的副本：每个问题和未写到的必查项都是 Word 批注，供审核人看")
        self.act_style = a("版式设置…", self.choose_style, None,
                           "选择导出时使用的版式（国家标准或单位习惯）")
        self.variant_actions: dict[str, QAction] = {}
        for key, label, about in VARIANT_CHOICES:
            self.variant_actions[key] = a(label + "…", lambda k=key: self.export(variant=k),
                                          None, about)

        menu = window.menu("文件")
        before = window.reports.act_bin  # after 新建…删除, before 回收站
        menu.insertAction(before, self.act_export)
        menu.insertAction(before, self.act_export_as)
        sub = QMenu("导出其他版本", menu)
        sub.setObjectName("export_as_menu")
        menu.insertMenu(before, sub)
        for act in self.variant_actions.values():
            sub.addAction(act)
        menu.insertAction(before, self.act_pdf)
        menu.insertAction(before, self.act_annotated)
        menu.insertAction(before, self.act_style)
        menu.insertSeparator(before)
        self.export_menu = sub
        for act in (self.act_export, self.act_export_as, self.act_pdf, self.act_style,
                    *self.variant_actions.values()):
            window.addAction(act)
        window.toolbar.addAction(self.act_export)
        window.toolbar.addAction(self.act_pdf)

        bar = window.statusBar()
        self.busy_label = QLabel(window)
        self.busy = QProgressBar(window)
        self.busy.setRange(0, 0)  # no percentages from LibreOffice: an activity indicator
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.setTextVisible(False)
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.busy)
        self.busy_label.hide()
        self.busy.hide()

        window.report_opened.connect(lambda _r: self._update())
        self._update()

    # ---------------------------------------------------------------- settings
    def _action(self, text: str, slot, shortcut, tip: str) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _state(self, key: str, default):
        try:
            return self.window.service.get_setting(key, default)
        except Exception:  # noqa: BLE001 - a setting is a convenience; the export still works
            return default

    def _set_state(self, key: str, value) -> None:
        with contextlib.suppress(Exception):  # see _state
            self.window.service.set_setting(key, value)

    @property
    def variant(self) -> str:
        v = self._state(STATE_VARIANT, "redhead")
        return v if v in engine.VARIANTS else "redhead"

    @property
    def house_style(self) -> str:
        return str(self._state(STATE_STYLE, "") or "")

    def folder(self) -> Path:
        """Where the save dialog starts: the last export folder, else the last folder any
        file dialog used, else 文档 (STATE_FOLDER is file_dialogs' key for "export")."""
        return file_dialogs.start_folder(self.window, "export")

    def _update(self) -> None:
        has = self.window.has_report
        for act in (self.act_export, self.act_export_as, self.act_annotated,
                    *self.variant_actions.values()):
            act.setEnabled(has)
        self.act_pdf.setEnabled(has and self.running is None)

    def choose_style(self) -> str | None:
        """The 版式设置 dialog; returns the chosen style (None if cancelled)."""
        dialog = HouseStyleDialog(self.house_style, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        style = dialog.style()
        self._set_state(STATE_STYLE, style)
        return style

    def _layout(self):
        """The Layout of the chosen house style; None (after telling the user) if it is broken."""
        style = self.house_style
        try:
            return engine.load_layout(style or None)
        except engine.LayoutError as exc:
            QMessageBox.warning(self.window, "版式有误",
                                f"{exc}\n\n请在“文件 → 版式设置…”中重新选择版式后再导出。")
            return None

    # ---------------------------------------------------------------- the steps before writing
    def _prepare(self, variant: str | None, pdf: bool):
        """Save, ask the review gate and the version; (report copy, variant, layout) or None."""
        window = self.window
        if not window.has_report:
            return None
        window.save_now()  # a failed save keeps the text in the window; the export uses it anyway
        gate = getattr(self.review, "confirm_export", None)
        if gate is not None and not gate(window):
            return None
        if variant is None:
            note = ""
            if pdf:
                note = ("PDF 由 LibreOffice 生成，需要几秒到十几秒，期间可以继续编辑。"
                        if pdf_engine.find_soffice() else
                        "未找到 LibreOffice：只能导出 DOCX，PDF 需安装 LibreOffice 后再生成。")
            fonts = missing_fonts_note(missing_official_fonts())  # said before the export
            note = "\n".join(n for n in (note, fonts) if n)
            dialog = ExportDialog(self.variant, self.house_style, pdf=pdf, pdf_note=note,
                                  parent=window, change_style=self.choose_style)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            variant = dialog.variant()
        self._set_state(STATE_VARIANT, variant)
        layout = self._layout()
        if layout is None:
            return None
        return window.current_report.copy(), variant, layout

    def _ask_path(self, suggested: Path, pdf: bool, variant: str) -> Path | None:
        label = VARIANT_LABELS.get(variant, variant)
        if pdf:
            title, filt = f"导出 PDF（{label}）", "PDF 文件 (*.pdf)"
        else:
            title, filt = f"导出公文（{label}）", "Word 文档 (*.docx)"
        path, _ = file_dialogs.get_save_file_name(self.window, title, str(suggested), filt,
                                                  key="export")
        if not path:
            return None
        path = Path(path)
        suffix = ".pdf" if pdf else ".docx"
        if path.suffix.lower() in (".docx", ".pdf"):
            path = path.with_suffix(suffix)
        elif path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self._set_state(STATE_FOLDER, str(path.parent))
        return path

    def _suggested(self, report, pdf: bool, variant: str | None = None) -> Path:
        return self.folder() / engine.default_filename(report, ".pdf" if pdf else ".docx",
                                                       variant=variant)

    # ---------------------------------------------------------------- one click
    def export_now(self) -> engine.ExportResult | None:
        """导出 (Ctrl+E): at once, in the last version and folder (the first time: the report's
        title in 文档); a file already there is never replaced — the user may have edited it
        in Word or WPS — the new one gets the next free name. A message that does not block
        offers 打开文件, 打开所在文件夹 and 另存为…."""
        prepared = self._prepare(self.variant, pdf=False)
        if prepared is None:
            return None
        report, variant, layout = prepared
        path = free_name(self._suggested(report, pdf=False, variant=variant))
        try:
            result = engine.export_docx(report, path, variant=variant, layout=layout)
        except engine.ExportError as exc:
            QMessageBox.warning(self.window, "导出失败",
                                f"{exc}\n\n请用“导出为…”换一个文件名或位置。")
            return None
        self._set_state(STATE_FOLDER, str(path.parent))
        self.last_result = (result, None)
        self._snapshot(path.name)
        self._show_result(result, None, path, modal=False, save_as=True)
        return result

    # ---------------------------------------------------------------- 审阅版
    def export_annotated(self) -> Path | None:
        """A copy for the reviewer in which every finding and every unmet required item is a
        Word comment (批注) at its text; readable in Word and WPS."""
        window = self.window
        if not window.has_report or self.review is None:
            return None
        window.save_now()
        result = self.review.recheck()
        if result is None:
            return None
        report = window.current_report.copy()
        suggested = self.folder() / engine.default_filename(report).replace(".docx",
                                                                           "（审阅版）.docx")
        path, _ = file_dialogs.get_save_file_name(window, "导出审阅版", str(suggested),
                                                  "Word 文档 (*.docx)", key="export")
        if not path:
            return None
        path = Path(path).with_suffix(".docx")
        from editor.export.annotate import annotate_report

        try:
            done = annotate_report(report, result, path, layout=self._layout())
        except engine.ExportError as exc:
            QMessageBox.warning(window, "导出失败", f"{exc}\n\n请换一个文件名或位置。")
            return None
        window.statusBar().showMessage(
            f"已导出审阅版：{path.name}（{done.comments} 条批注：{done.findings} 个问题，"
            f"{done.missing_items} 项未写到的必查内容）", 10000)
        return path

    # ---------------------------------------------------------------- DOCX
    def export(self, variant: str | None = None) -> engine.ExportResult | None:
        """导出为…: the version and the name chosen; on a write error the user picks another
        name until it works or they cancel. Returns the result (None if nothing was written)."""
        prepared = self._prepare(variant, pdf=False)
        if prepared is None:
            return None
        report, variant, layout = prepared
        written = self._write_docx(report, variant, layout,
                                   self._suggested(report, pdf=False, variant=variant))
        if written is None:
            return None
        result, path = written
        self.last_result = (result, None)
        self._snapshot(path.name)
        self._show_result(result, None, path)
        return result

    def _write_docx(self, report, variant: str, layout, suggested: Path):
        """Ask for a name and write the DOCX; after a write error (file open elsewhere, folder
        read-only, disk full) ask again. Returns (result, path), or None if the user cancels."""
        while True:
            path = self._ask_path(suggested, pdf=False, variant=variant)
            if path is None:
                return None
            try:
                return engine.export_docx(report, path, variant=variant, layout=layout), path
            except engine.ExportError as exc:
                QMessageBox.warning(self.window, "导出失败",
                                    f"{exc}\n\n点“确定”后可以换一个文件名或位置再保存。")
                suggested = path

    # ---------------------------------------------------------------- PDF
    def export_pdf(self, variant: str | None = None, suggested: Path | None = None) -> bool:
        """导出PDF: DOCX + PDF in the background. True if the job was started (or, without
        LibreOffice, the DOCX written)."""
        if self.running is not None:
            return False
        prepared = self._prepare(variant, pdf=True)
        if prepared is None:
            return False
        report, variant, layout = prepared
        suggested = suggested or self._suggested(report, pdf=True, variant=variant)
        if not pdf_engine.find_soffice():
            return self._docx_instead(report, variant, layout, suggested)
        path = self._ask_path(suggested, pdf=True, variant=variant)
        if path is None:
            return False
        # the DOCX beside the PDF never replaces one that is there (edited in WPS, perhaps)
        docx = free_name(path.with_suffix(".docx"))
        self.running = {"pdf": path, "docx": docx, "variant": variant}
        self._update()
        self.busy_label.setText(f"正在生成 PDF：{path.name}（可以继续编辑）")
        self.busy_label.show()
        self.busy.show()
        self.worker.start(partial(_write_pdf, report, docx, path, variant, layout))
        return True

    def _docx_instead(self, report, variant, layout, suggested: Path) -> bool:
        """No LibreOffice: write the DOCX the user would get anyway and say how to get PDFs."""
        written = self._write_docx(report, variant, layout, suggested.with_suffix(".docx"))
        if written is None:
            QMessageBox.information(self.window, "无法生成 PDF",
                                    pdf_engine.NOT_FOUND.split("；")[0] + "。")
            return False
        result, path = written
        self.last_result = (result, None)
        self._snapshot(path.name)
        QMessageBox.warning(self.window, "未找到 LibreOffice",
                            f"{pdf_engine.NOT_FOUND}\n\nDOCX 文件：{path}")
        return True

    def _pdf_done(self, outcome) -> None:
        job, self.running = self.running or {}, None
        self.busy.hide()
        self.busy_label.hide()
        self._update()
        kind, payload = outcome
        if kind == "error":
            self.window.statusBar().showMessage("PDF 未能生成", 8000)
            QMessageBox.warning(self.window, "导出 PDF 失败",
                                f"{payload}\n\n点“确定”后可以换一个文件名或位置再试。")
            if job:
                self.export_pdf(variant=job["variant"], suggested=job["pdf"])
            return
        result, pdf_result = payload
        self.last_result = (result, pdf_result)
        self.window.statusBar().showMessage(f"已生成 PDF：{pdf_result.pdf.name}", 8000)
        self._snapshot(pdf_result.pdf.name)
        # The job finished while the user may be typing: a box that does not block the window.
        self._show_result(result, pdf_result, pdf_result.pdf, modal=False)

    # ---------------------------------------------------------------- after writing
    def _snapshot(self, note: str) -> None:
        report = self.window.current_report
        if report is None or report.id is None:
            return
        # The file is written; a missing snapshot is no reason to tell the user it failed.
        with contextlib.suppress(Exception):
            self.window.service.snapshot(report, "export", note=note, skip_if_unchanged=True)

    def result_text(self, result, pdf_result) -> str:
        text = result_text(result, pdf_result, self.house_style)
        fonts = missing_fonts_note(missing_official_fonts())
        return f"{text}\n\n{fonts}" if fonts and pdf_result is None else text

    def _show_result(self, result, pdf_result, path: Path, modal: bool = True,
                     save_as: bool = False) -> None:
        if self.result_box is not None:  # an earlier non-blocking box, still open or not
            self.result_box.deleteLater()
        again = (lambda: self.export(variant=result.variant)) if save_as else None
        self.result_box = show_result(self.window, self.result_text(result, pdf_result), path,
                                      modal, again)


__all__ = ["ExportFeature", "free_name"]
