"""The mock running on its own event loop in a background thread."""

from __future__ import annotations

import asyncio
import threading

from .server import RunningServer, ServerConfig, start_server

__all__ = ["ServerThread"]

START_TIMEOUT = 30.0


class ServerThread:
    """Start the mock in a daemon thread; `stop` shuts it down cleanly."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self._started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: RunningServer | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ges-mock", daemon=True)

    def start(self) -> RunningServer:
        """Start the thread and return the running server once it listens.

        A failure to start (port taken, bad scenario) is raised here.
        """
        self._thread.start()
        if not self._started.wait(START_TIMEOUT):
            raise RuntimeError(f"ges-mock did not start within {START_TIMEOUT} s")
        if self._error is not None:
            raise self._error
        assert self._server is not None
        return self._server

    def stop(self) -> None:
        """Stop the server, let export writes land, end the thread."""
        if self._loop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(START_TIMEOUT)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            self._server = loop.run_until_complete(start_server(self.config))
        except BaseException as err:  # noqa: BLE001 - re-raised in the caller's thread
            self._error = err
            self._started.set()
            loop.close()
            return

        self._loop = loop
        self._started.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._server.stop())
            loop.close()
