"""Serve settings from GES_MOCK_* variables, and JSON-lines logs."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from ges_mock.environment import env_default
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
        "which is not valid: expected one of text, json\n"
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
