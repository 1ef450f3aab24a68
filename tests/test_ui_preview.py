"""预览 from the window: the pages as they will be exported, drawn at once, the
LibreOffice pages in the background, 刷新 after an edit, the three variants, the zoom."""

from __future__ import annotations

import shutil
import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from ui_helpers import type_text

import editor.export as engine
from editor.export import preview_pdf
from editor.ui.preview_feature import STALE

WIDTH = 794  # A4 at 96 dpi
PX_PER_MM = WIDTH / 210


@pytest.fixture
def no_libreoffice(monkeypatch):
    monkeypatch.setattr(preview_pdf, "find_soffice", lambda: None)


def open_preview(window):
    feature = window.preview
    feature.act_preview.trigger()
    return feature, feature.view


def page_image(view, index: int) -> QImage:
    return view.strip.pages[index].image(WIDTH)


def count(image: QImage, box_mm, test) -> int:
    """Pixels inside ``box_mm`` (x0, y0, x1, y1 in mm from the paper's corner) passing ``test``."""
    x0, y0, x1, y1 = (round(v * PX_PER_MM) for v in box_mm)
    n = 0
    for y in range(y0, y1):
        for x in range(x0, x1):
            if test(image.pixelColor(x, y)):
                n += 1
    return n


def red(c) -> bool:
    return c.red() > 180 and c.green() < 90 and c.blue() < 90


def ink(c) -> bool:
    return max(c.red(), c.green(), c.blue()) < 160  # black, or the grey edge of a thin stroke


MARK = (28, 37 + 33, 184, 37 + 35 + 14)  # 35 mm below the 版心's top edge
NUMBER_RIGHT = (150, 262 + 3, 184, 262 + 11)  # 7 mm below its bottom edge, 右空一字
NUMBER_LEFT = (28, 262 + 3, 62, 262 + 11)


def test_preview_opens_from_the_menu_and_toolbar_after_export(open_window, no_libreoffice):
    w = open_window()
    feature = w.preview
    act = feature.act_preview
    assert act.shortcut().toString() == "Ctrl+Shift+P"
    bar = w.toolbar.actions()
    assert bar.index(act) == bar.index(w.export.act_pdf) + 1
    assert act in w.menu("文件").actions()
    feature, view = open_preview(w)
    assert view.isVisible() and not view.isModal()
    assert "未安装 LibreOffice，显示的是近似版式" in view.status.text()


def test_drawn_pages_match_the_exporters_count_and_layout(open_window, no_libreoffice, tmp_path):
    w = open_window()
    _, view = open_preview(w)
    report = w.current_report
    written = engine.export_docx(report, tmp_path / "a.docx", variant=view.variant())
    assert len(view.strip.pages) == written.pages == 12
    assert view.count_label.text() == "共 12 页"

    first = page_image(view, 0)
    assert count(first, MARK, red) > 200  # the red 发文机关标志
    assert count(first, (28, 110, 184, 125), red) > 20  # the red rule under the 发文字号
    assert count(first, (28, 10, 184, 60), ink) == 0  # nothing above the mark
    # page numbers: odd pages on the right, even pages on the left
    assert count(first, NUMBER_RIGHT, ink) > 10
    assert count(first, NUMBER_LEFT, ink) == 0
    second = page_image(view, 1)
    assert count(second, NUMBER_LEFT, ink) > 10
    assert count(second, NUMBER_RIGHT, ink) == 0
    assert count(second, MARK, red) == 0
    # the 版记 rules at the bottom of the last (even) page
    last = page_image(view, 11)
    assert count(last, (28, 262 - 1.5, 184, 262 + 0.5), ink) > 30


def test_the_variant_can_be_chosen_and_starts_as_the_last_export(open_window, no_libreoffice):
    w = open_window()
    w.service.repo.set_state("export.variant", "plain")
    _, view = open_preview(w)
    assert view.variant() == "plain"
    assert count(page_image(view, 0), MARK, red) == 0
    view.variant_box.setCurrentIndex(view.variant_box.findData("redhead"))  # refreshes
    assert count(page_image(view, 0), MARK, red) > 200
    view.variant_box.setCurrentIndex(view.variant_box.findData("preprinted"))
    first = page_image(view, 0)
    assert count(first, MARK, red) == 0 and count(first, MARK, ink) == 0  # room kept, no ink


def test_refresh_shows_an_edit(open_window, no_libreoffice, qtbot):
    w = open_window()
    feature, view = open_preview(w)
    before = [page_image(view, i) for i in range(2)]
    pages_before = len(view.strip.pages)
    form = w.page("section")  # the first section of part 一 is open
    form.body.setFocus()
    form.body.set_cursor_position(len(form.body.toPlainText()))
    added = "\n" + "预览刷新测试增加的一段文字，" * 40
    type_text(form.body, added)
    qtbot.waitUntil(lambda: view.status.text().startswith(STALE), timeout=5000)
    view.refresh_button.click()
    assert not view.status.text().startswith(STALE)
    assert "预览刷新测试" in "".join(p.text for p in feature.drawn.pages)
    assert len(view.strip.pages) != pages_before or \
        any(page_image(view, i) != before[i] for i in range(2))
    assert page_image(view, 1) != before[1]  # the section is on page 2


def test_zoom_fit_width_and_actual_size(open_window, no_libreoffice):
    w = open_window()
    _, view = open_preview(w)
    view.actual_button.click()
    dpi = view.logicalDpiX()
    assert view.strip.page_width == round(210 / 25.4 * dpi)
    view.resize(500, 600)
    view.fit_button.click()
    assert view.strip.page_width <= view.scroll.viewport().width()


def fake_pictures(folder, n: int) -> list:
    paths = []
    for i in range(n):
        image = QImage(210, 297, QImage.Format.Format_RGB32)
        image.fill(0xFFFFFF)
        path = folder / f"page-{i + 1}.png"
        image.save(str(path))
        paths.append(path)
    return paths


def test_libreoffice_runs_in_the_background(open_window, monkeypatch, qtbot, tmp_path):
    pictures = fake_pictures(tmp_path, 2)
    release = threading.Event()
    calls = []

    def slow_render(report, variant, layout, folder):
        calls.append((variant, threading.current_thread() is threading.main_thread()))
        release.wait(10)  # LibreOffice at work
        return preview_pdf.PdfPreview(pictures, "pdftoppm", 2, ["“仿宋_GB2312”未安装，PDF 中以“X”代替"])

    monkeypatch.setattr(preview_pdf, "missing", lambda: None)
    monkeypatch.setattr(preview_pdf, "render_preview", slow_render)
    w = open_window()
    started = time.perf_counter()
    feature, view = open_preview(w)
    assert time.perf_counter() - started < 2  # the window did not wait for LibreOffice
    assert view.isVisible() and "正在生成预览" in view.status.text()
    assert not view.busy.isHidden()
    assert len(view.strip.pages) == 12  # the drawing stands in meanwhile
    # The window keeps working: timers fire and typing goes into the report.
    ticked = []
    QTimer.singleShot(50, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=2000)
    form = w.page("section")
    form.body.set_cursor_position(0)
    type_text(form.body, "后台")
    assert w.current_report.parts[0].sections[0].body.startswith("后台")
    assert feature.running
    release.set()
    qtbot.waitUntil(lambda: not feature.running, timeout=10_000)
    qtbot.waitUntil(lambda: view.count_label.text() == "共 2 页", timeout=5000)
    assert calls == [("redhead", False)]
    assert "LibreOffice" in view.status.text() and "pdftoppm" in view.status.text()
    assert "代用字体" in view.status.text()
    assert view.busy.isHidden()
    assert STALE in view.status.text()  # typed after the job started


def test_a_refresh_during_the_job_runs_once_more_and_shows_the_newest(
        open_window, monkeypatch, qtbot, tmp_path):
    release = threading.Event()
    seen = []

    def render(report, variant, layout, folder):
        seen.append(variant)
        release.wait(10)
        return preview_pdf.PdfPreview(fake_pictures(tmp_path, len(seen)), "pdftoppm", len(seen))

    monkeypatch.setattr(preview_pdf, "missing", lambda: None)
    monkeypatch.setattr(preview_pdf, "render_preview", render)
    w = open_window()
    feature, view = open_preview(w)
    view.variant_box.setCurrentIndex(view.variant_box.findData("plain"))  # a 2nd refresh
    view.refresh_button.click()  # and a 3rd: still only one more job
    release.set()
    qtbot.waitUntil(lambda: len(seen) == 2 and not feature.running, timeout=10_000)
    QApplication.processEvents()
    assert seen == ["redhead", "plain"]
    assert view.count_label.text() == "共 2 页"


def test_a_failed_conversion_says_so_and_keeps_the_drawing(open_window, monkeypatch, qtbot):
    def fail(report, variant, layout, folder):
        raise engine.PdfError("LibreOffice 未能生成 PDF。")

    monkeypatch.setattr(preview_pdf, "missing", lambda: None)
    monkeypatch.setattr(preview_pdf, "render_preview", fail)
    w = open_window()
    feature, view = open_preview(w)
    qtbot.waitUntil(lambda: not feature.running and "未能" in view.status.text(), timeout=5000)
    assert "LibreOffice 未能生成预览" in view.status.text() and "近似版式" in view.status.text()
    assert len(view.strip.pages) == 12 and feature.renderer == "drawn"


def test_the_real_libreoffice_preview(open_window, qtbot):
    from render_utils import require_render

    require_render()
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm missing")
    w = open_window()
    feature, view = open_preview(w)
    qtbot.waitUntil(lambda: not feature.running, timeout=120_000)
    assert feature.renderer == "pdftoppm", view.status.text()
    assert view.count_label.text() == "共 12 页"
    assert count(page_image(view, 0), MARK, red) > 200
    assert count(page_image(view, 0), NUMBER_RIGHT, ink) > 10
    assert count(page_image(view, 1), NUMBER_LEFT, ink) > 10
