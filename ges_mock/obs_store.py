"""The OBS root seen as buckets and objects: safe lookups, listings and ETags."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .obs import is_temporary_name

__all__ = [
    "ERRORS",
    "EtagCache",
    "ListPage",
    "ObjectEntry",
    "ObsError",
    "list_bucket",
    "resolve_bucket",
    "resolve_object",
]

CHUNK_SIZE = 256 * 1024

ERRORS: dict[str, tuple[int, str]] = {
    "AccessDenied": (403, "Access Denied"),
    "InternalError": (500, "We encountered an internal error. Please try again."),
    "InvalidAccessKeyId": (
        403,
        "The access key Id you provided does not exist in our records.",
    ),
    "InvalidArgument": (400, "Invalid Argument"),
    "InvalidRange": (416, "The requested range is not satisfiable"),
    "InvalidURI": (400, "Couldn't parse the specified URI."),
    "MethodNotAllowed": (
        405,
        "The specified method is not allowed against this resource.",
    ),
    "NoSuchBucket": (404, "The specified bucket does not exist."),
    "NoSuchKey": (404, "The specified key does not exist."),
    "NotImplemented": (
        501,
        "A header or query you provided implies functionality that is not implemented.",
    ),
    "SignatureDoesNotMatch": (
        403,
        (
            "The request signature we calculated does not match the signature "
            "you provided. Check your key and signing method."
        ),
    ),
}


class ObsError(Exception):
    """An OBS error answer: its code, message and extra XML elements."""

    def __init__(self, code: str, message: str | None = None, **extras: str) -> None:
        super().__init__(code)
        self.code = code
        self.status, default_message = ERRORS[code]
        self.message = message or default_message
        self.extras = extras


@dataclass(frozen=True)
class ObjectEntry:
    """One listed object: its key, size, modification time and quoted ETag."""

    key: str
    size: int
    mtime: float
    etag: str


@dataclass(frozen=True)
class ListPage:
    """One page of a bucket listing."""

    entries: list[ObjectEntry]
    prefixes: list[str]
    is_truncated: bool


def is_safe_segment(segment: str) -> bool:
    """Tell whether one path segment may name a file or folder under the root."""
    if segment in ("", ".", "..") or "\\" in segment or "\x00" in segment:
        return False
    return not is_temporary_name(segment)


def resolve_bucket(root: Path, bucket: str) -> Path:
    """Return the bucket's directory, or raise NoSuchBucket."""
    if is_safe_segment(bucket):
        directory = (root / bucket).resolve()
        if directory.is_relative_to(root) and directory.is_dir():
            return directory
    raise ObsError("NoSuchBucket", BucketName=bucket)


def resolve_object(root: Path, bucket: str, key: str) -> Path:
    """Return the file that holds `key` in `bucket`, never one outside `root`.

    `root` must be resolved already. Segments `.`, `..` and empty ones, a
    backslash, a temporary file's name and a symlink whose target leaves the
    root all answer NoSuchKey, as a key that cannot exist here.
    """
    resolve_bucket(root, bucket)
    segments = key.split("/")
    if not all(is_safe_segment(segment) for segment in segments):
        raise ObsError("NoSuchKey", Key=key)

    # A symlink may point anywhere: only its resolved target counts.
    path = root.joinpath(bucket, *segments).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise ObsError("NoSuchKey", Key=key)
    return path


def md5_hex(fd: int, size: int) -> str:
    """Hash the first `size` bytes of an open file, one chunk at a time."""
    digest = hashlib.md5(usedforsecurity=False)
    offset = 0
    while offset < size:
        chunk = os.pread(fd, min(CHUNK_SIZE, size - offset), offset)
        if not chunk:
            break
        digest.update(chunk)
        offset += len(chunk)
    return digest.hexdigest()


class EtagCache:
    """Quoted MD5 ETags of files, remembered by path, mtime and size."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._etags: OrderedDict[tuple[str, int, int], str] = OrderedDict()

    async def etag_of(self, path: Path, fd: int, info: os.stat_result) -> str:
        """Return the ETag of an open file, hashing it off the event loop."""
        cache_key = (str(path), info.st_mtime_ns, info.st_size)
        if cache_key in self._etags:
            self._etags.move_to_end(cache_key)
            return self._etags[cache_key]

        loop = asyncio.get_running_loop()
        digest = await loop.run_in_executor(None, md5_hex, fd, info.st_size)
        self._etags[cache_key] = f'"{digest}"'
        if len(self._etags) > self.capacity:
            self._etags.popitem(last=False)
        return f'"{digest}"'


# LIMITATION: a symlinked folder is not walked, so objects under it are
# missing from listings although getObject serves them when they resolve
# inside the root; a symlinked file is listed under its own name.
def walk_keys(root: Path, directory: Path, prefix: str) -> Iterator[tuple[str, Path]]:
    """Yield (key, resolved path) for each servable file of a bucket directory."""
    for folder, subfolders, files in os.walk(directory):
        subfolders[:] = [name for name in subfolders if is_safe_segment(name)]
        relative = Path(folder).relative_to(directory).as_posix()
        base = "" if relative == "." else relative + "/"
        for name in files:
            if not (base + name).startswith(prefix) or not is_safe_segment(name):
                continue
            resolved = Path(folder, name).resolve()
            if resolved.is_relative_to(root) and resolved.is_file():
                yield base + name, resolved


async def list_bucket(
    root: Path,
    etags: EtagCache,
    bucket: str,
    params: Mapping[str, str],
    max_keys: int,
) -> ListPage:
    """Return one page of a bucket in key order, after `marker`, by `delimiter`."""
    directory = resolve_bucket(root, bucket)
    prefix = params.get("prefix", "")
    marker = params.get("marker", "")
    delimiter = params.get("delimiter", "")
    entries: list[ObjectEntry] = []
    prefixes: list[str] = []

    for key, path in sorted(walk_keys(root, directory, prefix)):
        cut = key.find(delimiter, len(prefix)) if delimiter else -1
        common = key[: cut + len(delimiter)] if cut >= 0 else None

        # Keys rolled up into a prefix already returned, or passed by the
        # marker, stay out, so that paging by NextMarker never repeats one.
        if key <= marker or (common is not None and common <= marker):
            continue
        if common is not None and common in prefixes[-1:]:
            continue
        if len(entries) + len(prefixes) >= max_keys:
            return ListPage(entries, prefixes, is_truncated=True)

        if common is not None:
            prefixes.append(common)
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            info = os.fstat(fd)
            etag = await etags.etag_of(path, fd, info)
        finally:
            os.close(fd)
        entries.append(ObjectEntry(key, info.st_size, info.st_mtime, etag))
    return ListPage(entries, prefixes, is_truncated=False)
