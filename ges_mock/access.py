"""The access log line: one INFO line per request, formatted only when it is emitted."""

from __future__ import annotations

import logging

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

__all__ = ["AccessLine"]

_FORMAT = '%s "%s %s HTTP/%d.%d" %d %d %.6fs request_id=%s'


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
        version = request.version
        self.logger.info(
            _FORMAT,
            request.remote or "-",
            request.method,
            request.path_qs,
            version.major,
            version.minor,
            response.status,
            response.body_length,
            time,
            response.headers.get("X-Request-Id", "-"),
        )
