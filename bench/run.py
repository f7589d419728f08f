"""ges-mock's benchmark: ges-mock beside bare aiohttp, WireMock and Prism, one run.

Run it from the project's virtualenv (`pip install -e '.[fast]'`):

    python bench/run.py                  # everything, about 10 minutes
    python bench/run.py --quick          # 3 s runs, for a smoke test
    python bench/run.py --only bare,ges-mock --baseline main

It installs what is missing (wrk with apt-get, WireMock and Prism with npm
into bench/.tools/), starts each server on a free 127.0.0.1 port, loads it
with wrk, and writes the tables to bench/results/<date>.md and latest.md.
A server that cannot be installed or started is reported and skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["main"]

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TOOLS = BENCH / ".tools"
RESULTS = BENCH / "results"
LUA = BENCH / "export.lua"
EXPORT_URL = ("/ges/v1.0/bench-project/graphs/movie/jobs/louvain-demo/action"
              "?action_id=export-result")
SAMPLE = {"exportPath": "demo_movie/", "fileName": "louvain",
          "obsParameters": {"accessKey": "xxxx", "secretKey": "xxxx"}}
MISSING_SECRET = {"exportPath": "demo_movie/", "fileName": "louvain",
                  "obsParameters": {"accessKey": "xxxx"}}
HEADERS = {"Content-Type": "application/json", "X-Auth-Token": "bench-token"}
CASES = ("valid", "missing-secret")
START_TIMEOUT = 90.0
STOP_TIMEOUT = 15.0


@dataclass
class Options:
    """What to run and for how long."""

    duration: int
    warmup: int
    connections: tuple[int, ...]
    memory_requests: tuple[int, int]
    exports: int
    million_rows: int
    only: set[str] | None
    baseline: str | None


@dataclass
class Server:
    """How to start one server under test."""

    name: str
    argv: Callable[[int, Path], list[str]]
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    expects_body: bool = True


@dataclass
class Running:
    """A started server process."""

    server: Server
    port: int
    process: subprocess.Popen[bytes]
    started_ms: float
    workdir: Path


@dataclass
class Load:
    """One wrk run's figures."""

    server: str
    case: str
    connections: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int


@dataclass
class Footprint:
    """Start time and memory of one server."""

    server: str
    start_ms: float | None = None
    rss_after_runs_mb: float | None = None
    rss_small_mb: float | None = None
    rss_large_mb: float | None = None
    large_requests: int | None = None


@dataclass
class Report:
    """Everything one run measured, plus what could not be measured."""

    loads: list[Load] = field(default_factory=list)
    footprints: dict[str, Footprint] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    export_side: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- tools


def ensure_wrk(report: Report) -> bool:
    """Install wrk with apt-get when it is missing."""
    if shutil.which("wrk") is None and shutil.which("apt-get") is not None:
        print("installing wrk with apt-get", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    if shutil.which("wrk") is None:
        report.problems.append("wrk is not installed and apt-get could not install it")
        return False
    return True


def ensure_npm_tools(report: Report) -> None:
    """Install WireMock's and Prism's npm packages into bench/.tools/."""
    wanted = {"wiremock": "wiremock", "@stoplight/prism-cli": "prism"}
    missing = [pkg for pkg in wanted if not (TOOLS / "node_modules" / pkg).is_dir()]
    if not missing:
        return
    if shutil.which("npm") is None:
        report.problems.append(f"npm is not installed; cannot install {missing}")
        return
    TOOLS.mkdir(exist_ok=True)
    print(f"installing {' '.join(missing)} with npm into {TOOLS}", flush=True)
    done = subprocess.run(
        ["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", *missing],
        capture_output=True, text=True, timeout=600, check=False,
    )
    if done.returncode != 0:
        report.problems.append(f"npm install {missing} failed: {done.stderr[-400:]}")


def wiremock_jar() -> Path | None:
    """The standalone jar the npm package `wiremock` carries."""
    jars = sorted((TOOLS / "node_modules" / "wiremock" / "build").glob("*.jar"))
    return jars[-1] if jars else None


def prism_script() -> Path | None:
    """Prism's command-line entry point."""
    script = TOOLS / "node_modules" / "@stoplight" / "prism-cli" / "dist" / "index.js"
    return script if script.is_file() else None


def prism_document(report: Report) -> Path:
    """`ges-mock openapi` when it exists, else the benchmark's own copy."""
    try:
        done = subprocess.run([sys.executable, "-m", "ges_mock", "openapi"],
                              capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        done = None
    if done is not None and done.returncode == 0 and done.stdout.lstrip().startswith("{"):
        path = Path(tempfile.mkdtemp(prefix="ges-bench-oas-")) / "openapi.json"
        path.write_text(done.stdout, "utf-8")
        report.versions["prism document"] = "`ges-mock openapi`"
        return path
    report.versions["prism document"] = "bench/openapi.yaml (`ges-mock openapi` absent)"
    return BENCH / "openapi.yaml"


def package_version(package: str) -> str:
    """Version of an npm package installed in bench/.tools/."""
    manifest = TOOLS / "node_modules" / package / "package.json"
    if not manifest.is_file():
        return "absent"
    return str(json.loads(manifest.read_text("utf-8"))["version"])


def command_version(argv: list[str]) -> str:
    """First line a tool prints about its version."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=20, check=False)
    except OSError:
        return "absent"
    text = (done.stdout + done.stderr).strip().splitlines()
    return text[0] if text else "unknown"


# ---------------------------------------------------------------- servers


def has_uvloop() -> bool:
    """Whether uvloop can be imported here."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


def ges_mock_argv(loop: str, source: Path | None = None) -> Callable[[int, Path], list[str]]:
    """`ges-mock serve` on the default scenario with an event loop choice."""
    def argv(port: int, workdir: Path) -> list[str]:
        command = [sys.executable, "-m", "ges_mock", "serve", "--port", str(port),
                   "--obs-root", str(workdir / "obs")]
        return command + (["--loop", loop] if loop else [])
    return argv


def servers(options: Options, report: Report) -> list[Server]:
    """Every server this machine can run, ceiling first."""
    found: list[Server] = []
    python = sys.executable
    bare = str(BENCH / "bare_server.py")
    found.append(Server("bare-aiohttp", lambda p, w: [python, bare, "--port", str(p)]))
    found.append(Server("ges-mock", ges_mock_argv("asyncio")))
    if has_uvloop():
        found.append(Server("bare-aiohttp+uvloop",
                            lambda p, w: [python, bare, "--port", str(p), "--uvloop"]))
        found.append(Server("ges-mock+uvloop", ges_mock_argv("uvloop")))
    else:
        report.problems.append("uvloop is not installed: `pip install -e '.[fast]'`")
    if options.baseline:
        found.extend(baseline_servers(options.baseline, report))

    ensure_npm_tools(report)
    jar = wiremock_jar()
    if shutil.which("java") is None:
        report.problems.append("java is not installed; WireMock skipped")
    elif jar is None:
        report.problems.append("WireMock's jar is missing from bench/.tools; skipped")
    else:
        found.append(wiremock_server("wiremock", jar, journal=True))
        found.append(wiremock_server("wiremock-no-journal", jar, journal=False))
    script = prism_script()
    if shutil.which("node") is None or script is None:
        report.problems.append("node or Prism is missing; Prism skipped")
    else:
        document = prism_document(report)
        found.append(Server("prism", lambda p, w: [
            "node", str(script), "mock", "--host", "127.0.0.1", "--port", str(p),
            "--dynamic", "false", str(document)]))
    if options.only is not None:
        found = [s for s in found if s.name in options.only]
    return found


def wiremock_server(name: str, jar: Path, *, journal: bool) -> Server:
    """WireMock standalone with the benchmark's two stub mappings."""
    def argv(port: int, workdir: Path) -> list[str]:
        command = ["java", "-jar", str(jar), "--port", str(port), "--bind-address",
                   "127.0.0.1", "--root-dir", str(BENCH / "wiremock"),
                   "--disable-banner"]
        return command + ([] if journal else ["--no-request-journal"])
    return Server(name, argv)


def baseline_servers(ref: str, report: Report) -> list[Server]:
    """ges-mock as it was at git `ref`, unpacked into a temporary folder."""
    target = Path(tempfile.mkdtemp(prefix="ges-bench-baseline-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, "ges_mock"],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        report.problems.append(f"git archive {ref!r} failed: {archive.stderr.decode()}")
        return []
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    compile_bytecode(target / "ges_mock")
    env = {"PYTHONPATH": str(target)}
    cli = (target / "ges_mock" / "cli.py").read_text("utf-8")
    loop = "asyncio" if "--loop" in cli else ""
    return [Server(f"ges-mock@{ref}", ges_mock_argv(loop), env=env, cwd=target)]


def compile_bytecode(package: Path) -> None:
    """Write the package's bytecode, as installing a wheel does.

    An editable install leaves it to the first import, and with
    PYTHONDONTWRITEBYTECODE set (as on some CI machines) every start would
    compile every module again; the start figure would then time the
    compiler, not ges-mock. aiohttp's own bytecode was written by pip.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(port: int, body: dict[str, Any], timeout: float = 5.0) -> tuple[int, bytes]:
    """POST `body` to the export URL; return the status and the answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", EXPORT_URL, json.dumps(body), HEADERS)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def start(server: Server) -> Running:
    """Start `server` and wait for its first 200 to the sample body."""
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix=f"ges-bench-{server.name}-"))
    log = open(workdir / "server.log", "wb")
    began = time.perf_counter()
    process = subprocess.Popen(
        server.argv(port, workdir), stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, **server.env}, cwd=server.cwd or workdir,
        start_new_session=True,
    )
    log.close()
    while True:
        if process.poll() is not None:
            tail = (workdir / "server.log").read_text("utf-8", "replace")[-600:]
            raise RuntimeError(f"{server.name} exited with {process.returncode}: {tail}")
        if time.perf_counter() - began > START_TIMEOUT:
            stop(Running(server, port, process, 0.0, workdir))
            raise RuntimeError(f"{server.name} gave no 200 within {START_TIMEOUT} s")
        try:
            status, _ = post(port, SAMPLE, timeout=1.0)
        except OSError:
            time.sleep(0.005)
            continue
        if status == 200:
            return Running(server, port, process, (time.perf_counter() - began) * 1000,
                           workdir)
        time.sleep(0.005)


def stop(running: Running) -> None:
    """Stop a server's whole process group and wait for it."""
    try:
        os.killpg(running.process.pid, signal.SIGTERM)
        running.process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(running.process.pid, signal.SIGKILL)
        running.process.wait()
    except ProcessLookupError:
        pass
    shutil.rmtree(running.workdir, ignore_errors=True)


def check_answers(running: Running) -> str | None:
    """Make sure the server answers both cases right before it is loaded."""
    status, body = post(running.port, SAMPLE)
    if status != 200 or b"jobId" not in body:
        return f"{running.server.name} answered the sample body {status} {body[:200]!r}"
    status, body = post(running.port, MISSING_SECRET)
    if not 400 <= status < 500:
        return f"{running.server.name} answered a body without secretKey {status}"
    return None


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total_kb, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


# ---------------------------------------------------------------- load


def wrk(port: int, case: str, connections: int, seconds: float,
        stop_after: int = 0) -> dict[str, Any]:
    """Run wrk with export.lua; return the JSON summary the script prints."""
    env = {**os.environ, "BENCH_CASE": case, "BENCH_STOP_AFTER": str(stop_after)}
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
            "--timeout", "5s", "-s", str(LUA), f"http://127.0.0.1:{port}{EXPORT_URL}"]
    done = subprocess.run(argv, capture_output=True, text=True, env=env,
                          timeout=seconds + 60, check=False)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return dict(json.loads(line))
    raise RuntimeError(f"wrk printed no summary: {done.stdout[-400:]} {done.stderr[-400:]}")


def measure_load(started: list[Running], options: Options, report: Report) -> None:
    """One wrk run per case, connection count and server, the servers taking turns.

    Taking turns within each (case, connections) step keeps the figures
    that are compared close in time on a machine whose speed drifts.
    """
    for case in CASES:
        for running in started:
            wrk(running.port, case, max(options.connections), options.warmup)
        for connections in options.connections:
            print(f"-- {case}, {connections} connections", flush=True)
            for running in started:
                load = one_load(running, case, connections, options.duration)
                report.loads.append(load)
                print(f"  {load.server:22} {load.rps:9.0f} req/s  "
                      f"p50 {load.p50_ms:6.2f} ms  p99 {load.p99_ms:6.2f} ms  "
                      f"non-2xx {load.non_2xx}/{load.requests}", flush=True)


def one_load(running: Running, case: str, connections: int, seconds: int) -> Load:
    """One wrk run against one server."""
    summary = wrk(running.port, case, connections, seconds)
    elapsed = summary["duration_us"] / 1e6
    return Load(
        server=running.server.name, case=case, connections=connections,
        requests=summary["requests"], rps=summary["requests"] / elapsed,
        p50_ms=summary["p50_us"] / 1000, p99_ms=summary["p99_us"] / 1000,
        non_2xx=summary["non_2xx"],
        socket_errors=sum(summary[k] for k in (
            "connect_errors", "read_errors", "write_errors", "timeouts")),
    )


def measure_memory(server: Server, options: Options, report: Report) -> None:
    """RSS of a fresh process after the small then the large request count."""
    footprint = report.footprints[server.name]
    rates = [x.rps for x in report.loads if x.server == server.name and x.case == "valid"
             and x.connections == min(options.connections)]
    rate = max(min(rates) if rates else 500.0, 200.0)
    running = start(server)
    try:
        small, large = options.memory_requests
        done = 0
        for target in (small, large):
            seconds = min((target - done) / rate * 1.3 + 2, 120.0)
            summary = wrk(running.port, "valid", min(options.connections),
                          seconds, stop_after=target - done)
            done += summary["requests"]
            mb = rss_mb(running.process.pid)
            if target == small:
                footprint.rss_small_mb = mb
            else:
                footprint.rss_large_mb, footprint.large_requests = mb, done
        print(f"  memory: {footprint.rss_small_mb:.1f} MB after {small} requests, "
              f"{footprint.rss_large_mb:.1f} MB after {done}", flush=True)
    finally:
        stop(running)


def start_checked(server: Server, report: Report) -> Running | None:
    """Start a server, time its first 200, and check both answers."""
    print(f"== {server.name}", flush=True)
    footprint = report.footprints.setdefault(server.name, Footprint(server.name))
    try:
        running = start(server)
    except RuntimeError as err:
        report.problems.append(str(err))
        print(f"  skipped: {err}", flush=True)
        return None
    footprint.start_ms = running.started_ms
    print(f"  first 200 after {running.started_ms:.0f} ms", flush=True)
    problem = check_answers(running)
    if problem is not None:
        report.problems.append(problem)
        stop(running)
        return None
    return running


def bench_servers(found: list[Server], options: Options, report: Report) -> None:
    """Start times, interleaved load runs, RSS after them, then the memory runs."""
    started: list[Running] = []
    try:
        # Started one at a time, so each start is timed on a quiet machine.
        for server in found:
            running = start_checked(server, report)
            if running is not None:
                started.append(running)
        measure_load(started, options, report)
        for running in started:
            footprint = report.footprints[running.server.name]
            footprint.rss_after_runs_mb = rss_mb(running.process.pid)
    finally:
        for running in started:
            stop(running)
    for running in started:
        print(f"== memory of {running.server.name}", flush=True)
        measure_memory(running.server, options, report)


# ---------------------------------------------------------------- export side


async def exports_land(port: int, obs_root: Path, count: int) -> dict[str, Any]:
    """Start `count` exports, poll each to completion, check every file landed."""
    import aiohttp

    base = f"http://127.0.0.1:{port}/ges/v1.0/bench-project/graphs/movie/jobs"
    limit = asyncio.Semaphore(50)
    began = time.perf_counter()

    async def one(session: aiohttp.ClientSession, index: int) -> bool:
        async with limit:
            body = {**SAMPLE, "exportPath": "bench/", "fileName": f"run-{index}"}
            async with session.post(f"{base}/louvain-demo/action?action_id=export-result",
                                    json=body, headers=HEADERS) as answer:
                job_id = (await answer.json())["jobId"]
            for _ in range(100):
                async with session.get(f"{base}/{job_id}/status", headers=HEADERS) as answer:
                    status = (await answer.json())["status"]
                if status in ("complete", "success", "failed"):
                    break
            return status != "failed" and (obs_root / "bench" / f"run-{index}.csv").is_file()

    async with aiohttp.ClientSession() as session:
        landed = await asyncio.gather(*(one(session, i) for i in range(count)))
    seconds = time.perf_counter() - began
    return {"exports": count, "landed": sum(landed), "seconds": seconds,
            "per_second": count / seconds}


def measure_export_side(options: Options, report: Report) -> None:
    """Exports that complete and land, and the 1,000,000-row write."""
    print("== export side", flush=True)
    server = Server("ges-mock", ges_mock_argv("asyncio"))
    running = start(server)
    try:
        result = asyncio.run(exports_land(running.port, running.workdir / "obs",
                                          options.exports))
    finally:
        stop(running)
    report.export_side.update(result)
    print(f"  {result['landed']}/{result['exports']} exports landed in "
          f"{result['seconds']:.2f} s ({result['per_second']:.0f}/s)", flush=True)

    done = subprocess.run([sys.executable, str(BENCH / "write_rows.py"),
                           str(options.million_rows)],
                          capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        report.problems.append(f"write_rows.py failed: {done.stderr[-400:]}")
        return
    report.export_side["rows"] = json.loads(done.stdout.strip().splitlines()[-1])
    rows = report.export_side["rows"]
    print(f"  {rows['rows']} rows written in {rows['seconds']:.2f} s, "
          f"peak RSS {rows['peak_rss_mb']:.0f} MB", flush=True)


# ---------------------------------------------------------------- report


def ratio(value: float | None, ceiling: float | None) -> str:
    """`value / ceiling` with two decimals, or a dash."""
    if value is None or not ceiling:
        return "-"
    return f"{value / ceiling:.2f}"


def number(value: float | None, digits: int = 1) -> str:
    """A figure, or a dash when it was not measured."""
    return "-" if value is None else f"{value:.{digits}f}"


def ceiling_for(name: str) -> str:
    """The bare handler on the same event loop as `name`."""
    return "bare-aiohttp+uvloop" if name.endswith("+uvloop") else "bare-aiohttp"


def render(report: Report, options: Options, command: str) -> str:
    """The markdown page of one run."""
    lines = [f"# ges-mock benchmark, {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}", "",
             f"Command: `{command}`", "",
             " · ".join(f"{k}: {v}" for k, v in report.versions.items()), "",
             f"wrk -t1, {options.duration} s per run after a {options.warmup} s warm-up; "
             "ratios are to the bare aiohttp handler on the same event loop "
             "(`+uvloop` rows to `bare-aiohttp+uvloop`), measured in this run.", "",
             "## Requests", "",
             "| server | case | conns | req/s | × bare | p50 ms | p99 ms "
             "| non-2xx / requests |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    by_key = {(x.server, x.case, x.connections): x for x in report.loads}
    for load in report.loads:
        bare = by_key.get((ceiling_for(load.server), load.case, load.connections))
        errors = f" ({load.socket_errors} socket errors)" if load.socket_errors else ""
        lines.append(
            f"| {load.server} | {load.case} | {load.connections} | {load.rps:.0f} | "
            f"{ratio(load.rps, bare.rps if bare else None)} | {load.p50_ms:.2f} | "
            f"{load.p99_ms:.2f} | {load.non_2xx} / {load.requests}{errors} |")

    small, large = options.memory_requests
    lines += ["", "## Start and memory", "",
              f"| server | start to first 200 ms | × bare | RSS after the runs MB | "
              f"RSS after {small:,} MB | RSS after {large:,} MB | × bare |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for foot in report.footprints.values():
        bare = report.footprints.get(ceiling_for(foot.server))
        count = ("" if foot.large_requests in (None, large)
                 else f" ({foot.large_requests:,} sent)")
        lines.append(
            f"| {foot.server} | {number(foot.start_ms, 0)} | "
            f"{ratio(foot.start_ms, bare.start_ms if bare else None)} | "
            f"{number(foot.rss_after_runs_mb)} | {number(foot.rss_small_mb)} | "
            f"{number(foot.rss_large_mb)}{count} | "
            f"{ratio(foot.rss_large_mb, bare.rss_large_mb if bare else None)} |")

    lines += render_export_side(report) + render_targets(report, options)
    if report.problems:
        lines += ["", "## Not measured", ""] + [f"- {p}" for p in report.problems]
    return "\n".join(lines) + "\n"


def render_export_side(report: Report) -> list[str]:
    """The export jobs' figures."""
    side = report.export_side
    if not side:
        return []
    lines = ["", "## Export side (ges-mock)", "",
             f"- {side['landed']} of {side['exports']} export jobs completed and their "
             f"files landed in {side['seconds']:.2f} s: {side['per_second']:.0f} "
             "exports/s (50 at a time, each polled to completion)."]
    rows = side.get("rows")
    if rows:
        lines.append(f"- A {rows['rows']:,}-row result written in {rows['seconds']:.2f} s, "
                     f"peak RSS {rows['peak_rss_mb']:.0f} MB "
                     f"({rows['baseline_rss_mb']:.0f} MB before the write).")
    return lines


def render_targets(report: Report, options: Options) -> list[str]:
    """Each target of issue 7 with its figure in this run."""
    by_key = {(x.server, x.case, x.connections): x for x in report.loads}
    top = max(options.connections)
    lines = ["", "## Targets", ""]
    for name in ("ges-mock", "ges-mock+uvloop"):
        ok = by_key.get((name, "valid", top))
        bad = by_key.get((name, "missing-secret", top))
        bare = by_key.get((ceiling_for(name), "valid", top))
        foot = report.footprints.get(name)
        base = report.footprints.get(ceiling_for(name))
        if ok is None or bare is None or foot is None or base is None:
            continue
        share = ok.rps / bare.rps
        lines.append(f"- {name}, {top} connections: {share:.2f} of the ceiling "
                     f"(target >= 0.60: {'met' if share >= 0.6 else 'not met'}); "
                     f"p99 {ok.p99_ms:.2f} ms (target < 10: "
                     f"{'met' if ok.p99_ms < 10 else 'not met'}).")
        if bad is not None:
            lines.append(f"- {name}: 400 path {bad.rps:.0f} req/s vs 200 path "
                         f"{ok.rps:.0f} ({bad.rps / ok.rps:.2f}; target >= 1: "
                         f"{'met' if bad.rps >= ok.rps * 0.97 else 'not met'}, "
                         "within 3 % noise counts as met).")
        if foot.start_ms and base.start_ms:
            start_ratio = foot.start_ms / base.start_ms
            lines.append(f"- {name}: start to first 200 {start_ratio:.2f} x the bare "
                         f"handler (target <= 1.5: "
                         f"{'met' if start_ratio <= 1.5 else 'not met'}).")
        if foot.rss_small_mb and foot.rss_large_mb:
            growth = foot.rss_large_mb - foot.rss_small_mb
            lines.append(f"- {name}: RSS {foot.rss_large_mb:.1f} MB after "
                         f"{foot.large_requests:,} requests (target < 80: "
                         f"{'met' if foot.rss_large_mb < 80 else 'not met'}); "
                         f"{growth:+.1f} MB from {options.memory_requests[0]:,} (flat "
                         f"within 5 MB: {'met' if abs(growth) <= 5 else 'not met'}).")
    return lines


def collect_versions(report: Report) -> None:
    """Tool and machine versions for the page's header."""
    report.versions.update({
        "machine": f"{os.cpu_count()} cores, {platform.machine()}",
        "python": platform.python_version(),
        "wrk": command_version(["wrk", "--version"]).split(" [")[0],
        "java": command_version(["java", "-version"]),
        "node": command_version(["node", "--version"]),
        "wiremock": package_version("wiremock"),
        "prism": package_version("@stoplight/prism-cli"),
    })


def parse_options(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description="Benchmark ges-mock beside its peers.")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--quick", action="store_true",
                        help="3 s runs and smaller counts, for a smoke test")
    parser.add_argument("--only", default=None,
                        help="comma-separated server names (bare-aiohttp, ges-mock, "
                             "ges-mock+uvloop, wiremock, wiremock-no-journal, prism, ...)")
    parser.add_argument("--baseline", default=None,
                        help="also run ges-mock as it was at this git ref")
    parser.add_argument("--no-export-side", action="store_true")
    args = parser.parse_args(argv)
    quick = args.quick
    return Options(
        duration=3 if quick else args.duration,
        warmup=1 if quick else 3,
        connections=(10, 50),
        memory_requests=(1_000, 10_000) if quick else (10_000, 100_000),
        exports=100 if quick or args.no_export_side else 1_000,
        million_rows=0 if args.no_export_side else (100_000 if quick else 1_000_000),
        only=None if args.only is None else set(args.only.split(",")),
        baseline=args.baseline,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its page."""
    options = parse_options(argv)
    report = Report()
    # SIGTERM unwinds like Ctrl-C, so every started server is stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if not ensure_wrk(report):
        print("\n".join(report.problems), file=sys.stderr)
        return 2
    compile_bytecode(REPO / "ges_mock")
    bench_servers(servers(options, report), options, report)
    if options.million_rows:
        measure_export_side(options, report)
    collect_versions(report)

    command = "python bench/run.py" + ("" if argv is None else " " + " ".join(argv))
    if argv is None and len(sys.argv) > 1:
        command = "python bench/run.py " + " ".join(sys.argv[1:])
    page = render(report, options, command)
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M")
    (RESULTS / f"{stamp}.md").write_text(page, "utf-8")
    (RESULTS / "latest.md").write_text(page, "utf-8")
    print("\n" + page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
