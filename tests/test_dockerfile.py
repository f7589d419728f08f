"""The image's entry command, run as the Dockerfile says but outside Docker.

Docker cannot run where these tests run, so the test reads the Dockerfile's
ENV, ENTRYPOINT, CMD and HEALTHCHECK and runs them with that environment,
moving only the port (to a free one) and the OBS root (to a temporary one).
"""

from __future__ import annotations

import json
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = DOCKERFILE.read_text("utf-8").replace("\\\n", " ")
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


def _env() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, rest in _instructions():
        if keyword == "ENV":
            env.update(item.split("=", 1) for item in shlex.split(rest))
    return env


def _exec_form(keyword: str) -> list[str]:
    rest = [r for k, r in _instructions() if k == keyword][-1]
    if keyword == "HEALTHCHECK":
        rest = rest[rest.index("CMD ") + len("CMD ") :]
    form: list[str] = json.loads(rest)
    return form


def _local(command: list[str]) -> list[str]:
    """The image's `ges-mock` is this interpreter's `python -m ges_mock`."""
    assert command[0] == "ges-mock" or shutil.which(command[0])
    return (
        [sys.executable, "-m", "ges_mock", *command[1:]]
        if command[0] == "ges-mock"
        else command
    )


def test_dockerfile__slim_base_non_root_volumes() -> None:
    instructions = _instructions()

    assert instructions[0] == ("FROM", "python:3.12-slim")
    assert ("USER", "ges-mock") in instructions
    assert ("VOLUME", '["/data/obs", "/scenarios"]') in instructions
    assert _env()["GES_MOCK_OBS_ROOT"] == "/data/obs"


def test_dockerfile__entry_command_serves_and_is_healthy(tmp_path: Path) -> None:
    env = {**_env(), "GES_MOCK_PORT": "0", "GES_MOCK_OBS_ROOT": str(tmp_path / "obs")}
    command = _local(_exec_form("ENTRYPOINT") + _exec_form("CMD"))

    log_path = tmp_path / "server.log"
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, **env},
        )
    try:
        url = _served_url(process)
        ready = requests.get(url + "/__admin/ready", timeout=10)
        health = subprocess.run(
            _local(_exec_form("HEALTHCHECK")),
            env={**os.environ, **env, "GES_MOCK_PORT": url.rsplit(":", 1)[1]},
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(15)
        assert process.stdout is not None
        process.stdout.close()

    assert process.returncode == 0
    assert url.startswith("http://0.0.0.0:")
    assert ready.json() == {"status": "ready", "scenarios": ["default"]}
    assert health.returncode == 0, health.stderr
    first_log = json.loads(log_path.read_text("utf-8").splitlines()[0])
    assert set(first_log) == {"time", "level", "logger", "message"}


def _served_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(30), "the entry command printed nothing in 30 s"
    line = process.stdout.readline()
    match = re.search(r"serving (http://\S+)", line)
    assert match is not None, line
    return match.group(1)
