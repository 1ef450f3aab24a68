"""Storage at scale: 10,000 drafts and 100,000 snapshots in a temporary database.

Targets: report list ≤ 100 ms, opening a report ≤ 20 ms, a search ≤ 50 ms.
Prints the median of several runs for each, and the floor of a trivial query for context.
Usage: python benchmarks/search.py [--reports N] [--snapshots M]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db import Repository
from db.search import search
from editor.history import list_snapshots
from editor.ingest import parse_text
from editor.model import new_uid

SAMPLES = ["linjiang-2025.txt", "sifaju-2025.txt"]
PLACE = "东南西北上下前后新旧长青白石金银山水河湖田园桥塘"


def median_ms(fn, runs: int = 15) -> float:
    fn()  # warm the cache, as a user's second click would
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def generate(repo: Repository, n_reports: int, n_snapshots: int) -> None:
    rng = random.Random(5)
    templates = [parse_text((ROOT / "tests" / "data" / s).read_text(encoding="utf-8"))
                 for s in SAMPLES]
    reports, parts, sections, revisions = [], [], [], []
    stamp = "2026-02-10T09:00:00"
    for rid in range(1, n_reports + 1):
        t = templates[rid % 2]
        place = "".join(rng.choice(PLACE) for _ in range(2))
        organ = t.organ.replace("临江", place).replace("清河县司法局", f"{place}县司法局")
        year = 2016 + rid % 10
        updated = f"20{16 + rid % 10}-0{1 + rid % 9}-1{rid % 10}T{rid % 24:02d}:00:00"
        header = json.dumps({"title": t.header.title.replace("临江", place)}, ensure_ascii=False)
        reports.append((rid, t.profile, year, organ, t.body_type, t.header.title.replace(
            "临江", place), header, t.preamble.replace("临江", place), t.closing, stamp, updated))
        for pi, p in enumerate(t.parts):
            puid = new_uid()
            parts.append((puid, rid, pi, p.key, p.heading, p.lead, 1))
            for si, s in enumerate(p.sections):
                body = s.body.replace("临江", place)
                if pi == 0 and si == 0:
                    body += f"本年度专项编号QH{rid:05d}号。"
                sections.append((new_uid(), rid, puid, si, s.title, body, 1, "", "", "", "",
                                 updated))
    blob = zlib.compress(json.dumps({"year": 2025, "parts": []}).encode())
    for i in range(n_snapshots):
        revisions.append((1 + i % n_reports, f"2026-01-{1 + i % 28:02d}T{i % 24:02d}:00:00",
                          "auto", "", blob))
    db = repo.db
    with db.conn:
        db.conn.executemany(
            "INSERT INTO reports (id, profile, year, organ, body_type, title, header, preamble, "
            "closing, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", reports)
        db.conn.executemany(
            "INSERT INTO parts (uid, report_id, position, key, heading, lead, enabled) "
            "VALUES (?,?,?,?,?,?,?)", parts)
        db.conn.executemany(
            "INSERT INTO sections (uid, report_id, part_uid, position, title, body, run_in, "
            "status, reviewer, reviewed_at, source_marker, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", sections)
        db.conn.executemany(
            "INSERT INTO revisions (report_id, created_at, kind, note, data) VALUES (?,?,?,?,?)",
            revisions)
    db.execute("ANALYZE")
    print(f"generated {len(reports):,} reports, {len(parts):,} parts, {len(sections):,} "
          f"sections, {len(revisions):,} snapshots")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--snapshots", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        repo = Repository(path)
        t = time.perf_counter()
        generate(repo, args.reports, args.snapshots)
        print(f"generation (with the search index kept by triggers): "
              f"{time.perf_counter() - t:.1f} s, database {path.stat().st_size >> 20} MB")
        rng = random.Random(7)
        ids = [rng.randint(1, args.reports) for _ in range(64)]
        it = iter(ids * 100)

        rare = f"QH{min(1234, args.reports):05d}号"
        rows = [
            ("floor: SELECT 1", lambda: repo.db.execute("SELECT 1").fetchone(), None),
            ("report list (list_reports, all rows)", lambda: repo.list_reports(), 100),
            ("open a report (Repository.load)", lambda: repo.load(next(it)), 20),
            ("snapshot list of a report", lambda: list_snapshots(repo, next(it)), None),
            (f"search, rare phrase ({rare})", lambda: search(repo, rare), 50),
            ("search, common phrase (枫桥经验), first 100", lambda: search(repo, "枫桥经验"), 50),
            ("search, two words (行政复议 调解)", lambda: search(repo, "行政复议 调解"), 50),
            ("search, 2 characters (LIKE fallback: 述法)", lambda: search(repo, "述法"), None),
        ]
        print(f"{'operation':48} {'median ms':>10} {'target':>8}")
        for label, fn, target in rows:
            ms = median_ms(fn)
            verdict = "" if target is None else ("ok" if ms <= target else "SLOW")
            tgt = "" if target is None else f"≤{target}"
            print(f"{label:48} {ms:10.2f} {tgt:>8} {verdict}")
        hits = search(repo, rare)
        assert len(hits) == 1 and hits[0].report_id == min(1234, args.reports), hits
        repo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
