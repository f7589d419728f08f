"""The rules stage: a matching rule answers, delays or breaks a request before auth."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from .errors import ContractError
from .log import scenario_log
from .middleware import REQUEST_ID_HEADER
from .protocol import read_body
from .request_keys import OFF_CONTRACT, REQUEST_ID, RULE, WORLD
from .responses import json_response
from .rules import MISSING, Action, Canned, Fault, RequestView, Rule, first_match
from .world import World

__all__ = ["NOT_JSON_BODY", "apply_rules", "looks_at_body", "rule_view"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# What the not_json fault sends: the kind of page a proxy in front of GES answers.
NOT_JSON_BODY = b"<html><body><h1>Bad Gateway</h1></body></html>\n"
# Shown in the access log for a request whose connection a rule closed.
CLOSED_STATUS = 444


@web.middleware
async def apply_rules(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let the first matching rule of the request's scenario decide the answer."""
    # LIMITATION: rules see only business-plane requests (under /ges/), the
    # only ones that choose a scenario; other paths never reach a rule.
    world: World | None = request.get(WORLD)
    if world is None or not world.scenario.rules:
        return await handler(request)

    view = await _view_of(request, world.scenario.rules)
    rule = first_match(world.scenario.rules, view)
    if rule is None:
        return await handler(request)

    count = world.rule_state.hit(rule)
    action = rule.action_for(count)
    request[RULE] = rule.name
    request[OFF_CONTRACT] = action.is_off_contract
    scenario_log.debug(
        "rule %s of scenario %s matched %s %s (match %d)",
        rule.name,
        world.name,
        request.method,
        request.path,
        count + 1,
    )
    return await _perform(action, request, handler, world, _values(request, rule, view))


async def _perform(
    action: Action,
    request: web.Request,
    handler: Handler,
    world: World,
    values: dict[str, str],
) -> web.StreamResponse:
    if action.delay is not None:
        await asyncio.sleep(world.rule_state.seconds(action.delay))
    if action.fault is Fault.CONNECTION_CLOSED:
        return _close(request)

    if action.respond is not None:
        response = _canned(action.respond, values)
    elif action.fault is None:
        return await handler(request)
    else:
        response = await _normal(request, handler)

    if action.fault is Fault.TRUNCATED_BODY:
        return await _truncate(request, response)
    if action.fault is Fault.NOT_JSON:
        return _not_json(response)
    return response


async def _view_of(request: web.Request, rules: list[Rule]) -> RequestView:
    """What the rules see; the body is read only when a rule looks at it."""
    raw = None
    if looks_at_body(rules) and request.body_exists:
        raw = await read_body(request)
    return rule_view(
        request.method, request.path, request.match_info, request.query, request.headers, raw
    )


def looks_at_body(rules: list[Rule]) -> bool:
    """Whether any of `rules` matches on the request body."""
    return any(rule.match.body for rule in rules)


def rule_view(
    method: str,
    path: str,
    match_info: Mapping[str, str],
    query: Mapping[str, str],
    headers: Mapping[str, str],
    raw_body: bytes | None,
) -> RequestView:
    """The view rules match against; `raw_body` None when no rule needs it."""
    return RequestView(
        method=method,
        path=path,
        match_info=dict(match_info),
        query=query,
        headers=headers,
        body=MISSING if raw_body is None else _lenient_json(raw_body),
    )


def _lenient_json(raw: bytes) -> Any:
    """Parse a body for matching only: anything unreadable is no body at all."""
    try:
        return json.loads(raw.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        # Too deep to parse is unreadable too; the handler answers GES.8000.
        return MISSING


def _values(request: web.Request, rule: Rule, view: RequestView) -> dict[str, str]:
    """What `${name}` placeholders in a canned answer stand for."""
    values = dict(view.match_info)
    if rule.match.path is not None:
        found = rule.match.path.fullmatch(view.path)
        if found is not None:
            values.update(found.groupdict())
    values["request_id"] = request[REQUEST_ID]
    return values


def _canned(canned: Canned, values: dict[str, str]) -> web.Response:
    body, headers = canned.render(values)
    if body is None:
        return web.Response(status=canned.status, headers=headers)
    response = json_response(body, canned.status)
    response.headers.update(headers)
    return response


async def _normal(request: web.Request, handler: Handler) -> web.Response:
    """The normal answer as a response, so that a fault can spoil it."""
    try:
        response = await handler(request)
    except ContractError as err:
        return json_response(err.body, err.status, err.headers)
    if not isinstance(response, web.Response):
        raise TypeError(
            f"a fault needs a whole response, got {type(response).__name__}"
        )
    return response


def _close(request: web.Request) -> web.Response:
    """Close the connection before any byte of an answer."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=CLOSED_STATUS)


async def _truncate(request: web.Request, response: web.Response) -> web.StreamResponse:
    """Announce the whole body, send the first half, then close the connection."""
    body = (
        bytes(response.body) if isinstance(response.body, (bytes, bytearray)) else b""
    )
    stream = web.StreamResponse(status=response.status, reason=response.reason)
    stream.headers.update(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() != "content-length"
    )
    stream.headers[REQUEST_ID_HEADER] = request[REQUEST_ID]
    stream.content_length = len(body)

    # LIMITATION: half of an empty body is empty, so the client sees a
    # complete answer; the fault only shows on a body of two bytes or more.
    await stream.prepare(request)
    await stream.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.close()
    return stream


def _not_json(response: web.Response) -> web.Response:
    """Keep the status and headers, but send a body no JSON parser accepts."""
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in ("content-length", "content-type")
    }
    return web.Response(
        status=response.status,
        body=NOT_JSON_BODY,
        headers=headers,
        content_type="application/json",
    )
