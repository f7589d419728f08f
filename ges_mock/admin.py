"""The admin surface under /__admin/: health, journal, verify, reset, scenarios, files.

It answers ahead of scenario rules and GES authentication, and its errors
are `{"error": "<one sentence>"}`, never the GES error shape.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import os
import shutil
import stat
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from .errors import GesMockError, ScenarioError
from .handlers import REGISTRY
from .journal import (
    ADMIN_PREFIX,
    JOURNAL,
    check_endpoint,
    entries_matching,
    parse_since,
)
from .log import admin_log
from .obs import is_temporary_name
from .protocol import expect_within_limit
from .registry import Registry
from .responses import json_response
from .scenario import load_scenario_text
from .verification import parse_criteria, verify
from .world import World

__all__ = [
    "ADMIN_STATE",
    "OPERATIONS",
    "AdminError",
    "AdminState",
    "add_admin_routes",
    "dispatch",
]

Payload = tuple[int, Any]
Operation = Callable[[web.Application, Mapping[str, str], bytes], Awaitable[Payload]]


class AdminError(GesMockError):
    """An admin request that cannot be served; answered with `status`."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class AdminState:
    """Readiness, and the scenarios the server started with (for restore)."""

    ready: bool = False
    initial: list[World] = field(default_factory=list)


ADMIN_STATE = web.AppKey("admin_state", AdminState)


def add_admin_routes(app: web.Application) -> None:
    """Register every admin operation, plus a JSON 404 for the rest of the prefix."""
    app[ADMIN_STATE] = AdminState()
    for (method, path), operation in OPERATIONS.items():
        app.router.add_route(
            method, path, _as_handler(operation), expect_handler=expect_within_limit
        )
    app.router.add_route(
        "*", ADMIN_PREFIX + "{tail:.*}", _unknown, expect_handler=expect_within_limit
    )
    app.on_startup.append(_mark_ready)


async def dispatch(
    app: web.Application,
    method: str,
    path: str,
    query: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> Payload:
    """Run an admin operation in-process, as the HTTP route would."""
    operation = OPERATIONS.get((method.upper(), path))
    if operation is None:
        return 404, {"error": f"no admin operation {method.upper()} {path}"}
    try:
        return await operation(app, query or {}, body)
    except AdminError as err:
        return err.status, _error(err)
    except ScenarioError as err:
        return 400, _error(err)
    except GesMockError as err:
        return 400, _error(err)


def _as_handler(
    operation: Operation,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        status, payload = await dispatch(
            request.app, request.method, request.path, request.query, body
        )
        return json_response(payload, status)

    return handle


async def _unknown(request: web.Request) -> web.Response:
    message = f"no admin endpoint {request.method} {request.path}"
    return json_response({"error": message}, 404)


async def _mark_ready(app: web.Application) -> None:
    state = app[ADMIN_STATE]
    registry = app[REGISTRY]
    state.initial = [
        registry.default,
        *(w for w in registry if w is not registry.default),
    ]
    state.ready = bool(state.initial)


def _error(err: GesMockError) -> dict[str, Any]:
    if isinstance(err, ScenarioError):
        first = err.problems[0] if err.problems else str(err)
        return {"error": f"scenario is not valid: {first}", "problems": err.problems}
    return {"error": str(err)}


# Health and readiness.


async def _health(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    return 200, {"status": "up"}


async def _ready(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    if not app[ADMIN_STATE].ready:
        raise AdminError("scenarios are not loaded yet", status=503)
    return 200, {"status": "ready", "scenarios": app[REGISTRY].names()}


# The journal.


async def _requests(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    journal = app[JOURNAL]
    entries = entries_matching(journal, _filters(query))
    limit = _int_param(query, "limit")
    if limit is not None:
        entries = entries[-limit:] if limit else []
    return 200, {
        "requests": [e.to_json() for e in entries],
        "count": len(entries),
        "dropped": journal.dropped,
        "size": journal.size,
    }


async def _count(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    journal = app[JOURNAL]
    return 200, {"count": len(entries_matching(journal, _filters(query)))}


async def _clear(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    scenario = query.get("scenario")
    if scenario is not None:
        _world(app[REGISTRY], scenario)
    return 200, {"cleared": app[JOURNAL].clear(scenario)}


async def _verify(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    criteria = parse_criteria(_json_body(body, "verify"))
    journal = app[JOURNAL]
    return 200, verify(journal, criteria).to_json()


def _filters(query: Mapping[str, str]) -> dict[str, Any]:
    check_endpoint(query.get("endpoint"))
    filters: dict[str, Any] = {
        "endpoint": query.get("endpoint"),
        "scenario": query.get("scenario"),
        "path": query.get("path"),
        "method": query["method"].upper() if "method" in query else None,
        "status": _int_param(query, "status"),
    }
    if "since" in query:
        filters["since"] = parse_since(query["since"])
    return filters


# Reset, scenarios and the clock.


async def _reset(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    options = _json_body(body, "reset")
    registry = app[REGISTRY]
    name = options.get("scenario")
    if options.get("restore") and name is not None:
        raise AdminError(f"reset cannot both restore and name a scenario, got {name!r}")

    if options.get("restore"):
        _restore(registry, app[ADMIN_STATE].initial)
    worlds = [_world(registry, name)] if name is not None else list(registry)
    for world in worlds:
        await world.finish_writes()
        world.reset()
    cleared = app[JOURNAL].clear(name)
    removed = await _remove_obs_files(worlds) if options.get("obs_files") else 0

    admin_log.info("reset %s", ", ".join(w.name for w in worlds))
    return 200, {
        "reset": [w.name for w in worlds],
        "journal_cleared": cleared,
        "obs_files_removed": removed,
        "default": registry.default.name,
    }


def _restore(registry: Registry, initial: list[World]) -> None:
    """Put back the scenarios the server started with, the first as default.

    Scenarios loaded since are dropped, so one a test loaded can no longer
    answer later tests (by header, or by a project its `auth.projects` claims).
    """
    for world in initial:
        registry.put(world)
    if initial:
        registry.default = initial[0]
    started = {world.name for world in initial}
    for name in registry.names():
        if name not in started:
            registry.remove(name)


async def _scenarios(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    registry = app[REGISTRY]
    listed = [
        {
            "name": w.name,
            "source": w.scenario.source,
            "graphs": sorted(w.scenario.graphs),
        }
        for w in registry
    ]
    return 200, {"default": registry.default.name, "scenarios": listed}


async def _load(app: web.Application, query: Mapping[str, str], body: bytes) -> Payload:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise AdminError(
            f"scenario body is not UTF-8: byte {err.start} is invalid"
        ) from err
    scenario = load_scenario_text(text, source=query.get("source", "posted.yaml"))

    registry = app[REGISTRY]
    world = World(scenario, registry.default.obs_root)
    replaced = registry.put(world)
    if replaced is not None:
        await replaced.finish_writes()
    if _flag(query, "default"):
        registry.default = world

    admin_log.info(
        "loaded scenario %s (%s)", world.name, "replaced" if replaced else "new"
    )
    return (200 if replaced else 201), {
        "name": world.name,
        "source": scenario.source,
        "replaced": replaced is not None,
        "default": registry.default.name,
    }


async def _choose_default(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    name = _json_body(body, "default").get("scenario")
    if not isinstance(name, str):
        raise AdminError(
            f"default body needs 'scenario' naming a loaded scenario, got {name!r}"
        )
    registry = app[REGISTRY]
    registry.default = _world(registry, name)
    return 200, {"default": name}


async def _advance(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    options = _json_body(body, "clock/advance")
    seconds = options.get("seconds")
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, (int, float))
        or not math.isfinite(seconds)
        or seconds < 0
    ):
        raise AdminError(
            f"clock/advance 'seconds' must be a number of at least 0, got {seconds!r}"
        )
    registry = app[REGISTRY]
    name = options.get("scenario")
    world = registry.default if name is None else _world(registry, name)
    world.clock.advance(float(seconds))
    return 200, {"scenario": world.name, "advanced": seconds}


def _world(registry: Registry, name: Any) -> World:
    world = registry.get(name) if isinstance(name, str) else None
    if world is None:
        known = ", ".join(registry.names())
        raise AdminError(f"no loaded scenario {name!r}; loaded: {known}", status=404)
    return world


# Files under the OBS root.


async def _files(
    app: web.Application, query: Mapping[str, str], body: bytes
) -> Payload:
    roots = sorted({w.obs_root for w in app[REGISTRY]})
    listed = await asyncio.to_thread(lambda: [f for r in roots for f in _list_files(r)])
    return 200, {"files": listed}


def _list_files(root: Path) -> list[dict[str, Any]]:
    """Every finished file under `root` with its size and SHA-256, by key.

    As on the OBS read side, only regular files count: a symlink that leaves
    the root or leads nowhere, a FIFO or a device is skipped, never read.
    """
    real_root = os.path.realpath(root)
    found = []
    for directory, _, names in os.walk(root):
        for name in names:
            if is_temporary_name(name):
                continue
            path = Path(directory, name)
            real = os.path.realpath(path)
            if os.path.commonpath([real_root, real]) != real_root:
                continue
            try:
                info = os.stat(real)
                if not stat.S_ISREG(info.st_mode):
                    continue
                entry = {
                    "key": path.relative_to(root).as_posix(),
                    "size": info.st_size,
                    "sha256": _sha256(Path(real)),
                }
            except OSError:
                # Gone or swapped since the walk saw it.
                continue
            found.append(entry)
    return sorted(found, key=lambda f: f["key"])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    # O_NONBLOCK: a FIFO swapped in after the check cannot hold the open.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


# LIMITATION: scenarios of one server share their OBS root and files carry no
# scenario, so emptying it for one scenario empties it for all of them.
async def _remove_obs_files(worlds: list[World]) -> int:
    """Empty the OBS roots of `worlds` (the roots stay); return files removed."""
    roots = {w.obs_root for w in worlds}
    return await asyncio.to_thread(lambda: sum(_empty(r) for r in roots))


def _empty(root: Path) -> int:
    if not root.is_dir():
        return 0
    removed = sum(len(names) for _, _, names in os.walk(root))
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    return removed


# Parsing helpers.


def _json_body(body: bytes, operation: str) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError as err:
        raise AdminError(f"{operation} body is not valid JSON: {err}") from err
    except RecursionError as err:
        raise AdminError(f"{operation} body is nested too deeply to read") from err
    if not isinstance(data, dict):
        raise AdminError(f"{operation} body must be a JSON object, got {data!r}")
    return data


def _int_param(query: Mapping[str, str], name: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise AdminError(f"query parameter {name} must be a whole number, got {raw!r}")
    return value


def _flag(query: Mapping[str, str], name: str) -> bool:
    return query.get(name, "").lower() in ("1", "true", "yes")


OPERATIONS: dict[tuple[str, str], Operation] = {
    ("GET", ADMIN_PREFIX + "health"): _health,
    ("GET", ADMIN_PREFIX + "ready"): _ready,
    ("GET", ADMIN_PREFIX + "requests"): _requests,
    ("GET", ADMIN_PREFIX + "requests/count"): _count,
    ("DELETE", ADMIN_PREFIX + "requests"): _clear,
    ("POST", ADMIN_PREFIX + "verify"): _verify,
    ("POST", ADMIN_PREFIX + "reset"): _reset,
    ("GET", ADMIN_PREFIX + "scenarios"): _scenarios,
    ("POST", ADMIN_PREFIX + "scenarios"): _load,
    ("POST", ADMIN_PREFIX + "scenarios/default"): _choose_default,
    ("POST", ADMIN_PREFIX + "clock/advance"): _advance,
    ("GET", ADMIN_PREFIX + "files"): _files,
}
