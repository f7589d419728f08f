"""Start `ges-mock serve` as a separate process on a free port, for end-to-end tests."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MockProcess", "start_mock_process"]

STARTUP_TIMEOUT = 30.0
_URL = re.compile(r"serving (http://\S+)")
_ADMIN_URL = re.compile(r" admin=(http://\S+)")
_OBS_URL = re.compile(r" obs=(http://\S+)")


@dataclass
class MockProcess:
    """A running `ges-mock serve`: its URL, OBS root, process and log file."""

    url: str
    obs_root: Path
    process: subprocess.Popen[str]
    log_path: Path
    # Where /__admin/ is served when --admin-port gives it its own port.
    admin_url: str | None = None
    # The --admin-token it runs with, for the journal check after a test.
    admin_token: str | None = None
    # Where the OBS read side is served, with --obs-port.
    obs_url: str | None = None

    def api(self, project: str = "p1", graph: str = "movie") -> str:
        """Base URL of a graph's business-plane API."""
        return f"{self.url}/ges/v1.0/{project}/graphs/{graph}"

    def log(self) -> str:
        """Everything the server logged so far."""
        return self.log_path.read_text("utf-8")

    def log_lines_with(self, needle: str, timeout: float = 5.0) -> list[str]:
        """Lines of the log holding `needle`, waiting briefly for them to be flushed.

        aiohttp writes the access line after the response has gone out, so a
        client can read its answer before the line reaches the file.
        """
        deadline = time.monotonic() + timeout
        while True:
            lines = [line for line in self.log().splitlines() if needle in line]
            if lines or time.monotonic() > deadline:
                return lines
            time.sleep(0.02)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Signal the server and return its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode


def start_mock_process(
    obs_root: Path,
    *args: str,
    command: list[str] | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> MockProcess:
    """Run `ges-mock serve --port 0` and wait for the line that names its URL."""
    base = command or [sys.executable, "-m", "ges_mock"]
    argv = [*base, "serve", "--port", "0", "--obs-root", str(obs_root), *args]
    log_path = obs_root.parent / f"{obs_root.name}-server.log"
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            cwd=cwd,
            env={**os.environ, **(env or {})},
        )
    line = _first_line(process)
    match = _URL.search(line)
    if match is None:
        process.kill()
        process.wait()
        raise RuntimeError(f"ges-mock did not start: {line!r}\n{log_path.read_text()}")
    admin = _ADMIN_URL.search(line)
    admin_url = admin.group(1) if admin else None
    obs = _OBS_URL.search(line)
    return MockProcess(
        match.group(1), obs_root, process, log_path, admin_url,
        obs_url=obs.group(1) if obs else None,
    )


def _first_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(STARTUP_TIMEOUT):
            process.kill()
            return ""
    return process.stdout.readline()
