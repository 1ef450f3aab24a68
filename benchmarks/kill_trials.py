"""kill -9 while typing: does the database keep everything it said was saved, and stay sound?

Each trial copies a prepared database, starts the window offscreen typing by itself
(benchmarks/_kill_driver.py), kills it with SIGKILL at a random moment (during start-up, the
starting backup, typing or an autosave), then checks:

- ``PRAGMA integrity_check`` is ok;
- the section holds the text it had plus a prefix of the typed text at least as long as the last
  ``saved`` the window announced (nothing saved was lost, nothing foreign got in);
- every finished backup beside it is sound.

Usage: python benchmarks/kill_trials.py [--trials 20] [--seed 1]
Prints one line per trial and the totals; exit 1 if any trial lost text or integrity.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from _kill_driver import typed_text


@dataclass
class Trial:
    kill_after: float
    announced: int  # characters announced as saved before the kill
    stored: int  # characters of the typed text found in the database
    intact: bool  # the stored text is the typed text's prefix
    integrity: str
    backups_sound: bool
    ready: bool
    backups: int = 0  # finished backups found beside the database

    @property
    def lost_nothing(self) -> bool:
        return self.intact and self.stored >= self.announced and self.integrity == "ok" \
            and self.backups_sound


def prepare(folder: Path) -> Path:
    """A database with the example report, made once (as a first start would)."""
    from editor.service import ReportService

    path = folder / "template.db"
    svc = ReportService(path)
    svc.ensure_example()
    svc.close()
    return path


def run_trial(template: Path, folder: Path, seed: int, kill_after: float) -> Trial:
    db = folder / "reports.db"
    shutil.copy(template, db)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, str(HERE / "_kill_driver.py"), str(db), str(seed)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            encoding="utf-8", cwd=ROOT, env=env)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line.split())
            if line.startswith("ready"):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    # A negative delay kills during start-up (opening, first-run, the starting backup).
    if kill_after >= 0:
        ready.wait(timeout=60)
    time.sleep(abs(kill_after))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(timeout=5)
    announced = max((int(x[1]) for x in lines if x and x[0] == "saved"), default=0)
    head = next((x for x in lines if x and x[0] == "ready"), None)
    con = sqlite3.connect(db)  # as the next start would: replays the WAL
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        body = ""
        if head is not None:
            row = con.execute("SELECT body FROM sections WHERE uid = ?", [head[1]]).fetchone()
            body = row[0] if row else ""
    finally:
        con.close()
    start = int(head[2]) if head else len(body)
    added = body[start:]
    text = typed_text()
    intact = text.startswith(added)
    from db.backup import list_backups

    found = list_backups(db, verify=True)
    return Trial(kill_after, announced, len(added) if intact else -1, intact, integrity,
                 all(b.sound for b in found), head is not None, len(found))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        template = prepare(Path(tmp))
        for n in range(args.trials):
            folder = Path(tmp) / f"trial{n}"
            folder.mkdir()
            # One trial in five is killed during start-up, the rest while typing.
            delay = -rng.uniform(0.05, 1.5) if n % 5 == 0 else rng.uniform(0.2, 12)
            t = run_trial(template, folder, args.seed * 1000 + n, delay)
            results.append(t)
            print(f"trial {n + 1:2}: killed {'at start' if delay < 0 else 'typing'} after "
                  f"{abs(delay):5.2f} s · saved {t.announced:4} announced, {t.stored:4} stored · "
                  f"integrity {t.integrity} · {t.backups} backup(s) "
                  f"{'sound' if t.backups_sound else 'BAD'} · "
                  f"{'ok' if t.lost_nothing else 'LOST'}", flush=True)
    ok = sum(t.lost_nothing for t in results)
    integrity = sum(t.integrity == "ok" for t in results)
    print(f"{ok}/{len(results)} trials lost nothing; integrity_check ok in "
          f"{integrity}/{len(results)}; {sum(t.announced for t in results)} characters announced "
          f"as saved, all found" if ok == len(results) else
          f"{ok}/{len(results)} trials lost nothing; integrity ok in {integrity}/{len(results)}")
    return 0 if ok == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
