"""start_server: the GES API and, on request, the OBS read side on a second port."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from conftest import SAMPLE_BODY, TOKEN
from ges_mock.scenario import load_scenario
from ges_mock.server import ServerConfig, start_server


async def test_server__obs_port_serves_what_an_export_wrote(tmp_path: Path) -> None:
    config = ServerConfig([load_scenario(None)], tmp_path / "obs", port=0, obs_port=0)
    server = await start_server(config)
    api = f"{server.url}/ges/v1.0/p1/graphs/movie/jobs"
    try:
        async with aiohttp.ClientSession(headers=TOKEN) as session:
            export = f"{api}/louvain-demo/action?action_id=export-result"
            async with session.post(export, json=SAMPLE_BODY) as answer:
                job_id = (await answer.json())["jobId"]
            for _ in range(2):
                async with session.get(f"{api}/{job_id}/status") as polled:
                    await polled.read()
            async with session.get(f"{server.obs_url}/demo_movie/louvain.csv") as got:
                downloaded = await got.read()
    finally:
        await server.stop()

    assert server.obs_url is not None and server.obs_url != server.url
    assert got.status == 200
    assert downloaded == (tmp_path / "obs" / "demo_movie" / "louvain.csv").read_bytes()


async def test_server__without_obs_port_serves_no_obs(tmp_path: Path) -> None:
    server = await start_server(ServerConfig([load_scenario(None)], tmp_path, port=0))
    await server.stop()

    assert (server.obs_url, server.obs_runner) == (None, None)
