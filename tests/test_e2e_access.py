"""Access: loopback by default, a warning when bound wider, no secret in any log."""

from __future__ import annotations

from collections.abc import Callable

import requests
from mockproc import MockProcess

EXPORT = "/jobs/{job}/action?action_id=export-result"
TOKEN_VALUE = "tok-SECRET-1f3a"
ACCESS_KEY = "AK-SECRET-77c2"
SECRET_KEY = "SK-SECRET-90be"
SECRETS = (TOKEN_VALUE, ACCESS_KEY, SECRET_KEY)


def test_default_bind_is_loopback_without_warning(
    mock_process: Callable[..., MockProcess],
) -> None:
    server = mock_process()

    assert server.url.startswith("http://127.0.0.1:")
    assert "WARNING" not in server.log()


def test_wider_bind_warns_at_startup(mock_process: Callable[..., MockProcess]) -> None:
    server = mock_process("--host", "0.0.0.0")

    lines = server.log_lines_with("WARNING ges_mock.server")

    assert len(lines) == 1
    assert lines[0].endswith(
        "listening on 0.0.0.0, not only on this machine: anyone who can reach it "
        f"can write files under {server.obs_root}"
    )


def test_secrets_never_reach_the_log(mock_process: Callable[..., MockProcess]) -> None:
    server = mock_process("--log-level", "DEBUG")
    headers = {"X-Auth-Token": TOKEN_VALUE}
    obs = {"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}
    bodies = [
        {"exportPath": "b", "fileName": "ok", "obsParameters": obs},
        {"exportPath": "b\x00", "obsParameters": obs},
        {"exportPath": "b", "obsParameters": {**obs, "secretKey": 5}},
        {"exportPath": "b", "obsParameters": obs, "extra": SECRET_KEY},
    ]

    answers = [
        requests.post(
            server.api() + EXPORT.format(job=job),
            json=body,
            headers=headers,
            timeout=10,
        )
        for job in ("louvain-demo", "no-such-job")
        for body in bodies
    ]
    answers.append(
        requests.post(
            server.api() + EXPORT.format(job="louvain-demo"),
            data=b'{"obsParameters": "' + SECRET_KEY.encode(),
            headers={**headers, "Content-Type": "application/json"},
            timeout=10,
        )
    )
    answers.append(
        requests.get(
            server.api() + "/jobs/louvain-demo/status", headers=headers, timeout=10
        )
    )
    last_id = answers[-1].headers["X-Request-Id"]
    server.log_lines_with(last_id)
    server.stop()

    assert sorted({a.status_code for a in answers}) == [200, 400]
    log = server.log()
    assert log.count("ges_mock.access") == len(answers)
    assert [secret for secret in SECRETS if secret in log] == []
