"""Search across drafts: FTS5 trigram, LIKE fallback, triggers, recycle bin, migration backfill."""

import pytest
from sqlite_utils import Database

from db import Repository
from db.schema import migrations
from db.search import index_is_complete, rebuild_index, search


@pytest.fixture
def repo(db_path):
    r = Repository(db_path)
    yield r
    r.close()


def test_finds_a_phrase_in_sections_with_the_place_to_open(repo, linjiang, sifaju):
    repo.create(linjiang)
    repo.create(sifaju)
    hits = search(repo, "枫桥经验")
    assert {h.report_id for h in hits} == {linjiang.id, sifaju.id}
    hit = next(h for h in hits if h.report_id == linjiang.id and h.kind == "section")
    part = linjiang.parts[hit.part_index]
    section = part.sections[hit.section_index]
    assert (hit.part_uid, hit.section_uid) == (part.uid, section.uid)
    assert "枫桥经验" in section.title or "枫桥经验" in section.body
    assert (hit.report_title, hit.year) == (linjiang.header.title, 2025)
    text = getattr(section, hit.field).split("\n")[hit.paragraph]
    assert text[hit.start:hit.end] == "枫桥经验"
    s, e = hit.highlights[0]
    assert hit.snippet[s:e] == "枫桥经验"


def test_part_headings_and_preambles_are_searchable(repo, linjiang):
    repo.create(linjiang)
    kinds = {(h.kind, h.field) for h in search(repo, "存在的不足和原因")}
    assert ("part", "heading") in kinds
    assert ("report", "preamble") in {(h.kind, h.field) for h in search(repo, "坚强领导")}


def test_short_queries_fall_back_to_like(repo, linjiang, sifaju):
    repo.create(linjiang)
    repo.create(sifaju)
    hits = search(repo, "述法", limit=500)
    assert hits and all("述法" in (h.snippet) for h in hits)
    assert {h.report_id for h in hits} <= {linjiang.id, sifaju.id}
    # The same two characters as part of a longer FTS query: both must occur.
    both = search(repo, "述法 党政主要负责人")
    assert both and all(h.kind for h in both)
    # LIKE wildcards are plain characters in a query.
    percent = search(repo, "%", limit=500)
    assert percent and all("%" in h.snippet for h in percent)
    assert search(repo, "_") == []


def test_all_words_must_occur(repo, linjiang):
    repo.create(linjiang)
    assert search(repo, "枫桥经验 根本不存在的词") == []
    assert search(repo, "   ") == []


def test_results_follow_edits(repo, linjiang):
    repo.create(linjiang)
    section = linjiang.parts[0].sections[2]
    section.body += "新建智慧调解工作站三处。"
    repo.save(linjiang)
    hits = search(repo, "智慧调解工作站")
    assert [(h.section_uid, h.field) for h in hits] == [(section.uid, "body")]
    section.body = section.body.replace("智慧调解工作站", "调解室")
    repo.save(linjiang)
    assert search(repo, "智慧调解工作站") == []
    del linjiang.parts[0].sections[2]
    repo.save(linjiang)
    assert search(repo, "调解室三处") == []
    linjiang.parts[1].heading = "问题清单与整改方向"
    repo.save(linjiang)
    assert [h.kind for h in search(repo, "问题清单与整改")] == ["part"]


def test_recycle_bin_is_excluded_and_purge_cleans_the_index(repo, linjiang, sifaju):
    repo.create(linjiang)
    repo.create(sifaju)
    repo.delete(sifaju.id)
    assert {h.report_id for h in search(repo, "枫桥经验")} == {linjiang.id}
    assert {h.report_id for h in search(repo, "枫桥经验", include_deleted=True)} == {
        linjiang.id, sifaju.id}
    repo.purge(sifaju.id)
    left = repo.db.execute("SELECT count(*) FROM search_fts WHERE report_id = ?",
                           [sifaju.id]).fetchone()[0]
    assert left == 0


def test_search_within_one_report_and_limit(repo, linjiang, sifaju):
    repo.create(linjiang)
    repo.create(sifaju)
    only = search(repo, "法治", report_id=sifaju.id, limit=500)
    assert only and {h.report_id for h in only} == {sifaju.id}
    assert len(search(repo, "法治", limit=3)) == 3


def test_migration_backfills_existing_drafts(db_path, linjiang):
    db = Database(db_path)
    migrations().apply(db, stop_before="m002_search")
    assert "search_fts" not in db.table_names()
    rows = Repository._rows(linjiang)
    report_row = rows.pop("report")[1]
    # the columns of that schema: later migrations added the 待更新 marks
    later = {"preamble_status", "lead_status"}
    db["reports"].insert({**{k: v for k, v in report_row.items() if k not in later}, "id": 1,
                          "created_at": "2026-01-01T00:00:00",
                          "updated_at": "2026-01-01T00:00:00"})
    linjiang.id = 1
    for (table, values) in Repository._rows(linjiang).values():
        if table != "reports":
            db[table].insert({**{k: v for k, v in values.items() if k not in later},
                              "report_id": 1})
    db.conn.close()

    repo = Repository(db_path)
    assert index_is_complete(repo)
    hits = search(repo, "枫桥经验")
    assert {h.section_uid for h in hits if h.kind == "section"} == {
        s.uid for p in linjiang.parts for s in p.sections
        if "枫桥经验" in s.title or "枫桥经验" in s.body}
    repo.close()


def test_rebuild_restores_lost_triggers(repo, linjiang):
    repo.create(linjiang)
    repo.db.execute("DROP TRIGGER search_sections_ai")
    assert not index_is_complete(repo)
    rebuild_index(repo)
    assert index_is_complete(repo)
    assert search(repo, "枫桥经验")


def test_report_list_uses_its_index(repo):
    plan = " ".join(r[-1] for r in repo.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM reports WHERE deleted_at IS NULL "
        "ORDER BY year DESC, updated_at DESC, id DESC"))
    assert "reports_list" in plan and "TEMP B-TREE" not in plan
