"""Every documented error of the export call, exact status, code and message."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import requests

from conftest import JSON_HEADERS, SAMPLE_BODY, TOKEN
from mockproc import MockProcess

EXPORT = "/jobs/{job}/action?action_id=export-result"
OBS = SAMPLE_BODY["obsParameters"]


def _post(server: MockProcess, path: str, data: bytes, headers: dict[str, str]) -> Any:
    return requests.post(server.api() + path, data=data, headers=headers, timeout=10)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{", "request body is not valid JSON: Expecting property name enclosed "
               "in double quotes at line 1 column 2"),
        (b"", "request body is empty; expected a JSON object"),
        (b"[1, 2]", "request body must be an object, got [1,2]"),
        (b'{"exportPath": "b"}', "obsParameters is required"),
        (b'{"exportPath": "b", "obsParameters": {"accessKey": "a"}}',
         "obsParameters.secretKey is required"),
        (b'{"exportPath": 3, "obsParameters": {"accessKey": "a", "secretKey": "s"}}',
         "exportPath must be a string, got 3"),
        (b'{"exportPath": "a", "exportPath": "b"}',
         "request body is not valid JSON: field 'exportPath' appears twice"),
        (b"\xff\xfe{}", "request body is not UTF-8: byte 0 is invalid"),
    ],
)
def test_export__bad_body_is_ges_8000(
    default_server: MockProcess, data: bytes, message: str
) -> None:
    answer = _post(default_server, EXPORT.format(job="louvain-demo"), data, JSON_HEADERS)

    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json() == {"errorMessage": message, "errorCode": "GES.8000"}


def test_export__no_token_is_401(default_server: MockProcess) -> None:
    headers = {"Content-Type": "application/json"}
    answer = _post(default_server, EXPORT.format(job="louvain-demo"), b"{}", headers)

    body = answer.json()
    assert answer.status_code == 401
    assert body == {
        "error_msg": "Incorrect IAM authentication information: x-auth-token not found",
        "error_code": "APIGW.0301",
        "request_id": answer.headers["X-Request-Id"],
    }


def test_export__unknown_graph_is_ges_8011(default_server: MockProcess) -> None:
    url = default_server.api(graph="demo") + EXPORT.format(job="louvain-demo")

    answer = requests.post(url, json=SAMPLE_BODY, headers=TOKEN, timeout=10)

    assert answer.status_code == 400
    assert answer.json() == {"errorMessage": "graph [demo] is not found", "errorCode": "GES.8011"}


def test_export__unknown_job_is_ges_8301(default_server: MockProcess) -> None:
    url = default_server.api() + EXPORT.format(job="no-such-job")

    answer = requests.post(url, json=SAMPLE_BODY, headers=TOKEN, timeout=10)

    assert answer.status_code == 400
    assert answer.json() == {
        "errorMessage": "can not find job, jobId is no-such-job",
        "errorCode": "GES.8301",
    }


def test_export__unfinished_job_cannot_be_exported(default_server: MockProcess) -> None:
    export = requests.post(
        default_server.api() + EXPORT.format(job="louvain-demo"),
        json={**SAMPLE_BODY, "fileName": "first"},
        headers=TOKEN,
        timeout=10,
    ).json()["jobId"]

    answer = requests.post(
        default_server.api() + EXPORT.format(job=export),
        json=SAMPLE_BODY,
        headers=TOKEN,
        timeout=10,
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "errorMessage": f"job [{export}] is an export job and has no result to export",
        "errorCode": "GES.8011",
    }
    # Let the file land, so later tests see no write still in flight.
    for _ in range(2):
        requests.get(f"{default_server.api()}/jobs/{export}/status", headers=TOKEN, timeout=10)


@pytest.mark.parametrize(
    ("export_path", "file_name", "message"),
    [
        ("../outside", "x", "exportPath must not contain '.' or '..' segments, got '../outside'"),
        ("/etc", "x", "exportPath must be relative to a bucket, got '/etc'"),
        ("b\\..\\..", "x", "exportPath contains '\\\\' (U+005C) at position 1, "
         "which OBS object names do not allow"),
        ("b", "x\u0000", "fileName contains U+0000 at position 1, "
         "which OBS object names do not allow"),
        ("b", "../../x", "fileName contains '/' (U+002F) at position 2, "
         "which OBS object names do not allow"),
    ],
)
def test_export__paths_leaving_the_root_write_nothing(
    default_server: MockProcess, export_path: str, file_name: str, message: str
) -> None:
    before = sorted(os.walk(default_server.obs_root.parent))
    body = {"exportPath": export_path, "fileName": file_name, "obsParameters": OBS}

    answer = requests.post(
        default_server.api() + EXPORT.format(job="louvain-demo"),
        json=body,
        headers=TOKEN,
        timeout=10,
    )

    assert answer.status_code == 400
    assert answer.json() == {"errorMessage": message, "errorCode": "GES.8000"}
    assert sorted(os.walk(default_server.obs_root.parent)) == before


def test_export__wrong_action_id(default_server: MockProcess) -> None:
    url = default_server.api() + "/jobs/louvain-demo/action?action_id=export"

    answer = requests.post(url, json=SAMPLE_BODY, headers=TOKEN, timeout=10)

    assert answer.status_code == 400
    assert answer.json() == {
        "errorMessage": "action_id must be 'export-result', got 'export'",
        "errorCode": "GES.8000",
    }


def test_unknown_route_is_json_404(default_server: MockProcess) -> None:
    answer = requests.get(default_server.url + "/ges/v1.0/p1/nothing", timeout=10)

    assert answer.status_code == 404
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json() == {
        "errorMessage": "no such API: GET /ges/v1.0/p1/nothing",
        "errorCode": "GES.8000",
    }


def test_wrong_method_is_json_405(default_server: MockProcess) -> None:
    path = "/jobs/louvain-demo/action"

    answer = requests.get(default_server.api() + path, headers=TOKEN, timeout=10)

    assert answer.status_code == 405
    assert answer.headers["Allow"] == "POST"
    assert answer.json() == {
        "errorMessage": f"method GET is not allowed on /ges/v1.0/p1/graphs/movie{path}; "
                        "allowed: POST",
        "errorCode": "GES.8000",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?limit=0", "limit must be an integer from 1 to 100000, got '0'"),
        ("?limit=100001", "limit must be an integer from 1 to 100000, got '100001'"),
        ("?offset=-1", "offset must be an integer from 0 to 2147483647, got '-1'"),
        ("?offset=x", "offset must be an integer from 0 to 2147483647, got 'x'"),
        ("?limit=%EF%BC%92", "limit must be an integer from 1 to 100000, got '\uff12'"),
        ("?limit=1_0", "limit must be an integer from 1 to 100000, got '1_0'"),
        ("?limit=%2B2", "limit must be an integer from 1 to 100000, got '+2'"),
        ("?limit=%202", "limit must be an integer from 1 to 100000, got ' 2'"),
        ("?offset=99999999999999999999999",
         "offset must be an integer from 0 to 2147483647, got '99999999999999999999999'"),
        ("?offset=0&offset=1", "offset must be given once, got 2 values"),
    ],
)
def test_status__bad_paging_names_the_parameter(
    default_server: MockProcess, query: str, message: str
) -> None:
    url = f"{default_server.api()}/jobs/louvain-demo/status{query}"

    answer = requests.get(url, headers=TOKEN, timeout=10)

    assert answer.status_code == 400
    assert answer.json() == {"errorMessage": message, "errorCode": "GES.8000"}


def test_status__unknown_job_is_ges_8301(default_server: MockProcess) -> None:
    answer = requests.get(f"{default_server.api()}/jobs/nope/status", headers=TOKEN, timeout=10)

    assert answer.status_code == 400
    assert answer.json() == {"errorMessage": "can not find job, jobId is nope",
                             "errorCode": "GES.8301"}


def test_export__a_refused_target_takes_no_job_id(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process()
    url = server.api() + EXPORT.format(job="louvain-demo")

    def export(**fields: Any) -> requests.Response:
        body = {**SAMPLE_BODY, **fields}
        body = {name: value for name, value in body.items() if value is not None}
        return requests.post(url, json=body, headers=TOKEN, timeout=10)

    first = export(fileName="a").json()["jobId"]
    assert export(exportPath="../x").status_code == 400
    assert export(fileName="%").status_code == 400
    assert export(exportPath="b/|").status_code == 400
    assert export(exportPath="b/" + "q" * 256, fileName=None).status_code == 400
    assert export(exportPath="b/x.tmp/", fileName=None).status_code == 400
    second = export(fileName="b").json()["jobId"]

    assert (first[-9:], second[-9:]) == ("000000001", "000000002")
