"""The request id and the rule that every error leaves as a JSON body."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from .contract import contract_error
from .errors import ContractError, error_body
from .log import server_log
from .request_keys import request_id_of
from .responses import json_response

__all__ = ["REQUEST_ID_HEADER", "errors_as_json", "internal_error"]

REQUEST_ID_HEADER = "X-Request-Id"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def errors_as_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give each request an id; turn every error into the documented JSON body."""
    request_id = request_id_of(request)
    try:
        response = await handler(request)
    except ContractError as err:
        response = json_response(err.body, err.status, err.headers)
    except web.HTTPException as exc:
        response = _http_error(request, exc)
    except Exception:  # noqa: BLE001 - logged, answered as a JSON 500
        internal = internal_error(request.method, request.path, request_id)
        response = json_response(internal.body, internal.status)
    response.headers[REQUEST_ID_HEADER] = request_id
    return response


def internal_error(method: str, path: str, request_id: str) -> ContractError:
    """Log the exception being handled; return the 500 that answers it."""
    server_log.exception("unexpected error answering %s %s (request id %s)",
                         method, path, request_id)
    return contract_error("GES.8002", f"internal error, request id {request_id}", status=500)


def _http_error(request: web.Request, exc: web.HTTPException) -> web.Response:
    """Answer aiohttp's own errors (routing, size limit) in the GES shape."""
    headers = {}
    if exc.status == 404:
        message = f"no such API: {request.method} {request.path}"
    elif exc.status == 405:
        allowed = exc.headers.get("Allow", "")
        headers["Allow"] = allowed
        message = f"method {request.method} is not allowed on {request.path}; allowed: {allowed}"
    elif exc.status == 413:
        message = f"request body is larger than the limit of {request.app._client_max_size} bytes"
    else:
        message = exc.reason
    return json_response(error_body("GES.8000", message), exc.status, headers)
