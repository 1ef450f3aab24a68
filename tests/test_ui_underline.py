"""Findings shown in the text as Word shows spelling: a wavy underline under exactly the wrong
characters (red for 错误, orange for 提示), the message on hover, 改正为“…” / 忽略 at the top of
the context menu; underlines follow the typing and never sit on changed text. And the
checklist's evidence: the sentence that covers an item, 可能已写到 for weak evidence, a click
on it jumps there."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QContextMenuEvent, QHelpEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip
from ui_helpers import type_text

from editor.ui.app import build_window, make_app, open_service
from editor.ui.nav_tree import section_key
from editor.ui.review import dialogs
from editor.ui.review.style import ORANGE, UNDERLINE

TIMEOUT = 5000


@pytest.fixture
def window(qtbot, db_path, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_reviewer", lambda *a: ("张三", ""))
    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(
            lambda *a, **k: QMessageBox.StandardButton.Ok))
    make_app()
    service = open_service(db_path)
    w = build_window(service)
    with qtbot.waitExposed(w):
        w.show()
    with qtbot.waitActive(w):
        w.activateWindow()
    qtbot.waitUntil(lambda: w.review.result is not None, timeout=TIMEOUT)
    yield w
    w.close()
    service.close()


def findings_with(w, text: str):
    return [f for f in w.review.findings_panel.findings() if f.text == text]


def waves(box, line: int) -> list[tuple[int, int, str]]:
    """(start, end, colour) of the wavy underlines drawn on a line of a text box: the box's
    marks for that line, each checked on the screen (warm pixels below its characters and
    none below the character before it)."""
    text = box.document().findBlockByNumber(line).text()
    marks = box.marks(line)
    if not marks:
        return []
    image = box.viewport().grab().toImage()
    ratio = image.devicePixelRatio()

    def painted(index: int) -> bool:
        rect = box.cursorRect(_cursor_at(box, line, index))
        x = (rect.center().x() + box.cursorRect(_cursor_at(box, line, index + 1)).center().x()) / 2
        return any(_warm(image.pixelColor(int(x * ratio), int(y * ratio)))
                   for y in range(rect.bottom() - 2, rect.bottom() + 6)
                   if 0 <= y * ratio < image.height())

    out = []
    for m in marks:
        assert painted(m.start) and painted(m.end - 1), (text, m)
        if m.start > 0 and not any(o.start <= m.start - 1 < o.end for o in marks):
            assert not painted(m.start - 1), (text, m)
        out.append((m.start, m.end, QColor(m.color).name()))
    return sorted(out)


def _cursor_at(box, line: int, index: int):
    cursor = box.textCursor()
    block = box.document().findBlockByNumber(line)
    cursor.setPosition(block.position() + min(index, block.length() - 1))
    return cursor


def type_line(w, text: str):
    """Type a new last line into the first section's body; returns (body, its line number)."""
    body = w.page("section").body
    body.setFocus()
    body.set_cursor_position(len(body.toPlainText()))
    type_text(body, "\n" + text)
    return body, body.blockCount() - 1


def point_in(box, line: int, index: int) -> QPoint:
    """Viewport point over character ``index`` of ``line``."""
    cursor = box.textCursor()
    cursor.setPosition(box.document().findBlockByNumber(line).position() + index)
    left = box.cursorRect(cursor)
    cursor.setPosition(cursor.position() + 1)
    right = box.cursorRect(cursor)
    return QPoint((left.center().x() + right.center().x()) // 2, left.center().y())


def tooltip_at(qtbot, widget, pos: QPoint) -> str:
    """The tooltip a pause of the mouse at ``pos`` shows ("" for none)."""
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=TIMEOUT)
    QApplication.sendEvent(widget, QHelpEvent(QHelpEvent.Type.ToolTip, pos,
                                              widget.mapToGlobal(pos)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def context_menu(qtbot, widget, pos: QPoint, choose: str | None = None) -> list[str]:
    """Open the context menu at ``pos`` as a right click does; returns its entries and, if
    ``choose`` starts an entry, picks it with the keyboard (else closes the menu)."""
    seen: list[str] = []

    def answer():
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(20, answer)
            return
        seen.extend(a.text() if not a.isSeparator() else "---" for a in menu.actions())
        target = next((a for a in menu.actions()
                       if choose and a.text().startswith(choose)), None)
        if target is None:
            menu.close()
            return
        menu.setActiveAction(target)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                     widget.mapToGlobal(pos)))
    return seen


# ---------------------------------------------------------------------------- underlines
def test_a_typed_error_is_underlined_on_exactly_its_characters(window, qtbot):
    body, line = type_line(window, "我们截止目前已完成。")
    qtbot.waitUntil(lambda: bool(findings_with(window, "截止")), timeout=TIMEOUT)
    assert waves(body, line) == [(2, 4, QColor(UNDERLINE["error"]).name())]
    # the other lines keep theirs (the example has one 提示, orange) and get no red
    warnings = [f for f in window.review.result.findings
                if f.severity == "warning" and f.place.field == "body"
                and f.place.uid == window.page("section").section.uid]
    for f in warnings:
        assert (f.place.start, f.place.end, QColor(UNDERLINE["warning"]).name()) \
            in waves(body, f.place.paragraph)


def test_underlines_follow_the_typing_and_leave_a_changed_line_at_once(window, qtbot):
    body, line = type_line(window, "截止目前，已完成。")
    qtbot.waitUntil(lambda: waves(body, line) != [], timeout=TIMEOUT)
    assert waves(body, line)[0][:2] == (0, 2)

    # a new line above: the marked line moves down and keeps its underline meanwhile
    cursor = body.textCursor()
    cursor.setPosition(body.document().findBlockByNumber(line).position())
    body.setTextCursor(cursor)
    type_text(body, "\n")
    assert waves(body, line + 1)[0][:2] == (0, 2)
    assert waves(body, line) == []
    line += 1

    # typing in the marked line: its underline goes at once (no stale wave on moved text) …
    cursor.setPosition(body.document().findBlockByNumber(line).position())
    body.setTextCursor(cursor)
    type_text(body, "又")
    assert body.document().findBlockByNumber(line).text().startswith("又截止")
    assert waves(body, line) == []
    # … and comes back on the right characters after the next check
    qtbot.waitUntil(lambda: waves(body, line) != [], timeout=TIMEOUT)
    assert waves(body, line)[0][:2] == (1, 3)


def test_hover_shows_the_message_and_the_suggestion(window, qtbot):
    body, line = type_line(window, "截止目前，已完成。")
    qtbot.waitUntil(lambda: bool(findings_with(window, "截止")), timeout=TIMEOUT)
    finding = findings_with(window, "截止")[0]
    tip = tooltip_at(qtbot, body.viewport(), point_in(body, line, 1))
    assert finding.message in tip and "截至" in tip
    assert finding.message not in tooltip_at(qtbot, body.viewport(), point_in(body, line, 6))


def test_the_context_menu_fixes_undoably_and_ignores(window, qtbot):
    body, line = type_line(window, "截止目前，截止今年。")
    qtbot.waitUntil(lambda: len(findings_with(window, "截止")) == 2, timeout=TIMEOUT)
    entries = context_menu(qtbot, body.viewport(), point_in(body, line, 0))
    assert entries[:3] == ["改正为“截至”", "忽略", "---"]
    assert len(entries) > 3  # the usual 撤销/复制/粘贴 … follow
    assert context_menu(qtbot, body.viewport(), point_in(body, line, 3))[0] != "改正为“截至”"

    context_menu(qtbot, body.viewport(), point_in(body, line, 0), choose="改正为")
    assert body.document().findBlockByNumber(line).text() == "截至目前，截止今年。"
    qtbot.waitUntil(lambda: len(findings_with(window, "截止")) == 1, timeout=TIMEOUT)
    assert [w[:2] for w in waves(body, line)] == [(5, 7)]
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z undoes
    assert body.document().findBlockByNumber(line).text() == "截止目前，截止今年。"
    qtbot.waitUntil(lambda: len(findings_with(window, "截止")) == 2, timeout=TIMEOUT)

    context_menu(qtbot, body.viewport(), point_in(body, line, 6), choose="忽略")
    assert [w[:2] for w in waves(body, line)] == [(0, 2)]
    assert len(findings_with(window, "截止")) == 1
    assert body.document().findBlockByNumber(line).text() == "截止目前，截止今年。"


def test_one_line_boxes_are_underlined_too(window, qtbot):
    title = window.page("section").title
    title.setFocus()
    title.end(False)
    start = len(title.text())
    type_text(title, "2021-2025年")
    qtbot.waitUntil(lambda: bool(findings_with(window, "2021-2025")), timeout=TIMEOUT)
    finding = findings_with(window, "2021-2025")[0]
    marks = title.marks()
    assert [(m.start, m.end) for m in marks] == [(start, start + 9)]
    assert marks[0].color == UNDERLINE[finding.severity]

    # the wave is drawn under those characters
    x1, x2 = title.mark_x(marks[0])
    image = title.grab().toImage()
    ratio = image.devicePixelRatio()

    def coloured(x):  # red or orange, not the black text or the white ground
        return any(_warm(image.pixelColor(int(x * ratio), int(y * ratio)))
                   for y in range(title.height()))

    assert coloured((x1 + x2) / 2) and not coloured(x1 - 12)

    middle = QPoint(int((x1 + x2) / 2), title.height() // 2)
    assert finding.message in tooltip_at(qtbot, title, middle)
    entries = context_menu(qtbot, title, middle, choose="改正为")
    assert entries[0] == "改正为“2021—2025”" and entries[2] == "---"
    assert title.text().endswith("2021—2025年")
    assert title.marks() == ()  # the text changed: no underline until the next check says so
    title.undo()
    assert title.text().endswith("2021-2025年")


def _warm(c: QColor) -> bool:
    return c.red() - c.blue() > 60 and c.red() - c.green() > 30


def test_another_section_shows_its_own_underlines(window, qtbot):
    body, line = type_line(window, "截止目前，已完成。")
    qtbot.waitUntil(lambda: waves(body, line) != [], timeout=TIMEOUT)
    report = window.current_report
    window.tree.select_key(section_key(report.parts[0].sections[1].uid))
    assert all(c != QColor(UNDERLINE["error"]).name()
               for n in range(body.blockCount()) for _a, _b, c in waves(body, n))
    window.tree.select_key(section_key(report.parts[0].sections[0].uid))
    assert waves(body, line)[0][:2] == (0, 2)


# ---------------------------------------------------------------------------- checklist evidence
def test_a_weak_item_says_it_may_be_written(window, qtbot):
    feature = window.review
    checker = feature.session.checker
    from editor.check.checklist import ChecklistEvaluator

    # P1-12 (行政复议) found only by a boilerplate pattern: weak evidence
    items = tuple(dataclasses.replace(i, patterns=("(?!)",), weak=("行政复议",))
                  if i.id == "P1-12" else i for i in checker.checklist.items)
    checker.checklist = dataclasses.replace(checker.checklist, items=items)
    checker.evaluator = ChecklistEvaluator(checker.checklist)
    feature.recheck()
    panel = feature.checklist_panel
    assert panel.result("P1-12").strength == "weak"
    text = panel.item("P1-12").text(0)
    assert "？可能已写到" in text and "✔ 已写到" not in text
    assert panel.item("P1-12").foreground(0).color().name() == QColor(ORANGE).name()
    assert "可能已写到" in panel.summary.text()
    assert "行政复议" in panel.evidence_row("P1-12").text(0)


def test_each_covered_item_shows_its_sentence_and_a_click_jumps_there(window, qtbot):
    panel = window.review.checklist_panel
    result = panel.result("P3-09")
    place = result.evidence
    assert place is not None and place.in_section
    sentence = panel.evidence("P3-09")
    assert sentence and place.span(window.current_report) in sentence
    row = panel.evidence_row("P3-09")
    assert row.parent() is panel.item("P3-09")
    assert sentence[:20] in row.text(0) and sentence in row.toolTip(0)
    assert panel.evidence_row("P4-99") is None  # (no such item) and missing items have none
    assert all(panel.item(r.id).childCount() == 0 for r in window.review.result
               .checklist if r.auto == "missing")

    panel.tree.scrollToItem(row)
    rect = panel.tree.visualItemRect(row)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_node == section_key(place.uid)
    form = window.page("section")
    assert form.body.textCursor().selectedText() == place.span(window.current_report)


def test_header_fields_are_underlined(qtbot, db_path, monkeypatch):
    from editor.service import ReportService
    from editor.ui.nav_tree import HEADER

    seed = ReportService(db_path)
    seed.ensure_example()
    report = seed.load(1)
    report.header.date = "2026.2.10"  # as an imported file may have it
    seed.save(report)
    seed.close()
    make_app()
    service = open_service(db_path)
    w = build_window(service)
    try:
        with qtbot.waitExposed(w):
            w.show()
        qtbot.waitUntil(lambda: w.review.result is not None, timeout=TIMEOUT)
        w.tree.select_key(HEADER)
        date = w.page("header").fields["date"].line
        found = [f for f in w.review.result.findings
                 if f.place.field == "header.date"]
        assert found and date.marks()
        assert (date.marks()[0].start, date.marks()[0].end) == (found[0].place.start,
                                                                 found[0].place.end)
    finally:
        w.close()
        service.close()
