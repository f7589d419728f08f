"""Request signatures of the OBS stand-in: the OBS and V2 (AWS) HMAC-SHA1 schemes."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import quote, unquote

__all__ = [
    "SUB_RESOURCES",
    "QueryItem",
    "SignatureError",
    "canonical_resources",
    "canonical_subresources",
    "parse_query",
    "sign",
    "string_to_sign",
    "verify_signature",
]

QueryItem = tuple[str, str | None]

# The word before the credentials names the scheme, and the scheme names the
# prefix of the headers and query parameters that take part in the signature.
HEADER_PREFIXES = {"OBS": "x-obs-", "AWS": "x-amz-"}
QUERY_KEY_PARAMS = {"AccessKeyId": "OBS", "AWSAccessKeyId": "AWS"}

# Query parameters that name a sub-resource and are therefore signed; every
# other parameter (prefix, marker, max-keys, ...) is left out of the signature.
SUB_RESOURCES = frozenset(
    [
        "acl", "append", "backtosource", "cors", "delete", "deletebucket",
        "directcoldaccess", "encryption", "fileinterface", "inventory", "length",
        "lifecycle", "location", "logging", "metadata", "modify", "name",
        "notification", "obsalias", "obsbucketalias", "object-lock", "partnumber",
        "policy", "position", "quota", "rename", "replication", "requestpayment",
        "response-cache-control", "response-content-disposition",
        "response-content-encoding", "response-content-language",
        "response-content-type", "response-expires", "restore", "retention",
        "storageclass", "storageinfo", "storagepolicy", "tagging", "torrent",
        "truncate", "uploadid", "uploads", "versionid", "versioning", "versions",
        "website", "x-image-process", "x-image-save-bucket", "x-image-save-object",
        "x-oss-process"
    ]
)


class SignatureError(Exception):
    """A request refused for its credentials; `code` is the OBS error code."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        string_to_sign: str | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.string_to_sign = string_to_sign


def parse_query(raw_query: str) -> list[QueryItem]:
    """Split a raw query string into decoded pairs; a bare name has value None."""
    items: list[QueryItem] = []
    for part in raw_query.split("&"):
        if not part:
            continue
        name, sep, value = part.partition("=")

        # A literal '+' stays a '+': the SDKs encode spaces as %20 and leave a
        # raw '+' in base64 signatures.
        items.append((unquote(name), unquote(value) if sep else None))
    return items


def canonical_subresources(query: Sequence[QueryItem], prefix: str) -> str:
    """Return the signed `?name=value&...` suffix of the resource, or ''."""
    signed = sorted(
        (item for item in query if is_signed_param(item[0], prefix)),
        key=lambda item: item[0],
    )
    parts = [
        quote(name, safe="/") if value is None else f"{quote(name, safe='/')}={value}"
        for name, value in signed
    ]
    return "?" + "&".join(parts) if parts else ""


def is_signed_param(name: str, prefix: str) -> bool:
    """Tell whether a query parameter takes part in the signature."""
    lowered = name.lower()
    return lowered in SUB_RESOURCES or lowered.startswith(prefix)


def canonical_resources(raw_path: str) -> list[str]:
    """List the spellings of a request path that a client may have signed.

    The SDK signs `/bucket` + `/` + the key quoted with `/~` kept, and `/bucket`
    alone for bucket calls; other clients sign the path as sent, or `/bucket/`.
    """
    decoded = unquote(raw_path)
    spellings = [quote(decoded, safe="/~"), raw_path]

    bucket_only = decoded.strip("/")
    if bucket_only and "/" not in bucket_only:
        spellings += ["/" + bucket_only, "/" + bucket_only + "/"]
    return list(dict.fromkeys(spellings))


def string_to_sign(
    method: str,
    resource: str,
    headers: Iterable[tuple[str, str]],
    prefix: str,
    expires: str | None = None,
) -> str:
    """Build the text a client signs: verb, content headers, date, x- headers, path."""
    fields: dict[str, list[str]] = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered in ("content-md5", "content-type", "date") or lowered.startswith(
            prefix
        ):
            fields.setdefault(lowered, []).append(value.strip())
    joined = {name: ",".join(values) for name, values in fields.items()}

    # A prefixed date header replaces Date, and a signed URL's Expires
    # takes the place of both.
    date = joined.get("date", "")
    if prefix + "date" in joined:
        date = ""
    if expires is not None:
        date = expires

    lines = [
        method,
        joined.get("content-md5", ""),
        joined.get("content-type", ""),
        date,
    ]
    lines += [
        f"{name}:{joined[name]}" for name in sorted(joined) if name.startswith(prefix)
    ]
    return "\n".join(lines) + "\n" + resource


def sign(secret_key: str, text: str) -> str:
    """Return the base64 HMAC-SHA1 of `text` under `secret_key`."""
    digest = hmac.new(secret_key.encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(
    method: str,
    raw_target: str,
    headers: Iterable[tuple[str, str]],
    credentials: Mapping[str, str],
    now: float,
) -> None:
    """Accept a request signed with `credentials`, or raise SignatureError.

    Both the Authorization header and a signed URL (query parameters
    `AccessKeyId` or `AWSAccessKeyId`, `Signature`, `Expires`) are checked.
    """
    header_list = list(headers)
    raw_path, _, raw_query = raw_target.partition("?")
    query = parse_query(raw_query)
    params = {name: value or "" for name, value in query}
    authorization = next(
        (value for name, value in header_list if name.lower() == "authorization"),
        None,
    )

    # LIMITATION: the Date header is not compared with the clock, so a request
    # signed long ago is still accepted where OBS answers RequestTimeTooSkewed.

    # LIMITATION: V4 signatures (AWS4-HMAC-SHA256, header or X-Amz-* query) are
    # not checked; such a request is refused with 403 AccessDenied.
    expires: str | None = None
    if authorization is not None:
        scheme, _, credential = authorization.strip().partition(" ")
        access_key, _, signature = credential.strip().partition(":")
        if scheme not in HEADER_PREFIXES or not signature:
            raise SignatureError(
                "AccessDenied",
                message="Only OBS and V2 (AWS) HMAC-SHA1 signatures are accepted.",
            )
    else:
        query_key = next((name for name in QUERY_KEY_PARAMS if name in params), None)
        if query_key is None or "Signature" not in params:
            raise SignatureError("AccessDenied")
        scheme = QUERY_KEY_PARAMS[query_key]
        access_key, signature = params[query_key], params["Signature"]
        expires = params.get("Expires", "")
        if not expires.isdigit() or int(expires) < now:
            raise SignatureError("AccessDenied", message="Request has expired.")

    if access_key != credentials["accessKey"]:
        raise SignatureError("InvalidAccessKeyId")

    prefix = HEADER_PREFIXES[scheme]
    suffix = canonical_subresources(query, prefix)
    texts = [
        string_to_sign(method, resource + suffix, header_list, prefix, expires)
        for resource in canonical_resources(raw_path)
    ]
    provided = signature.encode()
    for text in texts:
        if hmac.compare_digest(sign(credentials["secretKey"], text).encode(), provided):
            return
    raise SignatureError("SignatureDoesNotMatch", string_to_sign=texts[0])
