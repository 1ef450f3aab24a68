"""The program's version: from the installed package's metadata, else from pyproject.toml (a
checkout that was not installed), else from the file a frozen build carries."""

from __future__ import annotations

import sys
from pathlib import Path

DIST_NAME = "fazhi-report-editor"
UNKNOWN = "0+unknown"


def _from_pyproject(path: Path) -> str | None:
    import re

    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(r'(?ms)^\[project\].*?^version\s*=\s*"([^"]+)"', text)
    return m.group(1) if m else None


def version() -> str:
    here = Path(__file__).resolve().parent.parent
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # the build writes VERSION next to resources/
        try:
            return (Path(frozen) / "VERSION").read_text(encoding="utf-8").strip() or UNKNOWN
        except OSError:
            pass
    # A checkout's pyproject.toml wins over a possibly stale editable install's metadata.
    found = _from_pyproject(here / "pyproject.toml")
    if found:
        return found
    try:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as dist_version

        return dist_version(DIST_NAME)
    except (ImportError, PackageNotFoundError):
        return UNKNOWN


def version_line() -> str:
    """What ``--version`` prints."""
    return f"法治政府建设年度报告编辑器 {version()}"


def print_version_if_asked(argv: list[str]) -> bool:
    """``main.py --version`` (or ``-V``) as the only argument: print the version line."""
    if len(argv) == 1 and argv[0] in ("--version", "-V"):
        print(version_line())
        return True
    return False
