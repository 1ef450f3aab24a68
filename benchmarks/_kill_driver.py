"""The window, typing by itself, for the kill -9 trials (benchmarks/kill_trials.py, tests/test_kill.py).

Usage: QT_QPA_PLATFORM=offscreen python benchmarks/_kill_driver.py DB SEED

Opens the main window on DB as ``python main.py gui`` does (lock, service, window, session with
its background check and backup), puts the cursor at the end of the first section and types a
known text key by key on a timer, in bursts with pauses so autosave runs (and sometimes Ctrl+S).
Prints, flushed, one line per event:

    ready <section uid> <length of the body before typing>
    saved <n>      the first n characters of the typed text are in the database (autosave done)

The trial runner kills it with SIGKILL at a random moment and checks that the database holds at
least everything announced as saved, nothing else, and passes ``PRAGMA integrity_check``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def typed_text(n: int = 4000) -> str:
    """The text the driver types: numbered sentences, so any prefix is recognisable."""
    out, i = [], 1
    while sum(map(len, out)) < n:
        out.append(f"第{i}句依法行政落实情况。")
        i += 1
    return "".join(out)[:n]


def main() -> int:
    db, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from db.lock import DbLock
    from editor.ui.app import build_window, make_app, open_service

    app = make_app()
    lock = DbLock(db)
    lock.acquire()
    service = open_service(db)
    service.attach_lock(lock)
    window = build_window(service)
    window.show()
    service.start_session()
    report = window.current_report
    section = report.parts[0].sections[0]
    page = getattr(window, "page", None) or window._page  # public accessor once there is one
    body = page("section").body
    body.set_cursor_position(len(section.body))
    start = len(section.body)
    text = typed_text()
    print(f"ready {section.uid} {start}", flush=True)

    def on_saved() -> None:
        current = window.current_report.parts[0].sections[0].body
        print(f"saved {len(current) - start}", flush=True)

    window.autosaver.saved.connect(on_saved)
    state = {"i": 0, "burst": rng.randint(5, 30)}

    def tick() -> None:
        i = state["i"]
        if i >= len(text):
            return
        ch = text[i]
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(body, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
        state["i"] = i + 1
        state["burst"] -= 1
        if state["burst"] <= 0:
            state["burst"] = rng.randint(5, 30)
            if rng.random() < 0.25:
                window.save_now()  # Ctrl+S
            timer.start(rng.randint(1200, 1800))  # a pause: autosave comes after ~1 s
        else:
            timer.start(rng.randint(5, 40))

    timer = QTimer(singleShot=True)
    timer.timeout.connect(tick)
    timer.start(50)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
