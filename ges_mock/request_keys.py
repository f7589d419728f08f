"""The values a request carries from one stage of the pipeline to the next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from .errors import ContractError
    from .world import World

__all__ = ["BODY_OUTCOME", "OFF_CONTRACT", "REQUEST_ID", "RULE", "WORLD"]

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
