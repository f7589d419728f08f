"""The request journal: what the mock was asked and what it answered, for tests."""

from __future__ import annotations

import itertools
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar, cast

from aiohttp import web
from aiohttp.abc import AbstractMatchInfo
from multidict import CIMultiDict

from .body import MAX_DEPTH, nesting_depth
from .errors import ContractError, GesMockError
from .protocol import read_body
from .request_keys import OFF_CONTRACT, REQUEST_ID, RULE, WORLD

__all__ = [
    "ADMIN_PREFIX",
    "DEFAULT_JOURNAL_SIZE",
    "JOURNAL",
    "JOURNAL_ENDPOINTS",
    "Captured",
    "Exchange",
    "Journal",
    "JournalEntry",
    "check_endpoint",
    "endpoint_of",
    "entries_matching",
    "journal_entry",
    "mask_body",
    "mask_headers",
    "parse_since",
    "record_requests",
]

ADMIN_PREFIX = "/__admin/"
DEFAULT_JOURNAL_SIZE = 1000
MASK = "***"
MASKED_HEADERS = frozenset(
    {"x-auth-token", "authorization", "x-ges-mock-admin-token"}
)
MASKED_BODY_FIELDS = ("accessKey", "secretKey")
# In a body that is not JSON: each key with its value (a string, even one
# cut short, or a bare token); keys are compared decoded, so an escaped
# spelling such as "secret\u004bey" is found too.
_KEY_AND_VALUE = re.compile(
    r'("((?:[^"\\]|\\.)*)"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,:{}\[\]"]+|(?=[\[{]))'
)
# LIMITATION: the journal keeps a body whole up to 64 KiB; a longer one is
# cut there and kept as text, so verifying its fields finds nothing.
BODY_KEEP = 64 * 1024
# The names `endpoint_of` gives the business calls: their handlers, hyphenated.
JOURNAL_ENDPOINTS = (
    "export-result", "job-status", "execute-algorithm", "list-jobs", "cancel-job"
)
# The mock's own surfaces are not client traffic and stay out of the journal.
UNJOURNALED = (ADMIN_PREFIX, "/openapi.json")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_T = TypeVar("_T")


@dataclass
class JournalEntry:
    """One request and its answer, with secrets masked.

    The recording middleware stores the raw pieces (`raw_headers`,
    `raw_body`, `raw_response`); masking and decoding happen the first time
    `headers`, `body` or `response` is read, so requests nobody inspects
    cost only the capture.
    """

    seq: int
    timestamp: float
    request_id: str | None
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    endpoint: str | None = None
    scenario: str | None = None
    rule: str | None = None
    is_off_contract: bool = False
    status: int | None = None
    duration_ms: float = 0.0
    response: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The entry as the admin API shows it."""
        return {
            "seq": self.seq,
            "time": _iso(self.timestamp),
            "timestamp": self.timestamp,
            "request_id": self.request_id,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body,
            "endpoint": self.endpoint,
            "scenario": self.scenario,
            "rule": self.rule,
            "off_contract": self.is_off_contract,
            "status": self.status,
            "duration_ms": self.duration_ms,
            "response": self.response,
        }


# status, headers as the handler left them, content type, body bytes (or None)
Captured = tuple[int, "CIMultiDict[str]", str, "bytes | None"]


@dataclass(slots=True)
class Exchange:
    """The raw pieces of one request and its answer, as a journal entry keeps them."""

    request_id: str | None
    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes | None
    endpoint: str | None
    scenario: str | None
    rule: str | None
    is_off_contract: bool
    response: Captured | None


class _RawEntry(JournalEntry):
    """A journal entry captured raw, masked and decoded when first read."""

    def __init__(self, exchange: Exchange, seq: int, timestamp: float, elapsed_ms: float) -> None:
        self.seq = seq
        self.timestamp = timestamp
        self.request_id = exchange.request_id
        self.method = exchange.method
        self.path = exchange.path
        self._raw_query = exchange.query
        self._raw_headers = exchange.headers
        self._raw_body = exchange.body
        self.endpoint = exchange.endpoint
        self.scenario = exchange.scenario
        self.rule = exchange.rule
        self.is_off_contract = exchange.is_off_contract
        self.status = None if exchange.response is None else exchange.response[0]
        self.duration_ms = round(elapsed_ms, 3)
        self._raw_response = exchange.response
        self._decoded: dict[str, Any] = {}

    def _once(self, name: str, make: Callable[[], _T]) -> _T:
        if name not in self._decoded:
            self._decoded[name] = make()
        return cast(_T, self._decoded[name])

    @property
    def query(self) -> dict[str, str]:  # type: ignore[override]
        return self._once("query", lambda: dict(self._raw_query))

    @property
    def headers(self) -> dict[str, str]:  # type: ignore[override]
        return self._once("headers", lambda: mask_headers(self._raw_headers.items()))

    @property
    def body(self) -> Any:
        return self._once(
            "body", lambda: None if self._raw_body is None else mask_body(self._raw_body)
        )

    @property
    def response(self) -> dict[str, Any]:  # type: ignore[override]
        return self._once("response", lambda: _response_record(self._raw_response))


class Journal:
    """A bounded ring of journal entries; the oldest fall off first."""

    def __init__(self, size: int = DEFAULT_JOURNAL_SIZE) -> None:
        if size < 1:
            raise ValueError(f"journal size must be at least 1, got {size!r}")
        self.size = size
        self.dropped = 0
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self._seq = itertools.count(1)

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def next_seq(self) -> int:
        """Reserve the sequence number of the next entry."""
        return next(self._seq)

    def add(self, entry: JournalEntry) -> None:
        """Append `entry`, dropping the oldest one when full."""
        if len(self._entries) == self.size:
            self.dropped += 1
        self._entries.append(entry)

    def clear(self, scenario: str | None = None) -> int:
        """Forget every entry, or those of `scenario`; return how many went."""
        before = len(self._entries)
        if scenario is None:
            self._entries.clear()
            self.dropped = 0
        else:
            kept = [e for e in self._entries if e.scenario != scenario]
            self._entries = deque(kept, maxlen=self.size)
        return before - len(self._entries)


JOURNAL = web.AppKey("journal", Journal)


def endpoint_of(request: web.Request) -> str | None:
    """Name the business call a request reached: its handler, hyphenated."""
    return _endpoint_of_match(request.match_info)


def check_endpoint(name: object) -> None:
    """Raise GesMockError unless `name` is an endpoint a journal entry can have."""
    if name is not None and name not in JOURNAL_ENDPOINTS:
        known = ", ".join(JOURNAL_ENDPOINTS)
        raise GesMockError(f"endpoint {name!r} is unknown; known: {known}")


def _endpoint_of_match(match: AbstractMatchInfo) -> str | None:
    if match.http_exception is not None:
        return None
    name = getattr(match.handler, "__name__", None)
    return None if name is None else name.replace("_", "-")


def mask_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Copy request headers, hiding tokens and signatures."""
    masked: dict[str, str] = {}
    for name, value in headers:
        masked[name] = MASK if name.lower() in MASKED_HEADERS else value
    return masked


def mask_body(raw: bytes) -> Any:
    """Decode a body for the journal: JSON with OBS keys masked, else text.

    A body that is not JSON has its key values masked in the text, and
    everything after an `obsParameters` that is not an object; a body
    longer than BODY_KEEP is masked whole, then cut there as text.
    """
    if not raw:
        return None
    try:
        data = json.loads(raw)
        is_json = nesting_depth(data) <= MAX_DEPTH
    except (ValueError, RecursionError):
        is_json = False
    if not is_json:
        # Deeper values stay text too, so the admin answer can always encode them.
        return _mask_text(raw[:BODY_KEEP].decode("utf-8", errors="replace"))
    data = _mask_json(data)
    if len(raw) > BODY_KEEP:
        return json.dumps(data, ensure_ascii=False)[:BODY_KEEP]
    return data


def _mask_json(value: Any) -> Any:
    """Mask `accessKey` and `secretKey` wherever they sit, and an
    `obsParameters` that is not an object, at any depth (bodies kept as
    JSON are at most MAX_DEPTH deep)."""
    if isinstance(value, list):
        return [_mask_json(item) for item in value]
    if not isinstance(value, dict):
        return value
    masked: dict[str, Any] = {}
    for name, item in value.items():
        if name in MASKED_BODY_FIELDS or (
            name == "obsParameters" and not isinstance(item, dict)
        ):
            masked[name] = MASK
        else:
            masked[name] = _mask_json(item)
    return masked


def _decoded_key(escaped: str) -> str:
    try:
        return str(json.loads(f'"{escaped}"'))
    except ValueError:
        return escaped


def _mask_text(text: str) -> str:
    pieces: list[str] = []
    position = 0
    for found in _KEY_AND_VALUE.finditer(text):
        key = _decoded_key(found.group(2))
        start, end = found.span(3)
        if key == "obsParameters" and not text.startswith("{", start):
            # Not an object: everything after it is masked.
            return "".join(pieces) + text[position:start] + MASK
        if key in MASKED_BODY_FIELDS:
            if start == end:
                # An array or object as the value: mask to the end.
                return "".join(pieces) + text[position:start] + MASK
            pieces += [text[position:start], f'"{MASK}"']
            position = end
    return "".join(pieces) + text[position:]


@web.middleware
async def record_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Journal every client request with its final answer and timing."""
    if request.path.startswith(UNJOURNALED):
        return await handler(request)

    journal = request.app[JOURNAL]
    seq = journal.next_seq()
    started = time.time()
    clock = time.perf_counter()
    try:
        response = await handler(request)
    except BaseException:
        # Only a cancelled or broken exchange gets here: record it unanswered.
        elapsed = (time.perf_counter() - clock) * 1000
        journal.add(await _entry(request, None, seq, started, elapsed))
        raise

    elapsed = (time.perf_counter() - clock) * 1000
    journal.add(await _entry(request, response, seq, started, elapsed))
    return response


async def _entry(
    request: web.Request,
    response: web.StreamResponse | None,
    seq: int,
    started: float,
    elapsed_ms: float,
) -> JournalEntry:
    world = request.get(WORLD)
    exchange = Exchange(
        request_id=request.get(REQUEST_ID),
        method=request.method,
        path=request.path,
        query=request.rel_url.query,
        headers=request.headers,
        body=None if response is None else await _request_body(request),
        endpoint=_endpoint_of_match(request.match_info),
        scenario=None if world is None else world.name,
        rule=request.get(RULE),
        is_off_contract=bool(request.get(OFF_CONTRACT, False)),
        response=_capture_response(response),
    )
    return _RawEntry(exchange, seq, started, elapsed_ms)


def journal_entry(
    exchange: Exchange, seq: int, started: float, elapsed_ms: float
) -> JournalEntry:
    """The entry for an exchange answered outside aiohttp's pipeline (the express lane)."""
    return _RawEntry(exchange, seq, started, elapsed_ms)


async def _request_body(request: web.Request) -> bytes | None:
    """The body the handler read, or read it now; None when it cannot be had."""
    if not request.body_exists:
        return None
    try:
        return await read_body(request)
    except (ContractError, web.HTTPException, ConnectionError, RuntimeError):
        return None


def _capture_response(response: web.StreamResponse | None) -> Captured | None:
    """Snapshot what the record needs, before aiohttp adds its own headers."""
    if response is None:
        return None
    body = getattr(response, "body", None)
    kept = body if isinstance(body, bytes) else None
    return (response.status, response.headers.copy(), response.content_type, kept)


def _response_record(captured: Captured | None) -> dict[str, Any]:
    if captured is None:
        return {}
    status, headers, content_type, body = captured
    record: dict[str, Any] = {
        "status": status,
        "headers": dict(headers),
        "content_type": content_type,
        "body": None,
    }
    if body:
        record["body"] = _decode_response(body, content_type)
    return record


def _decode_response(body: bytes, content_type: str) -> Any:
    text = body[:BODY_KEEP].decode("utf-8", errors="replace")
    if content_type == "application/json" and len(body) <= BODY_KEEP:
        try:
            return json.loads(body)
        except ValueError:
            return text
    return text


def _iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def entries_matching(
    entries: Iterable[JournalEntry],
    filters: Mapping[str, Any],
) -> list[JournalEntry]:
    """Entries passing the list filters (endpoint, status, scenario, method, since)."""
    return [e for e in entries if _passes(e, filters)]


def _passes(entry: JournalEntry, filters: Mapping[str, Any]) -> bool:
    for name in ("endpoint", "status", "scenario", "method", "path"):
        wanted = filters.get(name)
        if wanted is not None and getattr(entry, name) != wanted:
            return False
    since = filters.get("since")
    return since is None or entry.timestamp >= since


def parse_since(value: Any) -> float:
    """Read a `since` bound: Unix seconds, or an ISO 8601 time (UTC if no zone)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value)
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise GesMockError(
            f"since must be Unix seconds or an ISO 8601 time, got {value!r}"
        ) from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()
