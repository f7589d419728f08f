"""Settings from GES_MOCK_* environment variables, as defaults for the flags."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TypeVar

from .errors import GesMockError

__all__ = ["ENV_PREFIX", "env_default", "env_flag"]

ENV_PREFIX = "GES_MOCK_"
T = TypeVar("T")


def env_default(
    name: str,
    default: T,
    convert: Callable[[str], T],
    environ: Mapping[str, str] | None = None,
) -> T:
    """Return GES_MOCK_<name> converted, or `default` when it is unset or empty."""
    variable = ENV_PREFIX + name
    raw = (os.environ if environ is None else environ).get(variable, "")
    if not raw.strip():
        return default
    try:
        return convert(raw.strip())
    except ValueError as err:
        raise GesMockError(
            f"environment variable {variable} is {raw!r}, which is not valid: {err}"
        ) from err


def env_flag(raw: str) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off, in any case."""
    word = raw.lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected one of 1, true, yes, on, 0, false, no, off")
