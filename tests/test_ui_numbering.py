"""Numbers the program owns, typed by habit: a number in front of a title is taken off with a
notice; a body paragraph that starts like a heading is offered as a new section."""

from __future__ import annotations

import pytest
from ui_helpers import type_text

from editor.model import split_leading_number
from editor.ui.nav_tree import section_key

TIMEOUT = 5000


@pytest.mark.parametrize("typed, number, rest", [
    ("（三）加强队伍建设", "（三）", "加强队伍建设"),
    ("(3)加强队伍建设", "(3)", "加强队伍建设"),
    ("三、存在的不足", "三、", "存在的不足"),
    ("3.深化学法用法", "3.", "深化学法用法"),
    ("3、深化学法用法", "3、", "深化学法用法"),
])
def test_numbers_typed_in_front_of_a_title(typed, number, rest):
    assert split_leading_number(typed) == (number, rest)


@pytest.mark.parametrize("text", [
    "（三）",  # the user is still typing the title
    "2025年度推进法治政府建设的主要举措和成效",
    "3.5万元专项经费",  # a number, not a heading number
    "“八五”普法",
])
def test_titles_that_keep_their_beginning(text):
    assert split_leading_number(text) == ("", text)


def test_a_typed_section_number_is_taken_off_with_a_notice(open_window, qtbot):
    w = open_window()
    form = w.page("section")
    form.title.setFocus()
    form.title.selectAll()
    type_text(form.title, "（三）加强队伍建设")
    section = w.current_report.parts[0].sections[0]
    assert section.title == "加强队伍建设"
    assert form.title.text() == "加强队伍建设"
    assert form.notice.isVisible() and "（三）" in form.notice.text()
    assert w.tree.currentItem().text(0).count("（") == 1  # “（一）加强队伍建设”, not “（一）（三）…”


def test_a_typed_part_number_is_taken_off(open_window):
    w = open_window()
    part = w.current_report.parts[1]
    w.show_changes(f"part:{part.uid}")
    form = w.page("part")
    form.heading.setFocus()
    form.heading.selectAll()
    type_text(form.heading, "二、存在的问题和原因")
    assert w.current_report.parts[1].heading == "存在的问题和原因"
    assert form.notice.isVisible()


def test_a_body_paragraph_that_starts_like_a_heading_becomes_a_section(open_window, qtbot):
    w = open_window()
    feature = w.review
    body = w.page("section").body
    body.setFocus()
    body.set_cursor_position(len(body.toPlainText()))
    type_text(body, "\n（二）加强队伍建设。全年培训120人次。")
    qtbot.waitUntil(lambda: any(f.fix == "section" for f in feature.findings_panel.findings()),
                    timeout=TIMEOUT)
    finding = next(f for f in feature.findings_panel.findings() if f.fix == "section")
    assert finding.suggestion == "加强队伍建设" and finding.severity == "warning"
    first = w.current_report.parts[0].sections[0]
    count = len(w.current_report.parts[0].sections)
    assert feature.fix(finding)
    sections = w.current_report.parts[0].sections
    assert len(sections) == count + 1
    assert sections[1].title == "加强队伍建设" and sections[1].body == "全年培训120人次。"
    assert "（二）" not in first.body
    assert w.current_node == section_key(sections[1].uid)  # the new section is shown
    assert w.page("section").title.text() == "加强队伍建设"


def test_fix_all_of_one_kind_in_one_step(open_window, qtbot):
    """24 identical half-width commas are one click, not 24."""
    w = open_window()
    feature = w.review
    panel = feature.findings_panel
    body = w.page("section").body
    body.setFocus()
    body.set_cursor_position(len(body.toPlainText()))
    type_text(body, "\n一是完善制度,二是加强培训,三是强化考核,四是严格问责。")

    def commas():
        return [f for f in panel.findings() if f.rule == "ERR-02" and f.text == ","]

    qtbot.waitUntil(lambda: len(commas()) == 3, timeout=TIMEOUT)
    panel.list.setCurrentRow(panel.row_of(commas()[1]))
    assert panel.fix_all_button.isEnabled() and "3处" in panel.fix_all_button.text()
    panel.fix_all_button.click()
    line = w.current_report.parts[0].sections[0].body.split("\n")[-1]
    assert line == "一是完善制度，二是加强培训，三是强化考核，四是严格问责。"
    assert w.page("section").body.toPlainText().endswith(line)
    assert "已全部改正 3 处" in w.statusBar().currentMessage()
