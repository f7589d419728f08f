"""The pytest plugin, exercised in throwaway projects with pytester."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from ges_mock.errors import GesMockError
from ges_mock.harness import GesMock

EXPORT_TEST = """
import requests

TOKEN = {"X-Auth-Token": "t"}
BODY = {"exportPath": "b", "fileName": "f",
        "obsParameters": {"accessKey": "a", "secretKey": "s"}}

def export(ges_mock):
    url = ges_mock.api() + "/jobs/louvain-demo/action?action_id=export-result"
    return requests.post(url, json=BODY, headers=TOKEN, timeout=10)
"""

SCENARIO = """
name: {name}
graphs:
  {graph}:
    data: {{builtin: karate_club}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_plugin__sync_fixture_exports_and_verifies(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        EXPORT_TEST
        + """
def test_export(ges_mock):
    assert export(ges_mock).status_code == 200
    ges_mock.assert_requests(1, endpoint="export-result", status=200)
    assert ges_mock.journal()[0]["body"]["obsParameters"] == {
        "accessKey": "***", "secretKey": "***"}
"""
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)


def test_plugin__each_test_starts_clean(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        EXPORT_TEST
        + """
def test_first(ges_mock):
    job_id = export(ges_mock).json()["jobId"]
    ges_mock.advance(5)
    assert job_id.endswith("000000001")

def test_second(ges_mock):
    assert ges_mock.journal() == []
    assert ges_mock.files() == []
    assert export(ges_mock).json()["jobId"].endswith("000000001")
"""
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=2)


def test_plugin__ini_option_picks_the_session_scenario(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".yaml", custom=SCENARIO.format(name="custom", graph="g1"))
    pytester.makeini("[pytest]\nges_mock_scenario = custom.yaml\n")
    pytester.makepyfile("""
import requests

def test_scenario(ges_mock):
    listed = requests.get(ges_mock.url + "/__admin/scenarios", timeout=10).json()
    assert listed["default"] == "custom"
    assert listed["scenarios"][0]["graphs"] == ["g1"]
""")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)


def test_plugin__command_line_option_wins(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", other=SCENARIO.format(name="other", graph="g2"))
    pytester.makeini("[pytest]\nges_mock_scenario = default\n")
    pytester.makepyfile("""
import requests

def test_scenario(ges_mock):
    listed = requests.get(ges_mock.url + "/__admin/scenarios", timeout=10).json()
    assert listed["default"] == "other"
""")

    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--ges-mock-scenario", "other.yaml"
    )

    result.assert_outcomes(passed=1)


def test_plugin__marker_switches_scenario_for_one_test(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".yaml", marked=SCENARIO.format(name="marked", graph="g3"))
    pytester.makepyfile("""
import pytest
import requests

def default_of(ges_mock):
    listed = requests.get(ges_mock.url + "/__admin/scenarios", timeout=10)
    return listed.json()["default"]

@pytest.mark.ges_mock_scenario("marked.yaml")
def test_marked(ges_mock):
    assert default_of(ges_mock) == "marked"

def test_unmarked(ges_mock):
    assert default_of(ges_mock) == "default"
""")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers")

    result.assert_outcomes(passed=2)


P1_DOWN_TEST = """
import pytest

P1_DOWN = '''
name: p1-down
auth: {projects: [my-project]}
graphs:
  movie: {data: {builtin: karate_club}, jobs: [{id: louvain-demo, algorithm: louvain}]}
rules:
  - match: {endpoint: export}
    respond: {status: 503}
'''

@pytest.mark.ges_mock_scenario(P1_DOWN)
def test_marked(ges_mock):
    assert export(ges_mock).status_code == 503

def test_unmarked(ges_mock):
    listed = requests.get(ges_mock.url + "/__admin/scenarios", timeout=10).json()
    assert [s["name"] for s in listed["scenarios"]] == ["default"]
    assert export(ges_mock).status_code == 200
"""


def test_plugin__marker_scenario_does_not_answer_later_tests(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(EXPORT_TEST + P1_DOWN_TEST)

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=2)


def test_plugin__marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers")

    result.stdout.fnmatch_lines(["@pytest.mark.ges_mock_scenario(scenario):*"])


def test_plugin__environment_sets_the_port(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _free_port()
    monkeypatch.setenv("GES_MOCK_PORT", str(port))
    pytester.makepyfile(f"""
def test_port(ges_mock):
    assert ges_mock.url == "http://127.0.0.1:{port}"
""")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)


def test_plugin__async_fixture_in_strict_mode(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_mode = strict\n")
    pytester.makepyfile("""
import aiohttp
import pytest

@pytest.mark.asyncio
async def test_async(ges_mock_async):
    async with aiohttp.ClientSession() as session:
        async with session.get(ges_mock_async.api() + "/jobs/x/status") as answer:
            assert answer.status == 401
    assert await ges_mock_async.count(status=401) == 1
    assert str(ges_mock_async.obs_root).endswith("obs")
""")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)


def test_plugin__bad_marker_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
import pytest

@pytest.mark.ges_mock_scenario()
def test_bad(ges_mock):
    pass
""")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.stdout.fnmatch_lines(["*ges_mock_scenario takes one scenario*"])
    assert result.ret != 0


def test_plugin__server_failure_to_start_is_reported(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nges_mock_scenario = missing.yaml\n")
    pytester.makepyfile("""
def test_any(ges_mock):
    pass
""")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*scenario file 'missing.yaml' does not exist*"])


def test_plugin__obs_read_side_serves_the_export(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(EXPORT_TEST + """
def test_download(ges_mock):
    job_id = export(ges_mock).json()["jobId"]
    for _ in range(2):
        requests.get(f"{ges_mock.api()}/jobs/{job_id}/status", headers=TOKEN, timeout=10)
    got = requests.get(ges_mock.obs_url + "/b/f.csv", timeout=10)
    assert got.content == (ges_mock.obs_root / "b" / "f.csv").read_bytes()
""")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)


def test_plugin__obs_client_downloads_with_the_sdk(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(EXPORT_TEST + """
import asyncio

import pytest


def test_download(ges_mock):
    job_id = export(ges_mock).json()["jobId"]
    for _ in range(2):
        requests.get(f"{ges_mock.api()}/jobs/{job_id}/status", headers=TOKEN, timeout=10)
    got = ges_mock.obs_client().getObject("b", "f.csv", loadStreamInMemory=True)
    assert got.body.buffer == (ges_mock.obs_root / "b" / "f.csv").read_bytes()


@pytest.mark.asyncio
async def test_async_handle_has_obs_url(ges_mock_async):
    # The SDK blocks: off the event loop the mock runs on.
    client = ges_mock_async.obs_client()
    missing = await asyncio.to_thread(client.getObject, "b", "no.csv")
    assert (missing.status, missing.errorCode) == (404, "NoSuchBucket")
""")

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=2)


def test_obs_client__without_read_side_explains(tmp_path: Path) -> None:
    handle = GesMock("http://127.0.0.1:1", tmp_path)

    with pytest.raises(GesMockError) as raised:
        handle.obs_client()

    assert str(raised.value) == (
        "this ges-mock has no OBS read side (obs_url is None); "
        "start it with an OBS port"
    )



def test_plugin__uses_the_admin_token_and_port_from_the_environment(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GES_MOCK_ADMIN_TOKEN", "plugin-admin-token")
    monkeypatch.setenv("GES_MOCK_ADMIN_PORT", "0")
    pytester.makepyfile(
        EXPORT_TEST
        + """
def test_export(ges_mock):
    assert ges_mock.admin_url != ges_mock.url
    assert ges_mock.admin_token == "plugin-admin-token"
    assert export(ges_mock).status_code == 200
    ges_mock.assert_requests(1, endpoint="export-result", status=200)
    unguarded = requests.get(ges_mock.admin_url + "/__admin/requests", timeout=10)
    assert unguarded.status_code == 401
    on_main = requests.get(ges_mock.url + "/__admin/requests", timeout=10)
    assert on_main.status_code == 404
"""
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)
