"""The OpenAPI document: generated from schemas/, valid, served, and enforced."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import requests
from aiohttp import web
from conftest import SAMPLE_BODY, TOKEN
from contract_check import check_responses
from mockproc import MockProcess
from openapi_core import OpenAPI
from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest, MockResponse
from openapi_spec_validator import validate

from ges_mock.handlers import routes
from ges_mock.job_handlers import job_routes
from ges_mock.openapi import build_openapi
from ges_mock.resources import load_schema

EXPORT_PATH = "/ges/v1.0/{project_id}/graphs/{graph_name}/jobs/{job_id}/action"
STATUS_PATH = "/ges/v1.0/{project_id}/graphs/{graph_name}/jobs/{job_id}/status"


def test_openapi__is_a_valid_3_1_document() -> None:
    document = build_openapi()

    validate(document)

    assert document["openapi"] == "3.1.0"


def test_openapi__has_an_operation_per_business_route() -> None:
    document = build_openapi()

    expected = {
        (r.path, r.method.lower())
        for r in [*routes, *job_routes]
        if isinstance(r, web.RouteDef)
    }
    found = {
        (path, method) for path, ops in document["paths"].items() for method in ops
    }
    assert found == expected
    assert document["paths"][EXPORT_PATH]["post"]["operationId"] == "export-result"
    assert document["paths"][STATUS_PATH]["get"]["operationId"] == "job-status"


@pytest.mark.parametrize(
    "name",
    [
        "export-result.request",
        "export-result.response",
        "job-status.response",
        "error.response",
        "gateway-error.response",
    ],
)
def test_openapi__components_are_the_schema_files(name: str) -> None:
    schema = dict(load_schema(name))
    del schema["$id"], schema["$schema"]

    assert build_openapi()["components"]["schemas"][name] == schema


def test_openapi__query_parameters_come_from_the_query_schemas() -> None:
    operations = build_openapi()["paths"]

    export = [
        p for p in operations[EXPORT_PATH]["post"]["parameters"] if p["in"] == "query"
    ]
    status = [
        p for p in operations[STATUS_PATH]["get"]["parameters"] if p["in"] == "query"
    ]
    assert export == [
        {
            "name": "action_id",
            "in": "query",
            "required": True,
            "description": load_schema("export-result.query")["properties"][
                "action_id"
            ]["description"],
            "schema": {"const": "export-result"},
        }
    ]
    assert [(p["name"], p["required"], p["schema"].get("maximum")) for p in status] == [
        ("offset", False, None),
        ("limit", False, 100000),
    ]


def test_openapi__served_and_printed_the_same(default_server: MockProcess) -> None:
    served = requests.get(default_server.url + "/openapi.json", timeout=10)
    printed = subprocess.run(
        [sys.executable, "-m", "ges_mock", "openapi"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert served.status_code == 200
    assert served.headers["Content-Type"] == "application/json"
    assert served.json() == json.loads(printed) == build_openapi()


def test_openapi__checker_validates_what_the_mock_sent(
    default_server: MockProcess,
) -> None:
    export = default_server.api() + "/jobs/louvain-demo/action?action_id=export-result"
    job_id = requests.post(export, json=SAMPLE_BODY, headers=TOKEN, timeout=10).json()[
        "jobId"
    ]
    requests.get(
        f"{default_server.api()}/jobs/{job_id}/status", headers=TOKEN, timeout=10
    )
    requests.get(f"{default_server.api()}/jobs/nope/status", timeout=10)

    assert check_responses(default_server.url) >= 3


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, {"jobid": "x"}),
        (200, {"jobId": ""}),
        (400, {"errorMessage": "m"}),
        (401, {"error_msg": "m", "error_code": "GES.8000"}),
    ],
)
def test_openapi__a_drifted_export_response_is_caught(
    status: int, body: dict[str, str]
) -> None:
    openapi = OpenAPI.from_dict(build_openapi())
    request = MockRequest(
        "http://mock",
        "post",
        "/ges/v1.0/p/graphs/g/jobs/j/action",
        args={"action_id": "export-result"},
    )
    response = MockResponse(json.dumps(body).encode(), status_code=status)

    with pytest.raises(OpenAPIError):
        openapi.validate_response(request, response)
