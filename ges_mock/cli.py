"""The `ges-mock` command: serve, check scenarios, print the OpenAPI document."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import re
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .app import DEFAULT_BODY_LIMIT
from .environment import ENV_PREFIX, env_default, env_flag
from .errors import GesMockError, ScenarioError
from .journal import DEFAULT_JOURNAL_SIZE
from .log import server_log
from .log_output import LoopBatchedStreamHandler, lean_log_records
from .logformat import LOG_FORMATS, make_formatter
from .loops import LOOP_CHOICES, run_on_loop
from .openapi import build_openapi
from .protocol import DEFAULT_READ_TIMEOUT
from .scenario import load_scenario
from .scenario_set import expand_references, load_scenarios
from .server import ServerConfig, is_loopback, start_server

__all__ = ["build_parser", "main", "parse_args"]

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
READY_TIMEOUT = 3.0
# Bounds on what a flag may ask for: a gibibyte of body, ten million entries.
MAX_BODY_LIMIT = 1 << 30
MAX_JOURNAL_SIZE = 10_000_000

def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        args = parse_args(argv)
        return int(args.run(args))
    except ScenarioError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 2
    except (GesMockError, FileNotFoundError, OSError) as err:
        print(f"ges-mock: {err}", file=sys.stderr)
        return 2


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line; serve flags left out come from the environment."""
    args = build_parser().parse_args(argv)
    for fill in getattr(args, "environment", ()):
        fill(args)
    return args


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ges-mock",
        description="A contract-testing double of Huawei Cloud GES's export-result API.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the mock server")
    # Every serve flag left out takes its GES_MOCK_<NAME> variable, else the default.
    option = _EnvironmentOptions(serve)
    option.add("--host", "HOST", "127.0.0.1", str,
               help="address to bind (default 127.0.0.1)")
    option.add("--port", "PORT", 8080, _port,
               help="port to listen on; 0 picks a free one (default 8080)")
    option.add("--obs-root", "OBS_ROOT", Path("obs-data"), Path,
               help="local directory standing in for OBS (default ./obs-data)")
    option.add("--obs-port", "OBS_PORT", None, _port,
               help="also serve the OBS root, path-style, on this port")
    option.add("--admin-token", "ADMIN_TOKEN", None, str,
               help="require this token in X-Ges-Mock-Admin-Token for "
                    "/__admin/ (health and ready stay open)")
    option.add("--admin-port", "ADMIN_PORT", None, _port,
               help="serve /__admin/ only on this port, not on --port")
    serve.add_argument("--scenario", action="append", default=None,
                       help="scenario file, directory of them, or bundled name; "
                            "repeatable, the first is the default (default: default; "
                            "env GES_MOCK_SCENARIO, comma-separated)")
    option.add("--shared-obs-root", "SHARED_OBS_ROOT", False, env_flag,
               action="store_true",
               help="let several scenarios write to the same OBS root "
                    "instead of <obs-root>/<scenario-name>/")
    option.add("--no-watch", "NO_WATCH", True, _negated(env_flag),
               dest="watch", action="store_false",
               help="do not reload scenario files when they change")
    option.add("--watch-interval", "WATCH_INTERVAL", 0.0, _seconds(zero_ok=True),
               help="check scenario files at most this often, in seconds "
                    "(default 0: before every request)")
    option.add("--body-limit", "BODY_LIMIT", DEFAULT_BODY_LIMIT,
               _between(1, MAX_BODY_LIMIT),
               help="largest request body in bytes (default 1 MiB)")
    option.add("--read-timeout", "READ_TIMEOUT", DEFAULT_READ_TIMEOUT,
               _seconds(zero_ok=False),
               help="seconds a client may take to send a request's headers "
                    "or body, or stay idle between requests (default 15)")
    option.add("--journal-size", "JOURNAL_SIZE", DEFAULT_JOURNAL_SIZE,
               _between(1, MAX_JOURNAL_SIZE),
               help="requests the journal keeps, oldest dropped first "
                    f"(default {DEFAULT_JOURNAL_SIZE})")
    option.add("--log-level", "LOG_LEVEL", "INFO", _one_of(LOG_LEVELS, str.upper),
               help=f"{', '.join(LOG_LEVELS)}, in any case (default INFO)")
    option.add("--log-format", "LOG_FORMAT", "text", _one_of(LOG_FORMATS),
               help="text lines, or one JSON object per line (default text)")
    option.add("--loop", "LOOP", "auto", _one_of(LOOP_CHOICES),
               help="event loop: auto, asyncio or uvloop; auto uses uvloop when "
                    "installed, as with the [fast] extra (default auto)")
    serve.set_defaults(run=_serve)

    openapi = commands.add_parser("openapi", help="print the OpenAPI 3.1 document")
    openapi.set_defaults(run=_openapi)

    ready = commands.add_parser("ready", help="exit 0 when a running mock is ready")
    ready.add_argument("--url", default=None,
                       help="the mock's admin base URL (default http://127.0.0.1:"
                            "$GES_MOCK_ADMIN_PORT, else $GES_MOCK_PORT)")
    ready.set_defaults(run=_ready)

    check = commands.add_parser("check", help="validate scenario files")
    check.add_argument("files", nargs="+", help="scenario files or directories")
    check.set_defaults(run=_check)
    return parser


def _env_scenarios() -> list[str]:
    """Scenarios named by GES_MOCK_SCENARIO (comma-separated), else the default."""
    raw = env_default("SCENARIO", "", str)
    return [part.strip() for part in raw.split(",") if part.strip()] or ["default"]


class _BadValue(argparse.ArgumentTypeError, ValueError):
    """A flag or GES_MOCK_* value out of range: argparse and env_default both say why."""


def _whole_number(raw: str) -> int:
    # int() would also take '1_000' and other scripts' digits.
    if not re.fullmatch(r"-?[0-9]{1,100}", raw):
        raise _BadValue(f"expected a whole number, got {raw!r}")
    return int(raw)


def _port(raw: str) -> int:
    port = _whole_number(raw)
    if not 0 <= port <= 65535:
        raise _BadValue(f"port must be between 0 and 65535, got {port}")
    return port


def _between(least: int, most: int) -> Callable[[str], int]:
    def convert(raw: str) -> int:
        value = _whole_number(raw)
        if not least <= value <= most:
            raise _BadValue(f"must be from {least} to {most}, got {raw}")
        return value

    return convert


def _seconds(*, zero_ok: bool) -> Callable[[str], float]:
    def convert(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise _BadValue(f"expected a number of seconds, got {raw!r}") from None
        # Written so that nan and infinity fail too.
        if not (0 <= value if zero_ok else 0 < value) or value == float("inf"):
            bound = "at least 0" if zero_ok else "more than 0"
            raise _BadValue(f"must be {bound} seconds, got {raw}")
        return value

    return convert


def _one_of(
    choices: Sequence[str], normal: Callable[[str], str] = str
) -> Callable[[str], str]:
    def convert(raw: str) -> str:
        value = normal(raw)
        if value not in choices:
            raise _BadValue(f"expected one of {', '.join(choices)}, got {raw!r}")
        return value

    return convert


def _negated(convert: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda raw: not convert(raw)


class _EnvironmentOptions:
    """Serve flags whose value, when left out, comes from GES_MOCK_<NAME>.

    The variables are read after parsing, and only for the command that has
    the flags: a bad variable never stops another command, and a flag given
    on the command line wins without its variable being read.
    """

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.parser = parser
        self.fills: list[Callable[[argparse.Namespace], None]] = []
        parser.set_defaults(environment=self.fills)

    def add(
        self,
        flag: str,
        name: str,
        default: object,
        convert: Callable[[str], Any],
        **kwargs: Any,
    ) -> None:
        kwargs["help"] = f"{kwargs.get('help', '')} [env {ENV_PREFIX}{name}]".strip()
        if "action" not in kwargs:
            kwargs["type"] = convert
        action = self.parser.add_argument(flag, default=None, **kwargs)
        dest = action.dest

        def fill(args: argparse.Namespace) -> None:
            if getattr(args, dest) is None:
                setattr(args, dest, env_default(name, default, convert))

        self.fills.append(fill)


def _serve(args: argparse.Namespace) -> int:
    lean_log_records()
    handler = LoopBatchedStreamHandler(sys.stderr)
    handler.setFormatter(make_formatter(args.log_format))
    logging.basicConfig(level=args.log_level, handlers=[handler])
    config = ServerConfig(
        scenarios=load_scenarios(args.scenario or _env_scenarios()),
        obs_root=args.obs_root.resolve(),
        host=args.host,
        port=args.port,
        body_limit=args.body_limit,
        journal_size=args.journal_size,
        obs_port=args.obs_port,
        shared_obs_root=args.shared_obs_root,
        watch=args.watch,
        watch_interval=args.watch_interval,
        read_timeout=args.read_timeout,
        admin_token=args.admin_token,
        admin_port=args.admin_port,
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
    obs = f" obs={server.obs_url}" if server.obs_url else ""
    admin = f" admin={server.admin_url}" if server.admin_url else ""
    print(f"ges-mock serving {server.url} scenario={sources} "
          f"obs-root={server.obs_root}{obs}{admin}", flush=True)
    if not is_loopback(config.host):
        server_log.warning(
            "listening on %s, not only on this machine: anyone who can reach it "
            "can write files under %s", config.host, server.obs_root,
        )

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()


def _openapi(args: argparse.Namespace) -> int:
    print(json.dumps(build_openapi(), indent=2, ensure_ascii=False))
    return 0


def _ready(args: argparse.Namespace) -> int:
    base = args.url
    if base is None:
        port = env_default("ADMIN_PORT", None, _port) or env_default("PORT", 8080, _port)
        base = f"http://127.0.0.1:{port}"
    url = base.rstrip("/") + "/__admin/ready"
    # Imported here: serve's start would otherwise pay for urllib's HTTP client.
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=READY_TIMEOUT) as answer:
            print(answer.read().decode("utf-8"))
            return 0
    except urllib.error.HTTPError as err:
        print(f"ges-mock: {url} is not ready: HTTP {err.code}", file=sys.stderr)
    except (urllib.error.URLError, OSError) as err:
        print(f"ges-mock: {url} cannot be reached: {err}", file=sys.stderr)
    return 1


def _check(args: argparse.Namespace) -> int:
    failed = False
    for path in expand_references(args.files):
        try:
            load_scenario(str(path))
        except ScenarioError as err:
            failed = True
            for problem in err.problems:
                print(problem, file=sys.stderr)
        else:
            print(f"{path}: ok")
    return 1 if failed else 0
