"""The access log line: one INFO line per request, formatted only when it is emitted."""

from __future__ import annotations

import logging
from functools import lru_cache
from urllib.parse import unquote_plus

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from .log_output import direct_info_writer

__all__ = ["AccessLine", "masked_target"]

_FORMAT = '%s "%s %s HTTP/%d.%d" %d %d %.6fs request_id=%s'
# Query parameters that carry credentials (a signed OBS URL's key and
# signature, in either SDK spelling), compared decoded and lower-cased.
_SECRET_QUERY_NAMES = frozenset(
    {"accesskeyid", "awsaccesskeyid", "signature", "x-obs-security-token",
     "x-amz-security-token", "x-auth-token"}
)


class AccessLine(AbstractAccessLogger):
    """`<client> "<request line>" <status> <bytes> <seconds>s request_id=<id>`.

    The same line aiohttp's format-string logger writes for our format, with
    the arguments handed to logging so nothing is formatted when INFO is off.
    """

    @property
    def enabled(self) -> bool:
        """Whether a line would be emitted at all."""
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        """Log one finished request."""
        self.log_line(
            request.remote or "-",
            request.method,
            request.path_qs,
            request.version,
            response.status,
            response.body_length,
            time,
            response.headers.get("X-Request-Id")
            or response.headers.get("x-obs-request-id")
            or "-",
        )

    def log_line(
        self,
        remote: str,
        method: str,
        path_qs: str,
        version: tuple[int, int],
        status: int,
        length: int,
        seconds: float,
        request_id: str,
    ) -> None:
        """Log one finished request from its parts (length: bytes sent, head included)."""
        args = (
            remote, method, masked_target(path_qs), version[0], version[1],
            status, length, seconds, request_id,
        )
        write = direct_info_writer(self.logger)
        if write is None:
            self.logger.info(_FORMAT, *args)
        elif self.logger.isEnabledFor(logging.INFO):
            # serve's own handler alone takes the line: the same text, no LogRecord.
            write(self.logger.name, "INFO", _FORMAT % args)


@lru_cache(maxsize=1024)
def masked_target(path_qs: str) -> str:
    """The request target with credential values in its query shown as ***."""
    path, mark, query = path_qs.partition("?")
    if not mark:
        return path_qs
    fields = []
    for field in query.split("&"):
        name, equals, _ = field.partition("=")
        if equals and unquote_plus(name).lower() in _SECRET_QUERY_NAMES:
            field = f"{name}=***"
        fields.append(field)
    return f"{path}?{'&'.join(fields)}"
