"""Shared fixtures: the mock as a real process, and the document's sample request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from contract_check import check_responses
from mockproc import MockProcess, start_mock_process

pytest_plugins = ["pytester"]

SAMPLE_BODY: dict[str, Any] = {
    "exportPath": "demo_movie/",
    "fileName": "louvain",
    "obsParameters": {"accessKey": "xxxx", "secretKey": "xxxx"},
}
TOKEN = {"X-Auth-Token": "test-token"}
JSON_HEADERS = {**TOKEN, "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def default_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProcess]:
    """One `ges-mock serve` on the embedded default scenario, per test module."""
    obs_root = tmp_path_factory.mktemp("default") / "obs"
    server = start_mock_process(obs_root)
    yield server
    _check_and_stop(server)


@pytest.fixture
def mock_process(tmp_path: Path) -> Iterator[Callable[..., MockProcess]]:
    """Start `ges-mock serve` with extra arguments; stopped after the test."""
    started: list[MockProcess] = []

    def start(*args: str, **kwargs: Any) -> MockProcess:
        server = start_mock_process(tmp_path / f"obs{len(started)}", *args, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        _check_and_stop(server)


def _check_and_stop(server: MockProcess) -> None:
    """Validate what a still-running server sent against its OpenAPI document."""
    try:
        if server.process.poll() is None:
            check_responses(server.url, server.admin_url, server.admin_token)
    finally:
        server.stop()
