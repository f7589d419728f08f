"""File status looked up once per turn of the event loop.

Every export call looks at the same few entries below the OBS root (is the
root a link, is any folder on the way one, does the landed file still hold
its result). On a loaded server one loop turn answers many requests that
all arrived before it began; they share one `lstat` per path. The next
turn looks again, so a request sent after a change on disk always sees it.
Threads other than the loop's (the export writers) always look afresh.
"""

from __future__ import annotations

import asyncio
import os
import threading

__all__ = ["lstat_this_turn"]


class _TurnState(threading.local):
    def __init__(self) -> None:
        self.seen: dict[str, os.stat_result | None] = {}
        self.clearing = False
        self.loop: asyncio.AbstractEventLoop | None = None


_STATE = _TurnState()


def lstat_this_turn(path: str) -> os.stat_result | None:
    """`os.lstat(path)`, or None when it fails; shared within one loop turn."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return _lstat(path)
    state = _STATE
    if state.loop is not loop:
        # A loop closed before its turn ended (tests run many) left its entries.
        _forget(state)
        state.loop = loop
    if path in state.seen:
        return state.seen[path]
    info = state.seen[path] = _lstat(path)
    if not state.clearing:
        state.clearing = True
        loop.call_soon(_forget, state)
    return info


def _forget(state: _TurnState) -> None:
    state.seen.clear()
    state.clearing = False


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None
