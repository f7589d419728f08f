"""The whole export flow against `ges-mock serve` as a process, with real clients."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import aiohttp
import networkx as nx
import pytest
import requests

from conftest import JSON_HEADERS, SAMPLE_BODY, TOKEN
from mockproc import MockProcess

EXPORT = "/jobs/louvain-demo/action?action_id=export-result"


def _export(server: MockProcess, body: Any = SAMPLE_BODY, **kwargs: Any) -> requests.Response:
    return requests.post(server.api() + EXPORT, json=body, headers=TOKEN, timeout=10, **kwargs)


def _status(server: MockProcess, job_id: str, query: str = "") -> requests.Response:
    url = f"{server.api()}/jobs/{job_id}/status{query}"
    return requests.get(url, headers=TOKEN, timeout=10)


def _read_export(path: Path) -> tuple[dict[str, str], list[list[str]]]:
    header: dict[str, str] = {}
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#"):
            name, _, value = line.lstrip("# ").partition(":")
            header[name] = value.strip().rstrip(",")
        else:
            rows.extend(csv.reader(io.StringIO(line)))
    return header, rows


def _karate() -> nx.Graph:
    """The karate club as GES holds it: ids "1".."34", every edge of weight 1."""
    graph = nx.Graph()
    graph.add_nodes_from(str(n) for n in range(1, 35))
    graph.add_edges_from((str(u + 1), str(v + 1)) for u, v in nx.karate_club_graph().edges)
    return graph


def test_flow__export_poll_and_read_the_file(default_server: MockProcess) -> None:
    answer = _export(default_server)
    job_id = answer.json()["jobId"]
    first = _status(default_server, job_id)
    second = _status(default_server, job_id)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert len(answer.headers["X-Request-Id"]) == 32
    assert list(answer.json()) == ["jobId"]
    assert first.json() == {"status": "running", "data": {"outputs": {}}}
    assert second.status_code == 200
    assert second.json()["status"] == "complete"

    path = default_server.obs_root / "demo_movie" / "louvain.csv"
    text = path.read_text("utf-8")
    lines = text.split("\n")
    assert lines[0].startswith("# modularity: ") and lines[0].endswith(",")
    assert lines[1].startswith("#community_num: ") and lines[1].endswith(",")
    assert lines[2].startswith("#runtime: ") and lines[2].endswith(",")
    assert lines[3] == "#data_total_size: 34"
    assert lines[4] == "#community:"
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_flow__file_agrees_with_networkx(default_server: MockProcess) -> None:
    job_id = _export(default_server, {**SAMPLE_BODY, "fileName": "check"}).json()["jobId"]
    _status(default_server, job_id)
    _status(default_server, job_id)

    header, rows = _read_export(default_server.obs_root / "demo_movie" / "check.csv")
    graph = _karate()
    communities: dict[str, set[str]] = {}
    for vertex, community in rows:
        communities.setdefault(community, set()).add(vertex)

    assert [r[0] for r in rows] == [str(n) for n in range(1, 35)]
    assert int(header["data_total_size"]) == len(rows) == 34
    assert int(header["community_num"]) == len(communities) == 4
    assert float(header["modularity"]) == nx.community.modularity(
        graph, list(communities.values())
    )
    expected = nx.community.louvain_communities(graph, seed=0)
    assert sorted(map(sorted, communities.values())) == sorted(map(sorted, expected))


def test_flow__status_of_the_louvain_job_pages(default_server: MockProcess) -> None:
    whole = _status(default_server, "louvain-demo").json()
    page = _status(default_server, "louvain-demo", "?offset=30&limit=10").json()

    outputs = whole["data"]["outputs"]
    assert whole["status"] == "complete"
    assert list(outputs) == [
        "modularity", "community_num", "community", "runtime",
        "data_return_size", "data_offset", "data_total_size",
    ]
    assert len(outputs["community"]) == outputs["data_return_size"] == 34
    assert outputs["community"][0] == {"1": 1}
    assert (outputs["data_offset"], outputs["data_total_size"]) == (0, 34)
    assert page["data"]["outputs"]["community"] == outputs["community"][30:]
    assert page["data"]["outputs"]["data_return_size"] == 4
    assert page["data"]["outputs"]["data_offset"] == 30


def test_flow__export_file_header_matches_status(default_server: MockProcess) -> None:
    job_id = _export(default_server, {**SAMPLE_BODY, "fileName": "again.csv"}).json()["jobId"]
    _status(default_server, job_id)
    _status(default_server, job_id)
    outputs = _status(default_server, "louvain-demo").json()["data"]["outputs"]

    header, rows = _read_export(default_server.obs_root / "demo_movie" / "again.csv")

    assert float(header["modularity"]) == outputs["modularity"]
    assert float(header["runtime"]) == outputs["runtime"]
    assert [{r[0]: int(r[1])} for r in rows] == outputs["community"]


def test_flow__without_file_name_uses_the_export_job_id(default_server: MockProcess) -> None:
    body = {"exportPath": "bucket/unnamed", "obsParameters": SAMPLE_BODY["obsParameters"]}
    job_id = _export(default_server, body).json()["jobId"]
    _status(default_server, job_id)
    _status(default_server, job_id)

    assert (default_server.obs_root / "bucket" / "unnamed" / f"{job_id}.csv").is_file()


async def test_flow__with_an_aiohttp_client(default_server: MockProcess) -> None:
    body = {**SAMPLE_BODY, "exportPath": "aio/results", "fileName": "louvain"}
    async with aiohttp.ClientSession(headers=TOKEN) as session:
        async with session.post(default_server.api() + EXPORT, json=body) as answer:
            assert answer.status == 200
            assert answer.content_type == "application/json"
            job_id = (await answer.json())["jobId"]
        words = []
        for _ in range(2):
            async with session.get(f"{default_server.api()}/jobs/{job_id}/status") as polled:
                words.append((await polled.json())["status"])

    assert words == ["running", "complete"]
    text = (default_server.obs_root / "aio" / "results" / "louvain.csv").read_text()
    assert text.count("\n") == 5 + 34


def test_access_log__one_line_per_request_with_its_id(default_server: MockProcess) -> None:
    url = f"{default_server.api()}/jobs/louvain-demo/status"
    with requests.Session() as session:
        answer = session.get(url, headers=TOKEN, timeout=10)
        # The line is logged after the answer is sent; a keep-alive connection
        # is served in order, so the next answer comes after that line.
        session.get(url, headers=TOKEN, timeout=10)

    request_id = answer.headers["X-Request-Id"]
    lines = default_server.log_lines_with(request_id)
    assert len(lines) == 1
    assert "ges_mock.access" in lines[0] and '"GET /ges/v1.0/p1/graphs/movie' in lines[0]


def test_no_temporary_files_left(default_server: MockProcess) -> None:
    job_id = _export(default_server, {**SAMPLE_BODY, "fileName": "tmpcheck"}).json()["jobId"]
    _status(default_server, job_id)
    _status(default_server, job_id)

    leftovers = [
        name
        for _, _, names in os.walk(default_server.obs_root)
        for name in names
        if name.endswith(".tmp")
    ]
    assert leftovers == []
