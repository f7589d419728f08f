"""The first check of every business call: the token, then the graph."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from .auth import TOKEN_HEADER, authenticate
from .errors import ContractError
from .request_keys import REQUEST_ID, WORLD
from .world import World

__all__ = ["authorised_world"]


def authorised_world(
    request: web.Request, graph_missing: Callable[[str], ContractError]
) -> World:
    """The request's scenario, once its token may act on the project and graph.

    An unknown graph raises `graph_missing(name)`: each call answers it with
    its own page's error code.
    """
    world = request[WORLD]
    graph_name = request.match_info["graph_name"]
    authenticate(
        request.headers.get(TOKEN_HEADER),
        request.match_info["project_id"],
        graph_name,
        world.scenario.auth,
        request[REQUEST_ID],
    )
    if world.graph(graph_name) is None:
        raise graph_missing(graph_name)
    return world
