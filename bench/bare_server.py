"""The ceiling: a bare aiohttp handler answering the export call with no validation.

It reads the body and answers the same 200 body ges-mock gives the first
export of the default scenario; a body without the bytes `"secretKey"` gets
a 400 in the GES error shape (a byte search, not a validation), so the
400 path has a ceiling too. No middleware, no access log.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from aiohttp import web

__all__ = ["main"]

EXPORT_PATH = "/ges/v1.0/{project_id}/graphs/{graph_name}/jobs/{job_id}/action"
OK_BODY = json.dumps({"jobId": "e3e70682-c209-4cac-a29f-6fbed82c07cd000000001"},
                     separators=(",", ":")).encode()
BAD_BODY = json.dumps(
    {"errorMessage": "obsParameters.secretKey is required", "errorCode": "GES.8000"},
    separators=(",", ":"),
).encode()


async def export(request: web.Request) -> web.Response:
    """Answer 200, or 400 when the body does not mention secretKey."""
    body = await request.read()
    if b'"secretKey"' not in body:
        return web.Response(body=BAD_BODY, status=400, content_type="application/json")
    return web.Response(body=OK_BODY, content_type="application/json")


async def serve(port: int) -> None:
    app = web.Application()
    app.router.add_post(EXPORT_PATH, export)
    runner = web.AppRunner(app, access_log=None, handle_signals=True)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    host, bound = runner.addresses[0][:2]
    print(f"bare-aiohttp serving http://{host}:{bound}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--uvloop", action="store_true")
    args = parser.parse_args()
    if args.uvloop:
        import uvloop

        uvloop.install()
    try:
        asyncio.run(serve(args.port))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
