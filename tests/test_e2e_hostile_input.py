"""Hostile input over a real socket: names kept for the mock, odd bytes, secrets."""

from __future__ import annotations

import socket
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
import requests
from mockproc import MockProcess

BASE = "/ges/v1.0/p1/graphs/movie"
EXPORT = BASE + "/jobs/louvain-demo/action?action_id=export-result"
HEADERS = {"X-Auth-Token": "t", "Content-Type": "application/json"}
Start = Callable[..., MockProcess]


def _export(server: MockProcess, body: bytes) -> requests.Response:
    return requests.post(server.url + EXPORT, data=body, headers=HEADERS, timeout=10)


def _raw_get(server: MockProcess, path: str, header: bytes) -> bytes:
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".encode()
            + header
            + b"\r\n\r\n"
        )
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


@pytest.mark.parametrize(
    ("export_path", "file_name", "message"),
    [
        ("b/x.tmp/", "f", "exportPath names 'x.tmp', a name kept for unfinished "
         "writes (ending in '.tmp' or starting with '.tmp-')"),
        ("b/", ".tmp-f", "fileName names '.tmp-f.csv', a name kept for unfinished "
         "writes (ending in '.tmp' or starting with '.tmp-')"),
        ("b/" + "c/" * 600, "f", "exportPath and fileName make an object key of "
         "1207 bytes; OBS allows at most 1024"),
    ],
)
def test_export__names_the_obs_side_cannot_serve_are_refused(
    mock_process: Start, export_path: str, file_name: str, message: str
) -> None:
    server = mock_process()
    body = (
        f'{{"exportPath":"{export_path}","fileName":"{file_name}",'
        '"obsParameters":{"accessKey":"a","secretKey":"s"}}'
    ).encode()

    answer = _export(server, body)

    assert answer.status_code == 400
    assert answer.json() == {"errorMessage": message, "errorCode": "GES.8000"}
    assert list(server.obs_root.rglob("*")) == []


def test_journal__lone_surrogate_and_odd_header_bytes_stay_readable(
    mock_process: Start,
) -> None:
    server = mock_process()
    body = b'{"exportPath":"b","fileName":"\\ud800","obsParameters":{}}'

    refused = _export(server, body)
    odd = _raw_get(server, BASE + "/jobs/louvain-demo/status", b"X-Foo: \xff")
    journal = requests.get(server.url + "/__admin/requests", timeout=10)

    assert refused.status_code == 400
    assert odd.startswith(b"HTTP/1.1 401 ")
    assert journal.status_code == 200
    entries = journal.json()["requests"]
    assert [e["status"] for e in entries] == [400, 401]
    assert entries[0]["body"]["fileName"] == "\ud800"
    assert entries[1]["headers"]["X-Foo"] == "\udcff"


@pytest.mark.parametrize(
    "body",
    [
        b'{"exportPath":"b","obsParameters":{"accessKey":"AK-1","secretKey":"SK-1"}}x',
        b'{"exportPath":"b","obsParameters":{"accessKey":"AK-1","secretKey":"SK-1',
        b'{"exportPath":"\xff","obsParameters":{"accessKey":"AK-1","secretKey":"SK-1"}}',
        b'{"exportPath":"b","obsParameters":["AK-1","SK-1"]}',
        b'{"exportPath":"b","fileName":"f","obsParameters":{"accessKey":"AK-1",'
        b'"secretKey":"SK-1"},"pad":"' + b"x" * 70_000 + b'"}',
    ],
)
def test_journal__keys_are_masked_in_every_body(
    mock_process: Start, body: bytes
) -> None:
    server = mock_process()

    _export(server, body)
    journal = requests.get(server.url + "/__admin/requests", timeout=10)

    assert journal.status_code == 200
    assert "AK-1" not in journal.text
    assert "SK-1" not in journal.text
    assert "***" in journal.text


def test_admin_token__bytes_that_are_not_utf8_are_refused(
    mock_process: Start,
) -> None:
    server = mock_process("--admin-token", "admin-secret")
    server.admin_token = "admin-secret"

    raw = _raw_get(server, "/__admin/requests", b"X-Ges-Mock-Admin-Token: \xff\xfe")

    assert raw.startswith(b"HTTP/1.1 401 ")
