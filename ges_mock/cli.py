"""The `ges-mock` command: serve, check scenarios."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from .app import DEFAULT_BODY_LIMIT
from .errors import GesMockError, ScenarioError
from .loops import LOOP_CHOICES, run_on_loop
from .scenario import load_scenario
from .server import ServerConfig, start_server

__all__ = ["main"]

def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ScenarioError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 2
    except (GesMockError, FileNotFoundError, OSError) as err:
        print(f"ges-mock: {err}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ges-mock",
        description="A contract-testing double of Huawei Cloud GES's export-result API.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the mock server")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080,
                       help="port to listen on; 0 picks a free one (default 8080)")
    serve.add_argument("--obs-root", type=Path, default=Path("obs-data"),
                       help="local directory standing in for OBS (default ./obs-data)")
    serve.add_argument("--scenario", default=None,
                       help="scenario file, or the name of a bundled one (default: default)")
    serve.add_argument("--body-limit", type=int, default=DEFAULT_BODY_LIMIT,
                       help="largest request body in bytes (default 1 MiB)")
    serve.add_argument("--log-level", default="INFO",
                       choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    serve.add_argument("--loop", default="auto", choices=LOOP_CHOICES,
                       help="event loop; auto uses uvloop when installed, as with "
                            "the [fast] extra (default auto)")
    serve.set_defaults(run=_serve)

    check = commands.add_parser("check", help="validate scenario files")
    check.add_argument("files", nargs="+", type=Path)
    check.set_defaults(run=_check)
    return parser


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=args.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    config = ServerConfig(
        scenarios=[load_scenario(args.scenario)],
        obs_root=args.obs_root.resolve(),
        host=args.host,
        port=args.port,
        body_limit=args.body_limit,
    )
    run_on_loop(_serve_until_signal(config), args.loop)
    return 0


async def _serve_until_signal(config: ServerConfig) -> None:
    server = await start_server(config)
    # Everything loaded so far (modules, schemas, the scenario's graphs) lives
    # as long as the process; taking it out of the collector's full scans
    # removes the pauses that set the p99 under load.
    gc.freeze()
    sources = ", ".join(s.source for s in config.scenarios)
    print(f"ges-mock serving {server.url} scenario={sources} obs-root={server.obs_root}",
          flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()


def _check(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        try:
            load_scenario(str(path))
        except ScenarioError as err:
            failed = True
            for problem in err.problems:
                print(problem, file=sys.stderr)
        else:
            print(f"{path}: ok")
    return 1 if failed else 0
