"""pytest plugin: fixtures that run ges-mock for the tests of client code."""

from __future__ import annotations

__all__: list[str] = []
