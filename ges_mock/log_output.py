"""Where `serve` writes its log: stderr, one write per turn of the event loop.

Under load the access log is a line per request. Written and flushed one
by one, the lines cost more than answering the requests did; gathered for
the rest of the loop's current turn, a busy turn's lines leave in one
write, a moment after the answers they describe.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Protocol, TextIO, cast

__all__ = [
    "LoopBatchedStreamHandler", "PartsFormatter", "direct_info_writer", "lean_log_records"
]


class LoopBatchedStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A StreamHandler whose event-loop thread writes at the end of each loop turn.

    A record emitted outside a running loop (another thread, start-up,
    shutdown) is written at once, after any lines still waiting, so lines
    keep their order.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._waiting: list[str] = []
        self._scheduled = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 - logging's own rule: report, never raise
            self.handleError(record)
            return
        self._queue(line)

    def write_parts(self, name: str, level: str, message: str) -> None:
        """Write the line a record of these parts would give, without making one."""
        formatter = cast(PartsFormatter, self.formatter)
        line = formatter.format_parts(name, level, message, time.time())
        with self.lock:  # type: ignore[union-attr]
            self._queue(line)

    def _queue(self, line: str) -> None:
        self._waiting.append(line + self.terminator)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self.flush)

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            self._scheduled = False
            if self._waiting:
                text = "".join(self._waiting)
                self._waiting.clear()
                try:
                    self.stream.write(text)
                except Exception:  # noqa: BLE001 - a closed or broken stderr
                    return
            super().flush()


class PartsFormatter(Protocol):
    """A formatter that can also format a line from its parts alone."""

    def format_parts(self, name: str, level: str, message: str, created: float) -> str:
        """The line for a record of these parts."""


def direct_info_writer(logger: logging.Logger) -> Callable[[str, str, str], None] | None:
    """`write_parts` of the one handler `logger`'s INFO records reach, when that is
    all they reach (serve's own set-up); else None, and logging must be used."""
    current: logging.Logger | None = logger
    while current is not None and current.parent is not None:
        if current.handlers or not current.propagate or current.filters:
            return None
        current = current.parent
    handlers = logging.getLogger().handlers
    if len(handlers) != 1:
        return None
    handler = handlers[0]
    if (
        not isinstance(handler, LoopBatchedStreamHandler)
        or handler.filters
        or handler.level > logging.INFO
        or not hasattr(handler.formatter, "format_parts")
    ):
        return None
    return handler.write_parts


def lean_log_records() -> None:
    """Skip the record fields no ges-mock format shows (caller, thread, process).

    These are the knobs the logging documentation names for speed; only
    `serve`, which owns its process, turns them, never the pytest plugin.
    """
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
