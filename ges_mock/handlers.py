"""The GES business-plane calls, one thin handler each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from .body import read_json_bytes
from .contract import EXPORT_FAILED, JOB_QUERY_FAILED, bad_parameter, job_not_found
from .exports import start_export
from .graph_access import authorised_world
from .job_view import describe_job
from .jobs import Job
from .polling import poll_job
from .protocol import expect_within_limit
from .query import MAX_OFFSET, int_query
from .registry import Registry, project_of
from .request_keys import WORLD
from .responses import json_response
from .validation import checked_body
from .world import World

__all__ = [
    "API_PREFIX", "EXPORT_ACTION", "REGISTRY", "WORLD", "export_answer", "routes",
    "select_scenario",
]

REGISTRY = web.AppKey("registry", Registry)
API_PREFIX = "/ges/"
EXPORT_ACTION = "export-result"
MAX_LIMIT = 100_000
BASE = "/ges/v1.0/{project_id}/graphs/{graph_name}"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
routes = web.RouteTableDef()


@routes.post(BASE + "/jobs/{job_id}/action", expect_handler=expect_within_limit)
async def export_result(request: web.Request) -> web.Response:
    """POST .../jobs/{job_id}/action?action_id=export-result."""
    world = authorised_world(request, EXPORT_FAILED)
    actions = request.query.getall("action_id", [])
    if len(actions) > 1:
        raise bad_parameter(f"action_id must be given once, got {actions!r}")
    action = actions[0] if actions else None
    if action != EXPORT_ACTION:
        got = "none" if action is None else repr(action)
        raise bad_parameter(f"action_id must be '{EXPORT_ACTION}', got {got}")

    raw = await read_json_bytes(request)
    match = request.match_info
    return json_response(export_answer(world, match["graph_name"], match["job_id"], raw))


def export_answer(world: World, graph_name: str, job_id: str, raw: bytes) -> dict[str, str]:
    """Check an authorised export call's body and start the export; its 200 body."""
    body = checked_body(raw, "export-result.request", strict=_is_strict(world))
    return {"jobId": start_export(world, _job_in(world, graph_name, job_id), body).id}


@routes.get(BASE + "/jobs/{job_id}/status", expect_handler=expect_within_limit)
async def job_status(request: web.Request) -> web.Response:
    """GET .../jobs/{job_id}/status?offset=&limit=."""
    world = authorised_world(request, JOB_QUERY_FAILED)
    offset = int_query(request, "offset", 0, 0, MAX_OFFSET)
    limit = int_query(request, "limit", MAX_LIMIT, 1, MAX_LIMIT)

    job = _find_job(world, request)
    await poll_job(world, job)
    return json_response(describe_job(world, job, offset, limit))


@web.middleware
async def select_scenario(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Choose the scenario that answers a business-plane request."""
    if request.path.startswith(API_PREFIX):
        project_id = project_of(request.path)
        request[WORLD] = request.app[REGISTRY].select(request.headers, project_id)
    return await handler(request)


def _find_job(world: World, request: web.Request) -> Job:
    return _job_in(world, request.match_info["graph_name"], request.match_info["job_id"])


def _job_in(world: World, graph_name: str, job_id: str) -> Job:
    job = world.jobs.find(graph_name, job_id)
    if job is None:
        raise job_not_found(job_id)
    return job


def _is_strict(world: World) -> bool:
    return world.scenario.behaviour.rejects_unknown_fields
