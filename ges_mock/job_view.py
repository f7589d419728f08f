"""How a job looks in the status call's answer."""

from __future__ import annotations

from typing import Any

from .jobs import Job, JobKind, JobState
from .world import World

__all__ = ["describe_job"]


def describe_job(world: World, job: Job, offset: int, limit: int) -> dict[str, Any]:
    """Return the status body of `job`, one page of its outputs."""
    body: dict[str, Any] = {
        "status": world.status_word(job.state),
        "data": {"outputs": _outputs(world, job, offset, limit)},
    }
    if job.state is JobState.FAILED:
        body["errorMessage"] = job.error_message
        body["errorCode"] = job.error_code
    return body


def _outputs(world: World, job: Job, offset: int, limit: int) -> dict[str, Any]:
    if job.state is not JobState.COMPLETE:
        return {}
    if job.kind is JobKind.EXPORT:
        return {"runtime": job.runtime}
    return world.result_of(job).outputs(job.runtime, offset, limit)
