"""End-to-end: the scenario's OBS credentials guard downloads and exports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import obs
import pytest
import requests

from ges_mock.background import ServerThread
from ges_mock.errors import ScenarioError
from ges_mock.harness import scenario_text
from ges_mock.scenario import load_scenario_text
from ges_mock.server import RunningServer, ServerConfig

TOKEN = {"X-Auth-Token": "any-token"}
OBS_BLOCK = "obs:\n  credentials:\n    accessKey: AK-scn\n    secretKey: SK-scn\n"
EXPORT = "/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/action?action_id=export-result"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    """The default scenario plus OBS credentials, with the OBS read side on."""
    text, _ = scenario_text("default")
    scenario = load_scenario_text(text + OBS_BLOCK, source="creds.yaml")
    thread = ServerThread(
        ServerConfig([scenario], tmp_path / "obs", port=0, obs_port=0,
                     access_log=False, watch=False)
    )
    running = thread.start()
    yield running
    thread.stop()


def export(
    server: RunningServer, access_key: str, secret_key: str
) -> requests.Response:
    """Ask for an export of louvain-demo with these OBS keys."""
    body = {
        "exportPath": "demo_movie/",
        "fileName": "louvain",
        "obsParameters": {"accessKey": access_key, "secretKey": secret_key},
    }
    return requests.post(server.url + EXPORT, json=body, headers=TOKEN, timeout=10)


def test_scenario__obs_credentials_loaded() -> None:
    text, _ = scenario_text("default")

    scenario = load_scenario_text(text + OBS_BLOCK)

    assert scenario.obs_credentials == {"accessKey": "AK-scn", "secretKey": "SK-scn"}


def test_scenario__obs_credentials_need_both_keys() -> None:
    text, _ = scenario_text("default")
    block = "obs:\n  credentials:\n    accessKey: AK-scn\n"

    with pytest.raises(ScenarioError) as raised:
        load_scenario_text(text + block, source="s.yaml")

    assert raised.value.problems == [
        "s.yaml:38: obs.credentials.secretKey: is required"
    ]


@pytest.mark.parametrize(
    ("access_key", "secret_key", "status", "code"),
    [
        ("AK-scn", "SK-scn", 200, None),
        ("AK-scn", "SK-wrong", 403, "SignatureDoesNotMatch"),
        ("AK-other", "SK-scn", 403, "InvalidAccessKeyId"),
    ],
)
def test_obs_read_side__signed_with_scenario_credentials(
    server: RunningServer,
    access_key: str,
    secret_key: str,
    status: int,
    code: str | None,
) -> None:
    (server.obs_root / "demo_movie").mkdir(parents=True)
    (server.obs_root / "demo_movie" / "a.csv").write_bytes(b"1,1\n")
    assert server.obs_url is not None
    client = obs.ObsClient(access_key_id=access_key, secret_access_key=secret_key,
                           server=server.obs_url, path_style=True)

    response = client.getObject("demo_movie", "a.csv", loadStreamInMemory=True)

    assert (response.status, response.errorCode) == (status, code)


def test_export__scenario_credentials_accepted(server: RunningServer) -> None:
    answer = export(server, "AK-scn", "SK-scn")

    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("access_key", "secret_key", "message"),
    [
        ("AK-other", "SK-scn", "export failed, no OBS write permission: "
         "obsParameters.accessKey is not the scenario's OBS access key"),
        ("AK-scn", "SK-other", "export failed, no OBS write permission: "
         "obsParameters.secretKey does not match the access key"),
    ],
)
def test_export__other_credentials_refused(
    server: RunningServer, access_key: str, secret_key: str, message: str
) -> None:
    answer = export(server, access_key, secret_key)

    assert (answer.status_code, answer.json()) == (
        400, {"errorCode": "GES.8011", "errorMessage": message}
    )
    assert not (server.obs_root / "demo_movie").exists()


def test_obs_read_side__follows_a_default_scenario_loaded_later(tmp_path: Path) -> None:
    text, _ = scenario_text("default")
    thread = ServerThread(
        ServerConfig([load_scenario_text(text)], tmp_path / "obs", port=0,
                     obs_port=0, access_log=False, watch=False)
    )
    running = thread.start()
    try:
        (running.obs_root / "b").mkdir(parents=True)
        (running.obs_root / "b" / "a.csv").write_bytes(b"1,1\n")
        guarded = text.replace("name: default", "name: guarded") + OBS_BLOCK
        loaded = requests.post(running.url + "/__admin/scenarios?default=true",
                               data=guarded.encode(), timeout=10)
        assert loaded.status_code == 201
        client = obs.ObsClient(access_key_id="AK-any", secret_access_key="SK-any",
                               server=running.obs_url, path_style=True)

        response = client.getObject("b", "a.csv", loadStreamInMemory=True)

        assert (response.status, response.errorCode) == (403, "InvalidAccessKeyId")
    finally:
        thread.stop()
