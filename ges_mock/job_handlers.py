"""The job calls around an export: run an algorithm, list jobs, cancel a job."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import algorithm_jobs
from .algorithm_jobs import CANCEL_FAILED, RUN_FAILED, describe_request, run_algorithm
from .algorithms import canonical_name, parameter_problem
from .body import read_json_body
from .contract import JOB_QUERY_FAILED, bad_parameter, contract_error
from .graph_access import authorised_world
from .handlers import BASE, MAX_LIMIT
from .jobs import Job, JobState
from .protocol import expect_within_limit
from .query import MAX_OFFSET, int_query
from .responses import json_response
from .validation import first_problem
from .world import World

__all__ = ["job_routes"]

EXECUTE_ACTION = "execute-algorithm"
EXECUTION_MODES = ("sync", "async")
job_routes = web.RouteTableDef()


@job_routes.post(BASE + "/action", expect_handler=expect_within_limit)
async def execute_algorithm(request: web.Request) -> web.Response:
    """POST .../action?action_id=execute-algorithm."""
    world = authorised_world(request, RUN_FAILED)
    action = request.query.get("action_id")
    if action != EXECUTE_ACTION:
        got = "none" if action is None else repr(action)
        raise bad_parameter(f"action_id must be '{EXECUTE_ACTION}', got {got}")

    body = await read_json_body(request)
    name, mode = _check_name_and_mode(body)
    strict = world.scenario.behaviour.rejects_unknown_fields
    problem = first_problem("execute-algorithm.request", body, strict=strict)
    if problem is not None:
        raise bad_parameter(problem)

    algorithm = canonical_name(name)
    if algorithm is None:
        raise contract_error(RUN_FAILED, f"algorithm [{name}] is not supported")
    parameters = dict(body.get("parameters") or {})
    problem = parameter_problem(algorithm, parameters)
    if problem is not None:
        raise bad_parameter(problem)

    job = await run_algorithm(
        world,
        request.match_info["graph_name"],
        algorithm,
        parameters,
        is_sync=mode == "sync",
        request={"command": "POST", "url": request.path_qs, "body": body},
    )
    return json_response(_execute_answer(world, job, mode))


@job_routes.get(BASE + "/jobs/status", expect_handler=expect_within_limit)
async def list_jobs(request: web.Request) -> web.Response:
    """GET .../jobs/status?offset=&limit=: the graph's jobs, oldest first."""
    world = authorised_world(request, JOB_QUERY_FAILED)
    offset = int_query(request, "offset", 0, 0, MAX_OFFSET)
    limit = int_query(request, "limit", MAX_LIMIT, 1, MAX_LIMIT)

    now = world.clock.now()
    project_id = request.match_info["project_id"]
    page = world.jobs.of_graph(request.match_info["graph_name"])[
        offset : offset + limit
    ]
    jobs = [
        {
            "jobId": job.id,
            "status": world.status_word(job.refresh(now)),
            "request": describe_request(job, project_id),
        }
        for job in page
    ]
    return json_response({"result": "success", "jobs": jobs})


@job_routes.delete(BASE + "/jobs/{job_id}", expect_handler=expect_within_limit)
async def cancel_job(request: web.Request) -> web.Response:
    """DELETE .../jobs/{job_id}: cancel a pending or running algorithm job."""
    world = authorised_world(request, CANCEL_FAILED)
    graph, job_id = request.match_info["graph_name"], request.match_info["job_id"]
    algorithm_jobs.cancel_job(world, graph, job_id)
    return json_response({})


def _check_name_and_mode(body: Any) -> tuple[str, str]:
    """GES.8401 for a missing algorithm name, GES.8404 for an unknown mode."""
    if not isinstance(body, dict):
        raise bad_parameter(
            f"request body must be an object, got {type(body).__name__}"
        )
    name = body.get("algorithmName")
    if name is None or name == "":
        raise contract_error("GES.8401", "algorithmName must not be empty")
    mode = body.get("executionMode", "async")
    if mode not in EXECUTION_MODES:
        raise contract_error(
            "GES.8404",
            f"executionMode must be 'sync' or 'async', got {mode!r}",
        )
    if not isinstance(name, str):
        raise bad_parameter(f"algorithmName must be a string, got {name!r}")
    return name, mode


def _execute_answer(world: World, job: Job, mode: str) -> dict[str, Any]:
    """Async: jobId and jobType. Sync: also the final status and first page."""
    answer: dict[str, Any] = {"jobId": job.id, "jobType": 1}
    if mode == "async":
        return answer

    if job.state is JobState.FAILED:
        raise contract_error(job.error_code, job.error_message)
    answer["status"] = world.status_word(job.state)
    answer["data"] = {
        "outputs": world.result_of(job).outputs(job.runtime, 0, MAX_LIMIT)
    }
    return answer


