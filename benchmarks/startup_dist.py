"""Start-up of the built program (``make dist``) against the virtual-environment start, in the
same run: whole-process time from launch to the main window shown with the example open
(REPORT_EDITOR_BENCH_EXIT, as benchmarks/startup.py), on an existing database and on a new one.

Target: median ratio built / venv ≤ 1.2. Runs the unpacked dist/fazhi-report-editor-*/ folder
that ``make dist`` leaves beside the archive (or the folder given as the first argument).
Both run under QT_QPA_PLATFORM=offscreen unless a display is set.
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
RUNS = 9


def launch(cmd: list[str], home: str) -> float:
    env = {**os.environ, "REPORT_EDITOR_BENCH_EXIT": "1", "HOME": home}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=False,
                         timeout=120)
    line = next((x for x in out.stdout.splitlines() if x.startswith("shown ")), None)
    if out.returncode != 0 or line is None:
        raise SystemExit(f"launch failed: {cmd}\n{out.stdout}\n{out.stderr}")
    return float(line.split()[1]) - start


def built_folder() -> Path | None:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    found = sorted((p for p in (ROOT / "dist").glob("fazhi-report-editor-*") if p.is_dir()),
                   key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def main() -> int:
    folder = built_folder()
    if folder is None:  # make bench runs every benchmark; this one needs make dist first
        print("skipped: no dist/fazhi-report-editor-*/ folder (run `make dist` first)")
        return 0
    built = [str(folder / "fazhi-report-editor")]
    venv = [sys.executable, "main.py"]
    times: dict[str, list[float]] = {k: [] for k in ("venv", "built", "venv-new", "built-new")}
    with tempfile.TemporaryDirectory() as tmp:
        kept_v, kept_b = str(Path(tmp) / "v.db"), str(Path(tmp) / "b.db")
        launch([*venv, "gui", "--db", kept_v], tmp)  # create the databases, warm the file cache
        launch([*built, "gui", "--db", kept_b], tmp)
        for i in range(RUNS):  # interleaved, so a slow moment of the machine hits both
            times["venv"].append(launch([*venv, "gui", "--db", kept_v], tmp))
            times["built"].append(launch([*built, "gui", "--db", kept_b], tmp))
            times["venv-new"].append(launch([*venv, "gui", "--db", f"{tmp}/vn{i}.db"], tmp))
            times["built-new"].append(launch([*built, "gui", "--db", f"{tmp}/bn{i}.db"], tmp))
    m = {k: statistics.median(v) for k, v in times.items()}
    print(f"runs: {RUNS} each, platform {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}, "
          f"built: {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}")
    print(f"existing database: venv median {m['venv'] * 1000:7.1f} ms, "
          f"built {m['built'] * 1000:7.1f} ms   ratio {m['built'] / m['venv']:.2f}")
    print(f"new database:      venv median {m['venv-new'] * 1000:7.1f} ms, "
          f"built {m['built-new'] * 1000:7.1f} ms   ratio {m['built-new'] / m['venv-new']:.2f}")
    print("target: ratio ≤ 1.2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
