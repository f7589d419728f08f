"""How-to: export a job's result through ges-mock and check what was called."""

from __future__ import annotations

import requests

from ges_mock.harness import GesMock

TOKEN = {"X-Auth-Token": "any-token"}
BODY = {
    "exportPath": "demo_movie/",
    "fileName": "louvain",
    "obsParameters": {"accessKey": "my-ak", "secretKey": "my-sk"},
}


def export_and_wait(api: str, job_id: str, body: dict[str, object]) -> str:
    """The client code under test: export a job's result, poll until it is done."""
    url = f"{api}/jobs/{job_id}/action?action_id=export-result"
    export_id = requests.post(url, json=body, headers=TOKEN, timeout=10).json()["jobId"]
    for _ in range(10):
        status_url = f"{api}/jobs/{export_id}/status"
        status = requests.get(status_url, headers=TOKEN, timeout=10)
        if status.json()["status"] == "complete":
            return export_id
    raise RuntimeError(f"export job {export_id} did not complete")


def test_export_writes_the_file_and_calls_export_once(ges_mock: GesMock) -> None:
    export_and_wait(ges_mock.api(), "louvain-demo", BODY)

    exported = ges_mock.obs_root / "demo_movie" / "louvain.csv"
    assert exported.read_text().splitlines()[3] == "#data_total_size: 34"
    ges_mock.assert_requests(1, endpoint="export-result", status=200,
                             body={"exportPath": "demo_movie/"})
    assert ges_mock.count(endpoint="job-status") == 2
