"""Several scenarios at once: files, directories and bundled names, checked together."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .errors import ScenarioError
from .scenario import Scenario, load_scenario

__all__ = ["SCENARIO_SUFFIXES", "expand_references", "load_scenarios"]

SCENARIO_SUFFIXES = (".yaml", ".yml")


def expand_references(references: Sequence[str]) -> list[str]:
    """Replace each directory by its scenario files, sorted by name."""
    expanded: list[str] = []
    for reference in references:
        path = Path(reference)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in SCENARIO_SUFFIXES)
            if not files:
                raise ScenarioError(
                    [f"{path}: the directory holds no .yaml scenario file"]
                )
            expanded.extend(str(p) for p in files)
        else:
            expanded.append(reference)
    return expanded


def load_scenarios(references: Sequence[str]) -> list[Scenario]:
    """Load every scenario named by `references`, the first one the default.

    Raises ScenarioError listing the problems of every file, and any name
    that two scenarios share.
    """
    problems: list[str] = []
    scenarios: list[Scenario] = []
    for reference in expand_references(references):
        try:
            scenarios.append(load_scenario(reference))
        except ScenarioError as err:
            problems.extend(err.problems)

    seen: dict[str, Scenario] = {}
    for scenario in scenarios:
        first = seen.setdefault(scenario.name, scenario)
        if first is not scenario:
            problems.append(
                f"{scenario.source}:1: name: {scenario.name!r} is already "
                f"the name of {first.source}"
            )
    if problems:
        raise ScenarioError(problems)
    return scenarios
