"""Starting and stopping the mock on a socket, for the CLI and the pytest plugin."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from .access import AccessLine
from .app import DEFAULT_BODY_LIMIT, create_app
from .registry import Registry
from .scenario import Scenario
from .world import World

__all__ = ["RunningServer", "ServerConfig", "start_server"]



@dataclass
class ServerConfig:
    """What a server needs to start."""

    scenarios: list[Scenario]
    obs_root: Path
    host: str = "127.0.0.1"
    port: int = 8080
    body_limit: int = DEFAULT_BODY_LIMIT
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


async def start_server(config: ServerConfig) -> RunningServer:
    """Start the mock on `config.host:config.port` (0 picks a free port)."""
    config.obs_root.mkdir(parents=True, exist_ok=True)
    registry = Registry([World(s, config.obs_root) for s in config.scenarios])
    app = create_app(registry, body_limit=config.body_limit)

    runner = web.AppRunner(
        app,
        access_log=logging.getLogger("ges_mock.access") if config.access_log else None,
        access_log_class=AccessLine,
        handle_signals=False,
    )
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port)
    await site.start()

    host, port = runner.addresses[0][:2]
    url = f"http://{_url_host(host)}:{port}"
    return RunningServer(url=url, registry=registry, obs_root=config.obs_root, runner=runner)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
