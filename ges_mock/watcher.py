"""Watching scenario files: an edited file answers the next request."""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from .errors import ScenarioError
from .log import scenario_log
from .registry import Registry
from .scenario import load_scenario_file
from .world import World

__all__ = ["WATCHER", "ScenarioWatcher", "reload_scenarios"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Stamp = tuple[int, int, int]


@dataclass
class _Watched:
    """A scenario file, how it looked when last loaded, and its scenario's name."""

    path: Path
    stamp: Stamp | None
    name: str


class ScenarioWatcher:
    """Reloads running scenarios whose files changed; keeps the last good version.

    A reloaded scenario starts afresh: no jobs but its declared ones, rule
    counters at zero, the id sequence from its seed.
    """

    def __init__(self, registry: Registry, interval: float = 0.0) -> None:
        self.registry = registry
        self.interval = interval
        self._watched: list[_Watched] = []
        self._checked_at = float("-inf")
        # LIMITATION: only the files loaded at start are watched; a scenario file
        # added later to a --scenario directory is not served until a restart.
        for world in registry:
            if world.scenario.path is not None:
                path = world.scenario.path
                self._watched.append(_Watched(path, _stamp(path), world.name))

    def refresh(self) -> None:
        """Reload every watched file that changed, at most once per `interval`."""
        now = time.monotonic()
        if now - self._checked_at < self.interval:
            return
        self._checked_at = now

        for watched in self._watched:
            stamp = _stamp(watched.path)
            if stamp != watched.stamp:
                watched.stamp = stamp
                self._reload(watched)

    def _reload(self, watched: _Watched) -> None:
        current = self.registry.get(watched.name)
        if current is None:
            return
        try:
            scenario = load_scenario_file(watched.path)
        except ScenarioError as err:
            scenario_log.warning(
                "%s changed but cannot be loaded; scenario %s keeps its last good "
                "version:\n%s",
                watched.path,
                watched.name,
                "\n".join(err.problems),
            )
            return

        other = self.registry.get(scenario.name)
        if other is not None and other is not current:
            scenario_log.warning(
                "%s now names its scenario %r, which %s already uses; scenario %s "
                "keeps its last good version",
                watched.path,
                scenario.name,
                other.scenario.source,
                watched.name,
            )
            return

        self.registry.replace(current, World(scenario, current.obs_root))
        watched.name = scenario.name
        scenario_log.info("reloaded scenario %s from %s", scenario.name, watched.path)


WATCHER = web.AppKey("watcher", ScenarioWatcher)


@web.middleware
async def reload_scenarios(
    request: web.Request, handler: Handler
) -> web.StreamResponse:
    """Bring edited scenario files in before the request picks its scenario."""
    watcher = request.app.get(WATCHER)
    if watcher is not None:
        watcher.refresh()
    return await handler(request)


def _stamp(path: Path) -> Stamp | None:
    """What changes when a file is edited or replaced; None if it is gone."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)
