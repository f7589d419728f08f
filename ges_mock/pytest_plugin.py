"""pytest plugin: fixtures that run ges-mock for the tests of client code.

`ges_mock_server` runs one mock per session in a background thread (for
plain synchronous tests); `ges_mock` hands it to a test after a reset, on
the scenario the test's marker or the ini/command-line option names.
`ges_mock_async` runs a fresh mock on the test's own event loop.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .harness import AsyncGesMock, GesMock
    from .server import ServerConfig

__all__ = [
    "MARKER",
    "ges_mock",
    "ges_mock_server",
    "pytest_addoption",
    "pytest_configure",
]

MARKER = "ges_mock_scenario"
OPTION = "ges_mock_scenario"
DEFAULT_SCENARIO = "default"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --ges-mock-scenario and the ges_mock_scenario ini setting."""
    group = parser.getgroup("ges-mock")
    group.addoption(
        "--ges-mock-scenario",
        dest=OPTION,
        default=None,
        help="scenario file or bundled name the ges_mock fixtures start with",
    )
    parser.addini(
        OPTION,
        "scenario file (relative to the rootdir) or bundled name for ges_mock",
        default=DEFAULT_SCENARIO,
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the scenario marker."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(scenario): run the test on this scenario (YAML text, a file "
        "relative to the test file, or a bundled name)",
    )


@pytest.fixture(scope="session")
def ges_mock_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[GesMock]:
    """One mock for the whole session, in a background thread; not reset."""
    from .background import ServerThread
    from .harness import GesMock

    # LIMITATION: one OBS root serves the whole session (the server writes
    # there); `ges_mock` empties it before each test instead of a new tmp_path.
    obs_root = tmp_path_factory.mktemp("ges-mock") / "obs"
    thread = ServerThread(_config(request.config, obs_root))
    server = thread.start()
    try:
        yield GesMock(
            server.url,
            server.obs_root,
            server.obs_url,
            admin_url=server.admin_url,
            admin_token=thread.config.admin_token,
        )
    finally:
        thread.stop()


@pytest.fixture
def ges_mock(ges_mock_server: GesMock, request: pytest.FixtureRequest) -> GesMock:
    """The session's mock, reset: no jobs, empty journal and OBS root.

    The scenario is the session's, or the one the test's marker names.
    """
    ges_mock_server.reset(obs_files=True, restore=True)
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        ges_mock_server.load_scenario(
            _marker_scenario(marker), base_dir=request.path.parent
        )
    return ges_mock_server


def _config(config: pytest.Config, obs_root: Path) -> ServerConfig:
    from .environment import env_default
    from .harness import scenario_text
    from .scenario import load_scenario_text
    from .server import ServerConfig

    reference = config.getoption(OPTION) or config.getini(OPTION) or DEFAULT_SCENARIO
    text, source = scenario_text(reference, base_dir=config.rootpath)
    return ServerConfig(
        scenarios=[load_scenario_text(text, source=source)],
        obs_root=obs_root,
        host=env_default("HOST", "127.0.0.1", str),
        port=env_default("PORT", 0, int),
        access_log=False,
        obs_port=env_default("OBS_PORT", 0, int),
        admin_token=env_default("ADMIN_TOKEN", None, str),
        admin_port=env_default("ADMIN_PORT", None, int),
    )


def _marker_scenario(marker: pytest.Mark) -> str:
    if len(marker.args) != 1 or not isinstance(marker.args[0], (str, Path)):
        raise pytest.UsageError(
            f"@pytest.mark.{MARKER} takes one scenario (YAML, file or name), "
            f"got {marker.args!r}"
        )
    return str(marker.args[0])


# The async fixture needs pytest-asyncio (pytest-aiohttp brings it along).
HAS_PYTEST_ASYNCIO = importlib.util.find_spec("pytest_asyncio") is not None

if HAS_PYTEST_ASYNCIO:
    import pytest_asyncio

    @pytest_asyncio.fixture
    async def ges_mock_async(
        request: pytest.FixtureRequest, tmp_path: Path
    ) -> AsyncIterator[AsyncGesMock]:
        """A fresh mock on the test's event loop, OBS root under tmp_path."""
        from .harness import AsyncGesMock
        from .server import start_server

        server = await start_server(_config(request.config, tmp_path / "obs"))
        handle = AsyncGesMock(
            server.admin_app, server.url, server.obs_root, server.obs_url
        )
        try:
            marker = request.node.get_closest_marker(MARKER)
            if marker is not None:
                await handle.load_scenario(
                    _marker_scenario(marker), base_dir=request.path.parent
                )
            yield handle
        finally:
            await server.stop()

    __all__ += ["ges_mock_async"]
