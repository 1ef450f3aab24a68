"""Draws packaging/fazhi.png (256×256) and fazhi.ico from the same design as fazhi.svg:
a red 公文 square with a white 法 and a white rule. Run once; the files are committed."""

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

HERE = Path(__file__).resolve().parent


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    p.setBrush(QColor("#c8161d"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 36 * s, 36 * s)
    font = QFont("Noto Serif CJK SC")
    font.setPixelSize(int(150 * s))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(QRectF(0, 14 * s, size, 170 * s), Qt.AlignmentFlag.AlignCenter, "法")
    p.setPen(QPen(QColor("white"), 10 * s))
    p.drawLine(int(48 * s), int(200 * s), int(208 * s), int(200 * s))
    p.end()
    return img


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    draw(256).save(str(HERE / "fazhi.png"))
    draw(256).save(str(HERE / "fazhi.ico"))
