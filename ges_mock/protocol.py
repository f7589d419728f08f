"""HTTP-level care: slow clients, Expect: 100-continue, malformed requests as JSON."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Protocol, cast

from aiohttp import web
from aiohttp.web_protocol import RequestHandler, RequestPayloadError
from aiohttp.web_request import BaseRequest

from .access import AccessLine
from .errors import ContractError, error_body
from .request_keys import BODY_OUTCOME, request_id_of
from .responses import json_response

__all__ = [
    "DEFAULT_READ_TIMEOUT",
    "LANE",
    "READ_TIMEOUT",
    "JsonErrorsAppRunner",
    "Lane",
    "LaneAnswer",
    "QuietErrorsAppRunner",
    "QuietErrorsRequestHandler",
    "expect_within_limit",
    "read_body",
]

# Seconds a client may take to send a request's headers, or its body, or to
# send the next request on a kept-alive connection; then the connection goes.
DEFAULT_READ_TIMEOUT = 15.0
READ_TIMEOUT = web.AppKey("read_timeout", float)
_REQUEST_ID_HEADER = "X-Request-Id"


async def read_body(request: web.Request) -> bytes:
    """Read the whole body, or answer 408 when the client is too slow to send it.

    Every stage that wants the body (rules, handler, journal) reads it here:
    the outcome is kept on the request, so a slow client is waited for once.
    """
    outcome: bytes | ContractError | None = request.get(BODY_OUTCOME)
    if outcome is None:
        outcome = await _receive_body(request)
        request[BODY_OUTCOME] = outcome
    if isinstance(outcome, ContractError):
        raise outcome
    return outcome


async def _receive_body(request: web.Request) -> bytes | ContractError:
    timeout = request.app[READ_TIMEOUT]
    try:
        if request.content.is_eof():
            # All of it has arrived (the usual small body): no timer is needed.
            return await request.read()
        return await asyncio.wait_for(request.read(), timeout)
    except asyncio.TimeoutError:
        message = f"request body did not arrive within {timeout:g} seconds"
        return ContractError(408, "GES.8000", message)
    except RequestPayloadError as err:
        # A body that does not decode as its Content-Encoding says.
        # aiohttp words it "400, message:\n  <reason>"; the reason is the last line.
        lines = str(err).strip().splitlines() or ["it does not decode"]
        reason = lines[-1].strip()
        return ContractError(400, "GES.8000", f"request body is unreadable: {reason}")


async def expect_within_limit(request: web.Request) -> web.StreamResponse | None:
    """Answer `Expect: 100-continue` with 413 at once when the body will not fit.

    A body announced larger than the limit is refused before the client
    sends it; otherwise the client is told to go on, as aiohttp does.
    """
    limit = request.app._client_max_size
    expect = request.headers.get("Expect", "").lower()
    if expect != "100-continue":
        message = f"Expect must be 100-continue, got {request.headers['Expect']!r}"
        return _early_answer(request, 417, message)
    if request.content_length is not None and request.content_length > limit:
        message = (
            f"request body of {request.content_length} bytes is larger than the "
            f"limit of {limit} bytes"
        )
        return _early_answer(request, 413, message)
    if request.version >= (1, 1):
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    return None


def _early_answer(request: web.Request, status: int, message: str) -> web.Response:
    # The expect handler runs before the middlewares: give the id here.
    response = json_response(error_body("GES.8000", message), status)
    response.headers[_REQUEST_ID_HEADER] = request_id_of(request)
    response.force_close()
    return response


class QuietErrorsRequestHandler(RequestHandler):
    """aiohttp's connection handler, answering unparsable requests in our shape.

    A request that does not parse is the client's fault, told in the answer:
    it is logged at DEBUG without a traceback, which would repeat the
    client's raw bytes (tokens and signatures among them) into the log.
    """

    def log_exception(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("exc_info", None)
        self.logger.debug(*args, **kwargs)

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        plain = super().handle_error(request, status, exc, message)
        # The first words name the fault; what follows echoes the client's bytes.
        text = message or HTTPStatus(status).phrase
        reason = text.splitlines()[0].split(": ")[0].rstrip(":")
        response = self.error_answer(request, plain.status, reason)
        response.force_close()
        return response

    def error_answer(
        self, request: BaseRequest, status: int, reason: str
    ) -> web.StreamResponse:
        """The answer to a request that could not be parsed or handled."""
        raise NotImplementedError


@dataclass(slots=True)
class LaneAnswer:
    """A whole answer a lane wrote for a request, and what its access line says."""

    data: bytes
    status: int
    request_id: str
    method: str
    path_qs: str


class Lane(Protocol):
    """A shortcut that may answer a request from its bytes alone."""

    def answer(self, data: bytes) -> LaneAnswer | None:
        """The whole answer to the one request `data` holds, or None for aiohttp."""


LANE = web.AppKey("lane", Lane)


class _JsonErrorsRequestHandler(QuietErrorsRequestHandler):
    # Set once a chunk went to aiohttp: the rest of the connection follows
    # it there, so answers keep the order of their requests.
    _handed_over = False
    _remote: str | None = None

    def data_received(self, data: bytes) -> None:
        lane: Lane | None = getattr(self._manager, "lane", None)
        if lane is not None and not self._handed_over and self._may_shortcut():
            started = self._loop.time()
            answer = lane.answer(data)
            if answer is not None:
                self._send(answer, started)
                return
        self._handed_over = True
        super().data_received(data)

    def _may_shortcut(self) -> bool:
        # A paused transport means the client does not read: aiohttp waits for it.
        return not (self._force_close or self._close or self.writing_paused)

    def _send(self, answer: LaneAnswer, started: float) -> None:
        assert self.transport is not None
        self.transport.write(answer.data)
        if self._keepalive_timeout > 0:
            # The idle timer counts from this answer, as after any of aiohttp's.
            self._next_keepalive_close_time = self._loop.time() + self._keepalive_timeout
        logger = self.access_logger
        if isinstance(logger, AccessLine) and logger.enabled:
            logger.log_line(
                self._remote_of(),
                answer.method,
                answer.path_qs,
                (1, 1),
                answer.status,
                len(answer.data),
                self._loop.time() - started,
                answer.request_id,
            )

    def _remote_of(self) -> str:
        if self._remote is None:
            peer = None if self.transport is None else self.transport.get_extra_info("peername")
            self._remote = str(peer[0]) if isinstance(peer, (list, tuple)) else str(peer or "-")
        return self._remote

    def error_answer(
        self, request: BaseRequest, status: int, reason: str
    ) -> web.StreamResponse:
        code = "GES.8002" if status >= 500 else "GES.8000"
        return json_response(
            error_body(code, f"malformed HTTP request: {reason}"),
            status,
            {_REQUEST_ID_HEADER: request_id_of(request)},
        )


class _QuietErrorsServer(web.Server):
    handler_class: type[RequestHandler] = RequestHandler

    def __call__(self) -> RequestHandler:
        return self.handler_class(self, loop=self._loop, **self._kwargs)


class QuietErrorsAppRunner(web.AppRunner):
    """An AppRunner whose connections answer even malformed HTTP in our shape.

    aiohttp answers a request it cannot parse (bad request line, bad header,
    line too long) before any middleware runs, in plain text; this runner
    swaps in `handler_class`, which answers in the application's own shape.
    """

    handler_class: type[QuietErrorsRequestHandler]

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _QuietErrorsServer
        cast(_QuietErrorsServer, server).handler_class = self.handler_class
        return server


class JsonErrorsAppRunner(QuietErrorsAppRunner):
    """Malformed HTTP answered with the GES error body."""

    handler_class = _JsonErrorsRequestHandler

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.request_handler = _expect_failures_as_json(server.request_handler)
        server.lane = self.app.get(LANE)  # type: ignore[attr-defined]
        return server


def _expect_failures_as_json(
    handle: Callable[[BaseRequest], Awaitable[web.StreamResponse]],
) -> Callable[[BaseRequest], Awaitable[web.StreamResponse]]:
    """Answer aiohttp's own 417 (an unknown route or method has no expect
    handler of ours) with the GES body, as every route of ours does."""

    async def answer(request: BaseRequest) -> web.StreamResponse:
        try:
            return await handle(request)
        except web.HTTPExpectationFailed:
            got = request.headers.get("Expect", "")
            message = f"Expect must be 100-continue, got {got!r}"
            return _early_answer(cast(web.Request, request), 417, message)

    return answer
