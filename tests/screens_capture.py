"""Screenshots of the main window on the office screen sizes the program supports, for a person
to look at: ``python tests/screens_capture.py [OUT_DIR]`` writes
screenshot-1024x768.png, screenshot-1366x768.png and screenshot-1920x1080.png (default: docs/).

Each size runs in its own Xvfb with a 40 px taskbar reserved at the bottom (the root window's
_NET_WORKAREA, which Qt reads as the available area), on a fresh report library (the example
report, as on first start), and the whole screen is captured: what does not fit shows.
``--node header`` opens the 版头与版记 page instead of the first section.
Needs Xvfb and xprop (Debian: xvfb, x11-utils). Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ((1024, 768), (1366, 768), (1920, 1080))
TASKBAR = 40


def _xvfb(display: int, width: int, height: int) -> subprocess.Popen:
    proc = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", f"{width}x{height}x24",
                             "-noreset"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "DISPLAY": f":{display}"}
    for _ in range(50):
        ready = subprocess.run(["xprop", "-root"], env=env, capture_output=True, check=False)
        if ready.returncode == 0:
            break
        time.sleep(0.1)
    subprocess.run(["xprop", "-root", "-f", "_NET_WORKAREA", "32c", "-set", "_NET_WORKAREA",
                    f"0, 0, {width}, {height - TASKBAR}"], env=env, check=True)
    return proc


def _seed(db: Path, node: str | None) -> None:
    """A report library as on first start; optionally left on another page."""
    sys.path.insert(0, str(ROOT))
    from editor.ui.app import open_service

    service = open_service(db)
    try:
        if node:
            rid = service.list_reports()[0].id
            service.remember_position(report_id=rid, node=node)
    finally:
        service.close()


def capture(out: Path, width: int, height: int, display: int, node: str | None = None,
            suffix: str = "") -> Path:
    target = out / f"screenshot-{width}x{height}{suffix}.png"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "reports.db"
        _seed(db, node)
        xvfb = _xvfb(display, width, height)
        try:
            env = {**os.environ, "DISPLAY": f":{display}", "QT_QPA_PLATFORM": "xcb",
                   "REPORT_EDITOR_SCREENSHOT": str(target),
                   "REPORT_EDITOR_SCREENSHOT_SCREEN": "1",
                   "REPORT_EDITOR_SCREENSHOT_DELAY": "1500"}
            subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db)], env=env,
                           check=True, timeout=120)
        finally:
            xvfb.terminate()
            xvfb.wait()
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs"))
    parser.add_argument("--node", help="page to open, e.g. header")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.node}" if args.node else ""
    for i, (w, h) in enumerate(SIZES):
        print(capture(out, w, h, 80 + i, args.node, suffix))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
