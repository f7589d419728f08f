"""Algorithm jobs: run one on a graph, cancel one, and how jobs are listed."""

from __future__ import annotations

import asyncio
import posixpath
from typing import Any

from .algorithms import AlgorithmError, compute
from .computation import compute_off_loop
from .contract import contract_error
from .errors import ContractError
from .jobs import Job, JobKind, JobState, Progression
from .log import jobs_log
from .world import World

__all__ = [
    "RUN_FAILED",
    "cancel_job",
    "describe_request",
    "run_algorithm",
]

RUN_FAILED = "GES.8402"
INTERNAL_ERROR = "GES.8403"
CANCEL_FAILED = "GES.8303"


async def run_algorithm(
    world: World,
    graph: str,
    algorithm: str,
    parameters: dict[str, Any],
    *,
    is_sync: bool,
    request: dict[str, Any],
) -> Job:
    """Create the job and compute its result in a worker thread.

    A sync job is answered once the result is there, final at once. An
    async job is answered at once: it advances as the scenario's algorithm
    progression says, and stays running past that until its result is
    computed. A computation that cannot run makes the job fail with
    GES.8402 and the reason.
    """
    progression = (
        Progression() if is_sync else world.scenario.behaviour.algorithm_progression
    )
    job = world.new_job(
        JobKind.ALGORITHM,
        graph,
        algorithm,
        progression=progression,
        parameters=parameters,
    )
    job.request = request
    world.jobs.add(job)

    computation = _compute(job, world.scenario.graphs[graph].graph, world.scenario.seed)
    if is_sync:
        await computation
        job.state = job.outcome
    else:
        job.is_work_done = False
        job.work_task = asyncio.get_running_loop().create_task(computation)
        job.refresh(world.clock.now())
    return job


async def _compute(job: Job, graph: Any, seed: int) -> None:
    try:
        result = await compute_off_loop(
            lambda: compute(job.algorithm, graph, job.parameters, seed)
        )
        if job.state is not JobState.CANCELLED:
            job.result = result
    except AlgorithmError as err:
        job.fail(RUN_FAILED, str(err))
    except Exception as err:  # noqa: BLE001 - any library failure fails the job
        jobs_log.exception("algorithm job %s (%s) raised", job.id, job.algorithm)
        job.fail(INTERNAL_ERROR, f"algorithm {job.algorithm} failed: {type(err).__name__}")
    finally:
        job.is_work_done = True
    jobs_log.debug(
        "algorithm job %s: %s on %s, %s", job.id, job.algorithm, job.graph, job.outcome
    )


def cancel_job(world: World, graph: str, job_id: str) -> None:
    """Cancel a pending or running algorithm job, or raise the documented error."""
    job = world.jobs.find(graph, job_id)
    if job is None:
        raise _cannot_cancel(job_id)
    if job.kind is not JobKind.ALGORITHM:
        raise contract_error(
            CANCEL_FAILED,
            f"Unsupported Operation: job {job_id} is an export job and cannot be cancelled",
        )
    if job.refresh(world.clock.now()).is_final:
        raise _cannot_cancel(job_id)

    job.state = job.outcome = JobState.CANCELLED
    jobs_log.debug("algorithm job %s cancelled", job_id)


def describe_request(job: Job, project_id: str) -> dict[str, Any]:
    """The `request` a job list shows: the one that made the job.

    Jobs declared in the scenario, and export jobs (whose body held OBS
    keys), show a request rebuilt from what the job holds.
    """
    if job.request:
        return job.request
    base = f"/ges/v1.0/{project_id}/graphs/{job.graph}"
    if job.kind is JobKind.EXPORT:
        path, name = posixpath.split(job.export_key or "")
        return {
            "command": "POST",
            "url": f"{base}/jobs/{job.source_job_id}/action?action_id=export-result",
            "body": {"exportPath": path + "/", "fileName": name},
        }
    return {
        "command": "POST",
        "url": f"{base}/action?action_id=execute-algorithm",
        "body": {"algorithmName": job.algorithm, "parameters": job.parameters},
    }


def _cannot_cancel(job_id: str) -> ContractError:
    return contract_error(CANCEL_FAILED, f"can not find job to cancel, id is {job_id}")
