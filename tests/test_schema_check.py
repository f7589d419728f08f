"""The compiled schema check agrees with jsonschema on every body it is shown."""

from __future__ import annotations

from typing import Any

import pytest

from ges_mock.schema_check import compile_check
from ges_mock.validation import validator_for

OBS = {"accessKey": "ak", "secretKey": "sk"}
BODIES: list[Any] = [
    {"exportPath": "b/", "obsParameters": OBS},
    {"exportPath": "b/", "fileName": "f", "obsParameters": OBS},
    {"exportPath": "b/", "fileName": "f", "obsParameters": OBS, "extra": 1},
    {"exportPath": "b/", "obsParameters": {**OBS, "token": "t"}},
    {"exportPath": "", "obsParameters": OBS},
    {"exportPath": "b/", "fileName": "", "obsParameters": OBS},
    {"exportPath": "b/", "obsParameters": {"accessKey": "ak"}},
    {"exportPath": "b/", "obsParameters": {"secretKey": "sk"}},
    {"exportPath": "b/"},
    {"obsParameters": OBS},
    {"exportPath": 3, "obsParameters": OBS},
    {"exportPath": None, "obsParameters": OBS},
    {"exportPath": ["b/"], "obsParameters": OBS},
    {"exportPath": "b/", "obsParameters": {"accessKey": 1, "secretKey": "sk"}},
    {"exportPath": "b/", "obsParameters": {"accessKey": True, "secretKey": "sk"}},
    {"exportPath": "b/", "obsParameters": []},
    {"exportPath": "b/", "obsParameters": "ak:sk"},
    {"exportPath": "b/", "fileName": 1.0, "obsParameters": OBS},
    {"exportPath": "\u4e2d", "obsParameters": OBS},
    {},
    [],
    "body",
    1,
    None,
    True,
]


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("body", BODIES)
def test_check__agrees_with_jsonschema(body: Any, strict: bool) -> None:
    validator = validator_for("export-result.request", strict)
    check = compile_check(validator.schema)

    assert check is not None
    assert check(body) is validator.is_valid(body)


@pytest.mark.parametrize(
    ("schema", "valid", "invalid"),
    [
        ({"type": "integer"}, [1, 2.0, -3], [1.5, True, "1", None]),
        ({"type": "number"}, [1, 2.5], [True, "1"]),
        ({"type": ["string", "null"]}, ["a", None], [1, []]),
        ({"type": "boolean"}, [True, False], [0, 1]),
        ({"maxLength": 2}, ["ab", 123], ["abc"]),
        ({"items": {"type": "string"}}, [[], ["a"], "x"], [["a", 1]]),
        ({"properties": {"a": {"type": "integer"}}, "additionalProperties":
          {"type": "string"}}, [{"a": 1, "b": "x"}], [{"a": 1, "b": 2}]),
        (True, [1, None], []),
    ],
)
def test_check__keywords(schema: Any, valid: list[Any], invalid: list[Any]) -> None:
    check = compile_check(schema)

    assert check is not None
    assert [check(value) for value in valid] == [True] * len(valid)
    assert [check(value) for value in invalid] == [False] * len(invalid)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "^a"},
        {"enum": ["a"]},
        {"properties": {"a": {"minimum": 0}}},
        {"oneOf": [{"type": "string"}]},
        {"$ref": "#/$defs/x"},
        {"type": "decimal"},
        False,
    ],
)
def test_check__other_keywords_leave_it_to_jsonschema(schema: Any) -> None:
    assert compile_check(schema) is None


def test_check__scenario_schema_is_left_to_jsonschema() -> None:
    assert compile_check(validator_for("scenario.schema").schema) is None
