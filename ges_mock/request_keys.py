"""The values a request carries from one stage of the pipeline to the next."""

from __future__ import annotations

import itertools
import random
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from .errors import ContractError
    from .world import World

__all__ = [
    "BODY_OUTCOME",
    "OFF_CONTRACT",
    "REQUEST_ID",
    "RULE",
    "WORLD",
    "new_request_id",
    "request_id_of",
]

# Given by the first middleware; echoed in X-Request-Id and the journal.
REQUEST_ID = web.RequestKey("request_id", str)
# The running scenario that answers a business-plane request.
WORLD: web.RequestKey[World] = web.RequestKey("world")
# The body as read once, or the error reading it gave (a slow client).
BODY_OUTCOME: web.RequestKey[bytes | ContractError] = web.RequestKey("body")
# A stage that answers instead of the handler (a scenario rule) names itself
# here, e.g. "rules[2]"; the journal records it.
RULE = web.RequestKey("rule", str)
# True when that stage's answer may break the contract on purpose.
OFF_CONTRACT = web.RequestKey("off_contract", bool)

# Request ids: 32 hex digits, a random half per process and a counter half,
# unique without the cost of a UUID per request.
_ID_PREFIX = f"{random.SystemRandom().getrandbits(64):016x}"
_id_counter = itertools.count(1)


def request_id_of(request: web.BaseRequest) -> str:
    """The request's id, given on first asking (by whichever stage asks first)."""
    request_id: str | None = request.get(REQUEST_ID)
    if request_id is None:
        request_id = new_request_id()
        request[REQUEST_ID] = request_id
    return request_id


def new_request_id() -> str:
    """A fresh request id: 32 hex digits, unique within and across processes."""
    return f"{_ID_PREFIX}{next(_id_counter):016x}"
