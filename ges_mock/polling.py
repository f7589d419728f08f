"""A status poll: count it, and wait briefly for the work the job is due to finish."""

from __future__ import annotations

import asyncio

from .jobs import Job, JobKind, JobState
from .world import World

__all__ = ["COMPUTE_WAIT_SECONDS", "WRITE_WAIT_SECONDS", "poll_job"]

# How long a poll that is due to finish an export waits for its file.
WRITE_WAIT_SECONDS = 60.0
# An async algorithm job's due poll waits this long for its result, so a
# small graph's job ends on the poll its progression names; a longer
# computation is reported running until it ends.
COMPUTE_WAIT_SECONDS = 2.0


async def poll_job(world: World, job: Job) -> JobState:
    """Count a status poll of `job` and return the state to report.

    A poll on which the scenario lets a job finish waits for its work (an
    export's file, an async algorithm's result), so a client that polls as
    the scenario says never sees a complete job without it, and a test
    never needs to sleep.
    """
    now = world.clock.now()
    job.polls += 1
    task = job.work_task
    # A cancelled job is final already: nothing its work does changes its answer.
    if task is None or task.done() or job.state.is_final or not job.is_due(now):
        return job.refresh(now)
    bound = WRITE_WAIT_SECONDS if job.kind is JobKind.EXPORT else COMPUTE_WAIT_SECONDS
    await asyncio.wait([task], timeout=bound)
    return job.refresh(now)
