"""Reading a JSON request body, with a GES.8000 answer for every way it can be wrong."""

from __future__ import annotations

import codecs
import json
import math
from typing import Any

from aiohttp import web

from .contract import bad_parameter
from .protocol import read_body

__all__ = [
    "MAX_DEPTH", "json_body_of", "nesting_depth", "parse_json", "read_json_body",
    "read_json_bytes",
]

ACCEPTED_TYPE = "application/json"
# Deeper bodies are refused before any schema walks them.
MAX_DEPTH = 32
# Longer integers are refused, as no field of the contract needs one.
MAX_DIGITS = 64


async def read_json_body(request: web.Request) -> Any:
    """Return the parsed JSON body, or raise GES.8000 saying what is wrong."""
    return json_body_of(await read_json_bytes(request))


async def read_json_bytes(request: web.Request) -> bytes:
    """Return the body of a request that says it is UTF-8 JSON, or raise GES.8000."""
    if request.content_type != ACCEPTED_TYPE:
        sent = request.headers.get("Content-Type")
        got = "none" if sent is None else repr(sent)
        raise bad_parameter(f"Content-Type must be {ACCEPTED_TYPE}, got {got}")
    charset = request.charset
    if charset is not None and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise bad_parameter(f"charset must be utf-8, got {charset!r}")

    return await read_body(request)


def json_body_of(raw: bytes) -> Any:
    """Parse a JSON request body already read whole, or raise GES.8000."""
    if raw.startswith(codecs.BOM_UTF8):
        raise bad_parameter("request body starts with a UTF-8 byte-order mark; "
                            "expected JSON without one")
    if not raw.strip():
        raise bad_parameter("request body is empty; expected a JSON object")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise bad_parameter(f"request body is not UTF-8: byte {err.start} is invalid") from err
    return parse_json(text)


def parse_json(text: str) -> Any:
    """Parse JSON strictly: no duplicate keys, NaN, infinity, huge or deep values."""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_reject_duplicates,
            parse_constant=_reject_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as err:
        raise bad_parameter(
            f"request body is not valid JSON: {err.msg} at line {err.lineno} "
            f"column {err.colno}"
        ) from err
    except RecursionError as err:
        message = f"request body is nested deeper than {MAX_DEPTH} levels"
        raise bad_parameter(message) from err
    except ValueError as err:
        raise bad_parameter(f"request body is not valid JSON: {err}") from err

    if nesting_depth(value) > MAX_DEPTH:
        raise bad_parameter(f"request body is nested deeper than {MAX_DEPTH} levels")
    return value


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"field {key!r} appears twice")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise ValueError(f"a number of {digits} digits is longer than {MAX_DIGITS}")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:20]!r} is too large for a double")
    return value


def nesting_depth(value: Any) -> int:
    """Nesting depth of a parsed value, counted without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
    return deepest
