"""The express lane: the export call answered straight from its bytes.

The export call is the one a client's load test repeats. A plain one (see
`express_parse`) goes through the same stages as in aiohttp's pipeline, in
the same order and with the same functions: journal, request id, scenario
reload and selection, rules, authentication, body validation, job
creation, access log. What it skips is aiohttp's per-request machinery
(request and response objects, router, middleware chain, a task per
request), so the answer is written in the same call that received it.

A request the lane does not take (any other call, a rule that matches, a
body split over two reads) goes to aiohttp untouched, and so does the rest
of that connection, which keeps answers in order.
"""

from __future__ import annotations

import re
import time
from http import HTTPStatus

from aiohttp import web
from aiohttp.helpers import rfc822_formatted_time
from aiohttp.http import SERVER_SOFTWARE
from multidict import CIMultiDict, MultiDict, MultiDictProxy

from .contract import EXPORT_FAILED
from .errors import ContractError
from .express_parse import PlainRequest, parse_plain_request
from .graph_access import authorise
from .handlers import EXPORT_ACTION, REGISTRY, export_answer
from .journal import JOURNAL, Exchange, journal_entry
from .middleware import REQUEST_ID_HEADER, internal_error
from .protocol import LaneAnswer
from .request_keys import new_request_id
from .responses import JSON_TYPE, json_bytes
from .rule_middleware import looks_at_body, rule_view
from .rules import first_match
from .watcher import WATCHER
from .world import World

__all__ = ["ExpressLane"]

# One path segment as the router would match it, limited to characters
# that percent-decoding leaves as they are, and never a dot segment.
_SEGMENT = r"(?!\.\.?/)[A-Za-z0-9._~-]+"
_EXPORT_PATH = re.compile(
    rf"/ges/v1\.0/(?P<project_id>{_SEGMENT})/graphs/(?P<graph_name>{_SEGMENT})"
    rf"/jobs/(?P<job_id>{_SEGMENT})/action"
)
_EXPORT_QUERY = f"action_id={EXPORT_ACTION}"
_QUERY = MultiDictProxy(MultiDict(action_id=EXPORT_ACTION))
_JSON_TYPES = frozenset(
    {JSON_TYPE, f"{JSON_TYPE}; charset=utf-8", f"{JSON_TYPE};charset=utf-8"}
)
_ENDPOINT = "export-result"


class ExpressLane:
    """Answers plain export calls for one GES application."""

    def __init__(self, app: web.Application) -> None:
        self.app = app

    def answer(self, data: bytes) -> LaneAnswer | None:
        """The whole answer to the one request `data` holds, or None for aiohttp."""
        request = parse_plain_request(data, self.app._client_max_size)
        if request is None:
            return None
        route = _EXPORT_PATH.fullmatch(request.path)
        if route is None or request.query != _EXPORT_QUERY:
            return None
        if request.headers.get("Content-Type", "").lower() not in _JSON_TYPES:
            return None
        watcher = self.app.get(WATCHER)
        if watcher is not None:
            watcher.refresh()
        try:
            world = self.app[REGISTRY].select(request.headers, route["project_id"])
        except ContractError:
            return None
        if _rule_applies(world, request, route.groupdict()):
            return None
        return self._answer_export(world, request, route)

    def _answer_export(
        self, world: World, request: PlainRequest, route: re.Match[str]
    ) -> LaneAnswer:
        journal = self.app[JOURNAL]
        seq = journal.next_seq()
        started = time.time()
        clock = time.perf_counter()
        request_id = new_request_id()
        try:
            status, body, extra = 200, _export(world, request, route, request_id), None
        except ContractError as err:
            status, body, extra = err.status, err.body, err.headers
        except Exception:  # noqa: BLE001 - logged, answered as a JSON 500
            internal = internal_error(request.method, request.path, request_id)
            status, body, extra = internal.status, internal.body, None

        payload = json_bytes(body)
        headers: CIMultiDict[str] = CIMultiDict(extra or ())
        headers["Content-Type"] = JSON_TYPE
        headers[REQUEST_ID_HEADER] = request_id
        exchange = Exchange(
            request_id=request_id,
            method=request.method,
            path=request.path,
            query=_QUERY,
            headers=request.headers,
            body=request.body,
            endpoint=_ENDPOINT,
            scenario=world.name,
            rule=None,
            is_off_contract=False,
            response=(status, headers, JSON_TYPE, payload),
        )
        elapsed = (time.perf_counter() - clock) * 1000
        journal.add(journal_entry(exchange, seq, started, elapsed))
        return LaneAnswer(
            _http_bytes(status, headers, payload),
            status,
            request_id,
            request.method,
            f"{request.path}?{request.query}",
        )


def _export(world: World, request: PlainRequest, route: re.Match[str], request_id: str) -> object:
    """The export handler's stages, after its route and Content-Type checks passed."""
    graph_name = route["graph_name"]
    authorise(
        world, request.headers, route["project_id"], graph_name, request_id, EXPORT_FAILED
    )
    return export_answer(world, graph_name, route["job_id"], request.body)


def _rule_applies(world: World, request: PlainRequest, match_info: dict[str, str]) -> bool:
    rules = world.scenario.rules
    if not rules:
        return False
    raw = request.body if looks_at_body(rules) and request.body else None
    view = rule_view(
        request.method, request.path, match_info, _QUERY, request.headers, raw
    )
    return first_match(rules, view) is not None


def _http_bytes(status: int, headers: CIMultiDict[str], payload: bytes) -> bytes:
    """The response as aiohttp writes it: its headers, then length, date, server."""
    head = [f"HTTP/1.1 {status} {_PHRASES[status]}\r\n"]
    head += [f"{name}: {value}\r\n" for name, value in headers.items()]
    head.append(
        f"Content-Length: {len(payload)}\r\nDate: {rfc822_formatted_time()}\r\n"
        f"Server: {SERVER_SOFTWARE}\r\n\r\n"
    )
    return "".join(head).encode("utf-8") + payload


_PHRASES = {status.value: status.phrase for status in HTTPStatus}
