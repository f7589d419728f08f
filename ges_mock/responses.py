"""JSON responses, Content-Type exactly `application/json` as GES sends it."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

__all__ = ["json_response"]


def json_response(
    body: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> web.Response:
    """Answer `body` as compact UTF-8 JSON."""
    try:
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:
        # A lone surrogate (from a JSON escape or an undecodable header byte)
        # has no UTF-8 form; escaped, it is still valid JSON text.
        payload = json.dumps(body, separators=(",", ":")).encode()
    return web.Response(
        body=payload,
        status=status,
        headers=headers,
        content_type="application/json",
    )
