"""One file write shared by every export of the same result to the same target.

Exports of one source job to one target produce the same bytes, so while a
write of them is in flight a new export waits for that write instead of
queueing another: under load the mock writes each file once per burst
rather than once per request, and the target still ends as one whole file.
Once a write has landed, `LandedFiles` remembers the file it made, so a
later export of the same result to the same target finds those bytes still
there and writes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .obs import Signature, file_signature

__all__ = ["LandedFiles", "shared_write"]

_Key = tuple[int, str, Path]
# How many (result, file) pairs a scenario remembers; the oldest go first.
LANDED_CAPACITY = 1024
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


class LandedFiles:
    """The export files a scenario wrote, each with the result it holds.

    A file counts as still holding that result while its identity and
    version (device, inode, size, modification time) are the ones the write
    left; anything that replaced, changed or removed it makes the next
    export of that result write it again.
    """

    def __init__(self, capacity: int = LANDED_CAPACITY) -> None:
        self._capacity = capacity
        self._files: dict[tuple[str, Path], Signature] = {}

    def record(self, source_id: str, path: Path, signature: Signature | None) -> None:
        """Remember that `path` holds the result of job `source_id`."""
        key = (source_id, path)
        self._files.pop(key, None)
        if signature is None:
            return
        if len(self._files) >= self._capacity:
            del self._files[next(iter(self._files))]
        self._files[key] = signature

    def holds(self, source_id: str, path: Path) -> bool:
        """Whether `path` still holds what the last write of `source_id` left."""
        signature = self._files.get((source_id, path))
        return signature is not None and file_signature(path) == signature
