"""Chinese fonts for the window: a list of families with fallbacks, read from resources/ui."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QFont

from editor.paths import TOMLDecodeError, read_toml, resource


@lru_cache(maxsize=1)
def _settings() -> dict:
    try:
        return read_toml(resource("ui", "fonts.toml"))
    except (OSError, TOMLDecodeError):
        # A broken settings file must not stop the editor: Qt's default font still shows Chinese.
        return {}


def _font(kind: str, fallback_size: int) -> QFont:
    cfg = _settings().get(kind, {})
    font = QFont()
    families = list(cfg.get("families", []))
    if families:
        font.setFamilies(families)
    font.setPointSize(int(cfg.get("point_size", fallback_size)))
    return font


def editor_font() -> QFont:
    """The face of the text boxes: 仿宋 first, like the printed 公文."""
    return _font("editor", 14)


def interface_font() -> QFont:
    """The face of menus, labels and buttons."""
    return _font("interface", 10)
