"""Why rules did not match a request: the closest rules and their failed criteria."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .journal import MASK, MASKED_BODY_FIELDS, MASKED_HEADERS
from .rules import MISSING, Matcher, RequestView, Rule, field_of

__all__ = ["closest_rules"]

CLOSEST_LIMIT = 3


def closest_rules(
    rules: list[Rule], view: RequestView, limit: int = CLOSEST_LIMIT
) -> list[dict[str, Any]]:
    """The rules `view` came closest to matching, most criteria met first.

    Each is {"rule", "matched", "failed"}: failed lists one phrase per
    criterion, e.g. "headers.X-Auth-Token: expected regex '^t-', got '***'"
    (tokens and OBS keys are masked).
    """
    ranked = []
    for rule in rules:
        total, failed = _check(rule, view)
        ranked.append((total - len(failed), rule, failed))
    ranked.sort(key=lambda item: (-item[0], len(item[2]), item[1].index))
    return [
        {"rule": rule.name, "matched": met, "failed": failed}
        for met, rule, failed in ranked[:limit]
        if failed
    ]


def _check(rule: Rule, view: RequestView) -> tuple[int, list[str]]:
    match = rule.match
    failed: list[str] = []
    total = 0
    if match.method is not None:
        total += 1
        if view.method.upper() != match.method:
            failed.append(f"method: expected {match.method!r}, got {view.method!r}")
    params: Mapping[str, str] = view.match_info
    if match.path is not None:
        total += 1
        found = match.path.fullmatch(view.path)
        if found is None:
            failed.append(f"path: expected {match.path.pattern!r}, got {view.path!r}")
        params = {} if found is None else found.groupdict()
    for where, matchers, values in (
        ("path", match.path_params, params),
        ("query", match.query, view.query),
        ("headers", match.headers, view.headers),
    ):
        for name, matcher in matchers.items():
            total += 1
            value = values.get(name)
            if not matcher.accepts_text(value):
                shown = MASK if name.lower() in MASKED_HEADERS else value
                failed.append(_phrase(f"{where}.{name}", matcher, shown))
    for name, matcher in match.body.items():
        total += 1
        value = field_of(view.body, name)
        if not matcher.accepts_json(value):
            masked = name.rsplit(".", 1)[-1] in MASKED_BODY_FIELDS
            failed.append(_phrase(f"body.{name}", matcher, MASK if masked else value))
    return total, failed


def _phrase(where: str, matcher: Matcher, value: Any) -> str:
    got = "missing" if value is None or value is MISSING else repr(value)
    if matcher.kind == "present":
        wanted = "present" if matcher.expected else "absent"
        return f"{where}: expected {wanted}, got {got}"
    if matcher.kind == "regex":
        assert matcher.pattern is not None
        return f"{where}: expected regex {matcher.pattern.pattern!r}, got {got}"
    return f"{where}: expected {matcher.expected!r}, got {got}"
