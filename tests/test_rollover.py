"""New report from last year's."""

from db import Repository
from editor.rollover import rollover, rollover_from_db, shift_years


def test_years_move_forward_in_headings_not_in_body(linjiang):
    linjiang.parts[0].sections[0].status = "approved"
    linjiang.parts[0].sections[0].reviewer = "王建华"
    linjiang.parts[0].sections[0].reviewed_at = "2026-02-01T10:00:00"
    new = rollover(linjiang)
    assert new.year == 2026 and new.id is None
    assert new.header.title == "清河县临江镇人民政府关于2026年度法治政府建设情况的报告"
    assert [p.heading for p in new.parts] == [
        "2026年度推进法治政府建设的主要举措和成效",
        "存在的不足和原因",
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        "2027年度推进法治政府建设的主要安排",
    ]
    assert new.header.doc_number == "临府〔2027〕12号"
    assert (new.header.date, new.header.print_date) == ("", "")
    # Body text describes last year and is left for the user to rewrite.
    assert new.preamble == linjiang.preamble
    assert [s.body for p in new.parts for s in p.sections] == [
        s.body for p in linjiang.parts for s in p.sections]
    assert new.parts[3].lead == linjiang.parts[3].lead


def test_every_section_is_outdated_unreviewed_with_new_uids(linjiang):
    new = rollover(linjiang)
    sections = [s for p in new.parts for s in p.sections]
    assert {s.status for s in sections} == {"outdated"}
    assert {(s.reviewer, s.reviewed_at, s.source_marker) for s in sections} == {("", "", "")}
    old_uids = {s.uid for p in linjiang.parts for s in p.sections} | {p.uid for p in linjiang.parts}
    new_uids = {s.uid for s in sections} | {p.uid for p in new.parts}
    assert not old_uids & new_uids and len(new_uids) == len(old_uids)
    assert linjiang.year == 2025 and linjiang.parts[0].sections[0].status == ""  # untouched


def test_shift_years_moves_each_year_once():
    assert shift_years("2025年度工作和2026年度安排", 2025) == "2026年度工作和2027年度安排"
    assert shift_years("2021—2025年规划", 2025) == "2021—2026年规划"
    assert shift_years("第12025号、20256", 2025) == "第12025号、20256"


def test_organ_mark_with_a_year(sifaju):
    sifaju.header.organ_mark = "清河县司法局2025年度报告专用"
    assert rollover(sifaju).header.organ_mark == "清河县司法局2026年度报告专用"
    assert rollover(sifaju).parts[0].heading == sifaju.parts[0].heading


def test_rollover_in_the_database(db_path, linjiang):
    repo = Repository(db_path)
    old_id = repo.create(linjiang)
    new = rollover_from_db(repo, old_id)
    assert new.id != old_id
    back = Repository(db_path).load(new.id)
    assert back.year == 2026
    assert {s.status for p in back.parts for s in p.sections} == {"outdated"}
    assert repo.load(old_id).year == 2025


def test_last_years_preamble_and_leads_are_marked_and_the_export_asks(linjiang):
    """A 2021 report made from 2020's must not send 2020's 前言 out unnoticed."""
    from editor.check.review import ReviewSession
    from editor.model import Place

    linjiang.parts[1].lead = ""
    new = rollover(linjiang)
    assert new.preamble_status == "outdated"
    assert [p.lead_status for p in new.parts] == [
        "outdated" if p.lead.strip() else "" for p in new.parts]
    assert new.parts[1].lead_status == ""  # nothing to update
    session = ReviewSession(new)
    gate = session.export_gate()
    assert Place("preamble") in gate.outdated
    assert Place("lead", new.parts[3].uid) in gate.outdated
    assert len(gate.outdated) == 1 + sum(bool(p.lead.strip()) for p in new.parts) + sum(
        len(p.sections) for p in new.parts)
    assert not gate.ok and "待更新" in gate.message()
    # last year's years in the places where this year's belongs are findings too
    years = [f for f in session.check().findings if f.rule == "ERR-11"]
    assert any(f.place.field == "preamble" and f.text == "2025" for f in years)


def test_a_report_stays_marked_in_the_database(db_path, linjiang):
    repo = Repository(db_path)
    old = repo.create(linjiang)
    new = rollover_from_db(repo, old)
    back = Repository(db_path).load(new.id)
    assert back.preamble_status == "outdated"
    assert {p.lead_status for p in back.parts if p.lead.strip()} == {"outdated"}
