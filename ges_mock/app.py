"""The aiohttp application: routes, middleware, shutdown."""

from __future__ import annotations

from aiohttp import web

from .admin import add_admin_routes
from .admin_access import ADMIN_TOKEN, guard_admin
from .express import ExpressLane
from .handlers import REGISTRY, routes, select_scenario
from .job_handlers import job_routes
from .journal import DEFAULT_JOURNAL_SIZE, JOURNAL, Journal, record_requests
from .middleware import errors_as_json
from .openapi import OPENAPI_PATH, serve_openapi
from .protocol import DEFAULT_READ_TIMEOUT, LANE, READ_TIMEOUT, expect_within_limit
from .registry import Registry
from .rule_middleware import apply_rules
from .watcher import reload_scenarios

__all__ = ["DEFAULT_BODY_LIMIT", "create_app"]

DEFAULT_BODY_LIMIT = 1024 * 1024


def create_app(
    registry: Registry,
    *,
    body_limit: int = DEFAULT_BODY_LIMIT,
    journal_size: int = DEFAULT_JOURNAL_SIZE,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
    admin_token: str | None = None,
    admin_routes: bool = True,
) -> web.Application:
    """Build the mock's application around running scenarios.

    A request passes the middlewares in this order: the journal (outermost,
    so it records the final answer), request id and JSON errors, reloading
    edited scenario files, scenario selection, the scenario's rules, then
    the handler (authentication, body validation, domain action).
    /__admin/ and /openapi.json skip the journal, the scenario and its rules;
    /__admin/ needs `admin_token` when one is given, and is absent (404) when
    `admin_routes` is false because another port serves it.
    """
    middlewares = [
        record_requests,
        errors_as_json,
        reload_scenarios,
        select_scenario,
        apply_rules,
        guard_admin,
    ]
    app = web.Application(middlewares=middlewares, client_max_size=body_limit)
    app[REGISTRY] = registry
    app[JOURNAL] = Journal(journal_size)
    app[READ_TIMEOUT] = read_timeout
    if admin_token:
        app[ADMIN_TOKEN] = admin_token
    app.add_routes(routes)
    app.router.add_get(
        OPENAPI_PATH, serve_openapi, expect_handler=expect_within_limit
    )
    if admin_routes:
        add_admin_routes(app)
    app.add_routes(job_routes)
    app[LANE] = ExpressLane(app)
    app.on_shutdown.append(_finish_writes)
    return app


async def _finish_writes(app: web.Application) -> None:
    """Let export files being written land before the server stops."""
    for world in app[REGISTRY]:
        await world.finish_writes()
