"""Faults: an unwritable OBS root, and SIGTERM in the middle of exports."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests
from conftest import TOKEN
from mockproc import MockProcess, start_mock_process

EXPORT = "/jobs/louvain-demo/action?action_id=export-result"
STATUS = "/jobs/{job}/status"
# A stop finishes in-flight work within the shutdown timeout (20 s); this
# leaves room for a slow CI machine.
STOP_BOUND_SECONDS = 25.0


def _body(path: str, name: str) -> dict[str, Any]:
    return {
        "exportPath": path,
        "fileName": name,
        "obsParameters": {"accessKey": "ak", "secretKey": "sk"},
    }


def _export_and_poll(server: MockProcess, path: str, name: str) -> dict[str, Any]:
    answer = requests.post(
        server.api() + EXPORT, json=_body(path, name), headers=TOKEN, timeout=10
    )
    assert answer.status_code == 200
    job = answer.json()["jobId"]
    url = server.api() + STATUS.format(job=job)
    for _ in range(5):
        seen: dict[str, Any] = requests.get(url, headers=TOKEN, timeout=70).json()
        if seen["status"] in ("complete", "failed"):
            break
    return seen


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.name.endswith(".tmp"))


@pytest.fixture
def read_only_root(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A folder no process may write into, even root; yields it and the errno.

    chmod does not stop root, so as root the folder is made immutable
    (chattr +i), which root too must undo before writing; as another user a
    plain chmod 0555 does it.
    """
    root = tmp_path / "ro"
    root.mkdir()
    if os.geteuid() != 0:
        root.chmod(0o555)
        yield root, 13
        root.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: no way to make a folder read-only")
    made = subprocess.run(["chattr", "+i", str(root)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {made.stderr!r}")
    try:
        yield root, 1
    finally:
        subprocess.run(["chattr", "-i", str(root)], check=True)


def test_read_only_root__export_fails_and_server_keeps_serving(
    read_only_root: tuple[Path, int],
) -> None:
    root, errno_code = read_only_root
    server = start_mock_process(root)
    try:
        seen = _export_and_poll(server, "bucket/dir", "out")
        afterwards = requests.get(
            server.api() + STATUS.format(job="louvain-demo"), headers=TOKEN, timeout=10
        )
    finally:
        server.stop()

    assert seen == {
        "status": "failed",
        "data": {"outputs": {}},
        "errorMessage": "export failed, cannot write bucket/dir/out.csv: "
        + os.strerror(errno_code),
        "errorCode": "GES.8011",
    }
    assert afterwards.status_code == 200
    assert os.listdir(root) == []


def test_file_in_place_of_folder__export_fails_cleanly(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process()
    (server.obs_root / "bucket").write_bytes(b"a file, not a folder")

    failed = _export_and_poll(server, "bucket/dir", "out")
    fine = _export_and_poll(server, "other", "out")

    assert failed == {
        "status": "failed",
        "data": {"outputs": {}},
        "errorMessage": "export failed, cannot write bucket/dir/out.csv: "
        "Not a directory",
        "errorCode": "GES.8011",
    }
    assert fine["status"] == "complete"
    assert (server.obs_root / "bucket").read_bytes() == b"a file, not a folder"
    assert _leftovers(server.obs_root) == []


def test_symlink_planted_in_root__export_refused(
    mock_process: Callable[..., MockProcess], tmp_path: Path
) -> None:
    server = mock_process()
    outside = tmp_path / "outside"
    outside.mkdir()
    (server.obs_root / "bucket").symlink_to(outside)

    answer = requests.post(
        server.api() + EXPORT, json=_body("bucket/x", "out"), headers=TOKEN, timeout=10
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "errorMessage": "export path resolves outside the OBS bucket",
        "errorCode": "GES.8011",
    }
    assert os.listdir(outside) == []


async def _exports_during_sigterm(
    server: MockProcess, count: int, stop_after: int
) -> list[str | None]:
    """Send `count` exports on 50 connections; SIGTERM once `stop_after` answered."""
    answered = 0
    stopped = asyncio.Event()

    async def one(session: aiohttp.ClientSession, n: int) -> str | None:
        nonlocal answered
        try:
            async with session.post(
                server.api() + EXPORT, json=_body("term", f"f{n}"), headers=TOKEN
            ) as answer:
                job = (await answer.json())["jobId"] if answer.status == 200 else None
        except aiohttp.ClientError:
            job = None
        answered += 1
        if answered == stop_after:
            server.process.send_signal(signal.SIGTERM)
            stopped.set()
        return None if job is None else f"f{n}"

    connector = aiohttp.TCPConnector(limit=50)
    async with aiohttp.ClientSession(connector=connector) as session:
        return await asyncio.gather(*(one(session, n) for n in range(count)))


def test_sigterm__finishes_writes_exits_0_and_restart_keeps_files(
    tmp_path: Path,
) -> None:
    root = tmp_path / "obs"
    server = start_mock_process(root)

    accepted = asyncio.run(_exports_during_sigterm(server, 400, 100))
    started = time.monotonic()
    code = server.process.wait(STOP_BOUND_SECONDS)
    took = time.monotonic() - started
    server.stop()

    names = sorted(f"{name}.csv" for name in accepted if name is not None)
    assert code == 0 and took < STOP_BOUND_SECONDS
    assert len(names) >= 100
    assert sorted(os.listdir(root / "term")) == names
    first = (root / "term" / names[0]).read_bytes()
    assert all((root / "term" / name).read_bytes() == first for name in names)
    assert _leftovers(root) == []

    again = start_mock_process(root)
    try:
        answer = requests.get(
            again.api() + STATUS.format(job="louvain-demo"), headers=TOKEN, timeout=10
        )
    finally:
        again.stop()
    assert answer.status_code == 200
    assert sorted(os.listdir(root / "term")) == names


def test_sigterm__a_long_computation_does_not_hold_the_exit(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process()
    # Tens of seconds of path enumeration on the karate club.
    body = {"algorithmName": "n_paths",
            "parameters": {"source": "1", "target": "34", "n": 100000, "k": 10}}
    answer = requests.post(server.api() + "/action?action_id=execute-algorithm",
                           json=body, headers=TOKEN, timeout=10)
    assert answer.status_code == 200
    started = time.monotonic()

    code = server.stop(timeout=15.0)

    assert code == 0
    assert time.monotonic() - started < 10
