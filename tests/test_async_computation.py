"""An async algorithm job answers at once and stays running until its result exists."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from conftest import TOKEN

from ges_mock import algorithm_jobs, polling
from ges_mock.algorithms import compute
from ges_mock.scenario import load_scenario
from ges_mock.server import ServerConfig, start_server

EXECUTE = "/ges/v1.0/p1/graphs/movie/action?action_id=execute-algorithm"
PAGERANK = {"algorithmName": "pagerank", "parameters": {"alpha": 0.85}}


async def test_async_job__answers_before_its_result_and_runs_until_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def slow_compute(*args: Any) -> Any:
        assert release.wait(30)
        return compute(*args)

    monkeypatch.setattr(algorithm_jobs, "compute", slow_compute)
    monkeypatch.setattr(polling, "COMPUTE_WAIT_SECONDS", 0.05)
    config = ServerConfig([load_scenario("default")], tmp_path / "obs", port=0,
                          access_log=False, watch=False)
    server = await start_server(config)
    try:
        async with aiohttp.ClientSession(server.url, headers=TOKEN) as session:
            async with session.post(EXECUTE, json=PAGERANK) as answer:
                assert answer.status == 200
                job_id = (await answer.json())["jobId"]
            status = f"/ges/v1.0/p1/graphs/movie/jobs/{job_id}/status"

            words = []
            for _ in range(3):  # the default progression finishes on poll 2
                async with session.get(status) as polled:
                    words.append((await polled.json())["status"])
            release.set()
            # The due poll waits for the result now that it can come.
            monkeypatch.setattr(polling, "COMPUTE_WAIT_SECONDS", 30.0)
            async with session.get(status) as polled:
                done = await polled.json()
    finally:
        release.set()
        await server.stop()

    assert words == ["running", "running", "running"]
    assert done["status"] == "complete"
    assert done["data"]["outputs"]["data_total_size"] == 34
