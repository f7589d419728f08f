"""JSON responses, Content-Type exactly `application/json` as GES sends it."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

__all__ = ["JSON_TYPE", "json_bytes", "json_response"]

JSON_TYPE = "application/json"


def json_response(
    body: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> web.Response:
    """Answer `body` as compact UTF-8 JSON."""
    return web.Response(
        body=json_bytes(body),
        status=status,
        headers=headers,
        content_type=JSON_TYPE,
    )


def json_bytes(body: Any) -> bytes:
    """`body` as compact UTF-8 JSON text."""
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:
        # A lone surrogate (from a JSON escape or an undecodable header byte)
        # has no UTF-8 form; escaped, it is still valid JSON text.
        return json.dumps(body, separators=(",", ":")).encode()
