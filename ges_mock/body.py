"""Reading a JSON request body, with a GES.8000 answer for every way it can be wrong."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .contract import bad_parameter

__all__ = ["read_json_body"]

ACCEPTED_TYPE = "application/json"


async def read_json_body(request: web.Request) -> Any:
    """Return the parsed JSON body, or raise GES.8000 saying what is wrong."""
    if request.content_type != ACCEPTED_TYPE:
        sent = request.headers.get("Content-Type")
        got = "none" if sent is None else repr(sent)
        raise bad_parameter(f"Content-Type must be {ACCEPTED_TYPE}, got {got}")
    charset = request.charset
    if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise bad_parameter(f"charset must be utf-8, got {charset!r}")

    raw = await request.read()
    if not raw.strip():
        raise bad_parameter("request body is empty; expected a JSON object")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise bad_parameter(f"request body is not UTF-8: byte {err.start} is invalid") from err
    return parse_json(text)


def parse_json(text: str) -> Any:
    """Parse JSON strictly: no duplicate keys, no NaN, no byte-order mark."""
    try:
        return json.loads(
            text,
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as err:
        raise bad_parameter(
            f"request body is not valid JSON: {err.msg} at line {err.lineno} "
            f"column {err.colno}"
        ) from err
    except RecursionError as err:
        raise bad_parameter("request body is nested too deeply") from err
    except ValueError as err:
        raise bad_parameter(f"request body is not valid JSON: {err}") from err


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"field {key!r} appears twice")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
