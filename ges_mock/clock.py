"""A monotonic clock that tests can move forward instead of sleeping."""

from __future__ import annotations

import time

__all__ = ["Clock"]


class Clock:
    """Monotonic seconds plus whatever `advance` has added."""

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        """Return the current time in seconds."""
        return time.monotonic() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward by `seconds` (not negative)."""
        if seconds < 0:
            raise ValueError(f"cannot move the clock back, got {seconds!r}")
        self._offset += seconds
