"""Pictures of the 预览 pages: the items of editor/export/preview.py drawn with QPainter, or the
pages LibreOffice made (PNG files), each behind the same small interface the page view uses:
``aspect`` (height / width) and ``image(width_px) -> QImage``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QImageReader,
    QPainter,
)

from editor.paths import resource

from .fonts import editor_font


@lru_cache(maxsize=1)
def _aliases() -> dict[str, list[str]]:
    """family → stand-ins, from resources/fonts/fonts.conf: the same choices LibreOffice makes
    for the PDF on a machine without the office fonts, so both previews use the same faces."""
    out: dict[str, list[str]] = {}
    try:
        root = ET.parse(resource("fonts", "fonts.conf")).getroot()
    except (OSError, ET.ParseError):
        return out
    for alias in root.iter("alias"):
        name = (alias.findtext("family") or "").strip()
        prefer = alias.find("prefer")
        if name and prefer is not None:
            out[name] = [(f.text or "").strip() for f in prefer.iter("family") if f.text]
    return out


def families(layout, role: str) -> list[str]:
    """The font the DOCX names for ``role``, its Windows stand-in, their aliases, then the
    editor's own CJK fallbacks (editor/ui/fonts.py), first installed wins per character."""
    name = layout.font(role)
    alt = layout.data.get("font_alt", {}).get(name)
    alt = alt.get("value") if isinstance(alt, dict) else alt
    out: list[str] = []
    for fam in (name, alt, *_aliases().get(name, []), *_aliases().get(alt or "", []),
                *editor_font().families()):
        if fam and fam not in out:
            out.append(fam)
    return out


class PageFonts:
    """QFonts by (role, size, bold, scale), sized in twips because pages are drawn in twips."""

    def __init__(self, layout) -> None:
        self.layout = layout
        self.cache: dict[tuple, QFont] = {}
        installed = set(QFontDatabase.families())
        self.available = {role: next((f for f in families(layout, role) if f in installed), "")
                          for role in layout.fonts.keys()}  # noqa: SIM118 - not a dict

    def get(self, role: str, size: float, bold: bool, scale: int) -> QFont:
        key = (role, size, bold, scale)
        font = self.cache.get(key)
        if font is None:
            font = QFont()
            fams = families(self.layout, role if role in self.available else "fangsong")
            font.setFamilies(fams)
            font.setPixelSize(max(1, round(size * 20)))
            # 小标宋 is a heavy 宋体: a plain 宋 stand-in is bolded, as fonts.conf does for the PDF.
            stand_in = role == "xiaobiaosong" and self.available.get(role) != fams[0]
            font.setBold(bold or stand_in)
            if scale != 100:
                font.setStretch(scale)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            self.cache[key] = font
        return font

    def summary(self) -> str:
        """"仿宋_GB2312→Noto Serif CJK SC" for the stand-ins used, for the status line."""
        subs = []
        for role, used in self.available.items():
            wanted = self.layout.font(role)
            if used and used != wanted:
                subs.append(f"{wanted}→{used}")
        return "、".join(dict.fromkeys(subs))


def paint_page(doc, page, width_px: int, fonts: PageFonts) -> QImage:
    """``page`` of the PreviewDocument ``doc`` as a white A4 picture ``width_px`` wide."""
    height_px = max(1, round(width_px * doc.height / doc.width))
    image = QImage(width_px, height_px, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    p = QPainter(image)
    p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scale = width_px / doc.width
    p.scale(scale, scale)
    one_px = 1 / scale
    for rule in page.rules:
        # A 0.25 mm rule is under one pixel at screen sizes: never let it vanish.
        p.fillRect(QRectF(rule.x0, rule.y, rule.x1 - rule.x0, max(rule.thickness, one_px)),
                   QColor("#" + rule.color))
    for g in page.glyphs:
        font = fonts.get(g.font, g.size, g.bold, g.scale)
        p.setFont(font)
        p.setPen(QColor("#" + (g.color or "000000")))
        natural = QFontMetricsF(font).horizontalAdvance(g.text)
        if len(g.text) > 1 and natural > g.width * 1.02:
            # Latin/digit runs: the stand-in font may be wider than the half-em the exporter
            # counts; squeeze them into their place rather than overlap the next character.
            p.save()
            p.translate(g.x, g.baseline)
            p.scale(g.width / natural, 1)
            p.drawText(QPointF(0, 0), g.text)
            p.restore()
        else:
            p.drawText(QPointF(g.x, g.baseline), g.text)
    p.end()
    return image


class DrawnPage:
    """A page drawn by the program from the exporter's layout."""

    def __init__(self, doc, page, fonts: PageFonts) -> None:
        self.doc, self.page, self.fonts = doc, page, fonts
        self.aspect = doc.height / doc.width

    def image(self, width_px: int) -> QImage:
        return paint_page(self.doc, self.page, width_px, self.fonts)


class PicturedPage:
    """A page of the PDF LibreOffice made, as a PNG file (decoded only when shown)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        size = QImageReader(str(self.path)).size()
        self.aspect = size.height() / size.width() if size.width() > 0 else 297 / 210

    def image(self, width_px: int) -> QImage:
        image = QImage(str(self.path))
        if image.isNull():
            blank = QImage(width_px, round(width_px * self.aspect), QImage.Format.Format_RGB32)
            blank.fill(Qt.GlobalColor.white)
            return blank
        return image.scaledToWidth(width_px, Qt.TransformationMode.SmoothTransformation)


__all__ = ["DrawnPage", "PageFonts", "PicturedPage", "families", "paint_page"]
