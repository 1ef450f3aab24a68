"""Load resources/layout/gbt9704.toml, optionally merged with a house style.

Every value in the TOML is either plain or ``{ value = …, clause = "…" }``; :class:`Layout`
hands out the plain values (``layout.page.top_margin_mm``) and keeps the clauses for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..paths import TOMLDecodeError, read_toml, resource

TWIPS_PER_MM = 1440 / 25.4
BASE_FILE = ("layout", "gbt9704.toml")
HOUSE_DIR = ("layout", "house-styles")


class LayoutError(ValueError):
    """A layout or house-style file is missing or malformed (message in Chinese)."""


def mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


class _Group:
    """Attribute access to one table of the layout: ``layout.page.top_margin_mm``."""

    def __init__(self, name: str, data: dict[str, Any]):
        self._name = name
        self._data = data

    def __getattr__(self, key: str) -> Any:
        try:
            item = self._data[key]
        except KeyError:
            raise AttributeError(f"{self._name}.{key}") from None
        return item["value"] if isinstance(item, dict) and "value" in item else item

    def clause(self, key: str) -> str:
        item = self._data.get(key)
        return item.get("clause", "") if isinstance(item, dict) else ""

    def keys(self) -> list[str]:
        return list(self._data)


@dataclass
class Layout:
    data: dict[str, Any]
    sources: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> Any:
        if name in ("data", "sources"):
            raise AttributeError(name)
        value = self.data.get(name)
        if isinstance(value, dict):
            return _Group(name, value)
        if value is None:
            raise AttributeError(name)
        return value

    # ---- derived numbers (twips) ---------------------------------------------------------------
    @property
    def page_width(self) -> int:
        return mm(self.page.width_mm)

    @property
    def page_height(self) -> int:
        return mm(self.page.height_mm)

    @property
    def margins(self) -> tuple[int, int, int, int]:
        """(top, bottom, left, right) in twips: 2098, 1984, 1587, 1474 for the standard."""
        p = self.page
        return mm(p.top_margin_mm), mm(p.bottom_margin_mm), mm(p.left_margin_mm), \
            mm(p.right_margin_mm)

    @property
    def text_width(self) -> int:
        _, _, left, right = self.margins
        return self.page_width - left - right

    @property
    def text_height(self) -> int:
        top, bottom, _, _ = self.margins
        return self.page_height - top - bottom

    @property
    def pitch(self) -> int:
        return int(self.page.line_pitch_twips)

    @property
    def body_char(self) -> int:
        """Advance of one 3号 character with the compressed spacing (315 twips)."""
        return int(self.sizes.body_pt * 20 + self.page.char_spacing_twips)

    def font(self, role: str) -> str:
        """The font name for a role (fangsong, kaiti, heiti, xiaobiaosong, songti)."""
        return getattr(self.fonts, role)

    def describe(self) -> list[tuple[str, Any, str]]:
        """(key, value, clause) for every setting: what a settings page shows."""
        rows = []
        for group, table in self.data.items():
            if not isinstance(table, dict):
                continue
            g = _Group(group, table)
            for key in table:
                rows.append((f"{group}.{key}", getattr(g, key), g.clause(key)))
        return rows


def _read(path: Path) -> dict[str, Any]:
    try:
        return read_toml(path)
    except FileNotFoundError:
        raise LayoutError(f"找不到版式文件：{path}") from None
    except (TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LayoutError(f"版式文件 {path.name} 格式有误：{exc}") from None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        old = out.get(key)
        is_value = isinstance(value, dict) and "value" in value
        if isinstance(value, dict) and not is_value and isinstance(old, dict) \
                and not ("value" in old):
            out[key] = _merge(old, value)
        elif isinstance(old, dict) and "value" in old and not is_value:
            # A plain value in the override keeps the base clause, marked as a house choice.
            out[key] = {"value": value, "clause": "house style (was: " + old.get("clause", "") + ")"}
        else:
            out[key] = value
    return out


def house_styles_dir() -> Path:
    return resource(*HOUSE_DIR)


def list_house_styles() -> list[dict[str, str]]:
    """Available house styles: ``[{"name": "windows-fonts", "title": …, "description": …,
    "path": …}]``; the name is what :func:`load_layout` accepts."""
    out = []
    for path in sorted(house_styles_dir().glob("*.toml")):
        try:
            data = _read(path)
        except LayoutError:
            continue
        out.append({
            "name": path.stem,
            "title": str(data.get("name", path.stem)),
            "description": str(data.get("description", "")),
            "path": str(path),
        })
    return out


def load_layout(override: str | Path | None = None) -> Layout:
    """The standard layout, merged with a house style given by name (``windows-fonts``) or path."""
    base = _read(resource(*BASE_FILE))
    sources = ["gbt9704"]
    if override:
        path = Path(override)
        if not path.suffix:
            path = house_styles_dir() / f"{override}.toml"
        if not path.exists():
            names = "、".join(s["name"] for s in list_house_styles()) or "（无）"
            raise LayoutError(f"找不到单位版式“{override}”。可用的有：{names}。")
        data = _read(path)
        base = _merge(base, {k: v for k, v in data.items() if isinstance(v, dict)})
        base["name"] = data.get("name", base.get("name"))
        sources.append(path.stem)
    return Layout(base, tuple(sources))
