import sqlite3

import pytest

from db import Repository, StorageError
from db.schema import ORDER, SCHEMA_VERSION, migrations
from editor.model import Section


def test_round_trip_through_sqlite(db_path, linjiang):
    repo = Repository(db_path)
    rid = repo.create(linjiang)
    repo.close()
    back = Repository(db_path).load(rid)
    assert back.to_dict() | {"created_at": "", "updated_at": ""} == linjiang.to_dict() | {
        "created_at": "", "updated_at": ""}


def test_save_writes_only_what_changed(db_path, linjiang):
    repo = Repository(db_path)
    repo.create(linjiang)
    assert repo.save(linjiang) == 0
    linjiang.parts[0].sections[2].body += "新增一句。"
    assert repo.save(linjiang) == 1
    assert repo.is_saved(linjiang)


def test_structure_changes_are_saved(db_path, linjiang):
    repo = Repository(db_path)
    rid = repo.create(linjiang)
    part = linjiang.parts[1]
    part.sections.insert(0, Section(title="新的不足", body="正文"))
    moved = linjiang.parts[0].sections.pop(0)
    linjiang.parts[0].sections.append(moved)
    del linjiang.parts[2].sections[-1]
    repo.save(linjiang)
    back = Repository(db_path).load(rid)
    assert back.parts[1].sections[0].title == "新的不足"
    assert back.parts[0].sections[-1].uid == moved.uid
    assert len(back.parts[2].sections) == 4


def test_migrations_from_an_empty_file(db_path):
    db_path.write_bytes(b"")
    repo = Repository(db_path)
    assert {"reports", "parts", "sections", "revisions", "app_state"} <= set(repo.db.table_names())
    assert repo.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [m.name for m in migrations().applied(repo.db)] == [fn.__name__ for fn in ORDER]
    assert repo.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_database_of_the_previous_schema_gets_the_outdated_marks(db_path, linjiang):
    """m004 adds the 待更新 marks of 前言 and leads to a database written before them."""
    from sqlite_utils import Database

    db = Database(db_path)
    migrations().apply(db, stop_before="m004_outdated_text")
    db.execute("PRAGMA user_version = 3")
    db.conn.commit()
    db.close()
    old = Repository(db_path)  # migrates
    rid = old.create(linjiang)
    back = old.load(rid)
    assert back.preamble_status == "" and back.parts[0].lead_status == ""
    back.preamble_status = back.parts[1].lead_status = "outdated"
    old.save(back)
    old.close()
    again = Repository(db_path).load(rid)
    assert again.preamble_status == "outdated" and again.parts[1].lead_status == "outdated"


def test_not_a_database_is_refused_and_untouched(db_path):
    db_path.write_bytes(b"PK\x03\x04 this is a zip, not sqlite" * 100)
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="不是本程序的数据库"):
        Repository(db_path)
    assert db_path.read_bytes() == before


def test_newer_schema_is_refused_and_untouched(db_path):
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE t(x)")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    con.commit()
    con.close()
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="更新版本"):
        Repository(db_path)
    assert db_path.read_bytes() == before


def test_unwritable_folder_as_root_via_a_file_in_the_way(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="无法创建数据库所在的文件夹"):
        Repository(blocker / "sub" / "x.db")


def test_recycle_bin(db_path, linjiang):
    repo = Repository(db_path)
    rid = repo.create(linjiang)
    repo.delete(rid)
    assert repo.list_reports() == []
    assert [r.id for r in repo.list_reports(deleted=True)] == [rid]
    repo.restore(rid)
    assert [r.id for r in repo.list_reports()] == [rid]
    repo.delete(rid)
    assert repo.empty_bin() == 1
    assert repo.list_reports(deleted=True) == []


def test_duplicate_gets_new_ids(db_path, linjiang):
    repo = Repository(db_path)
    rid = repo.create(linjiang)
    copy_id = repo.duplicate(rid)
    copy = repo.load(copy_id)
    assert copy.header.title.endswith("（副本）")
    assert copy.parts[0].sections[0].uid != linjiang.parts[0].sections[0].uid
    copy.parts[0].sections[0].body = "只改副本"
    repo.save(copy)
    assert repo.load(rid).parts[0].sections[0].body != "只改副本"


def test_list_is_newest_year_first(service):
    service.new_report(2023, "甲镇人民政府", "乡镇")
    service.new_report(2025, "乙镇人民政府", "乡镇")
    service.new_report(2024, "丙镇人民政府", "乡镇")
    assert [r.year for r in service.list_reports()] == [2025, 2024, 2023]


def test_purge_forgets_review_data_too(db_path, linjiang):
    from db.review import ReviewStore

    repo = Repository(db_path)
    rid = repo.create(linjiang)
    store = ReviewStore(repo)
    store.tick(rid, "P1-01", "李审核", "hash")
    store.ignore(rid, "fp", "ERR-09")
    repo.delete(rid)
    repo.empty_bin()
    assert store.ticks(rid) == {}
    assert store.ignored(rid) == set()
