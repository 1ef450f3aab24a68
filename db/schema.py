"""Schema migrations. Each migration is applied once, in order, and tested from the one before.

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

# sqlite-utils is imported only when a migration has to run: it costs ~60 ms of start-up, and a
# database that is already current needs none of it. Migrations are listed in ORDER below.


def m001_initial(db: Database) -> None:
    db["reports"].create(
        {
            "id": int,
            "profile": str,
            "year": int,
            "organ": str,
            "body_type": str,
            "title": str,
            "header": str,  # JSON of Header
            "preamble": str,
            "closing": str,
            "created_at": str,
            "updated_at": str,
            "deleted_at": str,  # NULL unless in the recycle bin
        },
        pk="id",
        not_null={"year", "created_at", "updated_at"},
    )
    db["parts"].create(
        {
            "uid": str,
            "report_id": int,
            "position": int,
            "key": str,
            "heading": str,
            "lead": str,
            "enabled": int,
        },
        pk="uid",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["sections"].create(
        {
            "uid": str,
            "report_id": int,
            "part_uid": str,
            "position": int,
            "title": str,
            "body": str,
            "run_in": int,
            "status": str,
            "reviewer": str,
            "reviewed_at": str,
            "source_marker": str,
            "updated_at": str,
        },
        pk="uid",
        foreign_keys=[("report_id", "reports", "id"), ("part_uid", "parts", "uid")],
    )
    db["parts"].create_index(["report_id", "position"])
    db["sections"].create_index(["report_id", "part_uid", "position"])
    db["revisions"].create(
        {
            "id": int,
            "report_id": int,
            "created_at": str,
            "kind": str,  # auto / manual / export / close / restore
            "note": str,
            "data": bytes,  # zlib-compressed JSON of the whole report
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["revisions"].create_index(["report_id", "created_at"])
    db["app_state"].create({"key": str, "value": str}, pk="key")


# Full-text search. FTS5's trigram tokenizer finds any Chinese substring of three or
# more characters (shorter queries use LIKE, see db/search.py). One contentful index holds
# sections (title, body), parts (heading, lead) and reports (title, preamble); its rowid is the
# source row's rowid * 4 + kind, so every trigger finds its entry by rowid without a scan.
# Triggers keep it in step with every write path. A later migration that rebuilds one of these
# tables (sqlite-utils transform) drops its triggers and must run SEARCH_TRIGGERS again.
SEARCH_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS search_sections_ai AFTER INSERT ON sections BEGIN
  INSERT INTO search_fts(rowid, title, body, kind, ref, report_id)
  VALUES (new.rowid * 4, new.title, new.body, 's', new.uid, new.report_id);
END;
CREATE TRIGGER IF NOT EXISTS search_sections_ad AFTER DELETE ON sections BEGIN
  DELETE FROM search_fts WHERE rowid = old.rowid * 4;
END;
CREATE TRIGGER IF NOT EXISTS search_sections_au AFTER UPDATE OF title, body, uid, report_id
ON sections BEGIN
  DELETE FROM search_fts WHERE rowid = old.rowid * 4;
  INSERT INTO search_fts(rowid, title, body, kind, ref, report_id)
  VALUES (new.rowid * 4, new.title, new.body, 's', new.uid, new.report_id);
END;
CREATE TRIGGER IF NOT EXISTS search_parts_ai AFTER INSERT ON parts BEGIN
  INSERT INTO search_fts(rowid, title, body, kind, ref, report_id)
  VALUES (new.rowid * 4 + 1, new.heading, new.lead, 'p', new.uid, new.report_id);
END;
CREATE TRIGGER IF NOT EXISTS search_parts_ad AFTER DELETE ON parts BEGIN
  DELETE FROM search_fts WHERE rowid = old.rowid * 4 + 1;
END;
CREATE TRIGGER IF NOT EXISTS search_parts_au AFTER UPDATE OF heading, lead, uid, report_id
ON parts BEGIN
  DELETE FROM search_fts WHERE rowid = old.rowid * 4 + 1;
  INSERT INTO search_fts(rowid, title, body, kind, ref, report_id)
  VALUES (new.rowid * 4 + 1, new.heading, new.lead, 'p', new.uid, new.report_id);
END;
CREATE TRIGGER IF NOT EXISTS search_reports_ai AFTER INSERT ON reports BEGIN
  INSERT INTO search_fts(rowid, title, body, kind, ref, report_id)
  VALUES (new.id * 4 + 2, new.title, new.preamble, 'r', new.id, new.id);
END;
CREATE TRIGGER IF NOT EXISTS search_reports_ad AFTER DELETE ON reports BEGIN
  DELETE FROM search_fts WHERE rowid = old.id * 4 + 2;
END;
CREATE TRIGGER IF NOT EXISTS search_reports_au AFTER UPDATE OF title, preamble, id ON reports BEGIN
  DELETE FROM search_fts WHERE rowid = old.id * 4 + 2;
  INSERT INTO search_fts(rowid, title, body, kind, ref, report_id)
  VALUES (new.id * 4 + 2, new.title, new.preamble, 'r', new.id, new.id);
END;
"""
SEARCH_BACKFILL = """
DELETE FROM search_fts;
INSERT INTO search_fts(rowid, title, body, kind, ref, report_id)
  SELECT rowid * 4, title, body, 's', uid, report_id FROM sections;
INSERT INTO search_fts(rowid, title, body, kind, ref, report_id)
  SELECT rowid * 4 + 1, heading, lead, 'p', uid, report_id FROM parts;
INSERT INTO search_fts(rowid, title, body, kind, ref, report_id)
  SELECT id * 4 + 2, title, preamble, 'r', id, id FROM reports;
"""


def run_script(db: Database, script: str) -> None:
    """Run SQL statements one by one: executescript() would commit the migration's transaction."""
    import sqlite3

    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def m002_search(db: Database) -> None:
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
        "title, body, kind UNINDEXED, ref UNINDEXED, report_id UNINDEXED, tokenize='trigram')"
    )
    run_script(db, SEARCH_TRIGGERS + SEARCH_BACKFILL)
    # The report list (Repository.list_reports) reads in this order without sorting.
    db.execute(
        "CREATE INDEX IF NOT EXISTS reports_list "
        "ON reports(deleted_at, year DESC, updated_at DESC, id DESC)"
    )


def m003_review(db: Database) -> None:
    """Reviewer ticks on checklist items, approved-section text hashes, ignored
    findings. No foreign keys, so a report can be purged by code that predates these tables;
    Repository.purge clears them when they exist."""
    db["review_ticks"].create(
        {
            "report_id": int,
            "item_id": str,  # checklist item id, e.g. P1-05
            "reviewer": str,
            "ticked_at": str,
            "note": str,
            "text_hash": str,  # hash of the item's scope text when ticked: differs = stale
        },
        pk=("report_id", "item_id"),
    )
    db["section_reviews"].create(
        {
            "report_id": int,
            "section_uid": str,
            "text_hash": str,  # hash of title + body when approved
            "reviewer": str,
            "reviewed_at": str,
        },
        pk="section_uid",
    )
    db["section_reviews"].create_index(["report_id"])
    db["ignored_findings"].create(
        {
            "report_id": int,
            "fingerprint": str,  # Finding.fingerprint: rule + span + text around it
            "rule": str,
            "text": str,
            "created_at": str,
        },
        pk=("report_id", "fingerprint"),
    )


def m004_outdated_text(db: Database) -> None:
    """A report made from last year's keeps its 前言 and part leads marked 待更新
    (like its sections) until they are rewritten. Added columns: no table is rebuilt, so the
    search triggers stay."""
    db["reports"].add_column("preamble_status", str, not_null_default="")
    db["parts"].add_column("lead_status", str, not_null_default="")


ORDER = (m001_initial, m002_search, m003_review, m004_outdated_text)

MIGRATION_SET = "report_editor"  # the set's name in sqlite-utils' _sqlite_migrations table

# The schema version this program writes (PRAGMA user_version); a database with a higher one was
# written by a newer program and is left untouched.
SCHEMA_VERSION = len(ORDER)


def migrations() -> Migrations:
    """The migration set as sqlite-utils' Migrations, applied in ORDER."""
    from sqlite_utils.migrations import Migrations

    chain = Migrations(MIGRATION_SET)
    for fn in ORDER:
        chain()(fn)
    return chain
