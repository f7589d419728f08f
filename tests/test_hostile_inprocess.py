"""Hostile input is a client error, never a 500 or a hang: deep bodies, odd OBS files."""

from __future__ import annotations

import os
from pathlib import Path

import aiohttp

from conftest import TOKEN
from ges_mock.scenario import load_scenario, load_scenario_text
from ges_mock.server import ServerConfig, start_server

DEEP = b"[" * 100_000 + b"]" * 100_000
BODY_RULE = """\
name: bodyrule
graphs:
  movie:
    data:
      builtin: karate_club
    jobs:
      - id: louvain-demo
        algorithm: louvain
        status: complete
rules:
  - name: special-path
    match:
      endpoint: export
      body:
        exportPath: {equals: special}
    respond:
      status: 400
      body: {errorMessage: nope, errorCode: GES.8011}
"""
JSON = {"Content-Type": "application/json"}


async def test_deep_body__rule_matching_and_admin_answer_400(tmp_path: Path) -> None:
    scenario = load_scenario_text(BODY_RULE, source="bodyrule.yaml")
    server = await start_server(ServerConfig([scenario], tmp_path / "obs", port=0))
    export = f"{server.url}/ges/v1.0/p1/graphs/movie/jobs/louvain-demo/action"
    statuses = {}
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(
                export + "?action_id=export-result",
                data=DEEP,
                headers={**TOKEN, **JSON},
            ) as answer:
                statuses["export"] = (answer.status, (await answer.json())["errorCode"])
            for operation in ("reset", "verify", "clock/advance", "scenarios/default"):
                url = f"{server.url}/__admin/{operation}"
                async with session.post(url, data=DEEP, headers=JSON) as answer:
                    statuses[operation] = (answer.status, "error" in await answer.json())
    finally:
        await server.stop()

    assert statuses == {
        "export": (400, "GES.8000"),
        "reset": (400, True),
        "verify": (400, True),
        "clock/advance": (400, True),
        "scenarios/default": (400, True),
    }


async def test_admin_files__skip_what_is_no_regular_file_inside_the_root(
    tmp_path: Path,
) -> None:
    root = tmp_path / "obs"
    (root / "b").mkdir(parents=True)
    (root / "b" / "x.csv").write_text("1,1\n")
    (tmp_path / "outside.txt").write_text("outside\n")
    (root / "b" / "outside.csv").symlink_to(tmp_path / "outside.txt")
    (root / "b" / "dangling.csv").symlink_to(tmp_path / "missing.txt")
    (root / "b" / "alias.csv").symlink_to(root / "b" / "x.csv")
    os.mkfifo(root / "b" / "fifo.csv")
    server = await start_server(ServerConfig([load_scenario(None)], root, port=0))
    try:
        async with aiohttp.ClientSession() as session:
            url = f"{server.url}/__admin/files"
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as got:
                status, listed = got.status, await got.json()
    finally:
        await server.stop()

    assert status == 200
    assert [f["key"] for f in listed["files"]] == ["b/alias.csv", "b/x.csv"]
