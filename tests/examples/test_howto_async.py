"""How-to: an asyncio test with aiohttp, the mock on the test's own event loop."""

from __future__ import annotations

import aiohttp

from ges_mock.harness import AsyncGesMock

TOKEN = {"X-Auth-Token": "any-token"}
BODY = {"exportPath": "aio", "obsParameters": {"accessKey": "ak", "secretKey": "sk"}}


async def test_export_with_aiohttp(ges_mock_async: AsyncGesMock) -> None:
    api = ges_mock_async.api()
    async with aiohttp.ClientSession(headers=TOKEN) as session:
        url = f"{api}/jobs/louvain-demo/action?action_id=export-result"
        async with session.post(url, json=BODY) as answer:
            export_id = (await answer.json())["jobId"]
        for _ in range(2):
            async with session.get(f"{api}/jobs/{export_id}/status") as polled:
                status = (await polled.json())["status"]

    assert status == "complete"
    assert (ges_mock_async.obs_root / "aio" / f"{export_id}.csv").is_file()
    await ges_mock_async.assert_requests(1, endpoint="export-result", status=200)
