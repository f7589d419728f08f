"""Guarding the admin surface: its own token, and serving it on its own port.

With a token set, every /__admin/ request but health and readiness must
carry it in X-Ges-Mock-Admin-Token, or is answered 401 in the admin error
shape. Health and readiness stay open so container healthchecks need no
secret; they reveal only that the server is up and its scenarios' names.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web

from .admin import add_admin_routes
from .handlers import REGISTRY
from .journal import ADMIN_PREFIX, JOURNAL, Journal
from .log import admin_log
from .protocol import expect_within_limit
from .registry import Registry
from .responses import json_response

__all__ = [
    "ADMIN_TOKEN",
    "ADMIN_TOKEN_HEADER",
    "OPEN_ADMIN_PATHS",
    "create_admin_app",
    "guard_admin",
]

ADMIN_TOKEN_HEADER = "X-Ges-Mock-Admin-Token"
ADMIN_TOKEN = web.AppKey("admin_token", str)
OPEN_ADMIN_PATHS = frozenset({ADMIN_PREFIX + "health", ADMIN_PREFIX + "ready"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def guard_admin(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer 401 to an admin request without the admin token, when one is set."""
    expected = request.app.get(ADMIN_TOKEN)
    if (
        expected
        and request.path.startswith(ADMIN_PREFIX)
        and request.path not in OPEN_ADMIN_PATHS
        and not _matches(request.headers.get(ADMIN_TOKEN_HEADER), expected)
    ):
        admin_log.info("refused %s %s: no valid admin token",
                       request.method, request.path)
        message = (
            f"admin request {request.method} {request.path} needs the admin token "
            f"in the {ADMIN_TOKEN_HEADER} header"
        )
        return json_response({"error": message}, 401)
    return await handler(request)


def _matches(given: str | None, expected: str) -> bool:
    if given is None:
        return False
    # Header bytes that are not UTF-8 arrive as surrogate escapes.
    return hmac.compare_digest(
        given.encode("utf-8", "surrogateescape"),
        expected.encode("utf-8", "surrogateescape"),
    )


def create_admin_app(
    registry: Registry, journal: Journal, token: str | None = None
) -> web.Application:
    """An application holding only the admin routes, over the given state."""
    app = web.Application(middlewares=[guard_admin])
    app[REGISTRY] = registry
    app[JOURNAL] = journal
    if token:
        app[ADMIN_TOKEN] = token
    add_admin_routes(app)
    app.router.add_route(
        "*", "/{tail:.*}", _not_admin, expect_handler=expect_within_limit
    )
    return app


async def _not_admin(request: web.Request) -> web.Response:
    message = (
        f"the admin port serves only {ADMIN_PREFIX}, "
        f"not {request.method} {request.path}"
    )
    return json_response({"error": message}, 404)
