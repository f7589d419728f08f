"""The scenarios a server runs, and which one answers a request."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .contract import bad_parameter
from .world import World

__all__ = ["SCENARIO_HEADER", "Registry", "project_of"]

SCENARIO_HEADER = "X-Ges-Mock-Scenario"


def project_of(path: str) -> str | None:
    """The project id of a business-plane path `/ges/v1.0/{project_id}/...`, or None."""
    parts = path.split("/")
    if len(parts) > 3 and parts[1] == "ges" and parts[3]:
        return parts[3]
    return None


class Registry:
    """Running scenarios by name; the first one is the default."""

    def __init__(self, worlds: list[World]) -> None:
        if not worlds:
            raise ValueError("a registry needs at least one scenario")
        self._worlds = {world.name: world for world in worlds}
        self.default = worlds[0]
        self._claims: dict[str, World] = {}
        self._index_claims()

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
        self._index_claims()
        return previous

    def replace(self, old: World, new: World) -> None:
        """Put `new` in the place of `old`, even under another name."""
        self._worlds = {
            (new.name if name == old.name else name): (new if world is old else world)
            for name, world in self._worlds.items()
        }
        if self.default is old:
            self.default = new
        self._index_claims()

    def remove(self, name: str) -> World | None:
        """Stop running scenario `name` (never the default); return it, or None."""
        world = self._worlds.get(name)
        if world is None or world is self.default:
            return None
        del self._worlds[name]
        self._index_claims()
        return world

    def get(self, name: str) -> World | None:
        """Return the running scenario `name`, or None."""
        return self._worlds.get(name)

    def select(
        self,
        headers: Mapping[str, str],
        project_id: str | None = None,
    ) -> World:
        """Return the scenario a request asks for by header or by project id.

        Without the header, the first scenario whose `auth.projects` lists
        `project_id` answers; otherwise the default.
        """
        name = headers.get(SCENARIO_HEADER)
        if name is None:
            claimed = self._claims.get(project_id) if project_id is not None else None
            return claimed or self.default
        world = self._worlds.get(name)
        if world is None:
            known = ", ".join(sorted(self._worlds))
            raise bad_parameter(f"{SCENARIO_HEADER} names no loaded scenario: {name!r}; "
                                f"loaded: {known}")
        return world

    def _index_claims(self) -> None:
        """Map each project id a scenario lists to the first scenario listing it."""
        self._claims = {}
        for world in self._worlds.values():
            for project in sorted(world.scenario.auth.projects or ()):
                self._claims.setdefault(project, world)
