"""Bundled scenarios, several scenarios side by side, and reloading edited files."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import requests
from conftest import SAMPLE_BODY, TOKEN
from mockproc import MockProcess, start_mock_process

EXPORT = "/jobs/louvain-demo/action?action_id=export-result"
FIRST_JOB = "e3e70682-c209-4cac-a29f-6fbed82c07cd000000001"
BUNDLED = [
    "export-200",
    "export-400",
    "export-401",
    "export-403",
    "export-404",
    "export-500",
    "export-503",
    "flaky",
    "slow",
]
Start = Callable[..., MockProcess]


@pytest.fixture(scope="module")
def bundled_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProcess]:
    """One server running every bundled scenario, chosen per request by header."""
    obs_root = tmp_path_factory.mktemp("bundled") / "obs"
    args = [arg for name in BUNDLED for arg in ("--scenario", name)]
    server = start_mock_process(obs_root, *args)
    yield server
    server.stop()


def _export(
    server: MockProcess,
    scenario: str | None = None,
    token: str = "test-token",
    project: str = "p1",
) -> requests.Response:
    headers = {"X-Auth-Token": token}
    if scenario is not None:
        headers["X-Ges-Mock-Scenario"] = scenario
    url = server.api(project=project) + EXPORT
    return requests.post(url, json=SAMPLE_BODY, headers=headers, timeout=10)


def _status(server: MockProcess, scenario: str, job_id: str) -> requests.Response:
    headers = {**TOKEN, "X-Ges-Mock-Scenario": scenario}
    url = f"{server.api()}/jobs/{job_id}/status"
    return requests.get(url, headers=headers, timeout=10)


def test_bundled__200_exports_and_the_file_lands(bundled_server: MockProcess) -> None:
    answer = _export(bundled_server, "export-200")
    polls = [
        _status(bundled_server, "export-200", FIRST_JOB).json()["status"]
        for _ in range(2)
    ]

    assert (answer.status_code, answer.json()) == (200, {"jobId": FIRST_JOB})
    assert polls == ["running", "complete"]
    written = bundled_server.obs_root / "export-200" / "demo_movie" / "louvain.csv"
    assert written.read_text("utf-8").count("\n") == 5 + 34


@pytest.mark.parametrize(
    ("scenario", "token", "status", "body"),
    [
        (
            "export-400",
            "test-token",
            400,
            {"errorMessage": "graph [demo] is not found", "errorCode": "GES.8011"},
        ),
        (
            "export-403",
            "readonly-token",
            403,
            {
                "errorMessage": "user has no permission to operate graph [movie]",
                "errorCode": "GES.8020",
            },
        ),
        (
            "export-500",
            "test-token",
            500,
            {"errorMessage": "internal error while querying", "errorCode": "GES.8002"},
        ),
        (
            "export-503",
            "test-token",
            503,
            {"errorMessage": "engine service unavailable", "errorCode": "GES.8602"},
        ),
    ],
)
def test_bundled__engine_error(
    bundled_server: MockProcess,
    scenario: str,
    token: str,
    status: int,
    body: dict[str, Any],
) -> None:
    answer = _export(bundled_server, scenario, token)

    assert answer.status_code == status
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json() == body


def test_bundled__403_only_where_the_token_lacks_permission(
    bundled_server: MockProcess,
) -> None:
    headers = {"X-Auth-Token": "readonly-token", "X-Ges-Mock-Scenario": "export-403"}
    url = bundled_server.api(graph="public") + EXPORT.replace("demo", "public")

    other_graph = requests.post(url, json=SAMPLE_BODY, headers=headers, timeout=10)
    other_token = _export(bundled_server, "export-403", "writer-token")

    assert other_graph.status_code == 200
    assert other_token.status_code == 200


@pytest.mark.parametrize(
    ("scenario", "token", "status", "message", "code"),
    [
        (
            "export-401",
            "test-token",
            401,
            "Incorrect IAM authentication information: decrypt token fail",
            "APIGW.0301",
        ),
        (
            "export-404",
            "test-token",
            404,
            "The API does not exist or has not been published in the environment",
            "APIGW.0101",
        ),
    ],
)
def test_bundled__gateway_error(
    bundled_server: MockProcess,
    scenario: str,
    token: str,
    status: int,
    message: str,
    code: str,
) -> None:
    answer = _export(bundled_server, scenario, token)

    assert answer.status_code == status
    assert answer.json() == {
        "error_msg": message,
        "error_code": code,
        "request_id": answer.headers["X-Request-Id"],
    }


def test_bundled__401_expired_token(bundled_server: MockProcess) -> None:
    answer = _export(bundled_server, "export-401", "expired-token")
    again = _export(bundled_server, "export-401", "expired-token")

    body = answer.json()
    assert answer.status_code == 401
    assert body["error_code"] == "APIGW.0301"
    assert body["error_msg"].startswith(
        "Incorrect IAM authentication information: token expires, expires_at: "
    )
    assert again.json()["error_msg"] == body["error_msg"]  # one expiry per token


def test_bundled__flaky_fails_twice_then_exports(bundled_server: MockProcess) -> None:
    answers = [_export(bundled_server, "flaky") for _ in range(3)]

    assert [a.status_code for a in answers] == [503, 503, 200]
    assert answers[0].json() == {
        "errorMessage": "engine service unavailable",
        "errorCode": "GES.8602",
    }
    assert answers[2].json() == {"jobId": FIRST_JOB}


def test_bundled__slow_answers_after_a_second(bundled_server: MockProcess) -> None:
    started = time.monotonic()
    answer = _export(bundled_server, "slow")
    elapsed = time.monotonic() - started

    assert answer.status_code == 200
    assert 1.0 <= elapsed < 10
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(
            bundled_server.api() + EXPORT,
            json=SAMPLE_BODY,
            headers={**TOKEN, "X-Ges-Mock-Scenario": "slow"},
            timeout=0.3,
        )


def test_bundled__unknown_scenario_header_is_ges_8000(
    bundled_server: MockProcess,
) -> None:
    answer = _export(bundled_server, "nope")

    assert answer.status_code == 400
    assert answer.json() == {
        "errorMessage": "X-Ges-Mock-Scenario names no loaded scenario: 'nope'; loaded: "
        + ", ".join(sorted(BUNDLED)),
        "errorCode": "GES.8000",
    }


def test_bundled__no_header_means_the_first_scenario(
    bundled_server: MockProcess,
) -> None:
    answer = _export(bundled_server, None, "any")

    assert answer.status_code == 200


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def _scenario(name: str, extra: str = "") -> str:
    return (
        f"name: {name}\nseed: 0\n{extra}"
        "graphs:\n  movie:\n    data: {builtin: karate_club}\n"
        "    jobs: [{id: louvain-demo, algorithm: louvain}]\n"
    )


FLAKY_RULE = (
    "rules:\n  - match: {endpoint: export}\n"
    "    sequence: [{respond: {status: 503}}, normal]\n"
)


def test_side_by_side__concurrent_requests_stay_apart(
    mock_process: Start, tmp_path: Path
) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    _write(folder / "a.yaml", _scenario("alpha", FLAKY_RULE))
    _write(folder / "b.yaml", _scenario("beta", FLAKY_RULE))
    server = mock_process("--scenario", str(folder))

    async def drive(name: str, file_name: str) -> list[Any]:
        headers = {**TOKEN, "X-Ges-Mock-Scenario": name}
        body = {**SAMPLE_BODY, "fileName": file_name}
        seen: list[Any] = []
        async with aiohttp.ClientSession(headers=headers) as session:
            for _ in range(2):
                async with session.post(server.api() + EXPORT, json=body) as answer:
                    seen.append((answer.status, await answer.json()))
            job_id = seen[-1][1]["jobId"]
            for _ in range(2):
                url = f"{server.api()}/jobs/{job_id}/status"
                async with session.get(url) as polled:
                    seen.append((await polled.json())["status"])
        return seen

    async def both() -> list[list[Any]]:
        return list(
            await asyncio.gather(drive("alpha", "alpha"), drive("beta", "beta"))
        )

    alpha, beta = asyncio.run(both())

    # Each scenario counts its own rule matches and numbers its own jobs.
    expected = [
        (503, {"errorMessage": "engine service unavailable", "errorCode": "GES.8602"}),
        (200, {"jobId": FIRST_JOB}),
        "running",
        "complete",
    ]
    assert alpha == expected
    assert beta == expected
    assert sorted(os.listdir(server.obs_root)) == ["alpha", "beta"]
    assert os.listdir(server.obs_root / "alpha" / "demo_movie") == ["alpha.csv"]
    assert os.listdir(server.obs_root / "beta" / "demo_movie") == ["beta.csv"]


def test_side_by_side__many_concurrent_clients(
    mock_process: Start, tmp_path: Path
) -> None:
    one = _write(tmp_path / "one.yaml", _scenario("one"))
    two = _write(tmp_path / "two.yaml", _scenario("two"))
    server = mock_process("--scenario", str(one), "--scenario", str(two))

    async def export(session: aiohttp.ClientSession, name: str, n: int) -> str:
        headers = {"X-Ges-Mock-Scenario": name}
        body = {**SAMPLE_BODY, "fileName": f"{name}-{n}"}
        async with session.post(server.api() + EXPORT, json=body, headers=headers) as a:
            job_id = str((await a.json())["jobId"])
        for _ in range(2):
            url = f"{server.api()}/jobs/{job_id}/status"
            async with session.get(url, headers=headers) as polled:
                await polled.read()
        return job_id

    async def run() -> dict[str, list[str]]:
        async with aiohttp.ClientSession(headers=TOKEN) as session:
            jobs = await asyncio.gather(
                *(
                    export(session, name, n)
                    for n in range(20)
                    for name in ("one", "two")
                )
            )
        return {"one": sorted(jobs[0::2]), "two": sorted(jobs[1::2])}

    jobs = asyncio.run(run())

    # Both sequences are the seed's first 20 ids: neither saw the other's jobs.
    assert jobs["one"] == jobs["two"]
    assert len(set(jobs["one"])) == 20
    files = sorted(os.listdir(server.obs_root / "one" / "demo_movie"))
    assert files == sorted(f"one-{n}.csv" for n in range(20))


def test_side_by_side__project_claims_choose_the_scenario(
    mock_process: Start, tmp_path: Path
) -> None:
    main = _write(tmp_path / "main.yaml", _scenario("main"))
    claimed = _write(
        tmp_path / "claimed.yaml",
        _scenario("claimed", "auth: {projects: [p-claimed]}\n" + FLAKY_RULE),
    )
    server = mock_process("--scenario", str(main), "--scenario", str(claimed))

    by_project = _export(server, project="p-claimed")
    by_default = _export(server, project="p-other")

    assert by_project.status_code == 503
    assert by_default.status_code == 200


def test_side_by_side__shared_obs_root_when_asked(
    mock_process: Start, tmp_path: Path
) -> None:
    one = _write(tmp_path / "one.yaml", _scenario("one"))
    two = _write(tmp_path / "two.yaml", _scenario("two"))
    server = mock_process(
        "--scenario", str(one), "--scenario", str(two), "--shared-obs-root"
    )

    _export(server, "two")
    _status(server, "two", FIRST_JOB)
    _status(server, "two", FIRST_JOB)

    assert os.listdir(server.obs_root / "demo_movie") == ["louvain.csv"]


def test_reload__edited_file_answers_the_next_request(
    mock_process: Start, tmp_path: Path
) -> None:
    path = _write(tmp_path / "live.yaml", _scenario("live"))
    server = mock_process("--scenario", str(path))
    before = _export(server)

    _write(path, _scenario("live", FLAKY_RULE))
    after = [_export(server).status_code for _ in range(2)]

    assert before.status_code == 200
    assert after == [503, 200]
    assert "reloaded scenario live from" in server.log()


def test_reload__broken_edit_keeps_the_last_good_version(
    mock_process: Start, tmp_path: Path
) -> None:
    path = _write(tmp_path / "live.yaml", _scenario("live", FLAKY_RULE))
    server = mock_process("--scenario", str(path))
    first = _export(server)

    _write(path, _scenario("live", FLAKY_RULE.replace("503", "299")))
    second = _export(server)

    assert (first.status_code, second.status_code) == (503, 200)
    assert (
        f"{path}:5: rules[0].sequence[0].respond.status: 299 is not a documented status"
    ) in server.log()
    assert "keeps its last good version" in server.log()


def test_reload__renamed_scenario_answers_to_its_new_name(
    mock_process: Start, tmp_path: Path
) -> None:
    path = _write(tmp_path / "live.yaml", _scenario("before"))
    server = mock_process("--scenario", str(path))

    _write(path, _scenario("after-rename", FLAKY_RULE))
    renamed = _export(server, "after-rename")
    old = _export(server, "before")

    assert renamed.status_code == 503
    assert old.status_code == 400
