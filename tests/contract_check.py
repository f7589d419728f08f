"""Check every response a mock process sent against its own OpenAPI document.

The mock's journal records each business-plane request with the exact
response it sent, whatever the client was; openapi-core validates those
responses against the document the mock serves at /openapi.json.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from openapi_core import OpenAPI
from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest, MockResponse

__all__ = ["check_responses"]


def check_responses(
    url: str, admin_url: str | None = None, admin_token: str | None = None
) -> int:
    """Validate every journaled response; return how many; raise listing failures."""
    headers = {"X-Ges-Mock-Admin-Token": admin_token} if admin_token else {}
    journal = requests.get(
        (admin_url or url) + "/__admin/requests", headers=headers, timeout=10
    ).json()
    document = requests.get(url + "/openapi.json", timeout=10).json()
    openapi = OpenAPI.from_dict(document)

    failures = []
    checked = 0
    for entry in journal["requests"]:
        # HEAD answers carry no body to check; off-contract answers are on purpose.
        skipped = entry["method"] == "HEAD" or entry["off_contract"]
        if entry["endpoint"] is None or entry["status"] is None or skipped:
            continue
        try:
            openapi.validate_response(_request(url, entry), _response(entry))
        except OpenAPIError as err:
            failures.append(
                f"#{entry['seq']} {entry['method']} {entry['path']} "
                f"-> {entry['status']}: {err!r} {getattr(err, '__cause__', '')}"
            )
        checked += 1
    assert not failures, "responses off the OpenAPI document:\n" + "\n".join(failures)
    return checked


def _request(url: str, entry: dict[str, Any]) -> MockRequest:
    body = entry["body"]
    data = None if body is None else json.dumps(body).encode()
    return MockRequest(
        url,
        entry["method"].lower(),
        entry["path"],
        args=entry["query"],
        headers=entry["headers"],
        data=data,
    )


def _response(entry: dict[str, Any]) -> MockResponse:
    response = entry["response"]
    body = response["body"]
    data = json.dumps(body).encode() if not isinstance(body, str) else body.encode()
    return MockResponse(
        data,
        status_code=response["status"],
        headers=response["headers"],
        content_type=response["content_type"],
    )
