"""The OpenAPI 3.1 document, generated from the business routes and schemas/.

Each business-plane route is an operation named after its handler
(`export_result` -> `export-result`); the schemas named after it give its
query parameters (`<name>.query.json`), request body (`<name>.request.json`)
and 200 body (`<name>.response.json`). Nothing here restates a schema.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from aiohttp import web

from . import __version__
from .handlers import routes
from .job_handlers import job_routes
from .resources import load_schema
from .responses import json_response

__all__ = ["OPENAPI_PATH", "build_openapi", "serve_openapi"]

OPENAPI_PATH = "/openapi.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
ERROR = "error.response"
GATEWAY_ERROR = "gateway-error.response"
_PATH_PARAMETER = re.compile(r"\{(\w+)\}")

# The HTTP outcomes every page of the reference lists. Either the engine or
# the API gateway in front of it may answer any of them, each in its own
# shape, so a client must accept both (a scenario picks which it sees).
ERROR_RESPONSES = {
    "400": "The request does not match the document (GES.8000 and others).",
    "401": "Authentication failed (APIGW.0301 from the gateway).",
    "403": "No permission for the operation (GES.8020).",
    "404": "No such resource.",
    "413": "The request body is larger than the mock's limit.",
    "500": "Internal error (GES.8002 and others).",
    "503": "Service unavailable.",
}


def build_openapi() -> dict[str, Any]:
    """Return a fresh copy of the OpenAPI document."""
    return copy.deepcopy(_document())


async def serve_openapi(request: web.Request) -> web.Response:
    """GET /openapi.json."""
    return json_response(_document())


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    used: set[str] = {ERROR, GATEWAY_ERROR}
    for route in [*routes, *job_routes]:
        if not isinstance(route, web.RouteDef):
            continue
        name = route.handler.__name__.replace("_", "-")
        operation = _operation(name, route)
        used |= {s for s in (f"{name}.request", f"{name}.response") if _has_schema(s)}
        paths.setdefault(route.path, {})[route.method.lower()] = operation

    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": DIALECT,
        "info": {
            "title": "Huawei Cloud GES: export a job's result (ges-mock)",
            "version": __version__,
            "description": "The calls ges-mock serves, as the public GES API reference "
            "documents them (export-result API version 2.2.1).",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {name: _embedded(name) for name in sorted(used)},
            "headers": {
                "X-Request-Id": {
                    "description": "The request's id, on every response.",
                    "schema": {"type": "string"},
                },
            },
            "securitySchemes": {
                "token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token"},
            },
        },
        "security": [{"token": []}],
    }


def _operation(name: str, route: web.RouteDef) -> dict[str, Any]:
    summary = (route.handler.__doc__ or name).strip().splitlines()[0]
    operation: dict[str, Any] = {
        "operationId": name,
        "summary": summary,
        "parameters": _path_parameters(route.path) + _query_parameters(name),
        "responses": _responses(name),
    }
    if _has_schema(f"{name}.request"):
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(f"{name}.request")}},
        }
    return operation


def _path_parameters(path: str) -> list[dict[str, Any]]:
    return [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in _PATH_PARAMETER.findall(path)
    ]


def _query_parameters(name: str) -> list[dict[str, Any]]:
    if not _has_schema(f"{name}.query"):
        return []
    schema = load_schema(f"{name}.query")
    required = set(schema.get("required", []))
    parameters = []
    for field, spec in schema.get("properties", {}).items():
        spec = dict(spec)
        description = spec.pop("description", "")
        parameters.append(
            {
                "name": field,
                "in": "query",
                "required": field in required,
                "description": description,
                "schema": spec,
            }
        )
    return parameters


def _responses(name: str) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    if _has_schema(f"{name}.response"):
        responses["200"] = _response("Success.", f"{name}.response")
    for status, description in ERROR_RESPONSES.items():
        responses[status] = _response(description, ERROR, GATEWAY_ERROR)
    responses["default"] = _response("Any other failure.", ERROR, GATEWAY_ERROR)
    return responses


def _response(description: str, *schemas: str) -> dict[str, Any]:
    schema = _ref(schemas[0]) if len(schemas) == 1 else {
        "oneOf": [_ref(name) for name in schemas]
    }
    return {
        "description": description,
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"}},
        "content": {"application/json": {"schema": schema}},
    }


def _ref(schema: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{schema}"}


def _embedded(name: str) -> dict[str, Any]:
    """The schema file as a component: its own id and dialect line dropped."""
    schema = copy.deepcopy(load_schema(name))
    schema.pop("$id", None)
    schema.pop("$schema", None)
    return schema


def _has_schema(name: str) -> bool:
    return (
        resources.files("ges_mock")
        .joinpath("schemas")
        .joinpath(f"{name}.json")
        .is_file()
    )
