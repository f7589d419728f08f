"""The aiohttp application: routes, middleware, shutdown."""

from __future__ import annotations

from aiohttp import web

from .handlers import REGISTRY, routes, select_scenario
from .middleware import errors_as_json
from .protocol import DEFAULT_READ_TIMEOUT, READ_TIMEOUT
from .registry import Registry

__all__ = ["DEFAULT_BODY_LIMIT", "create_app"]

DEFAULT_BODY_LIMIT = 1024 * 1024


def create_app(
    registry: Registry,
    *,
    body_limit: int = DEFAULT_BODY_LIMIT,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
) -> web.Application:
    """Build the mock's application around running scenarios.

    A request passes the middlewares in this order: request id and JSON
    errors, scenario selection, then the handler (authentication, body
    validation, domain action).
    """
    middlewares = [errors_as_json, select_scenario]
    app = web.Application(middlewares=middlewares, client_max_size=body_limit)
    app[REGISTRY] = registry
    app[READ_TIMEOUT] = read_timeout
    app.add_routes(routes)
    app.on_shutdown.append(_finish_writes)
    return app


async def _finish_writes(app: web.Application) -> None:
    """Let export files being written land before the server stops."""
    for world in app[REGISTRY]:
        await world.finish_writes()
