"""Export jobs: check the source job, make the export job, write its file."""

from __future__ import annotations

import asyncio
from typing import Any

from .computation import compute_off_loop
from .contract import export_failed
from .export_csv import write_result_csv
from .jobs import Job, JobKind, JobState
from .log import jobs_log
from .obs import (
    ExportTarget,
    Signature,
    file_signature,
    resolve_export_target,
    write_atomically,
)
from .results import AlgorithmResult
from .shared_writes import shared_write
from .world import World

__all__ = ["start_export"]

WRITE_FAILED = "GES.8011"


def start_export(world: World, source: Job, body: dict[str, Any]) -> Job:
    """Create the export job for `source` and start writing its file.

    Raises the documented error when `source` has no result to export or
    the target would leave the OBS root; nothing is written then.
    """
    _check_exportable(world, source)
    _check_obs_permission(world, body["obsParameters"])
    # The id is taken only once the target passes its checks, so refused
    # requests leave the ids of later jobs as they would be without them.
    target = resolve_export_target(
        world.obs_root,
        body["exportPath"],
        body.get("fileName"),
        default_name=world.ids.peek(),
    )
    job_id = world.ids.next_id()

    job = world.new_job(
        JobKind.EXPORT,
        source.graph,
        source.algorithm,
        progression=world.scenario.behaviour.export_progression,
        job_id=job_id,
    )
    job.source_job_id = source.id
    job.export_key = target.key
    world.jobs.add(job)

    failure = world.scenario.behaviour.export_failure
    if failure is not None:
        job.fail(*failure)
    elif world.landed.holds(source.id, target.path):
        # The same bytes already stand at the target: the export is written.
        job.is_work_done = True
    else:
        job.is_work_done = False
        task = asyncio.get_running_loop().create_task(_write(world, source, job, target))
        world.writes.add(task)
        task.add_done_callback(world.writes.discard)
        job.work_task = task

    job.refresh(world.clock.now())
    jobs_log.debug("export job %s of job %s to %s", job.id, source.id, target.key)
    return job


def _check_exportable(world: World, source: Job) -> None:
    if source.kind is not JobKind.ALGORITHM:
        raise export_failed(f"job [{source.id}] is an export job and has no result to export")
    if source.state is JobState.FAILED:
        raise export_failed(f"job [{source.id}] has failed and has no result to export")
    if source.state is not JobState.COMPLETE:
        word = world.status_word(source.state)
        raise export_failed(f"job [{source.id}] is not finished (status {word}), cannot export")


def _check_obs_permission(world: World, obs_parameters: dict[str, Any]) -> None:
    """With scenario OBS credentials, an export must carry exactly those."""
    credentials = world.scenario.obs_credentials
    if credentials is None:
        return
    if obs_parameters.get("accessKey") != credentials["accessKey"]:
        raise export_failed(
            "export failed, no OBS write permission: obsParameters.accessKey "
            "is not the scenario's OBS access key"
        )
    if obs_parameters.get("secretKey") != credentials["secretKey"]:
        raise export_failed(
            "export failed, no OBS write permission: obsParameters.secretKey "
            "does not match the access key"
        )


async def _write(world: World, source: Job, job: Job, target: ExportTarget) -> None:
    try:
        # A declared job computes on first use: keep that off the event loop.
        result = source.result
        if result is None:
            result = await compute_off_loop(lambda: world.result_of(source))
        signature = await shared_write(
            world,
            source.id,
            target.path,
            lambda: _write_file(target, result, source.runtime),
        )
        world.landed.record(source.id, target.path, signature)
    except OSError as err:
        jobs_log.warning("export job %s could not write %s: %s", job.id, target.key, err)
        job.fail(WRITE_FAILED, f"export failed, cannot write {target.key}: {err.strerror}")
    except Exception:  # noqa: BLE001 - logged with its traceback
        # A bug, not a fault of the disk: the job must not end complete without a file.
        jobs_log.exception("export job %s failed writing %s", job.id, target.key)
        job.fail(WRITE_FAILED, f"export failed, cannot write {target.key}: internal error")
    finally:
        job.is_work_done = True


def _write_file(target: ExportTarget, result: AlgorithmResult, runtime: float) -> Signature | None:
    """Write the result's CSV at `target`; return the signature of the file made."""
    write_atomically(target, lambda handle: write_result_csv(handle, result, runtime))
    return file_signature(target.path)
