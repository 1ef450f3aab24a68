"""First run inside one write transaction: programs starting on a brand-new database at once
migrate it once and install the example once, and none of them sees "database is locked"."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Every process waits for the same moment, then opens the database and lists it.
STARTER = """
import sys, time
sys.path.insert(0, {root!r})
start = {start!r}
from editor.cli import main
while time.time() < start:
    time.sleep(0.001)
sys.exit(main(["list", "--json", "--db", {db!r}]))
"""


@pytest.mark.parametrize("processes", [4])
def test_concurrent_first_starts_install_the_example_once(tmp_path, processes):
    for attempt in range(2):
        db = tmp_path / f"new-{processes}-{attempt}.db"
        start = time.time() + 2.0  # after every interpreter has imported what it needs
        script = STARTER.format(root=str(ROOT), start=start, db=str(db))
        procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, encoding="utf-8")
                 for _ in range(processes)]
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (out, err) in zip(procs, outs):
            assert p.returncode == 0, err
            assert "locked" not in err and "Traceback" not in err
            assert [r["organ"] for r in json.loads(out)] == ["清河县临江镇人民政府"]
        con = sqlite3.connect(db)
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == 4
        con.close()


def test_switching_a_new_file_to_wal_waits_for_another_program(tmp_path):
    """SQLite refuses ``PRAGMA journal_mode = WAL`` at once, without waiting, while another
    program holds the write lock of a file still in rollback mode: what two programs switching
    a brand-new file at the same moment do to each other. Opening waits for it instead."""
    from db.connect import open_database

    db = tmp_path / "new.db"
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # the other program, in the middle of its own switch
    released = threading.Event()

    def release_soon():
        time.sleep(0.3)
        other.execute("COMMIT")
        released.set()

    threading.Thread(target=release_soon, daemon=True).start()
    con, state = open_database(db)
    try:
        assert released.is_set()
        assert not state.read_only
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == 4
    finally:
        con.close()
        other.close()
