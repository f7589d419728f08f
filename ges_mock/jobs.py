"""Jobs and their lifecycle: pending, running, then complete or failed."""

from __future__ import annotations

import asyncio
import enum
import random
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from .results import AlgorithmResult

__all__ = [
    "Job",
    "JobIdGenerator",
    "JobKind",
    "JobState",
    "JobStore",
    "Progression",
]


class JobState(enum.Enum):
    """Where a job is in its life; the scenario picks the word shown for each."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETE = "complete"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        """Whether the job will not change any more."""
        return self in (JobState.COMPLETE, JobState.FAILED, JobState.CANCELLED)


class JobKind(enum.Enum):
    """What a job does."""

    ALGORITHM = "algorithm"
    EXPORT = "export"


@dataclass(frozen=True)
class Progression:
    """How a job advances: by status polls, or by seconds on the scenario clock.

    By polls, a job reports pending for its first `pending` polls, running
    for the next `running`, then its final state. By seconds, the same holds
    for the time elapsed since the job was created.
    """

    pending: float = 0
    running: float = 0
    is_timed: bool = False

    @classmethod
    def done_after_polls(cls, polls: int, pending: int = 0) -> Progression:
        """Final on the `polls`-th poll (1 means the first poll already is)."""
        return cls(pending=pending, running=max(polls - 1 - pending, 0))

    @classmethod
    def done_after_seconds(cls, seconds: float, pending: float = 0) -> Progression:
        """Final once `seconds` have passed since the job was created."""
        return cls(pending=pending, running=max(seconds - pending, 0), is_timed=True)

    def state_at(self, polls: int, elapsed: float) -> JobState | None:
        """Return pending or running, or None once the job may finish."""
        if self.is_timed:
            if elapsed < self.pending:
                return JobState.PENDING
            return JobState.RUNNING if elapsed < self.pending + self.running else None
        # Before its first poll a job shows what that poll would: with no
        # pending polls, it is already running.
        if polls <= self.pending and self.pending > 0:
            return JobState.PENDING
        return JobState.RUNNING if polls <= self.pending + self.running else None


@dataclass
class Job:
    """One job of a graph, algorithm run or export."""

    id: str
    kind: JobKind
    graph: str
    algorithm: str
    parameters: dict[str, Any]
    created_at: float
    progression: Progression
    outcome: JobState = JobState.COMPLETE
    state: JobState = JobState.PENDING
    polls: int = 0
    runtime: float = 0.0
    error_code: str = ""
    error_message: str = ""
    result: AlgorithmResult | None = None
    source_job_id: str | None = None
    export_key: str | None = None
    is_work_done: bool = True
    work_task: asyncio.Future[None] | None = None
    request: dict[str, Any] = field(default_factory=dict)

    def poll(self, now: float) -> JobState:
        """Count one status poll and return the state it reports."""
        self.polls += 1
        return self.refresh(now)

    def is_due(self, now: float) -> bool:
        """Whether the progression lets the job finish now."""
        return self.progression.state_at(self.polls, now - self.created_at) is None

    def refresh(self, now: float) -> JobState:
        """Move the job on as its progression allows, without counting a poll."""
        if self.state.is_final:
            return self.state
        waiting = self.progression.state_at(self.polls, now - self.created_at)
        if waiting is not None:
            self.state = waiting
        elif self.is_work_done:
            self.state = self.outcome
        else:
            self.state = JobState.RUNNING
        return self.state

    def fail(self, code: str, message: str) -> None:
        """Make the job end as failed with this error."""
        self.outcome = JobState.FAILED
        self.error_code = code
        self.error_message = message


# The variant (RFC 4122) and version (4) bits a version-4 UUID carries.
_UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID4_SET = (0x8000 << 48) | (4 << 76)


class JobIdGenerator:
    """Job ids shaped like the document's, reproducible for a seed."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)
        self._count = 0
        self._peeked: str | None = None

    def peek(self) -> str:
        """Return the id `next_id` will give, without taking it."""
        if self._peeked is None:
            self._peeked = self._make()
        return self._peeked

    def next_id(self) -> str:
        """Return a new id: a UUID followed by a nine-digit sequence number."""
        made = self.peek()
        self._peeked = None
        return made

    def _make(self) -> str:
        self._count += 1
        # The text of uuid.UUID(int=bits, version=4), without building the object.
        bits = (self._random.getrandbits(128) & _UUID4_CLEAR) | _UUID4_SET
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}{self._count:09d}"


class JobStore:
    """The jobs of one scenario, oldest first, keeping at most `capacity`.

    When full, the oldest job is forgotten to make room, finished or not;
    jobs declared in the scenario and jobs still writing a file never are.
    """

    # LIMITATION: an export job nobody polls stays "running" by the poll count,
    # yet once its file has landed it counts as settled and can be forgotten
    # when 10,000 newer jobs follow it; a late poll then answers GES.8301.

    def __init__(self, capacity: int = 10_000) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._pinned: set[str] = set()
        self.capacity = capacity

    def add(self, job: Job, *, pinned: bool = False) -> None:
        """Store `job`; pinned jobs survive eviction."""
        self._jobs[job.id] = job
        if pinned:
            self._pinned.add(job.id)
        self._evict()

    def find(self, graph: str, job_id: str) -> Job | None:
        """Return the job `job_id` of `graph`, or None."""
        job = self._jobs.get(job_id)
        return job if job is not None and job.graph == graph else None

    def of_graph(self, graph: str) -> list[Job]:
        """Return the jobs of `graph`, oldest first."""
        return [job for job in self._jobs.values() if job.graph == graph]

    def __len__(self) -> int:
        return len(self._jobs)

    def _evict(self) -> None:
        excess = len(self._jobs) - self.capacity
        if excess <= 0:
            return

        # Oldest first, whatever their state: a job nobody polls any more
        # must not hold memory forever. A file still being written stays.
        doomed: list[str] = []
        for job_id, job in self._jobs.items():
            if len(doomed) == excess:
                break
            if job_id not in self._pinned and job.is_work_done:
                doomed.append(job_id)
        for job_id in doomed:
            del self._jobs[job_id]
