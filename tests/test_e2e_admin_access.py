"""The admin token and the admin port, and secrets kept out of journal and log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

import requests
from conftest import TOKEN
from mockproc import MockProcess

from ges_mock.harness import GesMock

EXPORT = "/jobs/louvain-demo/action?action_id=export-result"
ADMIN_TOKEN = "admin-secret-6f1d2c"
ADMIN_HEADER = {"X-Ges-Mock-Admin-Token": ADMIN_TOKEN}
Start = Callable[..., MockProcess]


def _with_token(start: Start, *args: str, **kwargs: object) -> MockProcess:
    server = start(*args, **kwargs)
    server.admin_token = ADMIN_TOKEN
    return server


def test_admin_token__refuses_admin_requests_without_it(mock_process: Start) -> None:
    server = _with_token(mock_process, "--admin-token", ADMIN_TOKEN)

    missing = requests.get(f"{server.url}/__admin/requests", timeout=10)
    wrong = requests.post(
        f"{server.url}/__admin/reset",
        headers={"X-Ges-Mock-Admin-Token": "guess"},
        timeout=10,
    )

    assert missing.status_code == 401
    assert missing.json() == {
        "error": "admin request GET /__admin/requests needs the admin token "
        "in the X-Ges-Mock-Admin-Token header"
    }
    assert wrong.status_code == 401
    assert wrong.json() == {
        "error": "admin request POST /__admin/reset needs the admin token "
        "in the X-Ges-Mock-Admin-Token header"
    }


def test_admin_token__lets_the_token_and_healthchecks_through(
    mock_process: Start,
) -> None:
    server = _with_token(
        mock_process, env={"GES_MOCK_ADMIN_TOKEN": ADMIN_TOKEN}
    )

    health = requests.get(f"{server.url}/__admin/health", timeout=10)
    ready = requests.get(f"{server.url}/__admin/ready", timeout=10)
    count = requests.get(
        f"{server.url}/__admin/requests/count", headers=ADMIN_HEADER, timeout=10
    )

    assert (health.status_code, health.json()) == (200, {"status": "up"})
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ready", "scenarios": ["default"]},
    )
    assert (count.status_code, count.json()) == (200, {"count": 0})


def test_admin_port__serves_admin_only_there(mock_process: Start) -> None:
    server = mock_process("--admin-port", "0")
    assert server.admin_url is not None and server.admin_url != server.url

    exported = requests.post(
        server.api() + EXPORT, json=_body(), headers=TOKEN, timeout=10
    )
    on_main = requests.get(f"{server.url}/__admin/requests/count", timeout=10)
    on_admin = requests.get(f"{server.admin_url}/__admin/requests/count", timeout=10)
    api_on_admin = requests.get(server.admin_url + "/ges/v1.0/p1/graphs", timeout=10)

    assert exported.status_code == 200
    assert on_main.status_code == 404
    assert on_main.json()["errorCode"] == "GES.8000"
    assert (on_admin.status_code, on_admin.json()) == (200, {"count": 1})
    assert (api_on_admin.status_code, api_on_admin.json()) == (
        404,
        {"error": "the admin port serves only /__admin/, not GET /ges/v1.0/p1/graphs"},
    )


def test_admin_port__harness_and_ready_use_it_with_the_token(
    mock_process: Start,
) -> None:
    server = _with_token(
        mock_process, "--admin-port", "0", "--admin-token", ADMIN_TOKEN
    )
    assert server.admin_url is not None
    handle = GesMock(
        server.url, server.obs_root, admin_url=server.admin_url, admin_token=ADMIN_TOKEN
    )

    requests.post(server.api() + EXPORT, json=_body(), headers=TOKEN, timeout=10)
    counted = handle.count(endpoint="export-result")
    reset = handle.reset()
    ready = subprocess.run(
        [sys.executable, "-m", "ges_mock", "ready"],
        env={**os.environ, "GES_MOCK_ADMIN_PORT": server.admin_url.rsplit(":", 1)[1]},
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert counted == 1
    assert reset["journal_cleared"] == 1
    assert ready.returncode == 0
    assert json.loads(ready.stdout) == {"status": "ready", "scenarios": ["default"]}


def test_secrets__never_in_the_journal_nor_the_debug_log(mock_process: Start) -> None:
    server = _with_token(
        mock_process, "--admin-token", ADMIN_TOKEN, "--log-level", "DEBUG"
    )
    secrets = ["test-token", "AK-5e8a1f0c", "SK-9b7d3e2a", ADMIN_TOKEN]
    headers = {**TOKEN, **ADMIN_HEADER}

    exported = requests.post(
        server.api() + EXPORT, json=_body(), headers=headers, timeout=10
    )
    again = requests.post(
        server.api() + EXPORT,
        json=_body(),
        headers={**headers, "X-Auth-Token": "other-token-77"},
        timeout=10,
    )
    journal = requests.get(
        f"{server.url}/__admin/requests", headers=ADMIN_HEADER, timeout=10
    )
    shown = journal.text
    entries = journal.json()["requests"]
    server.log_lines_with("export-result")
    log = server.log()

    assert exported.status_code == 200
    assert again.status_code == 200
    assert [e["headers"]["X-Auth-Token"] for e in entries] == ["***", "***"]
    assert [e["headers"]["X-Ges-Mock-Admin-Token"] for e in entries] == ["***", "***"]
    assert [e["body"]["obsParameters"] for e in entries] == [
        {"accessKey": "***", "secretKey": "***"}
    ] * 2
    for secret in [*secrets, "other-token-77"]:
        assert secret not in shown
        assert secret not in log
    assert "export-result" in log


def _body() -> dict[str, object]:
    return {
        "exportPath": "demo_movie/",
        "fileName": "louvain",
        "obsParameters": {"accessKey": "AK-5e8a1f0c", "secretKey": "SK-9b7d3e2a"},
    }
