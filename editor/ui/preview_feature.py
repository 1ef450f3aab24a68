"""预览: the pages of the 公文 as they will be exported, before exporting.

:class:`PreviewFeature` adds 文件 → 预览… (Ctrl+Shift+P, also on the toolbar after 导出PDF of the
export feature it is given). Opening or 刷新 shows the program's own drawing at once
(editor/export/preview.py: the exporter's blocks and page breaks, drawn with Qt); when
LibreOffice is installed, the real export (DOCX → PDF) runs in a worker thread meanwhile and its
pages replace the drawing when they arrive, so the window never waits for LibreOffice. The
variant and house style are the ones the user last chose for 导出.
"""

from __future__ import annotations

import tempfile
from functools import partial

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from .lazy import LazyModule
from .worker import Worker

engine = LazyModule("editor.export")
preview_engine = LazyModule("editor.export.preview")
pdf_preview = LazyModule("editor.export.preview_pdf")

# export_feature's settings keys (read when that feature is missing).
STATE_VARIANT = "export.variant"
STATE_STYLE = "export.house_style"

# The reasons from preview_pdf end in "…显示的是近似版式"; this says what that drawing is.
DRAWN_HOW = "（由程序按导出的分页规则绘制，字距可能与导出文件略有出入）"
STALE = "内容已修改，点“刷新”（F5）更新预览。"
BUSY = "正在生成预览…（LibreOffice 排版需要几秒到十几秒，先显示近似版式，可以继续编辑）"


def _content(report) -> dict:
    """What the export prints: the report without its save times (an autosave is no edit)."""
    data = report.to_dict()
    for key in ("created_at", "updated_at"):
        data.pop(key, None)
    return data


def _render(report, variant: str, layout, folder: str) -> tuple[str, object]:
    """The real export's pages, in the worker thread: ("ok", pages), ("unavailable", why) or
    ("error", a sentence)."""
    try:
        return "ok", pdf_preview.render_preview(report, variant, layout, folder)
    except pdf_preview.PreviewUnavailable as exc:
        return "unavailable", str(exc)
    except (engine.ExportError, engine.PdfError) as exc:
        return "error", str(exc)
    except Exception as exc:  # noqa: BLE001 - the user gets a sentence, never a traceback
        return "error", f"出现意外错误：{exc}"


class PreviewFeature(QObject):
    def __init__(self, window, export=None) -> None:
        super().__init__(window)
        self.window = window
        self.export = export  # its act_pdf, last variant and house style (None: the settings)
        self.view = None  # PreviewWindow, made on first use
        self.worker = Worker(self)
        self.worker.finished.connect(self._pdf_done)
        self.generation = 0  # bumped by every refresh; older results are dropped
        self.running = False
        self.again = False  # a refresh came while LibreOffice was busy
        self.renderer = ""  # "drawn" or the rasteriser of the pages shown
        self.drawn = None  # the PreviewDocument last drawn
        self._folders: list[tempfile.TemporaryDirectory] = []
        self._request = None
        self._shown = None  # what the pages show (to tell when they are stale)

        self.act_preview = QAction("预览…", window)
        self.act_preview.setShortcut(QKeySequence("Ctrl+Shift+P"))
        tip = "按导出的版式查看各页（版头、正文、版记、页码），不必先导出"
        self.act_preview.setToolTip(tip)
        self.act_preview.setStatusTip(tip)
        self.act_preview.triggered.connect(lambda _checked=False: self.open())
        self._place_action()
        window.report_opened.connect(self._report_opened)
        window.report_changed.connect(self._report_changed)
        self._update()

    def _place_action(self) -> None:
        """文件 menu and toolbar, right after 导出PDF when the export feature is there."""
        window = self.window
        after = getattr(self.export, "act_pdf", None)
        menu = window.menu("文件")
        actions = menu.actions()
        if after in actions and actions.index(after) + 1 < len(actions):
            menu.insertAction(actions[actions.index(after) + 1], self.act_preview)
        else:
            menu.addAction(self.act_preview)
        window.addAction(self.act_preview)
        bar = window.toolbar.actions()
        if after in bar and bar.index(after) + 1 < len(bar):
            window.toolbar.insertAction(bar[bar.index(after) + 1], self.act_preview)
        else:
            window.toolbar.addAction(self.act_preview)

    def _update(self) -> None:
        self.act_preview.setEnabled(self.window.has_report)

    # ---------------------------------------------------------------- the export's choices
    def _state(self, key: str, default):
        try:
            return self.window.service.get_setting(key, default)
        except Exception:  # noqa: BLE001 - a setting is a convenience; the preview still works
            return default

    def last_variant(self) -> str:
        variant = getattr(self.export, "variant", None) or self._state(STATE_VARIANT, "redhead")
        return variant if variant in ("redhead", "preprinted", "plain") else "redhead"

    def house_style(self) -> str:
        style = getattr(self.export, "house_style", None)
        return str(style if style is not None else self._state(STATE_STYLE, "") or "")

    # ---------------------------------------------------------------- the window
    def open(self):
        """Show the preview window (made on first use) and refresh it."""
        if not self.window.has_report:
            return None
        if self.view is None:
            from .preview_view import PreviewWindow

            self.view = PreviewWindow(self.window)
            self.view.refresh_requested.connect(self.refresh)
        self.view.set_variant(self.last_variant())
        self.view.show()
        self.view.raise_()
        self.view.activateWindow()
        self.refresh()
        return self.view

    def refresh(self) -> None:
        """Draw the pages now; start the LibreOffice pages in the background when possible."""
        view = self.view
        report = self.window.current_report
        if view is None:
            return
        if report is None:
            view.show_pages([])
            view.set_status("没有打开的报告。")
            return
        self.generation += 1
        self._shown = _content(report)
        variant = view.variant()
        layout, style_note = self._layout()
        notes = [style_note] if style_note else []
        try:
            self._draw(report, variant, layout)
        except engine.ExportError as exc:
            view.show_pages([])
            view.set_status(f"无法生成预览：{exc}")
            return
        reason = pdf_preview.missing()
        if reason:
            self._status([reason + DRAWN_HOW, *notes, *self._warnings()])
            return
        self._request = (self.generation, report.copy(), variant, layout, notes)
        self._status([BUSY, *notes], busy=True)
        if self.running:
            self.again = True  # started when the current job ends (one LibreOffice at a time)
        else:
            self._start()

    def _layout(self):
        style = self.house_style()
        try:
            return engine.load_layout(style or None), ""
        except engine.LayoutError as exc:
            return engine.load_layout(), f"{exc}（按国家标准版式显示）"

    def _draw(self, report, variant: str, layout) -> None:
        from .preview_paint import DrawnPage, PageFonts

        doc = preview_engine.build_preview(report, variant, layout)
        fonts = PageFonts(layout)
        self.drawn = doc
        self.renderer = "drawn"
        self.view.show_pages([DrawnPage(doc, page, fonts) for page in doc.pages])

    def _warnings(self) -> list[str]:
        doc = self.drawn
        if doc is None or not doc.warnings:
            return []
        more = "等" if len(doc.warnings) > 3 else ""
        return ["导出时会提示：" + "、".join(doc.warnings[:3]) + more]

    def _start(self) -> None:
        generation, report, variant, layout, _notes = self._request
        folder = tempfile.TemporaryDirectory(prefix="report-editor-preview-")
        self._folders.append(folder)
        self.running = True
        self.again = False
        work = partial(_render, report, variant, layout, folder.name)
        self.worker.start(lambda: (generation, work()))

    def _pdf_done(self, payload) -> None:
        generation, (kind, result) = payload
        self.running = False
        # Keep only the newest folder (its PNG files are on screen); drop the older ones.
        while len(self._folders) > 1:
            self._folders.pop(0).cleanup()
        if self.again or generation != self.generation or self.view is None:
            if self.again and self.view is not None:
                self._start()
            return
        notes = self._request[4] if self._request else []
        if kind == "ok":
            from .preview_paint import PicturedPage

            self.renderer = result.renderer
            self.view.show_pages([PicturedPage(path) for path in result.images])
            text = f"LibreOffice 排版的 PDF（由 {result.renderer} 转为图片），与导出PDF相同"
            fonts = [n for n in result.notes if "代替" in n]
            other = [n for n in result.notes if "代替" not in n]
            if fonts:
                text += "；本机缺少公文字体，用了代用字体"
            self._status([text, *other, *notes, *self._warnings()])
            self.view.status.setToolTip("\n".join(result.notes))
        elif kind == "unavailable":
            self._status([result + DRAWN_HOW, *notes, *self._warnings()])
        else:
            self._status([f"LibreOffice 未能生成预览：{result.rstrip('。')}。显示的是近似版式"
                          + DRAWN_HOW])

    def _status(self, parts: list[str], busy: bool = False) -> None:
        text = "；".join(p for p in parts if p)
        if self.is_stale():
            text = STALE + text
        self.view.set_status(text, busy=busy)

    def is_stale(self) -> bool:
        """The report was edited after the pages shown were made."""
        report = self.window.stack.report  # as it is: checking must not commit the typing
        return self._shown is not None and report is not None and _content(report) != self._shown

    # ---------------------------------------------------------------- the report
    def _report_opened(self, _report) -> None:
        self._update()
        if self.view is not None and self.view.isVisible():
            if not self.window.has_report:
                self.view.close()
            else:
                self.refresh()  # another report: the old pages would mislead

    def _report_changed(self) -> None:
        view = self.view
        if view is None or not view.isVisible():
            return
        text = view.status.text()
        if self.is_stale() and not text.startswith(STALE):
            view.set_status(STALE + text, busy=view.busy.isVisible())


__all__ = ["PreviewFeature"]
