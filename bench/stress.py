"""Bounded load, memory and shutdown check of `ges-mock serve` on 127.0.0.1.

Starts the mock as a process on a free loopback port with a throw-away OBS
root, runs three phases and prints their figures, then stops by itself:

1. load: concurrent exports from a pool of connections, some aimed at one
   shared file; every export job must complete, every file be whole, no
   temporary file be left;
2. memory: a long run of requests in a row (exports to a few files and
   status polls), sampling the server's resident memory;
3. SIGTERM in the middle of exports: exit status and time, files whole,
   and a restart on the same root keeping them.

    python bench/stress.py [--requests 1000] [--connections 50]
                           [--memory-requests 100000] [--max-seconds 600]

Exit status 0 when every check held, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

HOST = "127.0.0.1"
TOKEN = {"X-Auth-Token": "stress"}
API = "/ges/v1.0/p1/graphs/movie"
EXPORT = API + "/jobs/louvain-demo/action?action_id=export-result"
STATUS = API + "/jobs/{job}/status"
_URL = re.compile(r"serving (http://\S+)")


def main() -> int:
    """Run the three phases and print their figures."""
    args = _parser().parse_args()
    deadline = time.monotonic() + args.max_seconds
    with tempfile.TemporaryDirectory(prefix="ges-mock-stress-") as scratch:
        root = Path(scratch) / "obs"
        checks = [
            _phase("load", _load_phase(root, args)),
            _phase("memory", _memory_phase(Path(scratch) / "obs-mem", args, deadline)),
            _phase("sigterm", _sigterm_phase(Path(scratch) / "obs-term", args)),
        ]
    print("result:", "ok" if all(checks) else "FAILED")
    return 0 if all(checks) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--memory-requests", type=int, default=100_000)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    return parser


def _phase(name: str, coroutine: Any) -> bool:
    print(f"== {name}", flush=True)
    started = time.monotonic()
    held = bool(asyncio.run(coroutine))
    print(
        f"   {name}: {'ok' if held else 'FAILED'} in {time.monotonic() - started:.1f} s"
    )
    return held


class Server:
    """`ges-mock serve` as a child process on a free loopback port."""

    def __init__(self, root: Path) -> None:
        self.log = open(root.parent / f"{root.name}.log", "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ges_mock",
                "serve",
                "--host",
                HOST,
                "--port",
                "0",
                "--obs-root",
                str(root),
                "--log-level",
                "WARNING",
            ],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        assert self.process.stdout is not None
        match = _URL.search(self.process.stdout.readline())
        if match is None:
            self.process.kill()
            raise SystemExit(f"ges-mock did not start; see {self.log.name}")
        self.url = match.group(1)

    def rss_kib(self) -> int:
        """Resident memory of the server process, from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]

    def stop(self, timeout: float = 30.0) -> tuple[int, float]:
        """SIGTERM the server; return its exit status and how long it took."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.log.close()
        return code, time.monotonic() - started


def _body(path: str, name: str) -> dict[str, Any]:
    return {
        "exportPath": path,
        "fileName": name,
        "obsParameters": {"accessKey": "ak", "secretKey": "sk"},
    }


async def _export(
    session: aiohttp.ClientSession, url: str, path: str, name: str
) -> str:
    async with session.post(
        url + EXPORT, json=_body(path, name), headers=TOKEN
    ) as answer:
        answer.raise_for_status()
        return str((await answer.json())["jobId"])


async def _poll_until_final(session: aiohttp.ClientSession, url: str, job: str) -> str:
    for _ in range(10):
        async with session.get(url + STATUS.format(job=job), headers=TOKEN) as answer:
            status = str((await answer.json())["status"])
        if status in ("complete", "failed"):
            return status
    return status


async def _load_phase(root: Path, args: argparse.Namespace) -> bool:
    server = Server(root)
    latencies: list[float] = []

    async def one(session: aiohttp.ClientSession, n: int) -> str:
        started = time.monotonic()
        name = "shared" if n % 10 == 0 else f"f{n % 90:02d}"
        job = await _export(session, server.url, "load", name)
        latencies.append(time.monotonic() - started)
        return await _poll_until_final(session, server.url, job)

    try:
        started = time.monotonic()
        connector = aiohttp.TCPConnector(limit=args.connections)
        async with aiohttp.ClientSession(connector=connector) as session:
            states = await asyncio.gather(
                *(one(session, n) for n in range(args.requests))
            )
        took = time.monotonic() - started
    finally:
        code, _ = server.stop()

    files = sorted((root / "load").iterdir())
    contents = {path.read_bytes() for path in files}
    leftovers = [p for p in root.rglob("*.tmp")]
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"   {args.requests} exports + polls on {args.connections} connections "
        f"in {took:.2f} s ({args.requests / took:.0f} exports/s)"
    )
    print(
        f"   export latency p50 {quantiles[49] * 1000:.1f} ms, "
        f"p99 {quantiles[98] * 1000:.1f} ms"
    )
    print(
        f"   complete {states.count('complete')} of {len(states)}; "
        f"files {len(files)}, distinct contents {len(contents)}, "
        f"temporaries {len(leftovers)}"
    )
    names = {
        "shared" if n % 10 == 0 else f"f{n % 90:02d}" for n in range(args.requests)
    }
    return (
        states.count("complete") == args.requests
        and len(files) == len(names)
        and len(contents) == 1
        and not leftovers
        and code == 0
    )


async def _memory_phase(root: Path, args: argparse.Namespace, deadline: float) -> bool:
    server = Server(root)
    total = args.memory_requests
    step = max(total // 10, 1)
    samples: list[tuple[int, int]] = []
    sent = 0

    async def worker(session: aiohttp.ClientSession, first: int) -> None:
        nonlocal sent
        for n in range(first, total, args.connections):
            if time.monotonic() > deadline:
                return
            if n % 2 == 0:
                await _export(session, server.url, "mem", f"f{n % 10}")
            else:
                url = server.url + STATUS.format(job="louvain-demo") + "?limit=5"
                async with session.get(url, headers=TOKEN) as answer:
                    await answer.read()
            sent += 1
            if sent % step == 0:
                samples.append((sent, server.rss_kib()))

    try:
        connector = aiohttp.TCPConnector(limit=args.connections)
        async with aiohttp.ClientSession(connector=connector) as session:
            samples.append((0, server.rss_kib()))
            await asyncio.gather(*(worker(session, i) for i in range(args.connections)))
        samples.append((sent, server.rss_kib()))
    finally:
        code, _ = server.stop()

    for count, rss in samples:
        print(f"   after {count:>7} requests: RSS {rss / 1024:.1f} MiB")
    warm = next((rss for count, rss in samples if count >= total // 5), samples[0][1])
    growth = (samples[-1][1] - warm) / 1024
    peak = max(rss for _, rss in samples) / 1024
    print(
        f"   requests sent {sent}; peak RSS {peak:.1f} MiB; "
        f"growth after the first fifth {growth:.1f} MiB"
    )
    return sent == total and peak < 128 and code == 0


async def _sigterm_phase(root: Path, args: argparse.Namespace) -> bool:
    server = Server(root)
    answered = 0
    stop_result: list[tuple[int, float]] = []

    async def one(session: aiohttp.ClientSession, n: int) -> str | None:
        nonlocal answered
        try:
            await _export(session, server.url, "term", f"f{n}")
            name: str | None = f"f{n}.csv"
        except aiohttp.ClientError:
            name = None
        answered += 1
        if answered == args.requests // 4:
            loop = asyncio.get_running_loop()
            stop_result.append(await loop.run_in_executor(None, server.stop))
        return name

    connector = aiohttp.TCPConnector(limit=args.connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        names = await asyncio.gather(*(one(session, n) for n in range(args.requests)))
    code, took = stop_result[0] if stop_result else server.stop()

    accepted = sorted(name for name in names if name is not None)
    on_disk = sorted(path.name for path in (root / "term").iterdir())
    contents = {(root / "term" / name).read_bytes() for name in on_disk}
    leftovers = [p for p in root.rglob("*.tmp")]
    again = Server(root)
    again_code, _ = again.stop()
    kept = sorted(path.name for path in (root / "term").iterdir())
    print(
        f"   SIGTERM after {args.requests // 4} answers: exit {code} in {took:.2f} s; "
        f"restart exit {again_code}"
    )
    print(
        f"   accepted {len(accepted)}, files {len(on_disk)}, distinct contents "
        f"{len(contents)}, temporaries {len(leftovers)}; "
        f"after restart {len(kept)} files"
    )
    return (
        code == 0
        and took < 25
        and accepted == on_disk
        and len(contents) == 1
        and not leftovers
        and kept == on_disk
        and again_code == 0
    )


if __name__ == "__main__":
    sys.exit(main())
