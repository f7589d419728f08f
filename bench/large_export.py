"""Benchmark: export a 1,000,000-row result from `ges-mock serve` as a process.

Prints rows per second, the server's peak memory growth while the file is
written (target: under 100 MB), and the slowest answer to other requests
made during the export. A measurement to read, not a timed test.

    python bench/large_export.py [--vertices 1000000]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

TOKEN = {"X-Auth-Token": "bench"}
SCENARIO = """\
name: large
graphs:
  big:
    data:
      generated: {{vertices: {vertices}, edges_per_vertex: 1, seed: 1}}
"""


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB, from /proc (Linux)."""
    text = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", text)
    return int(match.group(1)) / 1024 if match else 0.0


def start(workdir: Path, vertices: int) -> tuple[subprocess.Popen[str], str]:
    """Start the server on a free port and return it with its URL."""
    scenario = workdir / "large.yaml"
    scenario.write_text(SCENARIO.format(vertices=vertices))
    argv = [
        sys.executable,
        "-m",
        "ges_mock",
        "serve",
        "--port",
        "0",
        "--obs-root",
        str(workdir / "obs"),
        "--scenario",
        str(scenario),
        "--log-level",
        "WARNING",
    ]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"serving (http://\S+)", line)
    if match is None:
        process.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return process, match.group(1) + "/ges/v1.0/p/graphs/big"


def run(api: str, pid: int) -> None:
    """Compute connected components, then export them and watch the server."""
    began = time.perf_counter()
    body = {"algorithmName": "connected_component", "parameters": {}}
    job = requests.post(
        f"{api}/action?action_id=execute-algorithm",
        json=body,
        headers=TOKEN,
        timeout=600,
    ).json()["jobId"]
    for _ in range(2):
        status = requests.get(
            f"{api}/jobs/{job}/status?limit=1", headers=TOKEN, timeout=60
        )
    total = status.json()["data"]["outputs"]["data_total_size"]
    print(f"computed {total} rows in {time.perf_counter() - began:.1f} s")

    baseline = rss_mb(pid)
    peak = [baseline]
    slowest = [0.0]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb(pid))
            asked = time.perf_counter()
            requests.get(f"{api}/jobs/{job}/status?limit=1", headers=TOKEN, timeout=60)
            slowest[0] = max(slowest[0], time.perf_counter() - asked)
            done.wait(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    began = time.perf_counter()
    export = {
        "exportPath": "bench/",
        "fileName": "large",
        "obsParameters": {"accessKey": "ak", "secretKey": "sk"},
    }
    export_job = requests.post(
        f"{api}/jobs/{job}/action?action_id=export-result",
        json=export,
        headers=TOKEN,
        timeout=60,
    ).json()["jobId"]
    for _ in range(2):
        final = requests.get(
            f"{api}/jobs/{export_job}/status", headers=TOKEN, timeout=120
        )
    elapsed = time.perf_counter() - began
    done.set()
    watcher.join()

    print(f"export status: {final.json()['status']}")
    print(f"rows/s: {total / elapsed:,.0f} ({total} rows in {elapsed:.2f} s)")
    print(
        f"server memory: baseline {baseline:.0f} MB, peak growth {peak[0] - baseline:.1f} MB"
    )
    print(f"slowest other request during the export: {slowest[0] * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vertices", type=int, default=1_000_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        process, api = start(Path(folder), options.vertices)
        try:
            run(api, process.pid)
        finally:
            process.terminate()
            process.wait(30)


if __name__ == "__main__":
    main()
