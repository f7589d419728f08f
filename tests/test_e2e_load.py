"""Under concurrent load every export completes and every file lands whole."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import requests
from mockproc import MockProcess

REQUESTS = 1000
CONNECTIONS = 50
# Every tenth request aims at one shared target; the rest spread over 90 files.
SHARED = "shared"
HEADERS = {"X-Auth-Token": "t"}


def _file_name(n: int) -> str:
    return SHARED if n % 10 == 0 else f"f{n % 90:02d}"


async def _export_and_wait(
    session: aiohttp.ClientSession, api: str, n: int
) -> tuple[int, dict[str, Any]]:
    body = {
        "exportPath": "load/run",
        "fileName": _file_name(n),
        "obsParameters": {"accessKey": "ak", "secretKey": "sk"},
    }
    url = f"{api}/jobs/louvain-demo/action?action_id=export-result"
    async with session.post(url, json=body, headers=HEADERS) as answer:
        started = await answer.json()
        status = answer.status
    job_id = started["jobId"]
    for _ in range(10):
        async with session.get(
            f"{api}/jobs/{job_id}/status", headers=HEADERS
        ) as answer:
            seen = await answer.json()
        if seen["status"] in ("complete", "failed"):
            return status, seen
    return status, seen


async def _run_load(api: str) -> list[tuple[int, dict[str, Any]]]:
    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as session:
        return await asyncio.gather(
            *(_export_and_wait(session, api, n) for n in range(REQUESTS))
        )


def test_load__every_export_completes_whole(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process("--journal-size", "10000")
    reference = _reference_file(mock_process)

    results = asyncio.run(_run_load(server.api()))

    journal = requests.get(server.url + "/__admin/requests/count", timeout=10).json()
    assert journal == {"count": REQUESTS * 3}
    assert [status for status, _ in results] == [200] * REQUESTS
    assert [seen["status"] for _, seen in results] == ["complete"] * REQUESTS
    folder = server.obs_root / "load" / "run"
    names = sorted({f"{_file_name(n)}.csv" for n in range(REQUESTS)})
    assert sorted(p.name for p in folder.iterdir()) == names
    assert len(_rows(reference)) == 34
    for path in folder.iterdir():
        assert path.read_bytes() == reference
    assert _temporary_files(server.obs_root) == []


def _reference_file(mock_process: Callable[..., MockProcess]) -> bytes:
    """The file one lone export writes, to compare every loaded one with."""
    server = mock_process()
    _, seen = asyncio.run(_one(server.api()))
    assert seen["status"] == "complete"
    return (server.obs_root / "load" / "run" / "f01.csv").read_bytes()


async def _one(api: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session:
        return await _export_and_wait(session, api, 1)


def _rows(data: bytes) -> list[tuple[int, int]]:
    """Parse an exported file: five comment lines, then `vertex,community` rows."""
    lines = data.decode("utf-8").split("\n")
    assert lines[0].startswith("# modularity: ") and lines[4] == "#community:"
    assert lines[-1] == ""
    return [(int(a), int(b)) for a, b in (line.split(",") for line in lines[5:-1])]


def _temporary_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]
