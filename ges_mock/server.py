"""Starting and stopping the mock on a socket, for the CLI and the pytest plugin."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from .access import AccessLine
from .admin_access import create_admin_app
from .app import DEFAULT_BODY_LIMIT, create_app
from .journal import DEFAULT_JOURNAL_SIZE, JOURNAL
from .obs_http import ObsErrorsAppRunner, create_obs_app
from .protocol import DEFAULT_READ_TIMEOUT, JsonErrorsAppRunner
from .registry import Registry
from .scenario import Scenario
from .watcher import WATCHER, ScenarioWatcher
from .world import World

__all__ = ["RunningServer", "ServerConfig", "is_loopback", "start_server"]

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
    journal_size: int = DEFAULT_JOURNAL_SIZE
    # The OBS read side on its own port (0 picks a free one); None serves none.
    obs_port: int | None = None
    # None takes the default scenario's `obs.credentials`, if it sets any.
    obs_credentials: Mapping[str, str] | None = None
    # With several scenarios, each writes under <obs_root>/<name>/ unless shared.
    shared_obs_root: bool = False
    watch: bool = True
    watch_interval: float = 0.0
    # Requests to /__admin/ (but health and readiness) must carry this token.
    admin_token: str | None = None
    # The admin routes on their own port (0 picks a free one), not on `port`.
    admin_port: int | None = None


@dataclass
class RunningServer:
    """A started server: its URL, its scenarios, and how to stop it."""

    url: str
    registry: Registry
    obs_root: Path
    runner: web.AppRunner = field(repr=False)
    obs_url: str | None = None
    obs_runner: web.AppRunner | None = field(default=None, repr=False)
    admin_url: str | None = None
    admin_runner: web.AppRunner | None = field(default=None, repr=False)

    @property
    def app(self) -> web.Application:
        """The running GES application."""
        return self.runner.app

    @property
    def admin_app(self) -> web.Application:
        """The application serving /__admin/: its own, or the GES one."""
        return (self.admin_runner or self.runner).app

    async def stop(self) -> None:
        """Stop accepting, finish in-flight requests and export writes, close."""
        for extra in (self.obs_runner, self.admin_runner):
            if extra is not None:
                await extra.cleanup()
        await self.runner.cleanup()

        # A request still in flight when the shutdown hooks ran may have
        # started a write since: let it land too.
        for world in self.registry:
            await world.finish_writes()


async def start_server(config: ServerConfig) -> RunningServer:
    """Start the mock on `config.host:config.port` (0 picks a free port)."""
    config.obs_root.mkdir(parents=True, exist_ok=True)
    registry = Registry([World(s, _obs_root_of(s, config)) for s in config.scenarios])
    separate_admin = config.admin_port is not None
    app = create_app(
        registry,
        body_limit=config.body_limit,
        journal_size=config.journal_size,
        read_timeout=config.read_timeout,
        admin_token=None if separate_admin else config.admin_token,
        admin_routes=not separate_admin,
    )
    if config.watch:
        app[WATCHER] = ScenarioWatcher(registry, config.watch_interval)
    runner, url = await _serve(app, config, config.port, JsonErrorsAppRunner)

    server = RunningServer(
        url=url, registry=registry, obs_root=config.obs_root, runner=runner
    )
    try:
        if config.obs_port is not None:
            obs = await _start_obs(config, registry, config.obs_port)
            server.obs_runner, server.obs_url = obs
        if config.admin_port is not None:
            admin = create_admin_app(registry, app[JOURNAL], config.admin_token)
            server.admin_runner, server.admin_url = await _serve(
                admin, config, config.admin_port, JsonErrorsAppRunner
            )
    except BaseException:
        await server.stop()
        raise
    return server


async def _serve(
    app: web.Application,
    config: ServerConfig,
    port: int,
    runner_class: type[web.AppRunner] = web.AppRunner,
) -> tuple[web.AppRunner, str]:
    runner = runner_class(
        app,
        access_log=logging.getLogger("ges_mock.access") if config.access_log else None,
        access_log_class=AccessLine,
        handle_signals=False,
        keepalive_timeout=config.read_timeout,
        # After an early answer, unread body bytes are drained this long at most.
        lingering_time=config.read_timeout,
        shutdown_timeout=SHUTDOWN_TIMEOUT,
    )
    await runner.setup()
    site = web.TCPSite(runner, config.host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise

    host, bound = runner.addresses[0][:2]
    return runner, f"http://{_url_host(host)}:{bound}"


async def _start_obs(
    config: ServerConfig, registry: Registry, port: int
) -> tuple[web.AppRunner, str]:
    """Serve the OBS root read-only, path-style, for the OBS SDK's downloads."""
    fixed = config.obs_credentials
    if fixed is not None:
        app = create_obs_app(config.obs_root, fixed)
    else:
        # The keys follow whichever scenario is the default when a request comes.
        app = create_obs_app(
            config.obs_root, lambda: registry.default.scenario.obs_credentials
        )
    return await _serve(app, config, port, ObsErrorsAppRunner)


def _obs_root_of(scenario: Scenario, config: ServerConfig) -> Path:
    """A scenario's own OBS sub-root when several run side by side."""
    if len(config.scenarios) < 2 or config.shared_obs_root:
        return config.obs_root
    root = config.obs_root / scenario.name
    root.mkdir(parents=True, exist_ok=True)
    return root


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
