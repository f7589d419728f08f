"""How-to: pick a scenario per test, and drive time-based jobs without sleeping."""

from __future__ import annotations

import pytest
import requests

from ges_mock.harness import GesMock

TOKEN = {"X-Auth-Token": "any-token"}
BODY = {"exportPath": "b/dir", "obsParameters": {"accessKey": "ak", "secretKey": "sk"}}

SLOW_EXPORTS = """
name: slow-exports
graphs:
  movie:
    data: {builtin: karate_club}
    jobs: [{id: louvain-demo, algorithm: louvain}]
behaviour:
  export:
    progress: {complete_after_seconds: 600}
"""


@pytest.mark.ges_mock_scenario(SLOW_EXPORTS)
def test_a_slow_export_completes_when_the_clock_moves(ges_mock: GesMock) -> None:
    url = f"{ges_mock.api()}/jobs/louvain-demo/action?action_id=export-result"
    export_id = requests.post(url, json=BODY, headers=TOKEN, timeout=10).json()["jobId"]
    status_url = f"{ges_mock.api()}/jobs/{export_id}/status"

    before = requests.get(status_url, headers=TOKEN, timeout=10).json()["status"]
    ges_mock.advance(600)
    after = requests.get(status_url, headers=TOKEN, timeout=10).json()["status"]

    assert (before, after) == ("running", "complete")
    assert [f["key"] for f in ges_mock.files()] == [f"b/dir/{export_id}.csv"]


def test_near_misses_explain_a_failed_verification(ges_mock: GesMock) -> None:
    url = f"{ges_mock.api()}/jobs/louvain-demo/action?action_id=export-result"
    requests.post(url, json=BODY, headers=TOKEN, timeout=10)

    with pytest.raises(AssertionError) as failure:
        ges_mock.assert_requests(1, body={"exportPath": "b/other"})

    assert "body.exportPath was 'b/dir', expected 'b/other'" in str(failure.value)
