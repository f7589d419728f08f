"""The OBS stand-in: a local root where exports land, never outside it."""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from .contract import bad_parameter
from .errors import ContractError
from .log import obs_log
from .turn_stat import lstat_this_turn

__all__ = [
    "ExportTarget",
    "Signature",
    "check_object_name",
    "file_signature",
    "is_temporary_name",
    "resolve_export_target",
    "write_atomically",
]

# Letters, digits and these marks are what OBS accepts in object names,
# plus the CJK block U+4E00-U+9FA5; everything else is refused.
_ALLOWED_MARKS = frozenset("!-_.*'()")
# The same rule as one pattern, so a good name is accepted without a loop.
_ALLOWED_NAME = re.compile(r"[A-Za-z0-9!\-_.*'()\u4e00-\u9fa5]*")
_ALLOWED_PATH = re.compile(r"[A-Za-z0-9!\-_.*'()\u4e00-\u9fa5/]*")
# Exported files get the usual mode, 0666 less the umask, as open() gives.
_FILE_MODE = 0o666
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_CSV_SUFFIX = ".csv"
# OBS refuses object keys longer than this, in UTF-8 bytes.
MAX_KEY_BYTES = 1024
# The local file system's limit on one name, in bytes; the file itself is
# first written under a temporary name this much longer (`.<name>.<hex>.tmp`).
MAX_NAME_BYTES = 255
_TEMP_NAME_EXTRA = len(".") + len(".") + 16 + len(".tmp")
# The real path of each OBS root in use, as `_real_root` last found it.
_REAL_ROOTS: dict[Path, str] = {}
# A file's device, inode, size and modification time in nanoseconds.
Signature = tuple[int, int, int, int]


@dataclass(frozen=True)
class ExportTarget:
    """Where an export writes: the final file and its key inside the root."""

    root: Path
    path: Path
    key: str


def check_object_name(field: str, value: str, *, allow_slash: bool) -> None:
    """Raise GES.8000 naming the first character OBS would refuse."""
    if (_ALLOWED_PATH if allow_slash else _ALLOWED_NAME).fullmatch(value):
        return
    for position, char in enumerate(value):
        if _is_allowed(char) or (allow_slash and char == "/"):
            continue
        raise bad_parameter(
            f"{field} contains {_describe_char(char)} at position {position}, "
            "which OBS object names do not allow"
        )


def resolve_export_target(
    root: Path,
    export_path: str,
    file_name: str | None,
    default_name: str,
) -> ExportTarget:
    """Map exportPath and fileName to a file inside `root`, or raise GES.8000.

    The first segment of exportPath is the bucket; empty segments (a
    trailing or doubled slash) are ignored, as OBS clients do.
    """
    name = default_name if file_name is None else file_name
    parts = _checked_parts(export_path, name)
    target = _target_of(root, parts)
    _ensure_inside(root, parts, target.path)
    return target


@lru_cache(maxsize=1024)
def _checked_parts(export_path: str, name: str) -> tuple[str, ...]:
    """The object key's segments, once every rule on them holds (pure, so kept)."""
    check_object_name("exportPath", export_path, allow_slash=True)
    if export_path.startswith("/"):
        raise bad_parameter(f"exportPath must be relative to a bucket, got {export_path!r}")
    segments = [s for s in export_path.split("/") if s]
    _reject_dot_segments("exportPath", segments, export_path)
    if not segments:
        raise bad_parameter(f"exportPath must name a bucket, got {export_path!r}")

    check_object_name("fileName", name, allow_slash=False)
    _reject_dot_segments("fileName", [name], name)
    if not name.endswith(_CSV_SUFFIX):
        name += _CSV_SUFFIX

    parts = [*segments, name]
    _reject_reserved_names(parts)
    _reject_long_names(parts)
    key_bytes = len("/".join(parts).encode("utf-8"))
    if key_bytes > MAX_KEY_BYTES:
        raise bad_parameter(
            f"exportPath and fileName make an object key of {key_bytes} bytes; "
            f"OBS allows at most {MAX_KEY_BYTES}"
        )
    return tuple(parts)


@lru_cache(maxsize=1024)
def _target_of(root: Path, parts: tuple[str, ...]) -> ExportTarget:
    return ExportTarget(root=root, path=root.joinpath(*parts), key="/".join(parts))


def is_temporary_name(name: str) -> bool:
    """Whether a name is kept for unfinished writes, hidden from every listing.

    Writes in progress are named `.<name>.<16 hex digits>.tmp`; names ending
    in `.tmp` or starting with `.tmp-` are all kept for such files.
    """
    return name.endswith(".tmp") or name.startswith(".tmp-")


def write_atomically(target: ExportTarget, write: Callable[[TextIO], None]) -> int:
    """Write a file through `write` into a temporary file, then rename it.

    Returns the size in bytes. On any failure the temporary file is removed
    and the previous version of the target, if any, stays as it was.

    Every folder is opened relative to the one before it, without following
    symlinks, and the file is created and renamed inside the folder held
    open; so a symlink planted or swapped in after the request was checked
    makes the write fail with ELOOP instead of leading outside the root.
    """
    *folders, name = target.key.split("/")
    folder_fd = _open_folders(target.root, folders)
    try:
        size = _write_in(folder_fd, name, write)
    finally:
        os.close(folder_fd)

    obs_log.info("wrote %s (%d bytes)", target.key, size)
    return size


def file_signature(path: Path) -> Signature | None:
    """The identity and version of the regular file at `path`, or None.

    The last component is not followed: a symlink there has no signature.
    """
    info = lstat_this_turn(str(path))
    if info is None or not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _open_folders(root: Path, folders: list[str]) -> int:
    """Open (making as needed) each folder below `root`; return the last one's fd."""
    fd = os.open(root, _FOLDER_FLAGS)
    for depth, folder in enumerate(folders):
        try:
            child = _open_folder(fd, folder, "/".join(folders[: depth + 1]))
        finally:
            os.close(fd)
        fd = child
    return fd


def _open_folder(parent_fd: int, folder: str, key: str) -> int:
    """Open `folder` inside the open `parent_fd`, making it if missing, never a link."""
    try:
        os.mkdir(folder, dir_fd=parent_fd)
    except FileExistsError:
        pass
    try:
        return os.open(folder, _FOLDER_FLAGS | os.O_NOFOLLOW, dir_fd=parent_fd)
    except OSError as err:
        info = os.stat(folder, dir_fd=parent_fd, follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            raise OSError(
                errno.ELOOP, f"{key!r} is a symlink, which exports never follow"
            ) from err
        raise


def _write_in(folder_fd: int, name: str, write: Callable[[TextIO], None]) -> int:
    """Write `name` inside the open folder through a temporary file; return its size."""
    temp_name = f".{name}.{secrets.token_hex(8)}.tmp"  # _TEMP_NAME_EXTRA longer
    fd = os.open(temp_name, _TEMP_FLAGS, _FILE_MODE, dir_fd=folder_fd)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            write(handle)
            handle.flush()
            # A finished export survives a crash or power cut, not only a restart.
            os.fsync(handle.fileno())
            size = os.fstat(handle.fileno()).st_size
        # rename replaces a symlink at `name` itself, never its target.
        os.replace(temp_name, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:
        _remove_quietly(temp_name, folder_fd)
        raise
    return size


def _is_allowed(char: str) -> bool:
    if char.isascii():
        return char.isalnum() or char in _ALLOWED_MARKS
    return "\u4e00" <= char <= "\u9fa5"


def _describe_char(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"{char!r} (U+{ord(char):04X})"
    return f"U+{ord(char):04X}"


def _reject_dot_segments(field: str, segments: Iterable[str], value: str) -> None:
    if any(s in (".", "..") for s in segments):
        raise bad_parameter(f"{field} must not contain '.' or '..' segments, got {value!r}")


def _reject_reserved_names(parts: list[str]) -> None:
    # A file or folder named like a write in progress would never be listed.
    *segments, name = parts
    for field, part in [*(("exportPath", s) for s in segments), ("fileName", name)]:
        if is_temporary_name(part):
            raise bad_parameter(
                f"{field} names {part!r}, a name kept for unfinished writes "
                "(ending in '.tmp' or starting with '.tmp-')"
            )


def _reject_long_names(parts: list[str]) -> None:
    # A name the disk cannot hold is a 400 now, not an export job failed later.
    *segments, name = parts
    limits = [*(("exportPath", s, MAX_NAME_BYTES) for s in segments)]
    limits.append(("fileName", name, MAX_NAME_BYTES - _TEMP_NAME_EXTRA))
    for field, part, limit in limits:
        size = len(part.encode("utf-8"))
        if size > limit:
            raise bad_parameter(
                f"{field} holds a name of {size} bytes ({part[:16]!r}...); "
                f"the OBS stand-in's disk takes at most {limit}"
            )


def _ensure_inside(root: Path, parts: tuple[str, ...], path: Path) -> None:
    real_root = _real_root(root)
    if _plain_below(real_root, parts):
        return
    real_path = os.path.realpath(path)
    if os.path.commonpath([real_root, real_path]) != real_root:
        raise ContractError(
            400,
            "GES.8011",
            "export path resolves outside the OBS bucket",
        )


def _real_root(root: Path) -> str:
    """The root's real path, found once per root.

    The root and the folders above it are the operator's, out of any
    request's reach. Were the root itself swapped for a symlink while the
    mock runs, writes would follow it (never a link below it), and a link
    planted below it would fail the write, not this request.
    """
    known = _REAL_ROOTS.get(root)
    if known is not None:
        return known
    real = os.path.realpath(root)
    if len(_REAL_ROOTS) >= 64:
        _REAL_ROOTS.clear()
    _REAL_ROOTS[root] = real
    return real


def _plain_below(real_root: str, parts: tuple[str, ...]) -> bool:
    """True when no existing component below the root is a symlink.

    Then the path cannot lead outside the root (its segments hold no '.' or
    '..'), and the full realpath walk of every component is not needed.
    """
    current = real_root
    for part in parts:
        current = os.path.join(current, part)
        info = lstat_this_turn(current)
        if info is None:
            return True
        if stat.S_ISLNK(info.st_mode):
            return False
    return True


def _remove_quietly(name: str, folder_fd: int) -> None:
    try:
        os.unlink(name, dir_fd=folder_fd)
    except FileNotFoundError:
        pass
