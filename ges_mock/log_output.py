"""Where `serve` writes its log: stderr, one write per turn of the event loop.

Under load the access log is a line per request. Written and flushed one
by one, the lines cost more than answering the requests did; gathered for
the rest of the loop's current turn, a busy turn's lines leave in one
write, a moment after the answers they describe.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TextIO

__all__ = ["LoopBatchedStreamHandler", "lean_log_records"]


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
            self._waiting.append(self.format(record) + self.terminator)
        except Exception:  # noqa: BLE001 - logging's own rule: report, never raise
            self.handleError(record)
            return
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


def lean_log_records() -> None:
    """Skip the record fields no ges-mock format shows (caller, thread, process).

    These are the knobs the logging documentation names for speed; only
    `serve`, which owns its process, turns them, never the pytest plugin.
    """
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
