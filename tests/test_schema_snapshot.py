"""A new database is made from resources/db/schema.json (db.snapshot) instead of running the
migrations: it must be the same database the migrations make, and later migrations must still
apply on top of it."""

from __future__ import annotations

import json
import sqlite3
import sys

from db import snapshot
from db.connect import open_database
from db.schema import MIGRATION_SET, ORDER


def schema_of(con: sqlite3.Connection) -> list[tuple]:
    return sorted(con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def test_the_snapshot_is_what_the_migrations_make():
    # Fails when a migration was added or changed without `python -m db.snapshot`.
    stored = json.loads(snapshot.snapshot_path().read_text(encoding="utf-8"))
    assert stored["migrations"] == [fn.__name__ for fn in ORDER]
    assert stored["statements"] == snapshot.migrated_statements()


def test_a_new_database_made_from_the_snapshot_equals_a_migrated_one(tmp_path):
    con, _ = open_database(tmp_path / "new.db")
    from sqlite_utils import Database

    from db.schema import migrations

    migrated = sqlite3.connect(tmp_path / "migrated.db")
    migrations().apply(Database(migrated))
    assert schema_of(con) == schema_of(migrated)
    names = [r[0] for r in con.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
        [MIGRATION_SET])]
    assert names == [fn.__name__ for fn in ORDER]
    # sqlite-utils sees nothing left to do, so a later migration would apply on top as usual.
    assert migrations().pending(Database(con)) == []
    # The search index works (its virtual table made its own shadow tables).
    con.execute("INSERT INTO reports (id, year, organ, title, preamble, created_at, updated_at) "
                "VALUES (1, 2025, '临江镇', '临江镇关于法治政府建设的报告', '全面落实', 'x', 'x')")
    con.commit()
    assert con.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH '法治政府'"
                       ).fetchone()[0] == 1
    con.close()
    migrated.close()


def test_a_new_database_does_not_import_sqlite_utils(tmp_path):
    # The point of the snapshot: the very first start does not pay for sqlite-utils.
    import subprocess

    code = ("import sys\nfrom pathlib import Path\nfrom db.connect import open_database\n"
            f"con, _ = open_database(Path({str(tmp_path / 'first.db')!r}))\n"
            "print(con.execute('PRAGMA user_version').fetchone()[0],"
            " 'sqlite_utils' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.split() == [str(len(ORDER)), "False"], out.stdout + out.stderr


def test_a_missing_or_stale_snapshot_falls_back_to_the_migrations(tmp_path, monkeypatch):
    stale = tmp_path / "schema.json"
    stale.write_text(json.dumps({"schema_version": 1, "migrations": ["m001_initial"],
                                 "statements": ["CREATE TABLE wrong (x)"]}), encoding="utf-8")
    for path in (stale, tmp_path / "missing.json"):
        monkeypatch.setattr(snapshot, "snapshot_path", lambda p=path: p)
        db = tmp_path / f"{path.stem}.db"
        con, _ = open_database(db)
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        assert "wrong" not in tables and {"reports", "sections", "search_fts"} <= tables
        con.close()
