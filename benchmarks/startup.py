"""Startup: whole-process time from launch to the main window shown with the example report
open, against a bare PySide6 window with four tabs launched the same way, in the same run.

Target: median ratio ≤ 1.5. Both run under QT_QPA_PLATFORM=offscreen unless a display is set.
The editor opens a fresh database each run (first start: the example is imported), and once
more on an existing database (the everyday start).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def launch(args: list[str]) -> float:
    env = {**os.environ, "REPORT_EDITOR_BENCH_EXIT": "1"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                         cwd=ROOT, check=False, timeout=120)
    line = next((x for x in out.stdout.splitlines() if x.startswith("shown ")), None)
    if out.returncode != 0 or line is None:
        raise SystemExit(f"launch failed: {args}\n{out.stdout}\n{out.stderr}")
    return float(line.split()[1]) - start


def main() -> int:
    bare, fresh, existing = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        kept = Path(tmp) / "kept.db"
        launch(["main.py", "gui", "--db", str(kept)])  # create it once
        launch([str(ROOT / "benchmarks" / "_bare_window.py")])  # warm the OS file cache
        for i in range(RUNS):
            bare.append(launch([str(ROOT / "benchmarks" / "_bare_window.py")]))
            fresh.append(launch(["main.py", "gui", "--db", str(Path(tmp) / f"new{i}.db")]))
            existing.append(launch(["main.py", "gui", "--db", str(kept)]))
    mb, mf, me = (statistics.median(x) for x in (bare, fresh, existing))
    print(f"runs: {RUNS} each, platform {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
    print(f"bare PySide6 window (4 tabs):  median {mb * 1000:7.1f} ms")
    print(f"editor, new database:          median {mf * 1000:7.1f} ms   ratio {mf / mb:.2f}")
    print(f"editor, existing database:     median {me * 1000:7.1f} ms   ratio {me / mb:.2f}")
    print("target: ratio ≤ 1.5")
    return 0


if __name__ == "__main__":
    sys.exit(main())
