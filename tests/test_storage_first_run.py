"""First run inside one write transaction: programs starting on a brand-new database at once
migrate it once and install the example once, and none of them sees "database is locked"."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
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
