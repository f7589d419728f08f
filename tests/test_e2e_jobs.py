"""Running, listing and cancelling jobs through `ges-mock serve`, with exact answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from conftest import SAMPLE_BODY, TOKEN
from ges_mock.validation import first_problem
from mockproc import MockProcess

EXECUTE = "/action?action_id=execute-algorithm"


def _post(
    server: MockProcess, path: str, body: Any, graph: str = "movie"
) -> requests.Response:
    return requests.post(
        server.api(graph=graph) + path, json=body, headers=TOKEN, timeout=10
    )


def _get(server: MockProcess, path: str) -> requests.Response:
    return requests.get(server.api() + path, headers=TOKEN, timeout=10)


def _delete(server: MockProcess, job_id: str) -> requests.Response:
    return requests.delete(f"{server.api()}/jobs/{job_id}", headers=TOKEN, timeout=10)


@pytest.mark.parametrize(
    ("body", "graph", "code", "message"),
    [
        ({"parameters": {}}, "movie", "GES.8401", "algorithmName must not be empty"),
        ({"algorithmName": ""}, "movie", "GES.8401", "algorithmName must not be empty"),
        (
            {"algorithmName": "nope"},
            "movie",
            "GES.8402",
            "algorithm [nope] is not supported",
        ),
        ({"algorithmName": "kcore"}, "demo", "GES.8402", "graph [demo] is not found"),
        (
            {
                "algorithmName": "kcore",
                "parameters": {"k": 1},
                "executionMode": "later",
            },
            "movie",
            "GES.8404",
            "executionMode must be 'sync' or 'async', got 'later'",
        ),
        ({"algorithmName": "kcore"}, "movie", "GES.8000", "parameters.k is required"),
        (
            {"algorithmName": "pagerank", "parameters": {"alpha": "high"}},
            "movie",
            "GES.8000",
            'parameters.alpha must be a number, got "high"',
        ),
        (
            {"algorithmName": "kcore", "parameters": []},
            "movie",
            "GES.8000",
            "parameters must be an object, got []",
        ),
    ],
)
def test_execute__documented_errors(
    default_server: MockProcess, body: Any, graph: str, code: str, message: str
) -> None:
    answer = _post(default_server, EXECUTE, body, graph=graph)

    assert answer.status_code == 400
    assert answer.json() == {"errorMessage": message, "errorCode": code}


def test_execute__sync_answers_the_outputs(default_server: MockProcess) -> None:
    body = {
        "algorithmName": "closeness",
        "parameters": {"source": 1},
        "executionMode": "sync",
    }

    answer = _post(default_server, EXECUTE, body).json()

    assert first_problem("execute-algorithm.response", answer) is None
    assert answer["status"] == "complete" and answer["jobType"] == 1
    outputs = answer["data"]["outputs"]
    assert outputs == {
        "source": "1",
        "closeness": 0.5689655172413793,
        "runtime": outputs["runtime"],
    }


def test_execute__sync_failure_is_a_400_and_a_failed_job(
    default_server: MockProcess,
) -> None:
    body = {
        "algorithmName": "sssp",
        "parameters": {"source": "99"},
        "executionMode": "sync",
    }

    answer = _post(default_server, EXECUTE, body)
    listed = _get(default_server, "/jobs/status").json()["jobs"][-1]

    assert answer.status_code == 400
    assert answer.json() == {
        "errorMessage": "vertex [99] of parameter source is not found",
        "errorCode": "GES.8402",
    }
    assert listed["status"] == "failed" and listed["request"]["body"] == body


def test_failed_job__reports_its_error_and_cannot_be_exported(
    default_server: MockProcess,
) -> None:
    body = {"algorithmName": "closeness", "parameters": {"source": "x"}}
    job_id = _post(default_server, EXECUTE, body).json()["jobId"]

    _get(default_server, f"/jobs/{job_id}/status")
    status = _get(default_server, f"/jobs/{job_id}/status").json()
    export = _post(
        default_server, f"/jobs/{job_id}/action?action_id=export-result", SAMPLE_BODY
    )

    assert status == {
        "status": "failed",
        "data": {"outputs": {}},
        "errorMessage": "vertex [x] of parameter source is not found",
        "errorCode": "GES.8402",
    }
    assert export.status_code == 400
    assert export.json() == {
        "errorMessage": f"job [{job_id}] has failed and has no result to export",
        "errorCode": "GES.8011",
    }


def test_status__pages_only_paging_algorithms(default_server: MockProcess) -> None:
    body = {"algorithmName": "pagerank", "parameters": {}}
    job_id = _post(default_server, EXECUTE, body).json()["jobId"]

    _get(default_server, f"/jobs/{job_id}/status")
    page = _get(default_server, f"/jobs/{job_id}/status?offset=30&limit=10").json()
    too_far = _get(default_server, f"/jobs/{job_id}/status?limit=100001")

    outputs = page["data"]["outputs"]
    assert list(outputs) == [
        "pagerank",
        "runtime",
        "data_return_size",
        "data_offset",
        "data_total_size",
    ]
    assert [list(item) for item in outputs["pagerank"]] == [
        ["31"],
        ["32"],
        ["33"],
        ["34"],
    ]
    assert (outputs["data_return_size"], outputs["data_offset"]) == (4, 30)
    assert outputs["data_total_size"] == 34
    assert too_far.status_code == 400
    assert (
        too_far.json()["errorMessage"]
        == "limit must be an integer from 1 to 100000, got '100001'"
    )


def test_list__shows_jobs_oldest_first_with_paging(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process()
    first = _post(server, EXECUTE, {"algorithmName": "kcore", "parameters": {"k": 1}})

    listed = _get(server, "/jobs/status").json()
    paged = _get(server, "/jobs/status?offset=1&limit=1").json()
    bad = _get(server, "/jobs/status?offset=-1")

    assert first_problem("list-jobs.response", listed) is None
    assert [job["jobId"] for job in listed["jobs"]] == [
        "louvain-demo",
        first.json()["jobId"],
    ]
    assert listed["jobs"][1] == {
        "jobId": first.json()["jobId"],
        "status": "running",  # as its first poll will say
        "request": {
            "command": "POST",
            "url": "/ges/v1.0/p1/graphs/movie/action?action_id=execute-algorithm",
            "body": {"algorithmName": "kcore", "parameters": {"k": 1}},
        },
    }
    assert paged == {"result": "success", "jobs": [listed["jobs"][1]]}
    assert bad.status_code == 400 and bad.json()["errorCode"] == "GES.8000"


def test_cancel__pending_job_then_the_documented_errors(
    default_server: MockProcess,
) -> None:
    job_id = _post(default_server, EXECUTE, {"algorithmName": "pagerank"}).json()[
        "jobId"
    ]

    cancelled = _delete(default_server, job_id)
    again = _delete(default_server, job_id)
    finished = _delete(default_server, "louvain-demo")
    unknown = _delete(default_server, "no-such-job")
    status = _get(default_server, f"/jobs/{job_id}/status").json()

    assert (cancelled.status_code, cancelled.json()) == (200, {})
    assert again.json() == {
        "errorMessage": f"can not find job to cancel, id is {job_id}",
        "errorCode": "GES.8303",
    }
    assert finished.status_code == 400 and finished.json()["errorCode"] == "GES.8303"
    assert (
        unknown.json()["errorMessage"]
        == "can not find job to cancel, id is no-such-job"
    )
    assert status == {"status": "cancelled", "data": {"outputs": {}}}


def test_cancel__export_job_is_unsupported(default_server: MockProcess) -> None:
    export = _post(
        default_server,
        "/jobs/louvain-demo/action?action_id=export-result",
        {**SAMPLE_BODY, "fileName": "cancel-me"},
    )
    job_id = export.json()["jobId"]

    answer = _delete(default_server, job_id)

    assert answer.status_code == 400
    assert answer.json() == {
        "errorMessage": f"Unsupported Operation: job {job_id} is an export job "
        "and cannot be cancelled",
        "errorCode": "GES.8303",
    }


def test_scenario_graphs__csv_generated_and_literal_result(
    tmp_path: Path, mock_process: Callable[..., MockProcess]
) -> None:
    (tmp_path / "edges.csv").write_text("source,target,weight\na,b,2\nb,c,1\na,c,5\n")
    scenario = tmp_path / "graphs.yaml"
    scenario.write_text(
        "name: graphs\n"
        "graphs:\n"
        "  movie:\n"
        "    data: {csv: edges.csv}\n"
        "    jobs:\n"
        "      - id: literal\n"
        "        algorithm: traingle_count\n"
        "        result: {scalars: {triangle_count: 7}, rows: [[a, 21]]}\n"
        "  big:\n"
        "    data: {generated: {vertices: 500, edges_per_vertex: 2, seed: 3}}\n"
    )
    server = mock_process("--scenario", str(scenario))
    body = {
        "algorithmName": "shortest_path",
        "executionMode": "sync",
        "parameters": {"source": "a", "target": "c", "weight": "weight"},
    }

    path = _post(server, EXECUTE, body).json()["data"]["outputs"]["path"]
    literal = _get(server, "/jobs/literal/status").json()["data"]["outputs"]
    ranks = _post(
        server,
        EXECUTE,
        {"algorithmName": "pagerank", "executionMode": "sync"},
        graph="big",
    ).json()["data"]["outputs"]

    assert path == ["a", "b", "c"]
    assert literal == {
        "triangle_count": 7,
        "vertex_triangles": [{"a": 21}],
        "runtime": literal["runtime"],
    }
    assert ranks["data_total_size"] == 500


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("GET", "/jobs/louvain-demo/status", "GES.8301"),
        ("GET", "/jobs/status", "GES.8301"),
        ("DELETE", "/jobs/louvain-demo", "GES.8303"),
    ],
)
def test_unknown_graph__each_call_answers_with_its_own_code(
    default_server: MockProcess, method: str, path: str, code: str
) -> None:
    url = default_server.api(graph="demo") + path

    answer = requests.request(method, url, headers=TOKEN, timeout=10)

    assert (answer.status_code, answer.json()) == (
        400, {"errorMessage": "graph [demo] is not found", "errorCode": code}
    )
