"""networkx, imported on first use: a server that never computes starts without it."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["networkx"]


class _OnFirstUse(ModuleType):
    """Stands for a module; the first attribute read imports the real one.

    Every read goes through `importlib.import_module`, whose import lock
    makes a first use from several threads at once safe (the standard
    library's LazyLoader is not, before Python 3.12).
    """

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self.__name__), attribute)


networkx = _OnFirstUse("networkx")
