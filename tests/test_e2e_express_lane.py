"""The express lane against aiohttp's pipeline: the same bytes out, the same records kept.

A request sent whole in one write is answered by the express lane; the
same request sent as head, pause, body reaches aiohttp's pipeline (the lane
only takes a request complete in one read). Both must answer alike.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from mockproc import MockProcess

EXPORT = "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/action?action_id=export-result"
GOOD = (b'{"exportPath": "demo_movie/", "fileName": "louvain", '
        b'"obsParameters": {"accessKey": "ak", "secretKey": "sk"}}')
JOB_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\d{9}")


def _request(
    body: bytes = GOOD,
    target: str = EXPORT,
    headers: str = "X-Auth-Token: t\r\nContent-Type: application/json\r\n",
) -> tuple[bytes, bytes]:
    head = (
        f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head, body


def _connect(server: MockProcess) -> socket.socket:
    parts = urlsplit(server.url)
    return socket.create_connection((parts.hostname, parts.port), timeout=10)


def _read_answer(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += _recv(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += _recv(sock)
    return head + b"\r\n\r\n" + body


def _recv(sock: socket.socket) -> bytes:
    chunk = sock.recv(65536)
    assert chunk, "the server closed the connection before a whole answer"
    return chunk


def _whole(sock: socket.socket, request: tuple[bytes, bytes]) -> bytes:
    sock.sendall(b"".join(request))
    return _read_answer(sock)


def _split(sock: socket.socket, request: tuple[bytes, bytes]) -> bytes:
    head, body = request
    sock.sendall(head)
    time.sleep(0.05)
    sock.sendall(body)
    return _read_answer(sock)


def _normal(answer: bytes) -> str:
    """The answer with what differs per request (id, date, job id) blanked."""
    text = answer.decode("utf-8")
    text = re.sub(r"\b[0-9a-f]{32}\b", "<id>", text)
    text = re.sub(r"Date: [^\r]+", "Date: <date>", text)
    return JOB_ID.sub("<job>", text)


CASES = {
    "valid": _request(),
    "missing secretKey": _request(GOOD.replace(b', "secretKey": "sk"', b"")),
    "no token": _request(headers="Content-Type: application/json\r\n"),
    "unknown job": _request(target=EXPORT.replace("louvain-demo", "nope")),
    "unknown graph": _request(target=EXPORT.replace("/movie/", "/nope/")),
    "not JSON": _request(b"{oops"),
    "duplicate key": _request(b'{"exportPath": "a", "exportPath": "b"}'),
    "empty body": _request(b""),
    "path outside the bucket": _request(GOOD.replace(b"demo_movie/", b"../x/")),
    "charset parameter": _request(
        headers="X-Auth-Token: t\r\nContent-Type: application/json; charset=utf-8\r\n"
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_whole_and_split_requests__get_the_same_answer(
    default_server: MockProcess, case: str
) -> None:
    with _connect(default_server) as first, _connect(default_server) as second:
        express = _whole(first, CASES[case])
        pipeline = _split(second, CASES[case])

    assert _normal(express) == _normal(pipeline)


def test_valid_export__answers_the_documented_bytes(default_server: MockProcess) -> None:
    with _connect(default_server) as sock:
        answer = _normal(_whole(sock, _request()))

    assert answer == (
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/json\r\n"
        "X-Request-Id: <id>\r\n"
        "Content-Length: 57\r\n"
        "Date: <date>\r\n"
        f"Server: Python/{'.'.join(map(str, sys.version_info[:2]))} "
        f"aiohttp/{_aiohttp_version()}\r\n"
        "\r\n"
        '{"jobId":"<job>"}'
    )


def _aiohttp_version() -> str:
    import aiohttp

    return aiohttp.__version__


def test_one_connection__whole_split_whole__answers_in_order(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process()
    with _connect(server) as sock:
        answers = [
            _whole(sock, _request()),
            _whole(sock, _request()),
            _split(sock, _request()),
            _whole(sock, _request()),
        ]

    ids = [json.loads(a.partition(b"\r\n\r\n")[2])["jobId"] for a in answers]
    assert [i[-9:] for i in ids] == ["000000001", "000000002", "000000003", "000000004"]
    assert all(a.startswith(b"HTTP/1.1 200 OK\r\n") for a in answers)


def test_two_requests_in_one_write__both_answered_in_order(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process()
    missing = _request(GOOD.replace(b', "secretKey": "sk"', b""))
    with _connect(server) as sock:
        sock.sendall(b"".join(_request()) + b"".join(missing))
        first = _read_answer(sock)
        second = _read_answer(sock)

    assert first.startswith(b"HTTP/1.1 200 OK\r\n")
    assert second.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert second.endswith(
        b'{"errorMessage":"obsParameters.secretKey is required","errorCode":"GES.8000"}'
    )


def test_journal__records_whole_and_split_requests_alike(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process()
    with _connect(server) as first, _connect(server) as second:
        _whole(first, _request())
        _split(second, _request())

    entries = requests.get(f"{server.url}/__admin/requests", timeout=10).json()["requests"]
    shown = []
    for entry in entries:
        for varying in ("seq", "time", "timestamp", "request_id", "duration_ms"):
            entry.pop(varying)
        entry["response"]["headers"].pop("X-Request-Id")
        entry["response"]["body"]["jobId"] = "<job>"
        shown.append(entry)
    assert shown[0] == shown[1]
    assert shown[0] == {
        "method": "POST",
        "path": "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/action",
        "query": {"action_id": "export-result"},
        "headers": {
            "Host": "127.0.0.1",
            "X-Auth-Token": "***",
            "Content-Type": "application/json",
            "Content-Length": str(len(GOOD)),
        },
        "body": {
            "exportPath": "demo_movie/",
            "fileName": "louvain",
            "obsParameters": {"accessKey": "***", "secretKey": "***"},
        },
        "endpoint": "export-result",
        "scenario": "default",
        "rule": None,
        "off_contract": False,
        "status": 200,
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json"},
            "content_type": "application/json",
            "body": {"jobId": "<job>"},
        },
    }


def test_access_line__same_for_whole_and_split_requests(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process()
    with _connect(server) as first, _connect(server) as second:
        express = _whole(first, _request())
        pipeline = _split(second, _request())

    lines = []
    for answer in (express, pipeline):
        found = re.search(rb"X-Request-Id: (\w+)", answer)
        assert found is not None
        request_id = found.group(1).decode()
        [line] = server.log_lines_with(f"request_id={request_id}")
        lines.append(line)
    pattern = (
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO ges_mock\.access 127\.0\.0\.1 "
        rf'"POST {re.escape(EXPORT)} HTTP/1\.1" 200 {len(express)} \d+\.\d{{6}}s '
        r"request_id=[0-9a-f]{32}"
    )
    assert all(re.fullmatch(pattern, line) for line in lines), lines


def test_matching_rule__answers_a_whole_request(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process("--scenario", "export-503")
    with _connect(server) as sock:
        answer = _whole(sock, _request())

    assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert answer.endswith(
        b'{"errorMessage":"engine service unavailable","errorCode":"GES.8602"}'
    )


def test_symlink_planted_between_whole_requests__second_refused(
    mock_process: Callable[..., MockProcess], tmp_path: Path
) -> None:
    server = mock_process()
    outside = tmp_path / "outside"
    outside.mkdir()
    bucket = server.obs_root / "bucket"
    body = GOOD.replace(b"demo_movie/", b"bucket/")
    with _connect(server) as sock:
        first = _whole(sock, _request(body))
        _wait_for(bucket / "louvain.csv")
        bucket.rename(server.obs_root / "moved")
        bucket.symlink_to(outside)
        second = _whole(sock, _request(body))

    assert first.startswith(b"HTTP/1.1 200 OK\r\n")
    assert second.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert second.endswith(
        b'{"errorMessage":"export path resolves outside the OBS bucket","errorCode":"GES.8011"}'
    )
    assert os.listdir(outside) == []


def _wait_for(path: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} did not land"
        time.sleep(0.02)
