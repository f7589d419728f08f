"""Files shipped inside the package: JSON Schemas and bundled scenarios."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

__all__ = ["bundled_scenario", "bundled_scenario_names", "load_schema"]


def _package_dir(name: str) -> Traversable:
    return resources.files("ges_mock").joinpath(name)


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema `schemas/<name>.json`, parsed once."""
    text = _package_dir("schemas").joinpath(f"{name}.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def bundled_scenario(name: str) -> tuple[str, str]:
    """Return (display name, YAML text) of the bundled scenario `name`."""
    entry = _package_dir("scenarios").joinpath(f"{name}.yaml")
    if not entry.is_file():
        known = ", ".join(bundled_scenario_names())
        raise FileNotFoundError(f"no bundled scenario {name!r}; bundled: {known}")
    return f"{name} [bundled]", entry.read_text("utf-8")


def bundled_scenario_names() -> list[str]:
    """List the bundled scenarios by name, sorted."""
    folder = _package_dir("scenarios")
    names = [e.name[: -len(".yaml")] for e in folder.iterdir() if e.name.endswith(".yaml")]
    return sorted(names)
