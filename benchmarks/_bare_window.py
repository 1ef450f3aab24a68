"""The floor for benchmarks/startup.py: a bare PySide6 window with four tabs, nothing else.

Launched the same way as the editor; prints ``shown <time>`` once painted and quits.
(The leading underscore keeps run_all.py from running it as a benchmark.)
"""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget

app = QApplication(sys.argv[:1])
window = QMainWindow()
tabs = QTabWidget()
for name in ("版头与版记", "前言", "正文", "审核"):
    tabs.addTab(QLabel(name), name)
window.setCentralWidget(tabs)
window.resize(1440, 880)
window.show()


def done() -> None:
    window.repaint()
    print(f"shown {time.time():.6f}", flush=True)
    app.quit()


QTimer.singleShot(0, done)
sys.exit(app.exec())
