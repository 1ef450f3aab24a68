"""导出 (issue #3): the export actions of the main window (being built)."""

from __future__ import annotations


def install(window) -> None:
    window.features["export"] = None
