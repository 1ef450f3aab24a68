"""Schema migrations. Each migration is applied once, in order, and tested from the one before.

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("report_editor")


@migrations()
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


# The schema version this program writes; a database with a higher user_version was written by
# a newer program and is left untouched.
SCHEMA_VERSION = len(migrations._migrations)
