"""What the storage safety costs: the integrity check, opening, backups.

On a database of 10,000 reports and 100,000 snapshots (built as benchmarks/search.py does) and on
a typical one (the example and 20 reports): ``PRAGMA quick_check`` and ``integrity_check``, opening
the repository (which checks files up to db.integrity.SYNC_CHECK_MAX_BYTES while opening and
larger ones in the background), one backup, and listing the backups with their report counts.
Floor: reading every page of the file (a plain sequential read) — quick_check cannot be cheaper.

Usage: python benchmarks/storage.py [--reports N] [--snapshots M]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import generate

from db import Repository
from db import backup as backups
from db.integrity import SYNC_CHECK_MAX_BYTES, check_file


def ms(fn, runs: int = 3) -> float:
    fn()  # warm the page cache, as on a machine that has just used the file
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def read_all(path: Path) -> None:
    with open(path, "rb") as fh:
        while fh.read(1 << 20):
            pass


def measure(path: Path, label: str) -> None:
    size = path.stat().st_size
    floor = ms(lambda: read_all(path))
    quick = ms(lambda: check_file(path))
    full = ms(lambda: check_file(path, full=True), runs=1)
    opening = ms(lambda: Repository(path).close())
    print(f"--- {label}: {size / 1e6:.1f} MB "
          f"({'checked while opening' if size <= SYNC_CHECK_MAX_BYTES else 'checked in background'})")
    print(f"{'read every page (floor)':40} {floor:9.1f} ms")
    print(f"{'PRAGMA quick_check':40} {quick:9.1f} ms   ratio {quick / floor:.1f}")
    print(f"{'PRAGMA integrity_check':40} {full:9.1f} ms")
    print(f"{'open the repository (start-up)':40} {opening:9.1f} ms")
    t = time.perf_counter()
    made = backups.make_backup(path)
    print(f"{'one backup (SQLite backup API)':40} {(time.perf_counter() - t) * 1000:9.1f} ms"
          f"{'' if made else '   (skipped: disk too full)'}")
    t = time.perf_counter()
    infos = backups.list_backups(path, verify=True)
    print(f"{'list backups with report counts':40} {(time.perf_counter() - t) * 1000:9.1f} ms"
          f"   ({len(infos)} backup, {infos[0].reports if infos else 0} reports)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--snapshots", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small" / "reports.db"
        small.parent.mkdir()
        from editor.service import ReportService

        svc = ReportService(small)
        svc.ensure_example()
        for _ in range(20):
            svc.duplicate(1)
        svc.close()
        measure(small, "typical: the example and 20 reports")

        big = Path(tmp) / "big" / "reports.db"
        big.parent.mkdir()
        repo = Repository(big)
        generate(repo, args.reports, args.snapshots)
        repo.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        repo.close()
        measure(big, f"{args.reports:,} reports, {args.snapshots:,} snapshots")
    return 0


if __name__ == "__main__":
    sys.exit(main())
