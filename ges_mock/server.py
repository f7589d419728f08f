"""Starting and stopping the mock on a socket, for the CLI and the pytest plugin."""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from .app import DEFAULT_BODY_LIMIT, create_app
from .protocol import DEFAULT_READ_TIMEOUT, JsonErrorsAppRunner
from .registry import Registry
from .scenario import Scenario
from .world import World

__all__ = ["RunningServer", "ServerConfig", "is_loopback", "start_server"]

# The request line carries no secret (tokens and keys travel in headers and
# the body), so it is logged as sent; no request header is logged.
ACCESS_LOG_FORMAT = '%a "%r" %s %b %Tfs request_id=%{X-Request-Id}o'
# Seconds a stop waits for in-flight requests before cutting them off.
SHUTDOWN_TIMEOUT = 20.0


@dataclass
class ServerConfig:
    """What a server needs to start."""

    scenarios: list[Scenario]
    obs_root: Path
    host: str = "127.0.0.1"
    port: int = 8080
    body_limit: int = DEFAULT_BODY_LIMIT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    access_log: bool = True


@dataclass
class RunningServer:
    """A started server: its URL, its scenarios, and how to stop it."""

    url: str
    registry: Registry
    obs_root: Path
    runner: web.AppRunner = field(repr=False)

    async def stop(self) -> None:
        """Stop accepting, finish in-flight requests and export writes, close."""
        await self.runner.cleanup()

        # A request still in flight when the shutdown hooks ran may have
        # started a write since: let it land too.
        for world in self.registry:
            await world.finish_writes()


async def start_server(config: ServerConfig) -> RunningServer:
    """Start the mock on `config.host:config.port` (0 picks a free port)."""
    config.obs_root.mkdir(parents=True, exist_ok=True)
    registry = Registry([World(s, config.obs_root) for s in config.scenarios])
    app = create_app(
        registry,
        body_limit=config.body_limit,
        read_timeout=config.read_timeout,
    )

    runner = JsonErrorsAppRunner(
        app,
        access_log=logging.getLogger("ges_mock.access") if config.access_log else None,
        access_log_format=ACCESS_LOG_FORMAT,
        handle_signals=False,
        keepalive_timeout=config.read_timeout,
        # After an early answer, unread body bytes are drained this long at most.
        lingering_time=config.read_timeout,
        shutdown_timeout=SHUTDOWN_TIMEOUT,
    )
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port)
    await site.start()

    host, port = runner.addresses[0][:2]
    url = f"http://{_url_host(host)}:{port}"
    return RunningServer(url=url, registry=registry, obs_root=config.obs_root, runner=runner)


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
