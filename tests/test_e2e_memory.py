"""Many requests in a row leave the server's memory within a small bound."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from mockproc import MockProcess

REQUESTS = 6000
CONNECTIONS = 20
WARM_UP = 1000
# Growth allowed after warm-up; the job store (10,000 jobs at most) accounts
# for most of it. bench/stress.py runs the full 100,000-request check.
GROWTH_BOUND_KIB = 12 * 1024
TOKEN = {"X-Auth-Token": "t"}
BODY = {"exportPath": "mem", "obsParameters": {"accessKey": "ak", "secretKey": "sk"}}


def _rss_kib(server: MockProcess) -> int:
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+)", status)
    assert match is not None
    return int(match.group(1))


async def _requests_in_a_row(server: MockProcess) -> tuple[int, int, int]:
    api = server.api()
    rss: list[int] = []
    done = 0

    async def worker(session: aiohttp.ClientSession, first: int) -> None:
        nonlocal done
        for n in range(first, REQUESTS, CONNECTIONS):
            if n % 2:
                url = f"{api}/jobs/louvain-demo/action?action_id=export-result"
                body = {**BODY, "fileName": f"f{n % 5}"}
                async with session.post(url, json=body, headers=TOKEN) as answer:
                    assert answer.status == 200
            else:
                url = f"{api}/jobs/louvain-demo/status?limit=5"
                async with session.get(url, headers=TOKEN) as answer:
                    assert answer.status == 200
            done += 1
            if done == WARM_UP:
                rss.append(_rss_kib(server))

    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session, i) for i in range(CONNECTIONS)))
    return done, rss[0], _rss_kib(server)


@pytest.mark.skipif(sys.platform != "linux", reason="reads RSS from /proc")
def test_memory__bounded_over_many_requests(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process("--log-level", "WARNING")

    done, warm, end = asyncio.run(_requests_in_a_row(server))

    assert done == REQUESTS
    assert end - warm < GROWTH_BOUND_KIB, f"grew {end - warm} KiB"
