"""Every rule kind and every fault, against `ges-mock serve` with real clients."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from conftest import SAMPLE_BODY, TOKEN
from mockproc import MockProcess

EXPORT = "/jobs/louvain-demo/action?action_id=export-result"
GRAPHS = """
graphs:
  movie:
    data: {builtin: karate_club}
    jobs:
      - {id: louvain-demo, algorithm: louvain, status: complete}
"""
Start = Callable[..., MockProcess]


def _serve(mock_process: Start, tmp_path: Path, rules: str) -> MockProcess:
    path = tmp_path / "rules.yaml"
    path.write_text(f"name: rules\nseed: 0\n{GRAPHS}\nrules:\n{rules}", "utf-8")
    return mock_process("--scenario", str(path))


def _export(server: MockProcess, **kwargs: object) -> requests.Response:
    headers = {**TOKEN, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    body = kwargs.pop("json", SAMPLE_BODY)
    url = server.api(**kwargs) + EXPORT  # type: ignore[arg-type]
    return requests.post(url, json=body, headers=headers, timeout=10)


def test_rules__canned_answer_with_headers_and_placeholders(
    mock_process: Start, tmp_path: Path
) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    respond:
      status: 401
      headers: {Retry-After: "7", X-Graph: "${graph_name}"}
      body:
        error_msg: "Incorrect IAM authentication information: decrypt token fail"
        error_code: APIGW.0301
        request_id: "${request_id}"
""",
    )

    answer = _export(server)

    assert answer.status_code == 401
    assert answer.headers["Retry-After"] == "7"
    assert answer.headers["X-Graph"] == "movie"
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json() == {
        "error_msg": "Incorrect IAM authentication information: decrypt token fail",
        "error_code": "APIGW.0301",
        "request_id": answer.headers["X-Request-Id"],
    }


def test_rules__default_body_of_a_status(mock_process: Start, tmp_path: Path) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    respond: {status: 500}
""",
    )

    answer = _export(server)

    assert answer.status_code == 500
    assert answer.json() == {
        "errorMessage": "internal error while querying",
        "errorCode": "GES.8002",
    }


def test_rules__sequence_then_normal_and_last_step_repeats(
    mock_process: Start, tmp_path: Path
) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    sequence:
      - respond: {status: 503}
      - respond: {status: 503}
      - normal
""",
    )

    statuses = [_export(server).status_code for _ in range(4)]

    assert statuses == [503, 503, 200, 200]


@pytest.mark.parametrize(
    ("match", "hit", "miss"),
    [
        ("query: {action_id: export-result}", {}, None),
        ("headers: {X-Trace: {present: true}}", {"headers": {"X-Trace": "1"}}, {}),
        ("headers: {X-Trace: {present: false}}", {}, {"headers": {"X-Trace": "1"}}),
        (
            "headers: {x-trace: abc}",
            {"headers": {"X-Trace": "abc"}},
            {"headers": {"X-Trace": "abcd"}},
        ),
        (
            "headers: {X-Auth-Token: {regex: 'ro-.*'}}",
            {"headers": {"X-Auth-Token": "ro-1"}},
            {"headers": {"X-Auth-Token": "rw-ro-1"}},
        ),
        ("path_params: {project_id: p9}", {"project": "p9"}, {"project": "p1"}),
        ("path_params: {job_id: {regex: 'louvain-.*'}}", {}, None),
        ("body: {fileName: louvain}", {}, {"json": {**SAMPLE_BODY, "fileName": "x"}}),
        (
            "body: {obsParameters.accessKey: {regex: 'AK[0-9]+'}}",
            {
                "json": {
                    **SAMPLE_BODY,
                    "obsParameters": {"accessKey": "AK12", "secretKey": "s"},
                }
            },
            {},
        ),
        (
            "body: {fileName: {present: false}}",
            {"json": {k: v for k, v in SAMPLE_BODY.items() if k != "fileName"}},
            {},
        ),
    ],
)
def test_rules__match(
    mock_process: Start,
    tmp_path: Path,
    match: str,
    hit: dict[str, object],
    miss: dict[str, object] | None,
) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        f"""
  - match:
      endpoint: export
      {match}
    respond: {{status: 400, body: {{errorMessage: matched, errorCode: GES.8000}}}}
""",
    )

    matched = _export(server, **hit)
    missed = _export(server, **miss) if miss is not None else None

    assert matched.status_code == 400
    assert matched.json() == {"errorMessage": "matched", "errorCode": "GES.8000"}
    if missed is not None:
        assert missed.status_code == 200


def test_rules__method_and_path_template_match_an_undocumented_route(
    mock_process: Start, tmp_path: Path
) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match:
      method: GET
      path: /ges/v1.0/{project_id}/graphs/{graph_name}/jobs/{job_id}/result
      path_params: {job_id: louvain-demo}
    off_contract: true
    respond: {status: 200, body: {}}
""",
    )

    answered = requests.get(
        server.api() + "/jobs/louvain-demo/result", headers=TOKEN, timeout=10
    )
    other = requests.get(server.api() + "/jobs/other/result", headers=TOKEN, timeout=10)

    assert (answered.status_code, answered.json()) == (200, {})
    assert other.status_code == 404


def test_rules__first_matching_rule_answers(
    mock_process: Start, tmp_path: Path
) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: status}
    respond: {status: 404}
  - match: {endpoint: any}
    respond: {status: 503}
""",
    )

    status = requests.get(
        server.api() + "/jobs/louvain-demo/status", headers=TOKEN, timeout=10
    )
    export = _export(server)

    assert status.status_code == 404
    assert status.json()["error_code"] == "APIGW.0101"
    assert export.status_code == 503


def test_rules__rules_run_before_authentication(
    mock_process: Start, tmp_path: Path
) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    respond: {status: 503}
""",
    )

    answer = requests.post(server.api() + EXPORT, json=SAMPLE_BODY, timeout=10)

    assert answer.status_code == 503


def test_rules__delay_then_normal_behaviour(
    mock_process: Start, tmp_path: Path
) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    delay: 0.4
""",
    )

    started = time.monotonic()
    answer = _export(server)
    elapsed = time.monotonic() - started

    assert answer.status_code == 200
    assert list(answer.json()) == ["jobId"]
    assert 0.4 <= elapsed < 5


def test_rules__delay_range_then_canned(mock_process: Start, tmp_path: Path) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    delay: {min: 0.2, max: 0.3}
    respond: {status: 503}
""",
    )

    started = time.monotonic()
    answer = _export(server)
    elapsed = time.monotonic() - started

    assert answer.status_code == 503
    assert 0.2 <= elapsed < 5


def test_rules__fault_connection_closed(mock_process: Start, tmp_path: Path) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    sequence:
      - fault: connection_closed
      - normal
""",
    )

    with pytest.raises(requests.ConnectionError):
        _export(server)
    after = _export(server)

    assert after.status_code == 200


def _raw_post(server: MockProcess) -> bytes:
    """Send the export request on a bare socket and read until the server closes."""
    parts = urlsplit(server.url)
    body = b'{"exportPath":"d/","obsParameters":{"accessKey":"a","secretKey":"s"}}'
    request = (
        f"POST /ges/v1.0/p1/graphs/movie{EXPORT} HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\nX-Auth-Token: t\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_rules__fault_truncated_body_of_normal_answer(
    mock_process: Start, tmp_path: Path
) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    fault: truncated_body
""",
    )

    raw = _raw_post(server)
    head, _, body = raw.partition(b"\r\n\r\n")

    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nContent-Length: 57\r\n" in head
    assert body == b'{"jobId":"e3e70682-c209-4cac-a29f-6fbed82c07cd000000001"}'[:28]
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        _export(server)


def test_rules__fault_truncated_body_of_canned_answer(
    mock_process: Start, tmp_path: Path
) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    respond: {status: 500}
    fault: truncated_body
""",
    )

    head, _, body = _raw_post(server).partition(b"\r\n\r\n")

    assert head.startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
    assert (
        body
        == b'{"errorMessage":"internal error while querying","errorCode":"GES.8002"}'[
            :35
        ]
    )


def test_rules__fault_not_json(mock_process: Start, tmp_path: Path) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    sequence:
      - fault: not_json
      - {respond: {status: 503}, fault: not_json}
""",
    )

    first = _export(server)
    second = _export(server)

    assert first.status_code == 200
    assert first.headers["Content-Type"] == "application/json"
    assert first.content == b"<html><body><h1>Bad Gateway</h1></body></html>\n"
    assert second.status_code == 503
    assert second.content == b"<html><body><h1>Bad Gateway</h1></body></html>\n"
    with pytest.raises(requests.JSONDecodeError):
        first.json()


def test_rules__off_contract_answer(mock_process: Start, tmp_path: Path) -> None:
    server = _serve(
        mock_process,
        tmp_path,
        """
  - match: {endpoint: export}
    off_contract: true
    respond: {status: 299, body: {surprise: [1, 2]}}
""",
    )

    answer = _export(server)

    assert (answer.status_code, answer.json()) == (299, {"surprise": [1, 2]})
