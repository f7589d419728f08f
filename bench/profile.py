"""Profile ges-mock under wrk load with py-spy and rank where a request's time goes.

    python bench/profile.py [valid|missing-secret] [--seconds 10]

Starts `ges-mock serve --loop asyncio` on a free 127.0.0.1 port, loads it
with wrk (50 connections, bench/export.lua), samples the server with
`py-spy record --format raw --threads` (install py-spy from PyPI), and
prints the share of the main thread's samples spent under each stage
of the pipeline, plus the busiest leaf frames. Needs permission to
ptrace the server (root, or kernel.yama.ptrace_scope=0).
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import EXPORT_URL, LUA, Server, ges_mock_argv, start, stop

__all__ = ["main"]

STAGES = {
    "express lane: a chunk received (whole)":
        "_JsonErrorsRequestHandler.data_received (ges_mock/protocol.py)",
    "express lane: parse the request": "parse_plain_request (ges_mock/express_parse.py)",
    "express lane: answer (pipeline)": "ExpressLane.answer (ges_mock/express.py)",
    "express lane: export stages": "_export (ges_mock/express.py)",
    "express lane: send + access line": "_JsonErrorsRequestHandler._send (ges_mock/protocol.py)",
    "access line (logging)": "AccessLine.log_line (ges_mock/access.py)",
    "log output: one write per loop turn":
        "LoopBatchedStreamHandler.flush (ges_mock/log_output.py)",
    "body parse + validation (cached)": "checked_body (ges_mock/validation.py)",
    "whole request (aiohttp _handle_request)":
        "RequestHandler._handle_request (aiohttp/web_protocol.py)",
    "export_result handler": "export_result (ges_mock/handlers.py)",
    "start_export (job creation + target)": "start_export (ges_mock/exports.py)",
    "resolve_export_target (realpath)": "resolve_export_target (ges_mock/obs.py)",
    "body validation (first_problem)": "first_problem (ges_mock/validation.py)",
    "read + parse the JSON body": "read_json_body (ges_mock/body.py)",
    "access log line": "RequestHandler.log_access (aiohttp/web_protocol.py)",
    "socket send (kernel)": "_SelectorSocketTransport.write (asyncio/selector_events.py)",
    "json_response": "json_response (ges_mock/responses.py)",
    "job id": "JobIdGenerator.next_id (ges_mock/jobs.py)",
    "JobStore.add": "JobStore.add (ges_mock/jobs.py)",
    "World.new_job": "World.new_job (ges_mock/world.py)",
    "journal: building the entry": "_entry (ges_mock/journal.py)",
    "journal middleware (whole)": "record_requests (ges_mock/journal.py)",
    "watcher: stat of scenario files": "ScenarioWatcher.refresh (ges_mock/watcher.py)",
    "scenario rules": "apply_rules (ges_mock/rule_middleware.py)",
}


def summarize(raw: Path, rps: float) -> str:
    """Rank the stages by their share of the main thread's samples."""
    inclusive: collections.Counter[str] = collections.Counter()
    leaves: collections.Counter[str] = collections.Counter()
    main_samples = other_samples = 0
    for line in raw.read_text("utf-8").splitlines():
        stack, _, count_text = line.rpartition(" ")
        count, frames = int(count_text), stack.split(";")
        if "MainThread" not in frames[0]:
            other_samples += count
            continue
        main_samples += count
        names = [re.sub(r":\d+\)", ")", frame) for frame in frames[1:]]
        for name in set(names):
            inclusive[name] += count
        leaves[names[-1]] += count

    per_request_us = 1e6 / rps if rps else 0.0
    lines = [f"{rps:.0f} req/s under py-spy: about {per_request_us:.0f} us of main "
             f"thread per request; other threads' samples / main: "
             f"{other_samples / max(main_samples, 1):.2f}", ""]
    ranked = sorted(STAGES.items(), key=lambda item: -inclusive[item[1]])
    for label, frame in ranked:
        share = inclusive[frame] / max(main_samples, 1)
        lines.append(f"{100 * share:5.1f}%  ~{share * per_request_us:5.0f} us  {label}")
    lines += ["", "busiest leaf frames:"]
    for frame, count in leaves.most_common(12):
        lines.append(f"{100 * count / max(main_samples, 1):5.1f}%  {frame}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case", nargs="?", default="valid",
                        choices=["valid", "missing-secret"])
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("py-spy") is None and not Path(sys.executable).with_name(
            "py-spy").exists():
        print("py-spy is not installed: pip install py-spy", file=sys.stderr)
        return 2
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))

    running = start(Server("ges-mock", ges_mock_argv("asyncio")))
    raw = Path(tempfile.mkdtemp(prefix="ges-bench-profile-")) / "profile.txt"
    try:
        load = subprocess.Popen(
            ["wrk", "-t1", "-c50", f"-d{args.seconds + 3}s", "-s", str(LUA),
             f"http://127.0.0.1:{running.port}{EXPORT_URL}"],
            stdout=subprocess.PIPE, text=True,
            env={"BENCH_CASE": args.case, "PATH": "/usr/bin:/bin"},
        )
        time.sleep(1.5)
        subprocess.run([spy, "record", "-p", str(running.process.pid), "-d",
                        str(args.seconds), "-r", "250", "-f", "raw", "--threads",
                        "-o", str(raw)], capture_output=True, check=True)
        output, _ = load.communicate(timeout=60)
    finally:
        stop(running)
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    print(summarize(raw, float(match.group(1)) if match else 0.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
