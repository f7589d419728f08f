"""The scenarios a server runs, and which one answers a request."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .contract import bad_parameter
from .world import World

__all__ = ["SCENARIO_HEADER", "Registry"]

SCENARIO_HEADER = "X-Ges-Mock-Scenario"


class Registry:
    """Running scenarios by name; the first one is the default."""

    def __init__(self, worlds: list[World]) -> None:
        if not worlds:
            raise ValueError("a registry needs at least one scenario")
        self._worlds = {world.name: world for world in worlds}
        self.default = worlds[0]

    def __iter__(self) -> Iterator[World]:
        return iter(self._worlds.values())

    def names(self) -> list[str]:
        """Names of the running scenarios, the default first."""
        return list(self._worlds)

    def put(self, world: World) -> World | None:
        """Add `world`, or replace the running scenario of the same name.

        Returns the replaced one. Replacing the default keeps it the default.
        """
        previous = self._worlds.get(world.name)
        self._worlds[world.name] = world
        if previous is self.default:
            self.default = world
        return previous

    def get(self, name: str) -> World | None:
        """Return the running scenario `name`, or None."""
        return self._worlds.get(name)

    def select(self, headers: Mapping[str, str]) -> World:
        """Return the scenario a request asks for by header, else the default."""
        name = headers.get(SCENARIO_HEADER)
        if name is None:
            return self.default
        world = self._worlds.get(name)
        if world is None:
            known = ", ".join(sorted(self._worlds))
            raise bad_parameter(f"{SCENARIO_HEADER} names no loaded scenario: {name!r}; "
                                f"loaded: {known}")
        return world
