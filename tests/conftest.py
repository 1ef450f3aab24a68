"""Shared fixtures. Qt runs offscreen in every test; no test touches the user's real database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"


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
