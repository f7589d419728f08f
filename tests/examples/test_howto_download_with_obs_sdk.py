"""How-to: export a result, download it with esdk-obs-python, check the calls."""

from __future__ import annotations

import obs
import requests

from ges_mock.harness import GesMock

TOKEN = {"X-Auth-Token": "any-token"}
OBS_KEYS = {"accessKey": "my-ak", "secretKey": "my-sk"}


def export_and_download(api: str, obs_server: str, job_id: str) -> bytes:
    """The client code under test: export, poll until complete, download the CSV."""
    body = {"exportPath": "demo_movie/", "fileName": "louvain",
            "obsParameters": OBS_KEYS}
    url = f"{api}/jobs/{job_id}/action?action_id=export-result"
    export_id = requests.post(url, json=body, headers=TOKEN, timeout=10).json()["jobId"]
    for _ in range(10):
        status_url = f"{api}/jobs/{export_id}/status"
        status = requests.get(status_url, headers=TOKEN, timeout=10)
        if status.json()["status"] == "complete":
            break
    client = obs.ObsClient(access_key_id=OBS_KEYS["accessKey"],
                           secret_access_key=OBS_KEYS["secretKey"],
                           server=obs_server, path_style=True)
    answer = client.getObject("demo_movie", "louvain.csv", loadStreamInMemory=True)
    assert answer.status == 200, answer.errorMessage
    content: bytes = answer.body.buffer
    return content


def test_download_the_export_with_the_obs_sdk(ges_mock: GesMock) -> None:
    assert ges_mock.obs_url is not None

    csv = export_and_download(ges_mock.api(), ges_mock.obs_url, "louvain-demo")

    lines = csv.decode().splitlines()
    assert lines[3:5] == ["#data_total_size: 34", "#community:"]
    assert len(lines[5:]) == 34
    ges_mock.assert_requests(1, endpoint="export-result", status=200)
