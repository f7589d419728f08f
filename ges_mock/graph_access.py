"""The first check of every business call: the token, then the graph."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from .auth import TOKEN_HEADER, authenticate
from .contract import graph_not_found
from .request_keys import REQUEST_ID, WORLD
from .world import World

__all__ = ["authorise", "authorised_world"]


def authorised_world(request: web.Request, graph_missing_code: str) -> World:
    """The request's scenario, once its token may act on the project and graph.

    An unknown graph is answered with `graph_missing_code`: each call uses
    its own page's error code.
    """
    return authorise(
        request[WORLD],
        request.headers,
        request.match_info["project_id"],
        request.match_info["graph_name"],
        request[REQUEST_ID],
        graph_missing_code,
    )


def authorise(
    world: World,
    headers: Mapping[str, str],
    project_id: str,
    graph_name: str,
    request_id: str,
    graph_missing_code: str,
) -> World:
    """`world`, once the token in `headers` may act on the project and graph."""
    authenticate(
        headers.get(TOKEN_HEADER),
        project_id,
        graph_name,
        world.scenario.auth,
        request_id,
    )
    if world.graph(graph_name) is None:
        raise graph_not_found(graph_name, graph_missing_code)
    return world
