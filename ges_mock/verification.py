"""Verification: how many journaled requests match criteria, and the near misses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import GesMockError
from .journal import JournalEntry, check_endpoint, parse_since

__all__ = ["Criteria", "Verification", "parse_criteria", "verify"]

SCALAR_FIELDS = ("endpoint", "method", "path", "status", "scenario", "rule")
MAPPING_FIELDS = ("query", "headers", "body")
KNOWN_FIELDS = frozenset((*SCALAR_FIELDS, *MAPPING_FIELDS, "since"))
NEAR_MISS_LIMIT = 3
_MISSING = object()


@dataclass(frozen=True)
class Criteria:
    """What a request must look like to count; absent fields match anything."""

    fields: dict[str, Any]

    def differences(self, entry: JournalEntry) -> list[str]:
        """Say, one phrase per field, why `entry` does not match."""
        found: list[str] = []
        for name in SCALAR_FIELDS:
            if name in self.fields and getattr(entry, name) != self.fields[name]:
                found.append(_differs(name, getattr(entry, name), self.fields[name]))
        if "query" in self.fields:
            found += _subset_differences("query", entry.query, self.fields["query"])
        if "headers" in self.fields:
            headers = {k.lower(): v for k, v in entry.headers.items()}
            wanted = {k.lower(): v for k, v in self.fields["headers"].items()}
            found += _subset_differences("headers", headers, wanted)
        if "body" in self.fields:
            found += _subset_differences("body", entry.body, self.fields["body"])
        return found

    def is_in_window(self, entry: JournalEntry) -> bool:
        """Whether `entry` falls after `since`, when criteria give one."""
        since = self.fields.get("since")
        return since is None or entry.timestamp >= since


@dataclass(frozen=True)
class Verification:
    """The outcome: matching entries, and the closest others when none match."""

    matched: list[JournalEntry]
    near_misses: list[tuple[JournalEntry, list[str]]]

    def to_json(self) -> dict[str, Any]:
        """The outcome as the admin API answers it."""
        return {
            "count": len(self.matched),
            "requests": [e.to_json() for e in self.matched],
            "near_misses": [
                {"request": _summary(e), "differences": diffs}
                for e, diffs in self.near_misses
            ],
        }


def parse_criteria(data: Any) -> Criteria:
    """Check a verification body and build its criteria, or raise GesMockError."""
    if not isinstance(data, dict):
        raise GesMockError(f"verify body must be a JSON object, got {data!r}")
    unknown = sorted(set(data) - KNOWN_FIELDS)
    if unknown:
        known = ", ".join(sorted(KNOWN_FIELDS))
        raise GesMockError(
            f"verify body field {unknown[0]!r} is unknown; known: {known}"
        )
    for name in MAPPING_FIELDS:
        if name in data and not isinstance(data[name], dict):
            raise GesMockError(
                f"verify body field {name!r} must be an object, got {data[name]!r}"
            )
    if "status" in data and not isinstance(data["status"], int):
        raise GesMockError(
            f"verify body field 'status' must be an integer, got {data['status']!r}"
        )
    check_endpoint(data.get("endpoint"))
    fields = dict(data)
    if "method" in fields:
        fields["method"] = str(fields["method"]).upper()
    if "since" in fields:
        fields["since"] = parse_since(fields["since"])
    return Criteria(fields)


def verify(entries: Iterable[JournalEntry], criteria: Criteria) -> Verification:
    """Count entries matching `criteria`; with none, rank the near misses."""
    matched: list[JournalEntry] = []
    misses: list[tuple[JournalEntry, list[str]]] = []
    for entry in entries:
        if not criteria.is_in_window(entry):
            continue
        diffs = criteria.differences(entry)
        if diffs:
            misses.append((entry, diffs))
        else:
            matched.append(entry)
    if matched:
        return Verification(matched, [])

    # Fewest differences first; among equals, the most recent request first.
    misses.sort(key=lambda item: (len(item[1]), -item[0].seq))
    return Verification([], misses[:NEAR_MISS_LIMIT])


def _subset_differences(where: str, actual: Any, wanted: Any) -> list[str]:
    """Differences between `wanted` and the same keys of `actual`, recursively."""
    if not isinstance(wanted, dict):
        return [] if actual == wanted else [_differs(where, actual, wanted)]
    if not isinstance(actual, dict):
        return [f"{where} was {actual!r}, expected an object with {wanted!r}"]
    found: list[str] = []
    for key, value in wanted.items():
        inner = actual.get(key, _MISSING)
        if inner is _MISSING:
            found.append(f"{where}.{key} is missing, expected {value!r}")
        else:
            found += _subset_differences(f"{where}.{key}", inner, value)
    return found


def _differs(where: str, actual: Any, wanted: Any) -> str:
    return f"{where} was {actual!r}, expected {wanted!r}"


def _summary(entry: JournalEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "method": entry.method,
        "path": entry.path,
        "query": entry.query,
        "endpoint": entry.endpoint,
        "status": entry.status,
        "scenario": entry.scenario,
        "body": entry.body,
    }
