"""Autosave: the time of one save after editing a 5,000-character section, 200 runs.

Measured three ways: Repository.save alone; ReportService.save (cleans the text first, as the
window does); and the window's whole autosave step (text out of the widget, save, position).
Target: p95 ≤ 10 ms. Absolute times; the machine's load shows in p95.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = 200
SECTION_CHARS = 5000


def percentiles(samples: list[float]) -> str:
    ms = sorted(x * 1000 for x in samples)
    p50 = statistics.median(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   max {ms[-1]:6.2f} ms"


def body_text() -> str:
    sentence = "镇党委、镇政府始终把法治政府建设摆在全局工作的重要位置，全年召开会议4次。"
    text = ""
    while len(text) < SECTION_CHARS:
        text += sentence
        if len(text) % 400 < len(sentence):
            text += "\n"
    return text[:SECTION_CHARS]


def bench_service(db: Path) -> tuple[list[float], list[float]]:
    from editor.service import ReportService

    service = ReportService(db)
    service.ensure_example()
    report = service.load(service.list_reports()[0].id)
    section = report.parts[0].sections[0]
    section.body = body_text()
    service.save(report)
    repo_times, service_times = [], []
    for i in range(RUNS):
        section.body = section.body[:-1] + "一二三四五六七八九十"[i % 10]
        t = time.perf_counter()
        service.repo.save(report)
        repo_times.append(time.perf_counter() - t)
        section.body = section.body[:-1] + "甲乙丙丁戊己庚辛壬癸"[i % 10]
        t = time.perf_counter()
        service.save(report)
        service_times.append(time.perf_counter() - t)
    service.close()
    return repo_times, service_times


def bench_window(db: Path) -> list[float]:
    from PySide6.QtGui import QTextCursor

    from editor.ui.app import build_window, make_app, open_service

    app = make_app()
    service = open_service(db)
    window = build_window(service)
    window.show()
    app.processEvents()
    body = window.page("section").body
    body.set_text(body_text())
    window.save_now()
    times = []
    for i in range(RUNS):
        cursor = body.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText("一二三四五六七八九十"[i % 10])
        body.setTextCursor(cursor)
        t = time.perf_counter()
        window.autosaver.save_now()
        times.append(time.perf_counter() - t)
    window.close()
    service.close()
    return times


def bench_big_section(db: Path) -> tuple[list[float], float, float, float]:
    """Typing in a section holding a 1 MB paste: per-key time, then the pause work."""
    from PySide6.QtCore import QMimeData
    from PySide6.QtTest import QTest

    from editor.ui.app import build_window, make_app, open_service

    app = make_app()
    service = open_service(db)
    window = build_window(service)
    window.show()
    app.processEvents()
    body = window.page("section").body
    lines = [f"依法行政，建设法治政府，第{i}段。" * 5 for i in range(12000)]
    mime = QMimeData()
    mime.setText("\n".join(lines))  # ~1.1 million characters in 12,000 paragraphs
    t = time.perf_counter()
    body.insertFromMimeData(mime)
    app.processEvents()
    paste = time.perf_counter() - t
    window.refresh()
    window.save_now()
    keys = []
    for i in range(100):
        t = time.perf_counter()
        QTest.keyClick(body, "abcdefghij"[i % 10])
        app.processEvents()
        keys.append(time.perf_counter() - t)
    t = time.perf_counter()
    window.refresh()  # 字数 and tree titles, after the pause
    refresh = time.perf_counter() - t
    t = time.perf_counter()
    window.save_now()
    save = time.perf_counter() - t
    window.close()
    service.close()
    return keys, paste, refresh, save


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        repo_times, service_times = bench_service(Path(tmp) / "a.db")
        window_times = bench_window(Path(tmp) / "b.db")
        keys, paste, refresh, save = bench_big_section(Path(tmp) / "c.db")
    print(f"{RUNS} saves after editing a {SECTION_CHARS:,}-character section")
    print(f"Repository.save:        {percentiles(repo_times)}")
    print(f"ReportService.save:     {percentiles(service_times)}")
    print(f"window autosave step:   {percentiles(window_times)}")
    print("target: p95 ≤ 10 ms")
    print()
    print("a section holding a 1 MB paste (12,000 paragraphs):")
    print(f"  paste {paste * 1000:.0f} ms; per keystroke {percentiles(keys)}")
    print(f"  after a pause: 字数 and tree {refresh * 1000:.1f} ms, autosave {save * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
