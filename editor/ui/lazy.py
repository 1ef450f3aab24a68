"""Engine modules imported on first use, so that starting the window does not pay for them.

``engine = LazyModule("editor.export")`` stands for the module: the first attribute read (or
write, e.g. a test's monkeypatch) imports it; every later one goes straight to the module.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule:
    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_module", None)

    def _load(self) -> ModuleType:
        module = self._module
        if module is None:
            module = importlib.import_module(self._name)
            object.__setattr__(self, "_module", module)
        return module

    def __getattr__(self, attr: str):
        return getattr(self._load(), attr)

    def __setattr__(self, attr: str, value) -> None:
        setattr(self._load(), attr, value)

    def __delattr__(self, attr: str) -> None:
        delattr(self._load(), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"
