"""Each of the twenty algorithms run, polled and exported through `ges-mock serve`."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import requests

from algorithm_cases import PARAMETERS
from conftest import SAMPLE_BODY, TOKEN
from ges_mock.algorithms import DOCUMENT_ALGORITHMS, compute
from ges_mock.graphs import karate_club
from ges_mock.results import AlgorithmResult
from mockproc import MockProcess
from test_algorithms import CHECKS

EXECUTE = "/action?action_id=execute-algorithm"
UNPAGED = {
    "shortest_path",
    "shortest_path_of_vertex_sets",
    "closeness",
    "link_prediction",
    "degree_correlation",
    "traingle_count",
    "cluster_coefficient",
}
PATH_ROWS = {
    "shortest_path",
    "shortest_path_of_vertex_sets",
    "all_shortest_paths",
    "n_paths",
}
TEXT_SCALARS = {"source", "target", "sources", "Max_WCC_id"}
# Seeded results are checked against the mock's own computation with seed 0.
SEEDED = {"pixie", "label_propagation"}


def _post(server: MockProcess, path: str, body: Any) -> requests.Response:
    return requests.post(server.api() + path, json=body, headers=TOKEN, timeout=30)


def _get(server: MockProcess, path: str) -> requests.Response:
    return requests.get(server.api() + path, headers=TOKEN, timeout=30)


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _read_file(path: Path, name: str) -> tuple[dict[str, Any], list[list[str]]]:
    """Header scalars, and the rows as Python's csv module reads them."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines()
    header = {}
    for line in lines:
        if line.startswith("#"):
            key, _, value = line.lstrip("# ").partition(":")
            header[key] = value.strip().rstrip(",")
    rows = list(csv.reader(line for line in lines if not line.startswith("#")))
    scalars = {
        key: value if key in TEXT_SCALARS or value == "" else _number(value)
        for key, value in header.items()
    }
    return scalars, rows


def _typed(name: str, row: list[str]) -> tuple[Any, ...]:
    if name in PATH_ROWS:
        return tuple(row)
    if name == "connect_component":
        return (row[0], row[1])
    if name == "edge_betweenness":
        return (row[0], row[1], float(row[2]))
    if name in UNPAGED and name != "traingle_count":
        return (_number(row[0]),)
    return (row[0], _number(row[1]))


def _run_and_export(server: MockProcess, name: str) -> tuple[dict[str, Any], Path]:
    body = {"algorithmName": name, "parameters": PARAMETERS[name]}
    answer = _post(server, EXECUTE, body)
    assert answer.status_code == 200 and set(answer.json()) == {"jobId", "jobType"}
    job_id = answer.json()["jobId"]
    assert _get(server, f"/jobs/{job_id}/status").json()["status"] == "running"
    status = _get(server, f"/jobs/{job_id}/status").json()

    export = _post(
        server,
        f"/jobs/{job_id}/action?action_id=export-result",
        {**SAMPLE_BODY, "exportPath": "bucket/algorithms", "fileName": name},
    )
    export_id = export.json()["jobId"]
    _get(server, f"/jobs/{export_id}/status")
    assert _get(server, f"/jobs/{export_id}/status").json()["status"] == "complete"
    return status, server.obs_root / "bucket" / "algorithms" / f"{name}.csv"


@pytest.mark.parametrize("name", DOCUMENT_ALGORITHMS)
def test_algorithm__run_export_and_parse(
    default_server: MockProcess, name: str
) -> None:
    status, path = _run_and_export(default_server, name)
    scalars, rows = _read_file(path, name)
    typed = [_typed(name, row) for row in rows]
    expected = compute(name, karate_club(), PARAMETERS[name], 0)

    assert status["status"] == "complete"
    assert ("data_total_size" in status["data"]["outputs"]) is (name not in UNPAGED)
    assert scalars["data_total_size"] == len(rows) == expected.total
    assert path.read_text("utf-8").startswith("# ")
    if name in SEEDED:
        assert typed == [tuple(row) for row in expected.rows]
        return
    kept = tuple((k, v) for k, v in scalars.items() if k in dict(expected.scalars))
    CHECKS[name](AlgorithmResult(kept, expected.rows_field, typed))
