"""Rules: what a request must look like, and what the mock does instead."""

from __future__ import annotations

import enum
import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Template
from typing import Any

__all__ = [
    "ENDPOINTS",
    "MISSING",
    "Action",
    "Canned",
    "Delay",
    "Fault",
    "Match",
    "Matcher",
    "RequestView",
    "Rule",
    "RuleState",
    "as_text",
    "compile_path",
    "field_of",
    "first_match",
]

BASE = "/ges/v1.0/{project_id}/graphs/{graph_name}"
# The documented calls a rule can name instead of spelling out method and path.
ENDPOINTS: dict[str, tuple[str, str]] = {
    "export": ("POST", BASE + "/jobs/{job_id}/action"),
    "status": ("GET", BASE + "/jobs/{job_id}/status"),
}
_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _Missing:
    """The value of a field the request does not have."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Fault(enum.Enum):
    """A way for the answer to go wrong below the contract."""

    CONNECTION_CLOSED = "connection_closed"
    TRUNCATED_BODY = "truncated_body"
    NOT_JSON = "not_json"


@dataclass(frozen=True)
class Matcher:
    """One condition on one value: equal to, matching a regex, or (not) present."""

    kind: str
    expected: Any = None
    pattern: re.Pattern[str] | None = None

    def accepts_text(self, value: str | None) -> bool:
        """Check a path parameter, query parameter or header (None if absent)."""
        if self.kind == "present":
            return (value is not None) is bool(self.expected)
        if value is None:
            return False
        if self.kind == "regex":
            assert self.pattern is not None
            return self.pattern.fullmatch(value) is not None
        return value == as_text(self.expected)

    def accepts_json(self, value: Any) -> bool:
        """Check a body field (MISSING if absent)."""
        if self.kind == "present":
            return (value is not MISSING) is bool(self.expected)
        if value is MISSING:
            return False
        if self.kind == "regex":
            assert self.pattern is not None
            text = value if isinstance(value, str) else _dump(value)
            return self.pattern.fullmatch(text) is not None
        return _dump(value) == _dump(self.expected)


@dataclass(frozen=True)
class RequestView:
    """What rules look at in a request; body is MISSING when absent or not JSON."""

    method: str
    path: str
    match_info: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: Any = MISSING


@dataclass(frozen=True)
class Match:
    """The conditions a request must meet for a rule to apply."""

    method: str | None = None
    path: re.Pattern[str] | None = None
    path_params: dict[str, Matcher] = field(default_factory=dict)
    query: dict[str, Matcher] = field(default_factory=dict)
    headers: dict[str, Matcher] = field(default_factory=dict)
    body: dict[str, Matcher] = field(default_factory=dict)

    def accepts(self, view: RequestView) -> bool:
        """Whether `view` meets every condition."""
        if self.method is not None and view.method.upper() != self.method:
            return False
        params = self._path_params(view)
        if params is None:
            return False
        return (
            _all_text(self.path_params, params)
            and _all_text(self.query, view.query)
            and _all_text(self.headers, view.headers)
            and all(
                m.accepts_json(field_of(view.body, k)) for k, m in self.body.items()
            )
        )

    def _path_params(self, view: RequestView) -> Mapping[str, str] | None:
        if self.path is None:
            return view.match_info
        found = self.path.fullmatch(view.path)
        return None if found is None else found.groupdict()


@dataclass(frozen=True)
class Canned:
    """A literal answer: status, JSON body (None for no body) and headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def render(self, values: Mapping[str, str]) -> tuple[Any, dict[str, str]]:
        """Body and headers with `${name}` placeholders filled from `values`."""
        headers = {
            k: Template(v).safe_substitute(values) for k, v in self.headers.items()
        }
        return _fill(self.body, values), headers


@dataclass(frozen=True)
class Delay:
    """Wait `low` seconds, or a seeded random time between `low` and `high`."""

    low: float
    high: float


@dataclass(frozen=True)
class Action:
    """What one matching request gets; nothing set means the normal behaviour."""

    respond: Canned | None = None
    delay: Delay | None = None
    fault: Fault | None = None
    # Set when the answer may break the contract on purpose (off_contract, faults).
    is_off_contract: bool = False

    @property
    def is_normal(self) -> bool:
        """Whether the request gets the normal behaviour, untouched."""
        return self.respond is None and self.delay is None and self.fault is None


@dataclass(frozen=True)
class Rule:
    """A match and the answers it gives, one per matching request in turn.

    The last step repeats once the steps are used up.
    """

    index: int
    name: str
    match: Match
    steps: tuple[Action, ...]

    def action_for(self, count: int) -> Action:
        """The step for the rule's `count`-th match (0-based)."""
        return self.steps[min(count, len(self.steps) - 1)]


class RuleState:
    """How often each rule has matched, and the seeded randomness of delays."""

    def __init__(self, seed: int) -> None:
        self._counts: dict[int, int] = {}
        self._random = random.Random(seed)

    def hit(self, rule: Rule) -> int:
        """Count a match of `rule`; return how many matches came before it."""
        before = self._counts.get(rule.index, 0)
        self._counts[rule.index] = before + 1
        return before

    def count(self, rule: Rule) -> int:
        """How many requests `rule` has matched."""
        return self._counts.get(rule.index, 0)

    def seconds(self, delay: Delay) -> float:
        """How long this occurrence of `delay` lasts."""
        if delay.high <= delay.low:
            return delay.low
        return self._random.uniform(delay.low, delay.high)


def first_match(rules: list[Rule], view: RequestView) -> Rule | None:
    """Return the first rule that `view` matches, or None."""
    for rule in rules:
        if rule.match.accepts(view):
            return rule
    return None


def compile_path(template: str) -> re.Pattern[str]:
    """Turn `/a/{name}/b` into a regex capturing `name` from one path segment."""
    parts = []
    position = 0
    for found in _PARAMETER.finditer(template):
        parts.append(re.escape(template[position : found.start()]))
        parts.append(f"(?P<{found.group(1)}>[^/]+)")
        position = found.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts))


def field_of(body: Any, dotted: str) -> Any:
    """The body field at `a.b.0.c`, or MISSING."""
    value = body
    for part in dotted.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


def as_text(value: Any) -> str:
    """How a YAML scalar reads as a header or query value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def _all_text(matchers: Mapping[str, Matcher], values: Mapping[str, str]) -> bool:
    return all(m.accepts_text(values.get(name)) for name, m in matchers.items())


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return Template(value).safe_substitute(values)
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    return value
