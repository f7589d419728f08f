"""A running scenario: its jobs, clock, id sequence and OBS root."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from .algorithms import compute
from .clock import Clock
from .jobs import Job, JobIdGenerator, JobKind, JobState, JobStore, Progression
from .results import AlgorithmResult
from .rules import RuleState
from .scenario import GraphSpec, Scenario
from .shared_writes import LandedFiles

__all__ = ["World"]


class World:
    """The live state of one scenario; `reset` returns it to its start."""

    def __init__(self, scenario: Scenario, obs_root: Path) -> None:
        self.scenario = scenario
        self.obs_root = obs_root
        self.clock = Clock()
        self.writes: set[asyncio.Task[None]] = set()
        self.reset()

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    def reset(self) -> None:
        """Forget every job made since the start; restart ids and rule counters."""
        self.rule_state = RuleState(self.scenario.seed)
        self.jobs = JobStore()
        self.landed = LandedFiles()
        self.ids = JobIdGenerator(self.scenario.seed)
        self._runtimes = random.Random(self.scenario.seed)
        for graph in self.scenario.graphs.values():
            for spec in graph.jobs:
                job = self.new_job(
                    JobKind.ALGORITHM,
                    graph.name,
                    spec.algorithm,
                    progression=Progression(),
                    job_id=spec.id,
                    parameters=spec.parameters,
                )
                # A declared job keeps its declared state: tests rely on it.
                job.state = job.outcome = spec.status
                if spec.error is not None:
                    job.fail(*spec.error)
                job.result = spec.result
                self.jobs.add(job, pinned=True)

    def graph(self, name: str) -> GraphSpec | None:
        """Return the graph `name` of the scenario, or None."""
        return self.scenario.graphs.get(name)

    def new_job(
        self,
        kind: JobKind,
        graph: str,
        algorithm: str,
        *,
        progression: Progression,
        job_id: str | None = None,
        parameters: dict[str, object] | None = None,
    ) -> Job:
        """Make a pending job with the next id and a reproducible runtime.

        The job is not stored, and not refreshed: the caller first says what
        work it waits for, so that a job due at once cannot end before it.
        """
        job = Job(
            id=job_id or self.ids.next_id(),
            kind=kind,
            graph=graph,
            algorithm=algorithm,
            parameters=dict(parameters or {}),
            created_at=self.clock.now(),
            progression=progression,
            runtime=round(0.0005 + self._runtimes.random() * 0.005, 6),
        )
        return job

    def result_of(self, job: Job) -> AlgorithmResult:
        """Return the job's result, computing it on first use."""
        if job.result is None:
            graph = self.scenario.graphs[job.graph].graph
            job.result = compute(job.algorithm, graph, job.parameters, self.scenario.seed)
        return job.result

    def status_word(self, state: JobState) -> str:
        """The word the scenario shows for `state`."""
        return self.scenario.behaviour.status_words[state]

    async def finish_writes(self) -> None:
        """Wait for every export file still being written."""
        if self.writes:
            await asyncio.gather(*self.writes, return_exceptions=True)
