"""Serve settings from GES_MOCK_* variables, and JSON-lines logs."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from ges_mock.cli import parse_args
from ges_mock.environment import env_default, env_flag
from ges_mock.errors import GesMockError
from ges_mock.logformat import JsonLinesFormatter


def test_env_default__unset_or_empty_gives_the_default() -> None:
    assert env_default("PORT", 8080, int, environ={}) == 8080
    assert env_default("PORT", 8080, int, environ={"GES_MOCK_PORT": " "}) == 8080
    assert env_default("PORT", 8080, int, environ={"GES_MOCK_PORT": "9090"}) == 9090


def test_env_default__bad_value_names_the_variable() -> None:
    with pytest.raises(GesMockError) as error:
        env_default("PORT", 8080, int, environ={"GES_MOCK_PORT": "eighty"})

    assert str(error.value) == (
        "environment variable GES_MOCK_PORT is 'eighty', which is not valid: "
        "invalid literal for int() with base 10: 'eighty'"
    )


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("TRUE", True), ("on", True), ("0", False), ("No", False)]
)
def test_env_flag__yes_and_no_words(raw: str, value: bool) -> None:
    assert env_flag(raw) is value


def test_env_flag__other_words_are_refused() -> None:
    with pytest.raises(ValueError, match="expected one of 1, true"):
        env_flag("maybe")


def test_serve_flags__every_one_has_a_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    variables = {
        "READ_TIMEOUT": "2.5", "WATCH_INTERVAL": "1", "LOOP": "asyncio",
        "SHARED_OBS_ROOT": "yes", "NO_WATCH": "true",
    }
    for name, raw in variables.items():
        monkeypatch.setenv("GES_MOCK_" + name, raw)

    args = parse_args(["serve"])

    assert (args.read_timeout, args.watch_interval, args.loop) == (2.5, 1.0, "asyncio")
    assert (args.shared_obs_root, args.watch) == (True, False)


def test_serve_flags__a_given_flag_wins_over_a_bad_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GES_MOCK_LOG_LEVEL", "chatty")
    monkeypatch.setenv("GES_MOCK_PORT", "eighty")

    args = parse_args(["serve", "--log-level", "debug", "--port", "9"])

    assert (args.log_level, args.port) == ("DEBUG", 9)


def test_other_commands__ignore_serve_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GES_MOCK_PORT", "eighty")

    args = parse_args(["check", "x.yaml"])

    assert args.files == ["x.yaml"]


def test_cli__bad_log_format_variable_exits_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ges_mock", "serve"],
        env={"GES_MOCK_LOG_FORMAT": "xml", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert done.returncode == 2
    assert done.stderr == (
        "ges-mock: environment variable GES_MOCK_LOG_FORMAT is 'xml', "
        "which is not valid: expected one of text, json, got 'xml'\n"
    )


def test_json_lines__one_object_per_record() -> None:
    record = logging.LogRecord(
        "ges_mock.obs",
        logging.INFO,
        __file__,
        1,
        "wrote %s (%d bytes)",
        ("b/f.csv", 12),
        None,
    )
    record.created = 0.0

    line = JsonLinesFormatter().format(record)

    assert json.loads(line) == {
        "time": "1970-01-01T00:00:00.000Z",
        "level": "INFO",
        "logger": "ges_mock.obs",
        "message": "wrote b/f.csv (12 bytes)",
    }


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["--port", "70000"], {},
         "argument --port: port must be between 0 and 65535, got 70000"),
        (["--journal-size", "0"], {},
         "argument --journal-size: must be from 1 to 10000000, got 0"),
        (["--journal-size", "9223372036854775808"], {},
         "argument --journal-size: must be from 1 to 10000000, got 9223372036854775808"),
        (["--body-limit", "0"], {},
         "argument --body-limit: must be from 1 to 1073741824, got 0"),
        (["--port", "1_9006"], {}, "argument --port: expected a whole number, got '1_9006'"),
        (["--read-timeout", "0"], {},
         "argument --read-timeout: must be more than 0 seconds, got 0"),
        ([], {"GES_MOCK_OBS_PORT": "-3"},
         "environment variable GES_MOCK_OBS_PORT is '-3', which is not valid: "
         "port must be between 0 and 65535, got -3"),
        ([], {"GES_MOCK_JOURNAL_SIZE": "0"},
         "environment variable GES_MOCK_JOURNAL_SIZE is '0', which is not valid: "
         "must be from 1 to 10000000, got 0"),
    ],
)
def test_cli__out_of_range_number_exits_2_with_a_message(
    argv: list[str], env: dict[str, str], message: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ges_mock", "serve", *argv],
        env={**env, "PATH": ""},
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
