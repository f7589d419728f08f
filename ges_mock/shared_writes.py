"""One file write shared by every export of the same result to the same target.

Exports of one source job to one target produce the same bytes, so while a
write of them is in flight a new export waits for that write instead of
queueing another: under load the mock writes each file once per burst
rather than once per request, and the target still ends as one whole file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["shared_write"]

_Key = tuple[int, str, Path]
_IN_FLIGHT: dict[_Key, asyncio.Future[Any]] = {}


def shared_write(
    owner: object,
    source_id: str,
    path: Path,
    write: Callable[[], Any],
) -> asyncio.Future[Any]:
    """Run `write` in a thread, or join the same write already in flight.

    `owner` (the running scenario) and `source_id` name the content, `path`
    the file; the returned future is shielded, so cancelling one waiter
    does not cancel the write the others wait for.
    """
    key = (id(owner), source_id, path)
    pending = _IN_FLIGHT.get(key)
    if pending is None:
        pending = asyncio.ensure_future(asyncio.to_thread(write))
        _IN_FLIGHT[key] = pending
        pending.add_done_callback(lambda _: _forget(key, pending))
    return asyncio.shield(pending)


def _forget(key: _Key, done: asyncio.Future[Any]) -> None:
    if _IN_FLIGHT.get(key) is done:
        del _IN_FLIGHT[key]
    # Every waiter may have been cancelled; read the outcome so none is lost.
    if not done.cancelled():
        done.exception()
