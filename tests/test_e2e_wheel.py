"""The built wheel carries schemas and scenarios: installed fresh, it serves exports."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
import requests

from conftest import SAMPLE_BODY, TOKEN
from mockproc import start_mock_process

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with ges-mock installed from its wheel."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(ROOT)],
        check=True,
        timeout=300,
    )
    wheel = next(work.glob("ges_mock-*.whl"))
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        timeout=600,
    )
    return env_dir


def test_wheel__contains_schemas_and_default_scenario(installed_wheel: Path) -> None:
    python = installed_wheel / "bin" / "python"
    probe = (
        "import ges_mock.resources as r;"
        "print(r.load_schema('export-result.request')['title']);"
        "print('default' in r.bundled_scenario_names())"
    )

    out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True,
                         check=True, cwd="/").stdout

    assert out.splitlines() == ["Export a job's result to a file: request body", "True"]


def test_wheel__serves_an_export_from_an_unrelated_directory(
    installed_wheel: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = [str(installed_wheel / "bin" / "ges-mock")]
    server = start_mock_process(tmp_path / "obs", command=command, cwd=elsewhere)
    try:
        url = server.api() + "/jobs/louvain-demo/action?action_id=export-result"
        job_id = requests.post(url, json=SAMPLE_BODY, headers=TOKEN, timeout=10).json()["jobId"]
        status_url = f"{server.api()}/jobs/{job_id}/status"
        words = [requests.get(status_url, headers=TOKEN, timeout=10).json()["status"]
                 for _ in range(2)]
    finally:
        assert server.stop() == 0

    assert words == ["running", "complete"]
    assert (tmp_path / "obs" / "demo_movie" / "louvain.csv").read_text().count("\n") == 39
