"""Where the program's data files live, in a checkout and in a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError


def resources_dir() -> Path:
    # PyInstaller unpacks data next to the executable under sys._MEIPASS.
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML data file as a dict. Raises OSError (FileNotFoundError when it is missing),
    UnicodeDecodeError or TOMLDecodeError; each caller words its own message."""
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))
