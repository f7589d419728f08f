"""The stream log lines go to, written once per turn of the event loop."""

from __future__ import annotations

import asyncio
import logging
from typing import TextIO

__all__ = ["TurnBufferedHandler"]


class TurnBufferedHandler(logging.StreamHandler[TextIO]):
    """Write the lines one turn of the event loop logs in one go.

    Under load one turn answers many requests; their access lines then cost
    one write instead of one each. A line reaches the stream before the
    loop's next turn; WARNING and above, and lines logged where no loop
    runs, are written at once, with everything still waiting before them.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._pending: list[str] = []
        self._is_scheduled = False

    def emit(self, record: logging.LogRecord) -> None:
        """Queue the formatted line; write it now when it cannot wait."""
        try:
            line = self.format(record) + self.terminator
        except Exception:  # noqa: BLE001 - logging's own way to report it
            self.handleError(record)
            return
        self._pending.append(line)
        if record.levelno >= logging.WARNING or not self._schedule():
            self.flush()

    def flush(self) -> None:
        """Write every waiting line and flush the stream."""
        self.acquire()
        try:
            self._is_scheduled = False
            if self._pending and self.stream is not None:
                lines, self._pending = self._pending, []
                self.stream.write("".join(lines))
            super().flush()
        finally:
            self.release()

    def _schedule(self) -> bool:
        """Have the running loop flush after this turn; False when none runs."""
        if self._is_scheduled:
            return True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        loop.call_soon(self.flush)
        self._is_scheduled = True
        return True
