"""Read-only HTTP server of the OBS root, answering the OBS SDK's download calls."""

from __future__ import annotations

import asyncio
import base64
import email.utils
import logging
import os
import re
import secrets
import time
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import cast
from urllib.parse import quote, unquote

from aiohttp import web
from aiohttp.web_request import BaseRequest

from ges_mock.obs_signature import (
    SUB_RESOURCES,
    QueryItem,
    SignatureError,
    parse_query,
    verify_signature,
)
from ges_mock.obs_store import (
    EtagCache,
    ListPage,
    ObsError,
    list_bucket,
    resolve_bucket,
    resolve_object,
)
from ges_mock.protocol import QuietErrorsAppRunner, QuietErrorsRequestHandler

__all__ = [
    "OBS_NAMESPACE",
    "ObsErrorsAppRunner",
    "create_obs_app",
    "parse_range",
    "render_error",
    "render_list_objects",
    "split_object_path",
]

logger = logging.getLogger("ges_mock.obs")

OBS_NAMESPACE = "http://obs.myhwclouds.com/doc/2015-06-30/"
OWNER_ID = "ges-mock"
MAX_KEYS = 1000
CHUNK_SIZE = 256 * 1024

# Query parameters that override one response header of getObject.
RESPONSE_OVERRIDES = {
    "response-cache-control": "Cache-Control",
    "response-content-disposition": "Content-Disposition",
    "response-content-encoding": "Content-Encoding",
    "response-content-language": "Content-Language",
    "response-content-type": "Content-Type",
    "response-expires": "Expires",
}

# LIMITATION: versionId is accepted and ignored, as the OBS root keeps one
# version per object; any other sub-resource (?acl, ?location, ?versions, ...)
# answers 501 NotImplemented instead of its OBS document.
SERVED_SUBRESOURCES = frozenset({"versionid", *RESPONSE_OVERRIDES})

# A number in a query or header: ASCII digits only (str.isdigit() also takes
# '²' and other digits int() refuses). Longer ones are read as this cap, as
# int() refuses strings of over 4300 digits and no object is this large.
_ASCII_DIGITS = re.compile(r"[0-9]+")
_NUMBER_CAP = 10**18

OBS_ROOT = web.AppKey("obs_root", Path)
Credentials = Mapping[str, str]
OBS_CREDENTIALS: web.AppKey[Callable[[], Credentials | None]] = web.AppKey(
    "obs_credentials"
)
OBS_ETAGS = web.AppKey("obs_etags", EtagCache)


# LIMITATION: only path-style addressing is served; a virtual-hosted request
# (bucket in the Host name) is read as /<bucket>/<key> from its path alone and
# so answers NoSuchBucket or NoSuchKey.
def split_object_path(raw_path: str) -> tuple[str, str]:
    """Decode a raw path-style request path into (bucket, key)."""
    try:
        decoded = unquote(raw_path.partition("?")[0], errors="strict")
    except UnicodeDecodeError as err:
        raise ObsError("InvalidURI") from err
    if not decoded.startswith("/") or "\x00" in decoded:
        raise ObsError("InvalidURI")

    bucket, _, key = decoded[1:].partition("/")
    return bucket, key


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """Return the inclusive (first, last) bytes a Range header asks for, or None.

    An absent or malformed header selects the whole object; a well-formed
    range that lies beyond the object raises InvalidRange.
    """
    unit, _, spec = (header or "").partition("=")
    first_text, dash, last_text = spec.strip().partition("-")
    numbers = [text for text in (first_text, last_text) if text]

    # LIMITATION: a multi-range header (bytes=0-1,5-6) is ignored and the whole
    # object is sent with 200; no multipart/byteranges answer is produced.
    if unit.strip().lower() != "bytes" or not dash or not numbers:
        return None
    if not all(_ASCII_DIGITS.fullmatch(text) for text in numbers):
        return None

    if not first_text:
        suffix = _bounded_int(last_text)
        if suffix == 0 or size == 0:
            raise ObsError("InvalidRange", ActualObjectSize=str(size))
        return max(size - suffix, 0), size - 1

    first = _bounded_int(first_text)
    last = _bounded_int(last_text) if last_text else size - 1
    if last_text and last < first:
        return None
    if first >= size:
        raise ObsError("InvalidRange", ActualObjectSize=str(size))
    return first, min(last, size - 1)


def _bounded_int(digits: str) -> int:
    """The value of a string of ASCII digits, at most _NUMBER_CAP."""
    stripped = digits.lstrip("0") or "0"
    return _NUMBER_CAP if len(stripped) > 18 else min(int(stripped), _NUMBER_CAP)


def iso_time(mtime: float) -> str:
    """Format a timestamp as OBS lists it: ISO 8601 with milliseconds and Z."""
    moment = datetime.fromtimestamp(mtime, timezone.utc)
    millis = moment.microsecond // 1000
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis:03d}Z"


def add_text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    """Append a child element that holds `text`."""
    child = ET.SubElement(parent, tag)
    child.text = text
    return child


def to_xml(element: ET.Element) -> bytes:
    """Serialise an element behind the XML declaration OBS sends."""
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>' + body).encode()


def render_list_objects(
    bucket: str,
    params: Mapping[str, str],
    max_keys: int,
    page: ListPage,
) -> bytes:
    """Render the ListBucketResult document of one page of a listing."""
    entries, prefixes, is_truncated = page.entries, page.prefixes, page.is_truncated
    is_url = params.get("encoding-type") == "url"

    def encode(text: str) -> str:
        return quote(text, safe="/") if is_url else text

    result = ET.Element("ListBucketResult", xmlns=OBS_NAMESPACE)
    add_text(result, "Name", bucket)
    add_text(result, "Prefix", encode(params.get("prefix", "")))
    add_text(result, "Marker", encode(params.get("marker", "")))
    returned = [entry.key for entry in entries] + prefixes
    if is_truncated and returned:
        add_text(result, "NextMarker", encode(max(returned)))
    add_text(result, "MaxKeys", str(max_keys))
    if params.get("delimiter"):
        add_text(result, "Delimiter", encode(params["delimiter"]))
    if is_url:
        add_text(result, "EncodingType", "url")
    add_text(result, "IsTruncated", "true" if is_truncated else "false")

    for entry in entries:
        contents = ET.SubElement(result, "Contents")
        add_text(contents, "Key", encode(entry.key))
        add_text(contents, "LastModified", iso_time(entry.mtime))
        add_text(contents, "ETag", entry.etag)
        add_text(contents, "Size", str(entry.size))
        add_text(ET.SubElement(contents, "Owner"), "ID", OWNER_ID)
        add_text(contents, "StorageClass", "STANDARD")
    for common in prefixes:
        add_text(ET.SubElement(result, "CommonPrefixes"), "Prefix", encode(common))
    return to_xml(result)


def render_error(error: ObsError, request_id: str, host_id: str) -> bytes:
    """Render the OBS Error document of `error`."""
    root = ET.Element("Error")
    add_text(root, "Code", error.code)
    add_text(root, "Message", error.message)
    add_text(root, "RequestId", request_id)
    add_text(root, "HostId", host_id)
    for tag, text in error.extras.items():
        add_text(root, tag, text)
    return to_xml(root)


def new_request_ids() -> tuple[str, str]:
    """Make a request id and a host id shaped like OBS's."""
    request_id = secrets.token_hex(16).upper()
    return request_id, base64.b64encode(secrets.token_bytes(48)).decode("ascii")


def xml_response(body: bytes, status: int = 200) -> web.Response:
    """Answer an XML document."""
    return web.Response(body=body, status=status, content_type="application/xml")


def query_items(request: web.Request) -> list[QueryItem]:
    """Return the request's query as decoded pairs, a '+' kept as it is."""
    return parse_query(request.raw_path.partition("?")[2])


async def list_buckets(request: web.Request) -> web.Response:
    """Answer listBuckets with the root's top-level directories."""
    root = request.app[OBS_ROOT]
    result = ET.Element("ListAllMyBucketsResult", xmlns=OBS_NAMESPACE)
    add_text(ET.SubElement(result, "Owner"), "ID", OWNER_ID)
    buckets = ET.SubElement(result, "Buckets")
    names = sorted(os.listdir(root)) if root.is_dir() else []
    for name in names:
        try:
            directory = resolve_bucket(root, name)
        except ObsError:
            continue
        bucket = ET.SubElement(buckets, "Bucket")
        add_text(bucket, "Name", name)
        add_text(bucket, "CreationDate", iso_time(directory.stat().st_mtime))
    return xml_response(to_xml(result))


async def list_objects(request: web.Request, bucket: str) -> web.Response:
    """Answer listObjects (GET) or headBucket (HEAD) for one bucket."""
    params = {name: value or "" for name, value in query_items(request)}
    max_keys_text = params.get("max-keys", str(MAX_KEYS))
    if not _ASCII_DIGITS.fullmatch(max_keys_text):
        raise ObsError(
            "InvalidArgument",
            "Argument max-keys must be an integer between 0 and 2147483647.",
            ArgumentName="max-keys",
            ArgumentValue=max_keys_text,
        )
    if request.method == "HEAD":
        resolve_bucket(request.app[OBS_ROOT], bucket)
        return web.Response()

    max_keys = min(_bounded_int(max_keys_text), MAX_KEYS)
    root, etags = request.app[OBS_ROOT], request.app[OBS_ETAGS]
    page = await list_bucket(root, etags, bucket, params, max_keys)
    return xml_response(render_list_objects(bucket, params, max_keys, page))


def object_headers(
    path: Path,
    info: os.stat_result,
    etag: str,
    query: list[QueryItem],
) -> dict[str, str]:
    """Return the entity headers of an object, with ?response-* overrides."""
    is_csv = path.suffix.lower() == ".csv"
    headers = {
        "Content-Type": "text/csv" if is_csv else "application/octet-stream",
        "ETag": etag,
        "Last-Modified": email.utils.formatdate(info.st_mtime, usegmt=True),
        "Accept-Ranges": "bytes",
    }
    for name, value in query:
        if name in RESPONSE_OVERRIDES and value is not None:
            if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
                # aiohttp refuses such a header only once the answer starts.
                raise ObsError(
                    "InvalidArgument",
                    f"Argument {name} must not hold control characters.",
                    ArgumentName=name,
                )
            headers[RESPONSE_OVERRIDES[name]] = value
    return headers


# LIMITATION: If-Match, If-None-Match, If-Modified-Since and
# If-Unmodified-Since are ignored: the object is always sent with 200 or
# 206, never 304 Not Modified or 412 PreconditionFailed.
async def get_object(
    request: web.Request,
    bucket: str,
    key: str,
) -> web.StreamResponse:
    """Answer getObject (GET) or getObjectMetadata (HEAD), streaming the file."""
    path = resolve_object(request.app[OBS_ROOT], bucket, key)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as err:
        raise ObsError("NoSuchKey", Key=key) from err

    # The open descriptor pins one version of the file: a writer that renames
    # a new one into place meanwhile changes neither the ETag nor the bytes.
    try:
        info = os.fstat(fd)
        etag = await request.app[OBS_ETAGS].etag_of(path, fd, info)
        byte_range = parse_range(request.headers.get("Range"), info.st_size)
        first, last = byte_range or (0, info.st_size - 1)

        response = web.StreamResponse(status=200 if byte_range is None else 206)
        response.headers.update(object_headers(path, info, etag, query_items(request)))
        if byte_range is not None:
            response.headers["Content-Range"] = f"bytes {first}-{last}/{info.st_size}"
        response.content_length = last - first + 1
        await response.prepare(request)

        # Headers are gone already: if the body breaks off, cutting the
        # connection is the only way left to tell the client it is short.
        try:
            if request.method == "GET":
                await send_file(response, fd, first, last + 1)
            await response.write_eof()
        except OSError as err:
            logger.debug("stopped sending %s: %s", request.path, err)
            if request.transport is not None:
                request.transport.close()
        return response
    finally:
        os.close(fd)


async def send_file(
    response: web.StreamResponse,
    fd: int,
    start: int,
    stop: int,
) -> None:
    """Send bytes [start, stop) of an open file, a chunk at a time."""
    loop = asyncio.get_running_loop()
    offset = start
    while offset < stop:
        size = min(CHUNK_SIZE, stop - offset)
        chunk = await loop.run_in_executor(None, os.pread, fd, size, offset)
        if not chunk:
            raise OSError(f"file ended at byte {offset}, expected {stop}")
        await response.write(chunk)
        offset += len(chunk)


async def dispatch(request: web.Request) -> web.StreamResponse:
    """Route a request by method and path to one of the read-only operations."""
    bucket, key = split_object_path(request.raw_path)
    if request.method not in ("GET", "HEAD"):
        raise ObsError(
            "MethodNotAllowed",
            Method=request.method,
            ResourceType="OBJECT" if key else "BUCKET",
        )
    for name, _ in query_items(request):
        lowered = name.lower()
        if lowered in SUB_RESOURCES and lowered not in SERVED_SUBRESOURCES:
            raise ObsError("NotImplemented")

    if not bucket:
        return await list_buckets(request)
    if not key:
        return await list_objects(request, bucket)
    return await get_object(request, bucket, key)


def error_response(request: web.Request, error: ObsError) -> web.Response:
    """Answer an ObsError: its XML document, or headers alone for HEAD."""
    request_id, host_id = new_request_ids()
    if request.method == "HEAD":
        response = web.Response(status=error.status)
    else:
        body = render_error(error, request_id, host_id)
        response = xml_response(body, error.status)
    if error.code == "MethodNotAllowed":
        response.headers["Allow"] = "GET, HEAD"
    response.headers["x-obs-request-id"] = request_id
    response.headers["x-obs-id-2"] = host_id
    return response


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def obs_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Check the signature, then turn every failure into an OBS error answer."""
    try:
        credentials = request.app[OBS_CREDENTIALS]()
        if credentials is not None:
            verify_signature(
                request.method,
                request.raw_path,
                request.headers.items(),
                credentials,
                time.time(),
            )
        return await handler(request)
    except SignatureError as err:
        extras = {"StringToSign": err.string_to_sign} if err.string_to_sign else {}
        error = ObsError(err.code, err.message, **extras)
    except ObsError as err:
        error = err
    except Exception:
        logger.exception("OBS read side failed on %s %s", request.method, request.path)
        error = ObsError("InternalError")

    # A client's mistake is expected traffic for a test double.
    logger.debug("%s %s answered %s", request.method, request.path, error.code)
    return error_response(request, error)


async def add_obs_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Give every answer the identity headers OBS sends."""
    if "x-obs-request-id" not in response.headers:
        request_id, host_id = new_request_ids()
        response.headers["x-obs-request-id"] = request_id
        response.headers["x-obs-id-2"] = host_id
    response.headers["Server"] = "OBS"


class _ObsErrorsRequestHandler(QuietErrorsRequestHandler):
    def error_answer(
        self, request: BaseRequest, status: int, reason: str
    ) -> web.StreamResponse:
        code = "InternalError" if status >= 500 else "InvalidArgument"
        error = ObsError(code, f"malformed HTTP request: {reason}")
        response = error_response(cast(web.Request, request), error)
        # No application runs for it, so its on_response_prepare cannot add this.
        response.headers["Server"] = "OBS"
        return response


class ObsErrorsAppRunner(QuietErrorsAppRunner):
    """Malformed HTTP on the OBS read side answered with an OBS XML error."""

    handler_class = _ObsErrorsRequestHandler


def create_obs_app(
    root: Path,
    credentials: Credentials | Callable[[], Credentials | None] | None = None,
) -> web.Application:
    """Build the read-only OBS application that serves `root` path-style.

    With `credentials` ({"accessKey", "secretKey"}) every request must be
    signed with them; with None any request is accepted, signed or not. A
    callable is asked on every request, so the keys can follow the scenario
    that is the default at that moment.
    """
    if callable(credentials):
        current = credentials
    else:
        fixed = None if credentials is None else _checked_credentials(credentials)

        def current() -> Credentials | None:
            return fixed

    app = web.Application(middlewares=[obs_middleware])
    app[OBS_ROOT] = Path(root).resolve()
    app[OBS_CREDENTIALS] = current
    app[OBS_ETAGS] = EtagCache()
    app.router.add_route("*", "/{path:.*}", dispatch)
    app.on_response_prepare.append(add_obs_headers)
    return app


def _checked_credentials(credentials: Credentials) -> dict[str, str]:
    if not {"accessKey", "secretKey"} <= set(credentials):
        raise ValueError(
            "credentials must hold 'accessKey' and 'secretKey', "
            f"got keys {sorted(credentials)!r}"
        )
    return dict(credentials)
