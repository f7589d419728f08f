"""Reading one plain HTTP/1.1 request whole from a chunk of bytes, for the express lane.

The express lane takes only requests it can answer exactly as the aiohttp
pipeline would: one complete message per chunk, a Content-Length body,
ASCII headers, no Expect, Upgrade, Connection, Transfer-Encoding or
Content-Encoding. Anything else is left to aiohttp, which parses it again
from the first byte.
"""

from __future__ import annotations

from dataclasses import dataclass

import httptools
from multidict import CIMultiDict, CIMultiDictProxy

__all__ = ["PlainRequest", "parse_plain_request"]

# Headers whose presence hands the request to aiohttp: each changes how the
# body is read or how the connection goes on.
_HANDED_OVER = frozenset(
    {b"expect", b"upgrade", b"connection", b"transfer-encoding", b"content-encoding"}
)
# aiohttp's own limit on one header line; a longer one gets its 431 there.
_MAX_FIELD = 8190


@dataclass(slots=True)
class PlainRequest:
    """One parsed request: raw target, ASCII headers and the whole body."""

    method: str
    path: str
    query: str
    headers: CIMultiDictProxy[str]
    body: bytes


class _Collector:
    """httptools' callbacks, gathering one message and noticing a second."""

    __slots__ = ("chunks", "complete", "messages", "names", "url", "values")

    def __init__(self) -> None:
        self.url = b""
        self.names: list[bytes] = []
        self.values: list[bytes] = []
        self.chunks: list[bytes] = []
        self.messages = 0
        self.complete = False

    def on_message_begin(self) -> None:
        self.messages += 1

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.names.append(name)
        self.values.append(value)

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.complete = True


def parse_plain_request(
    data: bytes, body_limit: int, method: bytes = b"POST"
) -> PlainRequest | None:
    """The request `data` holds, if it is exactly one plain `method` request."""
    if not data.startswith(method + b" "):
        return None
    collector = _Collector()
    parser = httptools.HttpRequestParser(collector)
    try:
        parser.feed_data(data)
    except httptools.HttpParserError:
        return None
    if not collector.complete or collector.messages != 1:
        return None
    if parser.get_http_version() != "1.1" or not parser.should_keep_alive():
        return None
    headers = _plain_headers(collector.names, collector.values)
    if headers is None:
        return None
    body = b"".join(collector.chunks)
    if len(body) > body_limit or headers.get("Content-Length") != str(len(body)):
        return None
    path, _, query = collector.url.partition(b"?")
    return PlainRequest(
        method=method.decode(),
        path=path.decode("ascii", errors="replace"),
        query=query.decode("ascii", errors="replace"),
        headers=CIMultiDictProxy(headers),
        body=body,
    )


def _plain_headers(names: list[bytes], values: list[bytes]) -> CIMultiDict[str] | None:
    headers: CIMultiDict[str] = CIMultiDict()
    for name, value in zip(names, values):
        if name.lower() in _HANDED_OVER or len(name) + len(value) + 2 > _MAX_FIELD:
            return None
        if not (name.isascii() and value.isascii()):
            return None
        headers.add(name.decode(), value.decode().strip(" \t"))
    if len(headers.getall("Content-Length", ())) != 1:
        return None
    return headers
