"""README's retry-demo scenario and curl transcript, run verbatim against the mock."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from mockproc import MockProcess

README = Path(__file__).parent.parent / "README.md"
README_URL = "http://127.0.0.1:8080"
_BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)
# What differs from run to run: the request id and the token's expiry time.
_VOLATILE = [
    (re.compile(r'"request_id":"[0-9a-f]{32}"'), '"request_id":"<id>"'),
    (re.compile(r"expires_at: [0-9T:.Z-]+"), "expires_at: <time>"),
]


def _example() -> tuple[str, list[tuple[list[str], str]]]:
    """The scenario file and the (curl commands, expected output) pairs."""
    text = README.read_text("utf-8")
    section = text.split("<!-- example:retry-demo -->")[1].split("<!-- /example -->")[0]
    blocks = _BLOCK.findall(section)
    scenario = next(body for kind, body in blocks if kind == "yaml")

    steps = []
    commands: list[str] = []
    for kind, body in blocks:
        if kind == "sh" and body.startswith("curl"):
            commands = body.splitlines()
        elif kind == "text" and commands:
            steps.append((commands, body))
            commands = []
    return scenario, steps


def _normalise(text: str) -> str:
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


@pytest.mark.skipif(shutil.which("curl") is None, reason="the transcript uses curl")
def test_readme__retry_demo_transcript(
    mock_process: Callable[..., MockProcess], tmp_path: Path
) -> None:
    scenario, steps = _example()
    path = tmp_path / "retry-demo.yaml"
    path.write_text(scenario, "utf-8")
    server = mock_process("--scenario", str(path))

    outputs = []
    for commands, _ in steps:
        printed = ""
        for command in commands:
            argv = shlex.split(command.replace(README_URL, server.url))
            printed += subprocess.run(
                argv, capture_output=True, text=True, check=True, timeout=30
            ).stdout
        outputs.append(printed)

    assert len(steps) == 4
    assert [_normalise(o) for o in outputs] == [_normalise(e) for _, e in steps]
    assert (server.obs_root / "demo_movie" / "louvain.csv").is_file()
