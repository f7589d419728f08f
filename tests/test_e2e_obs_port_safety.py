"""End-to-end: the OBS port answers malformed HTTP in XML and logs no credential."""

from __future__ import annotations

import socket
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
import requests
from mockproc import MockProcess


def _obs_address(server: MockProcess) -> tuple[str, int]:
    assert server.obs_url is not None
    parts = urlsplit(server.obs_url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def test_obs_port__malformed_header_is_xml_400_and_not_logged(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process("--obs-port", "0", "--log-level", "DEBUG")
    request = (
        b"GET /b/a.csv HTTP/1.1\r\nHost: x\r\n"
        b"Authorization: OBS AKsecret123:SIG\x01x\r\n\r\n"
    )

    with socket.create_connection(_obs_address(server), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk

    head, _, body = received.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == b"400"
    assert b"Content-Type: application/xml" in head
    assert b"<Code>InvalidArgument</Code>" in body
    assert b"AKsecret123" not in received
    requests.get(server.url + "/__admin/health", timeout=10)
    assert "AKsecret123" not in server.log()
    assert "Traceback" not in server.log()


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("AccessKeyId=AKsecret123&Expires=1&Signature=SIGsecret456",
         "AccessKeyId=***&Expires=1&Signature=***"),
        ("AWSAccessKeyId=AKsecret123&Expires=1&%53ignature=SIGsecret456",
         "AWSAccessKeyId=***&Expires=1&Signature=***"),  # requests decodes %53
    ],
)
def test_obs_port__signed_url_credentials_are_masked_in_the_access_line(
    mock_process: Callable[..., MockProcess], query: str, shown: str
) -> None:
    server = mock_process("--obs-port", "0")
    host, port = _obs_address(server)

    answer = requests.get(f"http://{host}:{port}/b/a.csv?{query}", timeout=10)

    assert answer.status_code == 404
    lines = server.log_lines_with("/b/a.csv")
    assert lines and shown in lines[0]
    assert "AKsecret123" not in server.log() and "SIGsecret456" not in server.log()
    assert lines[0].endswith("request_id=" + answer.headers["x-obs-request-id"])
