"""The admin surface under /__admin/, against `ges-mock serve` as a process."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from conftest import SAMPLE_BODY, TOKEN
from mockproc import MockProcess

EXPORT = "/jobs/louvain-demo/action?action_id=export-result"
TIMED = """
name: timed
graphs:
  movie:
    data: {builtin: karate_club}
    jobs: [{id: louvain-demo, algorithm: louvain}]
behaviour:
  export:
    progress: {complete_after_seconds: 60}
"""
Start = Callable[..., MockProcess]
UNKNOWN_ENDPOINT = (
    "endpoint 'bogus' is unknown; known: export-result, job-status, "
    "execute-algorithm, list-jobs, cancel-job"
)


def _admin(
    server: MockProcess, method: str, path: str, **kwargs: Any
) -> requests.Response:
    return requests.request(
        method, f"{server.url}/__admin/{path}", timeout=10, **kwargs
    )


def _export(
    server: MockProcess, body: dict[str, Any] = SAMPLE_BODY
) -> requests.Response:
    return requests.post(server.api() + EXPORT, json=body, headers=TOKEN, timeout=10)


def _status(server: MockProcess, job_id: str) -> requests.Response:
    return requests.get(
        f"{server.api()}/jobs/{job_id}/status", headers=TOKEN, timeout=10
    )


def test_admin__health_and_ready(mock_process: Start) -> None:
    server = mock_process()

    health = _admin(server, "GET", "health")
    ready = _admin(server, "GET", "ready")

    assert (health.status_code, health.json()) == (200, {"status": "up"})
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ready", "scenarios": ["default"]},
    )


def test_admin__journal_records_a_request_with_secrets_masked(
    mock_process: Start,
) -> None:
    server = mock_process()
    answer = _export(server)

    entries = _admin(server, "GET", "requests").json()["requests"]

    entry = entries[0]
    assert len(entries) == 1
    assert entry["seq"] == 1
    assert (entry["method"], entry["path"]) == (
        "POST",
        "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/action",
    )
    assert entry["query"] == {"action_id": "export-result"}
    assert entry["headers"]["X-Auth-Token"] == "***"
    assert entry["body"] == {
        **SAMPLE_BODY,
        "obsParameters": {"accessKey": "***", "secretKey": "***"},
    }
    assert (entry["endpoint"], entry["scenario"], entry["rule"]) == (
        "export-result",
        "default",
        None,
    )
    assert entry["status"] == 200
    assert entry["request_id"] == answer.headers["X-Request-Id"]
    assert entry["response"]["body"] == answer.json()
    assert entry["duration_ms"] >= 0
    assert "xxxx" not in str(entry) and "test-token" not in str(entry)


def test_admin__journal_filters_and_count(mock_process: Start) -> None:
    server = mock_process()
    job_id = _export(server).json()["jobId"]
    _status(server, job_id)
    _status(server, "missing")
    middle = time.time()
    _status(server, job_id)

    def seqs(**params: Any) -> list[int]:
        found = _admin(server, "GET", "requests", params=params).json()["requests"]
        return [e["seq"] for e in found]

    assert seqs(endpoint="job-status") == [2, 3, 4]
    assert seqs(status=400) == [3]
    assert seqs(scenario="default", method="post") == [1]
    assert seqs(since=middle) == [4]
    assert seqs(limit=2) == [3, 4]
    assert _admin(server, "GET", "requests/count", params={"status": 200}).json() == {
        "count": 3
    }


def test_admin__journal_clear(mock_process: Start) -> None:
    server = mock_process()
    _export(server)

    cleared = _admin(server, "DELETE", "requests")

    assert cleared.json() == {"cleared": 1}
    assert _admin(server, "GET", "requests/count").json() == {"count": 0}


def test_admin__journal_is_bounded(mock_process: Start) -> None:
    server = mock_process("--journal-size", "2")
    for _ in range(3):
        _status(server, "louvain-demo")

    journal = _admin(server, "GET", "requests").json()

    assert [e["seq"] for e in journal["requests"]] == [2, 3]
    assert (journal["dropped"], journal["size"]) == (1, 2)
    # The teardown's contract check insists on a whole journal; start a new one.
    assert _admin(server, "DELETE", "requests").json() == {"cleared": 2}


def test_admin__verify_counts_matches(mock_process: Start) -> None:
    server = mock_process()
    _export(server)
    _export(server, {**SAMPLE_BODY, "exportPath": "other/"})

    outcome = _admin(
        server,
        "POST",
        "verify",
        json={
            "endpoint": "export-result",
            "status": 200,
            "body": {"exportPath": "demo_movie/"},
        },
    ).json()

    assert outcome["count"] == 1
    assert outcome["requests"][0]["seq"] == 1
    assert outcome["near_misses"] == []


def test_admin__verify_explains_near_misses(mock_process: Start) -> None:
    server = mock_process()
    _export(server, {**SAMPLE_BODY, "exportPath": "other/"})
    _status(server, "louvain-demo")

    outcome = _admin(
        server,
        "POST",
        "verify",
        json={
            "endpoint": "export-result",
            "status": 200,
            "body": {"exportPath": "demo_movie/"},
        },
    ).json()

    assert outcome["count"] == 0
    assert [m["differences"] for m in outcome["near_misses"]] == [
        ["body.exportPath was 'other/', expected 'demo_movie/'"],
        [
            "endpoint was 'job-status', expected 'export-result'",
            "body was None, expected an object with {'exportPath': 'demo_movie/'}",
        ],
    ]
    assert outcome["near_misses"][0]["request"]["seq"] == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"colour": 1},
            "verify body field 'colour' is unknown; known: body, endpoint, "
            "headers, method, path, query, rule, scenario, since, status",
        ),
        ({"status": "200"}, "verify body field 'status' must be an integer, got '200'"),
        ({"body": [1]}, "verify body field 'body' must be an object, got [1]"),
        (
            {"since": "yesterday"},
            "since must be Unix seconds or an ISO 8601 time, got 'yesterday'",
        ),
        ({"endpoint": "bogus"}, UNKNOWN_ENDPOINT),
    ],
)
def test_admin__verify_rejects_bad_criteria(
    default_server: MockProcess, body: dict[str, Any], message: str
) -> None:
    answer = _admin(default_server, "POST", "verify", json=body)

    assert (answer.status_code, answer.json()) == (400, {"error": message})


@pytest.mark.parametrize("path", ["requests", "requests/count"])
def test_admin__journal_filter_on_unknown_endpoint_is_400(
    default_server: MockProcess, path: str
) -> None:
    answer = _admin(default_server, "GET", path, params={"endpoint": "bogus"})

    assert (answer.status_code, answer.json()) == (400, {"error": UNKNOWN_ENDPOINT})


def test_admin__reset_forgets_jobs_journal_and_files(mock_process: Start) -> None:
    server = mock_process()
    job_id = _export(server).json()["jobId"]
    _status(server, job_id)
    _status(server, job_id)

    reset = _admin(server, "POST", "reset", json={"obs_files": True})

    assert reset.json() == {
        "reset": ["default"],
        "journal_cleared": 3,
        "obs_files_removed": 1,
        "default": "default",
    }
    assert _status(server, job_id).status_code == 400
    assert _status(server, "louvain-demo").status_code == 200
    assert list(server.obs_root.iterdir()) == []
    assert _export(server).json()["jobId"] == job_id


def test_admin__reset_keeps_files_unless_asked(mock_process: Start) -> None:
    server = mock_process()
    job_id = _export(server).json()["jobId"]
    _status(server, job_id)
    _status(server, job_id)

    reset = _admin(server, "POST", "reset", json={"scenario": "default"})

    assert reset.json()["obs_files_removed"] == 0
    assert (server.obs_root / "demo_movie" / "louvain.csv").is_file()


def test_admin__load_list_and_replace_scenarios(mock_process: Start) -> None:
    server = mock_process()

    created = _admin(server, "POST", "scenarios", data=TIMED.encode())
    replaced = _admin(
        server, "POST", "scenarios", data=TIMED.encode(), params={"default": "true"}
    )
    listed = _admin(server, "GET", "scenarios").json()

    assert (created.status_code, created.json()) == (
        201,
        {
            "name": "timed",
            "source": "posted.yaml",
            "replaced": False,
            "default": "default",
        },
    )
    assert (replaced.status_code, replaced.json()["replaced"]) == (200, True)
    assert listed == {
        "default": "timed",
        "scenarios": [
            {"name": "default", "source": "default [bundled]", "graphs": ["movie"]},
            {"name": "timed", "source": "posted.yaml", "graphs": ["movie"]},
        ],
    }


def test_admin__choose_default_and_restore(mock_process: Start) -> None:
    server = mock_process()
    _admin(server, "POST", "scenarios", data=TIMED.encode())

    chosen = _admin(server, "POST", "scenarios/default", json={"scenario": "timed"})
    restored = _admin(server, "POST", "reset", json={"restore": True})

    assert chosen.json() == {"default": "timed"}
    assert restored.json()["default"] == "default"


def test_admin__bad_scenario_names_the_line(mock_process: Start) -> None:
    server = mock_process()

    answer = _admin(server, "POST", "scenarios", data=b"name: x\nseed: -1\n")

    assert answer.status_code == 400
    assert answer.json()["error"].startswith("scenario is not valid: posted.yaml:2: ")
    assert len(answer.json()["problems"]) == 1


def test_admin__advance_the_clock_finishes_a_timed_export(mock_process: Start) -> None:
    server = mock_process()
    _admin(server, "POST", "scenarios", data=TIMED.encode(), params={"default": "true"})
    job_id = _export(server).json()["jobId"]
    before = _status(server, job_id).json()["status"]

    advanced = _admin(server, "POST", "clock/advance", json={"seconds": 60})
    after = _status(server, job_id).json()["status"]

    assert advanced.json() == {"scenario": "timed", "advanced": 60}
    assert (before, after) == ("running", "complete")


@pytest.mark.parametrize("seconds", [-1, "ten", True, None])
def test_admin__advance_rejects_bad_seconds(
    default_server: MockProcess, seconds: Any
) -> None:
    answer = _admin(default_server, "POST", "clock/advance", json={"seconds": seconds})

    assert answer.status_code == 400
    assert answer.json() == {
        "error": "clock/advance 'seconds' must be a number of at "
        f"least 0, got {seconds!r}"
    }


def test_admin__files_have_size_and_sha256(mock_process: Start) -> None:
    server = mock_process()
    job_id = _export(server).json()["jobId"]
    _status(server, job_id)
    _status(server, job_id)
    (server.obs_root / "demo_movie" / ".half.csv.x.tmp").write_text("partial")

    files = _admin(server, "GET", "files").json()["files"]

    data = (server.obs_root / "demo_movie" / "louvain.csv").read_bytes()
    assert files == [
        {
            "key": "demo_movie/louvain.csv",
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    ]


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("GET", "nothing", 404, "no admin endpoint GET /__admin/nothing"),
        ("POST", "reset", 404, "no loaded scenario 'ghost'; loaded: default"),
        (
            "DELETE",
            "requests?scenario=ghost",
            404,
            "no loaded scenario 'ghost'; loaded: default",
        ),
        (
            "GET",
            "requests?status=abc",
            400,
            "query parameter status must be a whole number, got 'abc'",
        ),
    ],
)
def test_admin__errors_are_one_sentence_json(
    default_server: MockProcess, method: str, path: str, status: int, message: str
) -> None:
    body = {"scenario": "ghost"} if path == "reset" else None

    answer = _admin(default_server, method, path, json=body)

    assert (answer.status_code, answer.json()) == (status, {"error": message})


def test_admin__bypasses_auth_and_stays_out_of_the_journal(mock_process: Start) -> None:
    server = mock_process()

    for path in ("health", "ready", "scenarios", "files", "requests"):
        assert _admin(server, "GET", path).status_code == 200
    requests.get(server.url + "/openapi.json", timeout=10)

    assert _admin(server, "GET", "requests/count").json() == {"count": 0}

