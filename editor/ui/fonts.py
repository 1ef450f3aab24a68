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


# The fonts the 公文 names (GB/T 9704: 仿宋, 楷体, 黑体, 小标宋), with the other names they go by.
OFFICIAL_FONTS = {
    "仿宋_GB2312": ("仿宋_GB2312", "FangSong_GB2312"),
    "楷体_GB2312": ("楷体_GB2312", "KaiTi_GB2312"),
    "黑体": ("黑体", "SimHei"),
    "方正小标宋简体": ("方正小标宋简体", "FZXiaoBiaoSong-B05S"),
}


def missing_official_fonts() -> list[str]:
    """The official fonts this computer does not have (the export still names them)."""
    from PySide6.QtGui import QFontDatabase

    have = set(QFontDatabase.families())
    return [name for name, aliases in OFFICIAL_FONTS.items() if not have & set(aliases)]


def missing_fonts_note(missing: list[str]) -> str:
    """What a user should know before exporting on a PC without the official fonts."""
    if not missing:
        return ""
    return ("本机没有公文字体：" + "、".join(missing) + "。导出的文件仍写明这些字体：在装有它们的"
            "电脑上按原字体显示和打印；在没有的电脑上，Word 和 WPS 会用相近的字体（如仿宋、楷体、宋体）"
            "代替显示，字距和分页可能略有不同。正式打印请在装有公文字体的电脑上进行。")
