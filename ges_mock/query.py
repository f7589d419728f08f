"""Integer query parameters (offset, limit), read as strictly as the document states them."""

from __future__ import annotations

import re

from aiohttp import web

from .contract import bad_parameter

__all__ = ["MAX_OFFSET", "int_query"]

# Plain ASCII digits: int() would also take "+2", " 2", "1_0" and non-ASCII digits.
_DIGITS = re.compile(r"[0-9]{1,10}")
MAX_OFFSET = 2_147_483_647


def int_query(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    """Return query parameter `name` as an int in [low, high], or raise GES.8000."""
    values = request.query.getall(name, [])
    if not values:
        return default
    if len(values) > 1:
        raise bad_parameter(f"{name} must be given once, got {len(values)} values")

    raw = values[0]
    value = int(raw) if _DIGITS.fullmatch(raw) else None
    if value is None or not low <= value <= high:
        raise bad_parameter(f"{name} must be an integer from {low} to {high}, got {raw!r}")
    return value
