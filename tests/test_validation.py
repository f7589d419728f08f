"""Request-body validation messages name the field and what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import ges_mock
from ges_mock.algorithms import ALGORITHMS, _parameters_validator
from ges_mock.resources import load_schema
from ges_mock.validation import first_problem

SCHEMA = "export-result.request"
OBS = {"accessKey": "ak", "secretKey": "sk"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"exportPath": "b/"}, "obsParameters is required"),
        ({"obsParameters": OBS}, "exportPath is required"),
        ({"exportPath": "b/", "obsParameters": {"accessKey": "ak"}},
         "obsParameters.secretKey is required"),
        ({"exportPath": "b/", "obsParameters": {"secretKey": "sk"}},
         "obsParameters.accessKey is required"),
        ({"exportPath": 5, "obsParameters": OBS}, "exportPath must be a string, got 5"),
        ({"exportPath": "", "obsParameters": OBS}, "exportPath must not be empty"),
        ({"exportPath": "b/", "fileName": ["x"], "obsParameters": OBS},
         'fileName must be a string, got ["x"]'),
        ({"exportPath": "b/", "obsParameters": "ak:sk"},
         'obsParameters must be an object, got ***'),
        ({"exportPath": "b/", "obsParameters": {"accessKey": 1, "secretKey": "sk"}},
         "obsParameters.accessKey must be a string, got ***"),
        ([], "request body must be an object, got []"),
        ("text", 'request body must be an object, got "text"'),
        ([{"obsParameters": OBS}], "request body must be an object, got ***"),
        ([{"x": {"secretKey": "sk"}}], "request body must be an object, got ***"),
    ],
)
def test_first_problem__names_the_field(body: Any, message: str) -> None:
    assert first_problem(SCHEMA, body) == message


def test_first_problem__accepts_the_document_sample() -> None:
    body = {"exportPath": "demo_movie/", "fileName": "louvain", "obsParameters": OBS}

    assert first_problem(SCHEMA, body) is None


def test_first_problem__unknown_fields_only_when_strict() -> None:
    body = {"exportPath": "b/", "obsParameters": {**OBS, "token": "t"}, "mode": 1}

    assert first_problem(SCHEMA, body) is None
    assert first_problem(SCHEMA, body, strict=True) in (
        "mode is not a documented field",
        "obsParameters.token is not a documented field",
    )


def test_first_problem__unknown_field_inside_obs_parameters_is_named() -> None:
    body = {"exportPath": "b/", "obsParameters": {**OBS, "region": "cn-north-4"}}

    assert first_problem(SCHEMA, body, strict=True) == (
        "obsParameters.region is not a documented field"
    )


BUNDLED_SCHEMAS = sorted(
    path.name.removesuffix(".json")
    for path in (Path(ges_mock.__file__).parent / "schemas").glob("*.json")
)


@pytest.mark.parametrize("name", BUNDLED_SCHEMAS)
def test_bundled_schema__valid_against_the_meta_schema(name: str) -> None:
    # The server trusts its own schemas at start; this is where they are checked.
    Draft202012Validator.check_schema(load_schema(name))


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
def test_algorithm_parameter_schema__valid_against_the_meta_schema(name: str) -> None:
    Draft202012Validator.check_schema(_parameters_validator(name).schema)
