"""A window for tests/test_fcitx4_bridge.py's end-to-end tests, run as a child process under
Xvfb: ``python fcitx4_child.py MODE OUT [DB]``.

MODE ``line``: a plain QLineEdit, with the program's input-method entry points
(prepare_input_method before the QApplication, install_input_bridge after). MODE ``editor``:
the editor's own window (make_app, open_service, build_window) on the database DB, the focus in
the first section's body (a CleanPlainTextEdit).

Writes JSON lines to OUT: {"ready": …} once the window has the focus, {"text": …} on every
change of the box's text, {"saved": true} when the editor's autosave has written it, and on
SIGTERM {"latency": [keys, median ms, p95 ms], "edited": n} before quitting without saving.
With FCITX4_TIMING=1 also {"roundtrip": [calls, median ms, p95 ms]}: the D-Bus call alone.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

MODE, OUT = sys.argv[1], Path(sys.argv[2])
out = OUT.open("a", encoding="utf-8")


def say(**what) -> None:
    out.write(json.dumps(what, ensure_ascii=False) + "\n")
    out.flush()


def summary(values: list[int]) -> list:
    values = sorted(values)
    if not values:
        return [0, 0.0, 0.0]
    return [len(values), values[len(values) // 2] / 1e6,
            values[min(len(values) - 1, int(0.95 * len(values)))] / 1e6]


def time_calls() -> list[int]:
    """Time every D-Bus call that waits for an answer (ProcessKeyEvent)."""
    import time

    from editor.ui.fcitx4_dbus import Connection

    took: list[int] = []
    call = Connection.call

    def timed(self, msg, timeout):
        start = time.perf_counter_ns()
        try:
            return call(self, msg, timeout)
        finally:
            took.append(time.perf_counter_ns() - start)

    Connection.call = timed
    return took


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit

    from editor.ui.input_method import install_input_bridge, prepare_input_method

    calls = time_calls() if os.environ.get("FCITX4_TIMING") else None
    if MODE == "editor":
        from editor.ui import autosave
        from editor.ui.app import build_window, make_app, open_service

        app = make_app()
        bridge = install_input_bridge(app)  # (a no-op when make_app already did it)
        service = open_service(Path(sys.argv[3]))
        window = build_window(service)
        box = window.page("section").body
        box.set_cursor_position(len(box.toPlainText()))
        edited = []
        box.user_edited.connect(lambda: edited.append(1))
        window.autosaver.state_changed.connect(
            lambda state, _msg: state == autosave.SAVED and say(saved=True))
        text = box.toPlainText
        shown = window
    else:
        prepare_input_method()
        app = QApplication(sys.argv[:1])
        bridge = install_input_bridge(app)
        box = QLineEdit()
        edited = []
        box.textEdited.connect(lambda _t: edited.append(1))
        text = box.text
        shown = box
    shown.setWindowTitle(f"fcitx4-e2e-{MODE}")
    shown.show()
    shown.activateWindow()
    box.setFocus()
    box.textChanged.connect(lambda *_: say(text=text()))

    def ready() -> None:
        say(ready=True, bridge=bridge is not None and bridge.ready, initial=text())

    def quit_now(*_args) -> None:
        # Leave without the window's closing save: what is in the database is autosave's work.
        say(latency=list(bridge.latency_summary()) if bridge else None, edited=len(edited),
            timeouts=bridge.context.timeouts if bridge else None,
            roundtrip=summary(calls) if calls is not None else None)
        out.close()
        os._exit(0)

    signal.signal(signal.SIGTERM, quit_now)
    # Python runs signal handlers between bytecodes: a timer gives it the chance.
    idle = QTimer(interval=100)
    idle.timeout.connect(lambda: None)
    idle.start()
    QTimer.singleShot(300, ready)
    QTimer.singleShot(60000, quit_now)
    app.exec()


main()
