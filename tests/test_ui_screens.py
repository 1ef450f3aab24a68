"""Office screens: the window and every dialog fit 1024×768 and 1366×768 with a
taskbar; panels can be hidden; the layout is remembered per screen and restored only where it
fits; the report list shows several reports; the 版头 form is usable 1024 px wide.

Small screens are simulated by replacing editor.ui.screen.available_geometry / screen_key (the
offscreen platform has one 800×800 screen); tests/screens_capture.py takes the real pictures.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from editor.ui import screen
from editor.ui.app import build_window, make_app, open_service
from editor.ui.layout_feature import STATE_KEY
from editor.ui.nav_tree import HEADER

TASKBAR = 40


@pytest.fixture
def simulate(monkeypatch):
    """simulate(width, height): the screen is that size, less a 40 px taskbar at the bottom."""
    def set_screen(width: int, height: int) -> QRect:
        area = QRect(0, 0, width, height - TASKBAR)
        monkeypatch.setattr(screen, "available_geometry", lambda widget=None: QRect(area))
        monkeypatch.setattr(screen, "screen_key", lambda widget=None: f"test {width}x{height}")
        return area

    return set_screen


@pytest.fixture
def windows(qtbot, db_path, dialogs):
    """Windows opened on the test database, not shown (their first size is what is tested);
    each is closed (which remembers its layout) at the end."""
    make_app()
    made = []

    def make():
        service = open_service(db_path)
        window = build_window(service)
        made.append((window, service))
        return window

    yield make
    for window, service in made:
        window.close()
        service.close()


#: The client area of a window filling a 1024×768 screen above its taskbar.
AT_1024 = (1024 - screen.FRAME_WIDTH, 768 - TASKBAR - screen.FRAME_HEIGHT)


def show_unmaximised(window: QWidget, qtbot, size: tuple[int, int] | None = None) -> None:
    """Show ``window`` as a normal window (offscreen Qt does not maximise), at ``size``."""
    window.setWindowState(Qt.WindowState.WindowNoState)
    if size is not None:
        window.resize(*size)
    with qtbot.waitExposed(window):
        window.show()


def frame_of(widget: QWidget) -> QRect:
    """The window with the frame the program allows for (editor.ui.screen)."""
    g = QRect(widget.pos(), widget.size())
    return g.adjusted(0, 0, screen.FRAME_WIDTH, screen.FRAME_HEIGHT)


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)])
def test_the_first_window_fits_a_small_screen_and_is_maximised(simulate, windows, size):
    area = simulate(*size)
    w = windows()
    assert area.contains(frame_of(w)), (frame_of(w), area)
    assert w.windowState() & Qt.WindowState.WindowMaximized
    # The layout itself fits: nothing forces the window wider than the screen.
    assert w.minimumSizeHint().width() <= area.width()
    assert w.minimumSizeHint().height() <= area.height() - screen.FRAME_HEIGHT


def test_a_large_screen_gets_the_preferred_size_centred(simulate, windows):
    area = simulate(1920, 1080)
    w = windows()
    assert (w.width(), w.height()) == screen.PREFERRED_WINDOW
    assert not w.windowState() & Qt.WindowState.WindowMaximized
    assert area.contains(frame_of(w))
    assert abs(frame_of(w).center().x() - area.center().x()) <= screen.FRAME_WIDTH


def test_columns_leave_the_form_room_at_1024(simulate, windows, qtbot):
    simulate(1024, 768)
    w = windows()
    show_unmaximised(w, qtbot, AT_1024)
    left, center = w.splitter.sizes()
    assert 190 <= left <= 240
    assert center >= 380
    # Hiding the left column gives its room to the form; the menu entry shows it again.
    feature = w.panels
    assert feature.act_left.isChecked() and feature.act_review.isChecked()
    assert feature.act_left.shortcut().toString() == "Ctrl+Shift+L"
    assert feature.act_review.shortcut().toString() == "Ctrl+Shift+R"
    feature.act_left.trigger()
    qtbot.waitUntil(lambda: w.stack.width() >= center + left - 10)
    assert not w.left_panel.isVisible()
    feature.act_review.trigger()
    assert not w.review_dock.isVisible()
    feature.act_left.trigger()
    feature.act_review.trigger()
    assert w.left_panel.isVisible() and w.review_dock.isVisible()
    assert abs(w.splitter.sizes()[0] - left) <= 2
    titles = [a.text() for a in w.menu("视图").actions() if a.text()]
    assert titles[:3] == ["报告列表和目录", "审核栏（检查清单和问题）", "工具栏"]


def test_the_header_form_is_usable_1024_wide(simulate, windows, qtbot):
    simulate(1024, 768)
    w = windows()
    show_unmaximised(w, qtbot, AT_1024)
    w.tree.select_key(HEADER)
    form = w.page("header")
    qtbot.waitUntil(lambda: form.isVisible())
    QApplication.processEvents()
    viewport = form.viewport()
    # Nothing runs off to the right: the form scrolls down, never sideways.
    assert form.horizontalScrollBar().maximum() == 0
    doc = form.fields["doc_number"]
    date = form.fields["date"]
    for widget in (doc.preview, doc.serial, date.today_button, date.clear_button,
                   date.pick_button):
        assert widget.isVisible()
        right = widget.mapTo(viewport, widget.rect().topRight()).x()
        assert right <= viewport.width(), widget
    assert doc.preview.text().startswith("预览：")


def test_the_report_list_shows_three_reports_at_1366(simulate, windows, qtbot, db_path):
    simulate(1366, 768)
    service = open_service(db_path)
    for organ in ("江北区长安街道办事处", "清河县司法局", "清河县东山镇人民政府"):
        service.new_report(2025, organ, "乡镇")
    service.close()
    w = windows()
    show_unmaximised(w, qtbot)
    QApplication.processEvents()
    lst = w.reports.list
    assert lst.count() == 4
    third = lst.visualItemRect(lst.item(2))
    assert third.height() > 0 and third.bottom() <= lst.viewport().height(), \
        (third, lst.viewport().height())


def test_the_tree_opens_showing_what_is_above_the_open_section_at_1366(simulate, windows,
                                                                         qtbot):
    # The report opens before the window has its size: the tree, scrolled to the section while
    # short, used to open with 版头与版记, 前言 and the part heading out of sight.
    simulate(1366, 768)
    w = windows()
    show_unmaximised(w, qtbot)
    QApplication.processEvents()
    tree = w.tree
    assert tree.current_key().startswith("section:")
    current = tree.visualItemRect(tree.currentItem())
    assert tree.viewport().rect().contains(current)
    top = tree.visualItemRect(tree.topLevelItem(0))  # 版头与版记
    assert tree.viewport().rect().contains(top), (top, tree.viewport().rect())


def test_layout_is_remembered_per_screen_and_only_where_it_fits(simulate, windows, qtbot,
                                                                db_path):
    simulate(1366, 768)
    w = windows()
    show_unmaximised(w, qtbot)
    w.setGeometry(QRect(40, 30, 1100, 600))
    w.splitter.setSizes([260, 840])
    feature = w.panels
    feature.act_left.setChecked(False)
    w.review_dock.hide()
    w.close()
    saved = w.service.repo.get_state(STATE_KEY)
    assert list(saved) == ["test 1366x768"]
    assert saved["test 1366x768"]["geometry"] == [40, 30, 1100, 600]

    again = windows()
    assert QRect(again.pos(), again.size()) == QRect(40, 30, 1100, 600)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
    assert again.left_panel.isHidden() and not again.panels.act_left.isChecked()
    assert again.review_dock.isHidden()
    with qtbot.waitExposed(again):
        again.show()
    again.panels.act_left.setChecked(True)
    assert abs(again.splitter.sizes()[0] - 260) <= 2
    again.close()

    # Another, smaller screen: that layout does not fit; the window is fitted afresh and
    # both layouts are kept.
    area = simulate(1024, 768)
    third = windows()
    assert area.contains(frame_of(third))
    assert not third.left_panel.isHidden() and not third.review_dock.isHidden()
    third.close()
    assert set(third.service.repo.get_state(STATE_KEY)) == {"test 1366x768", "test 1024x768"}


def test_reset_brings_every_panel_back(simulate, windows):
    simulate(1366, 768)
    w = windows()
    feature = w.panels
    feature.act_left.setChecked(False)
    w.review_dock.setFloating(True)
    w.review_dock.hide()
    feature.act_reset.trigger()
    assert not w.left_panel.isHidden() and not w.review_dock.isHidden()
    assert not w.review_dock.isFloating()
    assert feature.act_left.isChecked()


# ---------------------------------------------------------------------------- dialogs
def _dialogs_of(window, qtbot, tmp_path) -> dict[str, QWidget]:
    """Every dialog of the program that can be built without a user, as a user opens it."""
    from editor.ingest import propose_pasted
    from editor.ui.export_dialogs import ExportDialog, HouseStyleDialog
    from editor.ui.file_dialogs import make_dialog
    from editor.ui.import_dialog import ImportDialog, PasteDialog
    from editor.ui.report_dialogs import NewReportDialog, RecycleBinDialog

    text = "\n".join(window.service.load(window.current_report.id).preamble for _ in range(3))
    out: dict[str, QWidget] = {
        "history": window.history.show_history(),
        "find": window.search.show_find_replace(True),
        "help": window.help.show_guide(),
        "import": ImportDialog(propose_pasted(text * 20), window.profile, window),
        "paste": PasteDialog(window),
        "export": ExportDialog("redhead", "", parent=window),
        "house_style": HouseStyleDialog("", window),
        "recycle_bin": RecycleBinDialog(window.service, window),
        "new_report": NewReportDialog(window.service, window),
        "file": make_dialog(window, "导入报告", str(tmp_path), "报告文件 (*.docx *.txt)"),
    }
    return out


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)])
def test_every_dialog_fits_the_screen_above_the_taskbar(simulate, open_window, qtbot, tmp_path,
                                                        size):
    area = simulate(*size)
    w = open_window()
    for name, dialog in _dialogs_of(w, qtbot, tmp_path).items():
        limit = area.height() - screen.FRAME_HEIGHT
        assert dialog.height() <= limit, name
        assert dialog.minimumSizeHint().height() <= limit, name
        assert dialog.width() <= area.width() - screen.FRAME_WIDTH, name
        if name not in ("export", "new_report"):  # small and fixed: nothing to cap
            assert dialog.maximumHeight() <= limit, name
        dialog.close()


def test_a_dialog_from_elsewhere_is_pulled_onto_the_screen(simulate, open_window, qtbot):
    """Message boxes, the 选择 dialogs of QInputDialog, other features' windows: whatever
    becomes active taller than the screen is shrunk and moved onto it."""
    area = simulate(1366, 768)
    w = open_window()
    dialog = QDialog(w)
    dialog.resize(900, 1000)
    dialog.move(300, 200)
    with qtbot.waitExposed(dialog):
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.height() <= area.height() - screen.FRAME_HEIGHT)
    assert area.contains(dialog.frameGeometry())
    dialog.close()


def test_move_clear_of_a_selection():
    make_app()
    box = QWidget()
    box.resize(300, 200)
    box.show()
    box.move(100, 100)
    QApplication.processEvents()
    target = box.frameGeometry().adjusted(20, 20, -20, -150)  # a line inside the window
    assert screen.move_clear_of(box, target)
    assert not box.frameGeometry().intersects(target)
    assert not screen.move_clear_of(box, target)  # already clear
    box.close()
