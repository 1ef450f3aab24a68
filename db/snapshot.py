"""A new database made in one step: the schema the migrations produce, replayed from a file.

The migrations (db/schema.py) stay the source of truth and still upgrade every older file. A
brand-new file, though, would pay for importing sqlite-utils (~95 ms of the very first start)
only to run them from nothing. ``resources/db/schema.json`` holds the statements they leave in
``sqlite_master``; :func:`create_from_snapshot` replays them and records the migrations as
applied, exactly as sqlite-utils would, so a later migration applies on top as usual.

``python -m db.snapshot`` writes the file again; tests/test_schema_snapshot.py fails when it no
longer matches the migrations (a new migration was added without it).
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from pathlib import Path

from editor.paths import resource

from .schema import MIGRATION_SET, ORDER, SCHEMA_VERSION

SNAPSHOT = ("db", "schema.json")
MIGRATIONS_TABLE = "_sqlite_migrations"


def snapshot_path() -> Path:
    return resource(*SNAPSHOT)


def migration_names() -> list[str]:
    return [fn.__name__ for fn in ORDER]


def schema_statements(con: sqlite3.Connection) -> list[str]:
    """The CREATE statements of ``con``'s schema in the order they were made. Left out: the
    automatic indexes (no SQL) and the tables a virtual table makes for itself (its CREATE
    VIRTUAL TABLE makes them again)."""
    shadow = {row[1] for row in con.execute("PRAGMA table_list") if row[2] == "shadow"}
    return [sql for name, sql in con.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")
        if name not in shadow and not name.startswith("sqlite_")]


def migrated_statements() -> list[str]:
    """What the migrations make of an empty database (needs sqlite-utils)."""
    from sqlite_utils import Database

    from .schema import migrations

    con = sqlite3.connect(":memory:")
    try:
        migrations().apply(Database(con))
        return schema_statements(con)
    finally:
        con.close()


def write_snapshot(path: Path | None = None) -> Path:
    path = path or snapshot_path()
    data = {"schema_version": SCHEMA_VERSION, "migrations": migration_names(),
            "statements": migrated_statements()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def load_snapshot(path: Path | None = None) -> list[str] | None:
    """The statements, or None when the file is missing, unreadable or made for other
    migrations (then the caller migrates as usual)."""
    try:
        data = json.loads((path or snapshot_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION \
            or data.get("migrations") != migration_names():
        return None
    statements = data.get("statements")
    if not isinstance(statements, list) or not all(isinstance(s, str) for s in statements):
        return None
    return statements


def is_empty(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def create_from_snapshot(con: sqlite3.Connection, path: Path | None = None) -> bool:
    """Make the whole schema of an empty database inside the caller's transaction. False
    (nothing done) when there is no usable snapshot."""
    statements = load_snapshot(path)
    if statements is None:
        return False
    for sql in statements:
        con.execute(sql)
    # The record sqlite-utils keeps of applied migrations, in its own format.
    applied = str(datetime.datetime.now(datetime.timezone.utc))
    con.executemany(
        f"INSERT INTO [{MIGRATIONS_TABLE}] (migration_set, name, applied_at) VALUES (?, ?, ?)",
        [(MIGRATION_SET, name, applied) for name in migration_names()])
    return True


if __name__ == "__main__":
    print(f"wrote {write_snapshot()}")
