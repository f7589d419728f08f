"""Job progression by polls and by the clock, ids, and the bounded store."""

from __future__ import annotations

import random
import uuid

from ges_mock.jobs import Job, JobIdGenerator, JobKind, JobState, JobStore, Progression


def _job(progression: Progression, job_id: str = "j1") -> Job:
    job = Job(job_id, JobKind.EXPORT, "g", "louvain", {}, 100.0, progression)
    job.refresh(100.0)
    return job


def test_progression__done_on_the_second_poll() -> None:
    job = _job(Progression.done_after_polls(2))

    states = [job.poll(100.0) for _ in range(3)]

    assert states == [JobState.RUNNING, JobState.COMPLETE, JobState.COMPLETE]


def test_progression__before_any_poll_shows_what_the_first_poll_would() -> None:
    assert _job(Progression.done_after_polls(2)).state is JobState.RUNNING
    assert _job(Progression.done_after_polls(3, pending=1)).state is JobState.PENDING


def test_progression__pending_then_running_then_done() -> None:
    job = _job(Progression.done_after_polls(4, pending=1))

    states = [job.poll(100.0) for _ in range(4)]

    assert states == [JobState.PENDING, JobState.RUNNING, JobState.RUNNING, JobState.COMPLETE]


def test_progression__by_seconds_ignores_polls() -> None:
    job = _job(Progression.done_after_seconds(5.0))

    assert [job.poll(100.0), job.poll(104.9), job.poll(105.0)] == [
        JobState.RUNNING,
        JobState.RUNNING,
        JobState.COMPLETE,
    ]


def test_progression__unwritten_export_stays_running() -> None:
    job = _job(Progression.done_after_polls(1))
    job.is_work_done = False

    assert job.poll(100.0) is JobState.RUNNING
    job.is_work_done = True
    assert job.poll(100.0) is JobState.COMPLETE


def test_progression__failure_is_final() -> None:
    job = _job(Progression.done_after_polls(2))
    job.fail("GES.8011", "boom")

    assert [job.poll(100.0), job.poll(100.0)] == [JobState.RUNNING, JobState.FAILED]
    assert (job.error_code, job.error_message) == ("GES.8011", "boom")


def test_job_ids__same_seed_same_ids() -> None:
    first, second = JobIdGenerator(7), JobIdGenerator(7)

    ids = [first.next_id() for _ in range(3)]

    assert ids == [second.next_id() for _ in range(3)]
    assert ids[0].endswith("000000001") and len(ids[0]) == 36 + 9
    assert JobIdGenerator(8).next_id() != ids[0]


def test_store__evicts_oldest_finished_but_never_pinned() -> None:
    store = JobStore(capacity=2)
    pinned = _job(Progression(), "pinned")
    pinned.state = JobState.COMPLETE
    store.add(pinned, pinned=True)
    for name in ("a", "b"):
        job = _job(Progression(), name)
        job.state = JobState.COMPLETE
        store.add(job)

    assert store.find("g", "pinned") is pinned
    assert store.find("g", "a") is None
    assert store.find("g", "b") is not None


def test_store__evicts_unpolled_jobs_but_not_one_being_written() -> None:
    store = JobStore(capacity=2)
    writing = _job(Progression(), "writing")
    writing.is_work_done = False
    store.add(writing)
    for name in ("a", "b", "c"):
        store.add(_job(Progression(), name))

    assert [store.find("g", n) is not None for n in ("writing", "a", "b", "c")] == [
        True,
        False,
        False,
        True,
    ]
    assert len(store) == 2


def test_job_ids__are_the_text_of_version_4_uuids() -> None:
    generator, bits = JobIdGenerator(11), random.Random(11)

    ids = [generator.next_id() for _ in range(200)]

    expected = [f"{uuid.UUID(int=bits.getrandbits(128), version=4)}{n:09d}"
                for n in range(1, 201)]
    assert ids == expected


def test_store__evicts_landed_exports_nobody_polled_but_not_writing_ones() -> None:
    store = JobStore(capacity=2)
    writing = _job(Progression.done_after_polls(2), "writing")
    writing.is_work_done = False
    store.add(writing)
    for name in ("a", "b", "c"):
        store.add(_job(Progression.done_after_polls(2), name))

    kept = [name for name in ("writing", "a", "b", "c") if store.find("g", name)]

    assert kept == ["writing", "c"]
