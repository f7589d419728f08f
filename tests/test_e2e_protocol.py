"""Bad bodies and odd HTTP over a real socket: a documented JSON answer, never a 500."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from mockproc import MockProcess

EXPORT = "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/action?action_id=export-result"
STATUS = "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/status"
GOOD = b'{"exportPath":"b","obsParameters":{"accessKey":"a","secretKey":"s"}}'
HEADERS = {"X-Auth-Token": "t", "Content-Type": "application/json"}


class Answer:
    """A raw HTTP answer: status line, headers, body."""

    def __init__(self, raw: bytes) -> None:
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {
            name.lower(): value.strip()
            for name, _, value in (line.partition(":") for line in lines[1:])
        }

    def json(self) -> Any:
        return json.loads(self.body)


def _send(server: MockProcess, data: bytes, timeout: float = 10.0) -> bytes:
    parts = urlsplit(server.url)
    address = (parts.hostname, parts.port)
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def _request(
    server: MockProcess,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str | None] | None = None,
) -> Answer:
    fields: dict[str, str | None] = {
        "Host": "127.0.0.1",
        **HEADERS,
        "Content-Length": str(len(body)),
        "Connection": "close",
        **(headers or {}),
    }
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in fields.items() if value is not None
    )
    return Answer(_send(server, head.encode() + b"\r\n" + body))


def _error(message: str) -> dict[str, str]:
    return {"errorMessage": message, "errorCode": "GES.8000"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xef\xbb\xbf" + GOOD,
         "request body starts with a UTF-8 byte-order mark; expected JSON without one"),
        (b'{"exportPath":"\xe9"}', "request body is not UTF-8: byte 15 is invalid"),
        (b'{"a":1,"a":1}', "request body is not valid JSON: field 'a' appears twice"),
        (b'{"a":' + b"9" * 5000 + b"}",
         "request body is not valid JSON: a number of 5000 digits is longer than 64"),
        (b'{"a":-1e999}',
         "request body is not valid JSON: number '-1e999' is too large for a double"),
        (b'{"a":NaN}', "request body is not valid JSON: NaN is not a JSON number"),
        (b'{"a":' + b"[" * 33 + b"]" * 33 + b"}",
         "request body is nested deeper than 32 levels"),
        (b"[" * 100_000 + b"]" * 100_000,
         "request body is nested deeper than 32 levels"),
        (b" \r\n\t", "request body is empty; expected a JSON object"),
        (b'{"a":1} x', "request body is not valid JSON: Extra data at line 1 column 9"),
        (b"null", "request body must be an object, got null"),
    ],
)
def test_body__refused_with_400(
    default_server: MockProcess, body: bytes, message: str
) -> None:
    answer = _request(default_server, "POST", EXPORT, body)

    assert (answer.status, answer.headers["content-type"]) == (400, "application/json")
    assert answer.json() == _error(message)


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("Application/JSON; charset=UTF-8", 200),
        ("application/json; charset=latin-1", 400),
        ("text/plain", 400),
        ("application/x-www-form-urlencoded", 400),
        (None, 400),
    ],
)
def test_body__content_type(
    default_server: MockProcess, content_type: str | None, status: int
) -> None:
    answer = _request(
        default_server, "POST", EXPORT, GOOD, {"Content-Type": content_type}
    )

    assert answer.status == status
    if status == 400:
        assert answer.json()["errorCode"] == "GES.8000"
        assert answer.json()["errorMessage"] in (
            "charset must be utf-8, got 'latin-1'",
            f"Content-Type must be application/json, got {content_type!r}",
            "Content-Type must be application/json, got none",
        )


def test_body__over_the_limit_is_413(mock_process: Callable[..., MockProcess]) -> None:
    server = mock_process("--body-limit", "100")

    answer = _request(server, "POST", EXPORT, b" " * 101)

    assert answer.status == 413
    assert answer.json() == _error("request body is larger than the limit of 100 bytes")


def test_expect__over_the_limit_is_413_before_the_body(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process("--body-limit", "100", "--read-timeout", "0.5")
    headers = {"Expect": "100-continue", "Content-Length": "5000"}

    answer = _request(server, "POST", EXPORT, b"", headers)

    assert answer.status == 413
    assert answer.json() == _error(
        "request body of 5000 bytes is larger than the limit of 100 bytes"
    )
    assert len(answer.headers["x-request-id"]) == 32


def test_expect__within_the_limit_continues(default_server: MockProcess) -> None:
    raw = _request(default_server, "POST", EXPORT, GOOD, {"Expect": "100-continue"})

    assert raw.status == 100
    assert Answer(raw.body).status == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", EXPORT),
        ("GET", "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/status"),
        ("GET", "/ges/v1.0/p1/graphs/movie/jobs/status"),
        ("DELETE", "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo"),
        ("GET", "/openapi.json"),
        ("GET", "/__admin/health"),
        ("GET", "/nonexist"),
        ("OPTIONS", "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/status"),
        ("GET", "/ges/v1.0/p1/graphs/movie/jobs"),
    ],
)
def test_expect__unknown_expectation_is_417(
    default_server: MockProcess, method: str, path: str
) -> None:
    body = GOOD if method == "POST" else b""
    answer = _request(default_server, method, path, body, {"Expect": "magic"})

    assert answer.status == 417
    assert answer.json() == _error("Expect must be 100-continue, got 'magic'")
    assert len(answer.headers["x-request-id"]) == 32


def test_chunked_body_is_read_whole(default_server: MockProcess) -> None:
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(part), part) for part in (GOOD[:10], GOOD[10:])
    )
    headers = {"Transfer-Encoding": "chunked", "Content-Length": None}

    answer = _request(default_server, "POST", EXPORT, chunks + b"0\r\n\r\n", headers)

    assert answer.status == 200
    assert set(answer.json()) == {"jobId"}


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("OPTIONS", EXPORT, 405,
         "method OPTIONS is not allowed on "
         "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/action; allowed: POST"),
        ("POST", EXPORT.replace("/action?", "/action/?"), 404,
         "no such API: POST /ges/v1.0/p1/graphs/movie/jobs/louvain-demo/action/"),
        ("POST", EXPORT.replace("/jobs/", "//jobs/"), 404,
         "no such API: POST /ges/v1.0/p1/graphs/movie//jobs/louvain-demo/action"),
        ("POST", EXPORT + "&action_id=export-result", 400,
         "action_id must be given once, got ['export-result', 'export-result']"),
        ("POST", EXPORT.replace("export-result", "Export-Result"), 400,
         "action_id must be 'export-result', got 'Export-Result'"),
        ("POST", EXPORT.replace("action_id", "ACTION_ID"), 400,
         "action_id must be 'export-result', got none"),
    ],
)
def test_protocol__odd_requests(
    default_server: MockProcess, method: str, path: str, status: int, message: str
) -> None:
    answer = _request(default_server, method, path, GOOD)

    assert answer.status == status
    assert answer.json() == _error(message)


def test_head__status_has_headers_and_no_body(default_server: MockProcess) -> None:
    answer = _request(default_server, "HEAD", STATUS)

    assert (answer.status, answer.headers["content-type"]) == (200, "application/json")
    assert int(answer.headers["content-length"]) > 0
    assert answer.body == b""


def test_head__on_post_only_path_is_405_without_body(
    default_server: MockProcess,
) -> None:
    answer = _request(default_server, "HEAD", EXPORT)

    assert (answer.status, answer.headers["allow"], answer.body) == (405, "POST", b"")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GARBAGE\r\n\r\n", "malformed HTTP request: Invalid method encountered"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
         "malformed HTTP request: Invalid header token"),
        (b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
         "malformed HTTP request: Got more than 8190 bytes when reading"),
    ],
)
def test_malformed_http__is_400_json(
    default_server: MockProcess, data: bytes, message: str
) -> None:
    answer = Answer(_send(default_server, data))

    assert (answer.status, answer.headers["content-type"]) == (400, "application/json")
    assert answer.json() == _error(message)
    assert len(answer.headers["x-request-id"]) == 32


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_body__not_in_its_content_encoding_is_400(
    default_server: MockProcess, encoding: str
) -> None:
    headers = {"Content-Encoding": encoding}

    answer = _request(default_server, "POST", EXPORT, GOOD, headers)

    assert answer.status == 400
    assert answer.json() == _error(
        f"request body is unreadable: Can not decode content-encoding: {encoding}"
    )
    assert len(answer.headers["x-request-id"]) == 32


def test_slow_headers__connection_is_closed(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process("--read-timeout", "0.5")
    parts = urlsplit(server.url)
    started = time.monotonic()

    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        received = sock.recv(65536)

    assert received == b""
    assert time.monotonic() - started < 5


def test_slow_body__is_408_and_frees_the_connection(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process("--read-timeout", "0.5")
    head = (
        f"POST {EXPORT} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\n"
        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    )

    answer = Answer(_send(server, head.encode() + b'{"exportPath"'))

    assert answer.status == 408
    assert answer.json() == _error("request body did not arrive within 0.5 seconds")
