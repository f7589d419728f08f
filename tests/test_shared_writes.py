"""Exports of the same result to the same file share one write while it is in flight."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from ges_mock.shared_writes import shared_write


async def test_shared_write__joins_the_write_in_flight(tmp_path: Path) -> None:
    release = threading.Event()
    calls: list[str] = []

    def write(name: str) -> str:
        calls.append(name)
        release.wait(10)
        return name

    owner = object()
    first = shared_write(owner, "job", tmp_path / "f.csv", lambda: write("first"))
    second = shared_write(owner, "job", tmp_path / "f.csv", lambda: write("second"))
    other = shared_write(owner, "job", tmp_path / "g.csv", lambda: write("other"))
    release.set()

    results = await asyncio.gather(first, second, other)

    assert results == ["first", "first", "other"]
    assert sorted(calls) == ["first", "other"]


async def test_shared_write__starts_anew_once_landed(tmp_path: Path) -> None:
    owner = object()

    first = await shared_write(owner, "job", tmp_path / "f.csv", lambda: 1)
    second = await shared_write(owner, "job", tmp_path / "f.csv", lambda: 2)

    assert (first, second) == (1, 2)


async def test_shared_write__failure_reaches_every_waiter(tmp_path: Path) -> None:
    release = threading.Event()

    def fail() -> None:
        release.wait(10)
        raise OSError(28, "No space left on device")

    owner = object()
    waiters = [shared_write(owner, "job", tmp_path / "f.csv", fail) for _ in range(3)]
    release.set()

    outcomes = await asyncio.gather(*waiters, return_exceptions=True)

    assert [type(o) for o in outcomes] == [OSError] * 3


async def test_shared_write__cancelling_one_waiter_keeps_the_write(tmp_path: Path) -> None:
    release = threading.Event()
    owner = object()
    first = shared_write(owner, "job", tmp_path / "f.csv", lambda: release.wait(10))
    second = shared_write(owner, "job", tmp_path / "f.csv", lambda: False)

    first.cancel()
    release.set()

    assert await second is True
    with pytest.raises(asyncio.CancelledError):
        await first
