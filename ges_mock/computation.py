"""Running an algorithm off the event loop, in threads that never hold up an exit.

asyncio's default executor joins its threads when the process ends, so a
computation that takes minutes would keep a stopped server alive for
minutes. These threads are daemons: a stop leaves them behind, and their
result, never stored, is lost with the process; nothing is half-written,
as files are written only after a result exists.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["MAX_COMPUTATIONS", "compute_off_loop"]

T = TypeVar("T")

# At most this many computations run at once; more wait their turn.
MAX_COMPUTATIONS = min(32, (os.cpu_count() or 1) + 4)
_SLOTS = threading.BoundedSemaphore(MAX_COMPUTATIONS)


async def compute_off_loop(function: Callable[[], T]) -> T:
    """Return `function()`, run in a daemon thread; its exception is raised here."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def work() -> None:
        with _SLOTS:
            try:
                outcome: tuple[T | None, BaseException | None] = (function(), None)
            except BaseException as err:  # noqa: BLE001 - handed to the awaiting task
                outcome = (None, err)
        try:
            loop.call_soon_threadsafe(_settle, future, *outcome)
        except RuntimeError:
            pass  # the loop is closed: the server has stopped, nobody waits

    threading.Thread(target=work, name="ges-mock-compute", daemon=True).start()
    return await future


def _settle(
    future: asyncio.Future[T], result: T | None, error: BaseException | None
) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]
