"""The event loop the server runs on: uvloop when installed, else asyncio's own."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from .errors import GesMockError

__all__ = ["LOOP_CHOICES", "LoopFactory", "event_loop_factory", "run_on_loop"]

LOOP_CHOICES = ("auto", "asyncio", "uvloop")
LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def event_loop_factory(choice: str) -> LoopFactory | None:
    """Return a loop factory for `choice`; None means asyncio's default loop.

    `auto` picks uvloop when it can be imported (the `fast` extra installs
    it) and falls back to asyncio's loop without a word otherwise.
    """
    if choice not in LOOP_CHOICES:
        raise ValueError(f"event loop must be one of {LOOP_CHOICES}, got {choice!r}")
    if choice == "asyncio":
        return None
    try:
        import uvloop
    except ImportError as err:
        if choice == "auto":
            return None
        raise GesMockError(
            "--loop uvloop needs uvloop installed, e.g. pip install 'ges-mock[fast]'"
        ) from err
    factory: LoopFactory = uvloop.new_event_loop
    return factory


def run_on_loop(main: Coroutine[Any, Any, None], choice: str) -> None:
    """Run `main` to completion on the event loop `choice` names."""
    factory = event_loop_factory(choice)
    if factory is None:
        asyncio.run(main)
    elif sys.version_info >= (3, 11):
        with asyncio.Runner(loop_factory=factory) as runner:
            runner.run(main)
    else:
        loop = factory()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(main)
        finally:
            asyncio.set_event_loop(None)
            loop.close()
