"""Starting the GUI: the input method (editor.ui.input_method), QApplication, Chinese translations
and fonts, the database lock, the service and the main window.

``run_gui(db_path)`` is what ``python main.py`` calls. Tests use the pieces: ``make_app()``,
``acquire_lock(path)``, ``open_service(path)`` and ``build_window(service)``, which never enter
the event loop.

Environment hooks (benchmarks and screenshots only):
``REPORT_EDITOR_BENCH_EXIT=1`` prints ``shown <time.time()>`` once the window has painted, then
quits; ``REPORT_EDITOR_SCREENSHOT=FILE.png`` saves a picture of the window (of the whole
screen with ``REPORT_EDITOR_SCREENSHOT_SCREEN=1``), then quits.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from .fonts import interface_font

APP_NAME = "法治政府建设年度报告编辑器"

# Exit codes of run_gui.
EXIT_OK = 0
EXIT_LOCKED = 1
EXIT_STORAGE = 2


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with Chinese Qt texts (buttons like 确定/取消) and a Chinese UI font."""
    app = QApplication.instance()
    if app is None:
        from .input_method import install_input_bridge, prepare_input_method

        prepare_input_method()  # Qt reads QT_IM_MODULE(S) when the QApplication is made
        app = QApplication(argv if argv is not None else sys.argv[:1])
        install_input_bridge(app)  # fcitx 4 only: the program talks to it itself
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("fazhi-report-editor")
    install_translator(app)
    app.setFont(interface_font())
    from .screen import guard_dialogs

    guard_dialogs(app)  # no dialog may stick out of a small screen
    return app


def install_translator(app: QApplication) -> QTranslator | None:
    """Qt's Chinese texts (see editor.ui.translations); the qtbase catalogue, or None."""
    from . import translations

    installed = translations.install(app)
    return installed[0] if len(installed) > 1 else None


def resolve_db_path(db_path: str | os.PathLike[str] | None) -> Path:
    from db.repository import default_db_path

    return Path(db_path) if db_path else default_db_path()


def lock_path(db_path: Path) -> str:
    from db.lock import lock_file

    return str(lock_file(db_path))


class LockedError(Exception):
    """Another window or process has the database open (``state`` says who and how)."""

    def __init__(self, db_path: Path, state=None) -> None:
        super().__init__(db_path)
        self.state = state


def acquire_lock(db_path: Path, ask=None):
    """Lock the report file (its real file: a link to it counts as the same) so a second
    window cannot silently overwrite the first one's edits.

    A lock left by this program's own crash is taken over at once. A lock file no running
    program holds (empty, unreadable, foreign) is described and taken over if ``ask(text)``
    says yes. Raises :class:`LockedError` otherwise. Returns the lock (release it at exit)."""
    from db.lock import DbLock, LockBusy

    lock = DbLock(db_path)
    try:
        lock.acquire()
    except LockBusy as busy:
        state = busy.state
        if state.can_take_over and ask is not None and ask(state.description):
            lock.take_over()
            return lock
        raise LockedError(db_path, state) from None
    return lock


def locked_message(db_path: Path, state=None) -> str:
    if state is not None and state.kind != "held":
        return state.description
    return (
        f"报告库已在另一个窗口中打开：\n{db_path}\n\n"
        "同时在两个窗口中修改同一个报告库会互相覆盖。请切换到已经打开的窗口继续工作。"
    )


def ask_take_over(description: str) -> bool:
    answer = QMessageBox.question(
        None, "报告库的锁定文件",
        f"{description}\n\n如果确认没有其他窗口在使用这个报告库，可以接管锁定继续工作。现在接管吗？")
    return answer == QMessageBox.StandardButton.Yes


def storage_message(exc: Exception) -> str:
    return f"{exc}\n\n程序将退出。"


def open_service(db_path: Path, lock=None):
    """The ReportService with the example report on a new database. A damaged or unwritable
    file is opened to be looked at (the window says so). Raises StorageError."""
    from editor.service import ReportService

    service = ReportService(db_path, allow_damaged=True)
    if lock is not None:
        service.attach_lock(lock)
    try:
        service.ensure_example()
    except Exception:
        service.close()
        raise
    return service


def build_window(service):
    """The main window on ``service``, with the last report open where the user left it."""
    from .main_window import MainWindow
    window = MainWindow(service)
    window.open_last()
    return window


def run_gui(db_path: str | os.PathLike[str] | None = None) -> int:
    """Start the editor; returns the process exit code."""
    app = make_app()
    path = resolve_db_path(db_path)
    try:
        lock = acquire_lock(path, ask_take_over)
    except LockedError as exc:
        QMessageBox.warning(None, "报告库已打开", locked_message(path, exc.state))
        return EXIT_LOCKED

    from editor.service import StorageError

    try:
        service = open_service(path, lock)
    except StorageError as exc:
        QMessageBox.critical(None, "无法打开报告库", storage_message(exc))
        lock.release()
        return EXIT_STORAGE
    try:
        window = build_window(service)
        window.show()
        # after the first paint: the background check of a large file, then the backup
        QTimer.singleShot(0, service.start_session)
        _install_hooks(app, window)
        return app.exec()
    finally:
        service.close()  # the closing backup
        lock.release()


def _install_hooks(app: QApplication, window) -> None:
    shot = os.environ.get("REPORT_EDITOR_SCREENSHOT")
    if os.environ.get("REPORT_EDITOR_BENCH_EXIT"):
        def done() -> None:
            window.repaint()  # make sure the first frame really was drawn
            print(f"shown {time.time():.6f}", flush=True)
            app.quit()

        QTimer.singleShot(0, done)
    elif shot:
        def grab() -> None:
            # REPORT_EDITOR_SCREENSHOT_SCREEN=1: the whole screen (does the window fit?).
            whole = os.environ.get("REPORT_EDITOR_SCREENSHOT_SCREEN")
            (window.screen().grabWindow(0) if whole else window.grab()).save(shot)
            print(f"screenshot {shot}", flush=True)
            app.quit()

        QTimer.singleShot(int(os.environ.get("REPORT_EDITOR_SCREENSHOT_DELAY", "800")), grab)
