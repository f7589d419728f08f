"""Which requests the express lane answers itself, and which it leaves to aiohttp."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ges_mock.journal import JOURNAL
from ges_mock.protocol import LANE, Lane
from ges_mock.scenario import load_scenario
from ges_mock.server import RunningServer, ServerConfig, start_server

TARGET = "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/action?action_id=export-result"
GOOD = b'{"exportPath":"b/","obsParameters":{"accessKey":"a","secretKey":"s"}}'


def _plain(
    body: bytes = GOOD,
    target: str = TARGET,
    extra: str = "",
    method: str = "POST",
    version: str = "1.1",
    content_type: str = "application/json",
) -> bytes:
    return (
        f"{method} {target} HTTP/{version}\r\nHost: x\r\nX-Auth-Token: t\r\n"
        f"Content-Type: {content_type}\r\n{extra}Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin-1") + body


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    config = ServerConfig([load_scenario(None)], tmp_path / "obs", port=0, access_log=False)
    running = await start_server(config)
    yield running
    await running.stop()


def _lane(server: RunningServer) -> Lane:
    return server.app[LANE]


async def test_plain_export__answered_and_journaled(server: RunningServer) -> None:
    answer = _lane(server).answer(_plain())

    assert answer is not None
    assert answer.status == 200
    assert answer.method == "POST"
    assert answer.path_qs == TARGET
    assert answer.data.startswith(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    assert answer.data.endswith(b'{"jobId":"e3e70682-c209-4cac-a29f-6fbed82c07cd000000001"}')
    [entry] = list(server.app[JOURNAL])
    assert entry.request_id == answer.request_id
    assert (entry.status, entry.endpoint) == (200, "export-result")


async def test_refused_export__answered_with_its_error(server: RunningServer) -> None:
    answer = _lane(server).answer(_plain(b'{"exportPath":"b/"}'))

    assert answer is not None
    assert answer.status == 400
    assert answer.data.endswith(
        b'{"errorMessage":"obsParameters is required","errorCode":"GES.8000"}'
    )


LEFT_TO_AIOHTTP = {
    "head without its body": _plain()[: -len(GOOD)],
    "body cut short": _plain()[:-1],
    "two requests": _plain() * 2,
    "chunked body": _plain(extra="Transfer-Encoding: chunked\r\n"),
    "Expect": _plain(extra="Expect: 100-continue\r\n"),
    "Connection: close": _plain(extra="Connection: close\r\n"),
    "HTTP/1.0": _plain(version="1.0"),
    "gzip body": _plain(extra="Content-Encoding: gzip\r\n"),
    "another call": _plain(target=TARGET.replace("/action?action_id=export-result", "/status")),
    "another action": _plain(target=TARGET.replace("export-result", "cancel")),
    "a second query field": _plain(target=TARGET + "&x=1"),
    "percent-encoded path": _plain(target=TARGET.replace("movie", "mo%76ie")),
    "dot segment": _plain(target=TARGET.replace("/graphs/movie/", "/graphs/./")),
    "absolute target": _plain(target="http://x" + TARGET),
    "another content type": _plain(content_type="text/plain"),
    "non-ASCII header": _plain(extra="X-Name: caf\u00e9\r\n"),
    "unknown scenario header": _plain(extra="X-Ges-Mock-Scenario: nope\r\n"),
    "GET": _plain(method="GET"),
    "not HTTP": b"POST nonsense\r\n\r\n",
    "too long a header": _plain(extra=f"X-Long: {'a' * 9000}\r\n"),
}


@pytest.mark.parametrize("case", sorted(LEFT_TO_AIOHTTP))
async def test_request_the_lane_does_not_take__left_untouched(
    server: RunningServer, case: str
) -> None:
    assert _lane(server).answer(LEFT_TO_AIOHTTP[case]) is None
    assert list(server.app[JOURNAL]) == []


async def test_body_over_the_limit__left_to_aiohttp(tmp_path: Path) -> None:
    config = ServerConfig(
        [load_scenario(None)], tmp_path / "obs", port=0, access_log=False, body_limit=16
    )
    running = await start_server(config)
    try:
        assert running.app[LANE].answer(_plain()) is None
    finally:
        await running.stop()


async def test_matching_rule__left_to_aiohttp(tmp_path: Path) -> None:
    config = ServerConfig(
        [load_scenario("export-503")], tmp_path / "obs", port=0, access_log=False
    )
    running = await start_server(config)
    try:
        assert running.app[LANE].answer(_plain()) is None
        assert list(running.app[JOURNAL]) == []
    finally:
        await running.stop()
