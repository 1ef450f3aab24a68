"""Starting the program: translations, fonts, the database lock and bad database files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QMessageBox

from db.lock import inspect_lock
from editor.ui import app as gui
from editor.ui.fonts import editor_font, interface_font

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def boxes(monkeypatch):
    shown: list[tuple[str, str, str]] = []
    for kind in ("question", "warning", "information", "critical"):
        def show(_parent, title, text, *args, _kind=kind, **kwargs):
            shown.append((_kind, title, text))
            return QMessageBox.StandardButton.Ok

        monkeypatch.setattr(QMessageBox, kind, staticmethod(show))
    return shown


def test_qt_speaks_chinese(qapp):
    gui.make_app()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "取消"
    assert box.button(QMessageBox.StandardButton.Ok).text() == "确定"


def test_fonts_resolve_to_a_chinese_face(qapp):
    font = editor_font()
    families = font.families()
    assert families[:2] == ["仿宋_GB2312", "FangSong_GB2312"]
    assert "Noto Serif CJK SC" in families
    # Whatever the machine has, the face actually used is one of the Chinese fallbacks.
    assert QFontInfo(font).family() in families
    assert QFontInfo(interface_font()).family() in interface_font().families()


def test_a_second_lock_on_the_same_database_is_refused(db_path, qapp):
    first = gui.acquire_lock(db_path)
    assert first.held
    with pytest.raises(gui.LockedError):
        gui.acquire_lock(db_path)
    # a link to the same file is the same database
    link = db_path.with_name("link.db")
    db_path.touch()
    link.symlink_to(db_path)
    with pytest.raises(gui.LockedError):
        gui.acquire_lock(link)
    first.release()
    again = gui.acquire_lock(db_path)  # free again once the first window is gone
    assert again.held
    again.release()


def test_a_stale_lock_of_a_dead_process_is_taken_over(db_path, qapp):
    # A lock file left by a crash: the process locked the database and died without unlocking.
    crash = (
        "import os, sys\n"
        "from db.lock import DbLock\n"
        "DbLock(sys.argv[1]).acquire()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(db_path)], check=True,
                   cwd=Path(__file__).resolve().parent.parent)
    assert Path(gui.lock_path(db_path)).exists()
    lock = gui.acquire_lock(db_path)
    assert lock.held
    lock.release()


def test_a_garbage_lock_file_is_named_and_can_be_taken_over(db_path, qapp):
    """An empty or unreadable lock file (a power cut) no longer locks the user out for ever."""
    Path(gui.lock_path(db_path)).write_bytes(b"")  # empty: what a release leaves, free
    lock = gui.acquire_lock(db_path)
    assert lock.held
    lock.release()
    Path(gui.lock_path(db_path)).write_bytes(b"\x00\xff garbage \x13")
    asked = []

    def ask(text):
        asked.append(text)
        return True

    lock = gui.acquire_lock(db_path, ask)
    assert lock.held and asked and gui.lock_path(db_path) in asked[0]
    lock.release()


def test_run_gui_refuses_a_database_open_elsewhere(db_path, boxes, qapp):
    held = gui.acquire_lock(db_path)
    try:
        assert gui.run_gui(db_path) == 1
    finally:
        held.release()
    assert len(boxes) == 1
    kind, _title, text = boxes[0]
    assert kind == "warning"
    assert "报告库已在另一个窗口中打开" in text and str(db_path) in text
    assert not db_path.exists()  # nothing was opened or created


def test_a_corrupt_file_is_named_and_left_alone(db_path, boxes, qapp):
    junk = b"This is not a database, just a document someone renamed.\x00\x01" * 100
    db_path.write_bytes(junk)
    assert gui.run_gui(db_path) == 2
    assert db_path.read_bytes() == junk
    assert inspect_lock(db_path).kind == "free"  # the lock is given back
    (kind, _title, text), = boxes
    assert kind == "critical"
    assert str(db_path) in text and "不是本程序的数据库" in text and "程序没有改动它" in text


def test_a_database_from_a_newer_program_is_left_alone(db_path, boxes, qapp):
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY)")
    con.execute("PRAGMA user_version = 999")
    con.commit()
    con.close()
    before = db_path.read_bytes()
    assert gui.run_gui(db_path) == 2
    assert db_path.read_bytes() == before
    assert "更新版本" in boxes[0][2]


def test_two_command_start_opens_the_example(db_path):
    """`python main.py gui --db PATH` on a new database: the window shows the example."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REPORT_EDITOR_BENCH_EXIT": "1"}
    out = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "gui", "--db", str(db_path)],
        check=False, capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("shown ")
    from editor.service import ReportService

    svc = ReportService(db_path)
    try:
        assert [r.organ for r in svc.list_reports()] == ["清河县临江镇人民政府"]
        assert svc.last_position()["report_id"] == svc.list_reports()[0].id
    finally:
        svc.close()
    assert inspect_lock(db_path).kind == "free"  # the lock is given back
