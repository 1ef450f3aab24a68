"""Shared fixtures. Qt runs offscreen in every test; no test touches the user's real database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

# Offscreen's own screen is 800×800, smaller than any office screen the editor supports: the
# window tests run on a usual 1920×1080 one (tests/test_ui_screens.py simulates small ones).
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={DATA / 'offscreen-1920x1080.json'}"


@pytest.fixture(autouse=True)
def _isolated_db(tmp_path, monkeypatch):
    # Nothing in the suite may fall back to the real per-user database.
    monkeypatch.setenv("REPORT_EDITOR_DB", str(tmp_path / "default.db"))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "reports.db"


@pytest.fixture
def service(db_path):
    from editor.service import ReportService

    svc = ReportService(db_path)
    yield svc
    svc.close()


def sample_text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture
def linjiang():
    from editor.ingest import parse_text

    return parse_text(sample_text("linjiang-2025.txt"))


@pytest.fixture
def sifaju():
    from editor.ingest import parse_text

    return parse_text(sample_text("sifaju-2025.txt"))


@pytest.fixture
def dialogs(monkeypatch):
    """Records every message box; questions are answered No unless a test says otherwise."""
    from PySide6.QtWidgets import QMessageBox
    from ui_helpers import Dialogs

    d = Dialogs()
    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(d.record(kind)))
    return d


@pytest.fixture
def open_window(qtbot, db_path, dialogs):
    """Opens main windows on the test database, as the program does, and closes them after."""
    from editor.ui.app import build_window, make_app, open_service

    make_app()
    opened = []

    def make(path=None):
        """A window on the test database (or on ``path``)."""
        service = open_service(path or db_path)
        window = build_window(service)
        with qtbot.waitExposed(window):
            window.show()
        with qtbot.waitActive(window):  # shortcuts (Ctrl+S, Alt+↓) work in the active window
            window.activateWindow()
        opened.append((window, service))
        return window

    yield make
    for window, service in opened:
        window.close()
        service.close()
