"""Request validation against the JSON Schemas, with messages that name the field."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .body import json_body_of
from .contract import bad_parameter
from .errors import ContractError
from .resources import load_schema
from .schema_check import Check, compile_check

__all__ = [
    "checked_body",
    "describe_error",
    "explain_error",
    "fast_check_for",
    "field_path",
    "first_problem",
    "validator_for",
]

# Validators whose explanation reads as a phrase after the field name.
_PHRASED = frozenset({
    "required", "additionalProperties", "type", "minLength", "enum", "const",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
})
# Values under these top-level fields are credentials: never shown.
_SECRET_FIELDS = frozenset({"obsParameters"})
# Keys whose values are credentials wherever they appear.
_SECRET_KEYS = frozenset({"obsParameters", "accessKey", "secretKey"})
_HIDDEN = object()
_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


@cache
def validator_for(schema_name: str, strict: bool = False) -> Draft202012Validator:
    """Return a validator for `schemas/<schema_name>.json`, built once.

    A strict validator also refuses fields the schema does not name.
    """
    # The bundled schemas are checked against the meta-schema by the tests
    # (tests/test_validation.py), not at every start: that check alone took
    # most of the start's scenario load.
    schema = load_schema(schema_name)
    if strict:
        schema = _closed(schema)
    return Draft202012Validator(schema)


@cache
def fast_check_for(schema_name: str, strict: bool = False) -> Check | None:
    """Return the compiled yes/no check of a schema, or None if it has none."""
    return compile_check(validator_for(schema_name, strict).schema)


def first_problem(schema_name: str, instance: Any, strict: bool = False) -> str | None:
    """Return a message for the most relevant violation, or None if valid.

    A valid body usually passes the compiled check alone; jsonschema decides
    every body the check does not accept, and words every message.
    """
    check = fast_check_for(schema_name, strict)
    if check is not None and check(instance):
        return None

    # Clients under test send the same wrong body again and again; its
    # message is worked out once, keyed by the body's exact JSON text.
    text = json.dumps(instance, ensure_ascii=False, separators=(",", ":"))
    return _problem_of_text(schema_name, strict, text)


def checked_body(raw: bytes, schema_name: str, strict: bool = False) -> Any:
    """Parse a JSON body and check it against a schema; raise GES.8000 if either fails.

    Clients under test send the same body again and again: the outcome for
    a short body is kept, keyed by its exact bytes. The value returned may
    be shared between requests, so callers only read it.
    """
    if len(raw) > _KEPT_BODY_BYTES:
        return _check_body(raw, schema_name, strict)
    key = (raw, schema_name, strict)
    outcome = _BODY_OUTCOMES.pop(key, None)
    if outcome is None:
        try:
            outcome = (_check_body(raw, schema_name, strict), None)
        except ContractError as err:
            outcome = (None, err.message)
        if len(_BODY_OUTCOMES) >= _KEPT_BODIES:
            del _BODY_OUTCOMES[next(iter(_BODY_OUTCOMES))]
    _BODY_OUTCOMES[key] = outcome  # the most recently used last
    body, problem = outcome
    if problem is not None:
        raise bad_parameter(problem)
    return body


_KEPT_BODIES = 256
_KEPT_BODY_BYTES = 4096
_BODY_OUTCOMES: dict[tuple[bytes, str, bool], tuple[Any, str | None]] = {}


def _check_body(raw: bytes, schema_name: str, strict: bool) -> Any:
    body = json_body_of(raw)
    problem = first_problem(schema_name, body, strict)
    if problem is not None:
        raise bad_parameter(problem)
    return body


@lru_cache(maxsize=256)
def _problem_of_text(schema_name: str, strict: bool, text: str) -> str | None:
    errors = validator_for(schema_name, strict).iter_errors(json.loads(text))
    error = best_match(errors)
    return None if error is None else describe_error(error)


def field_path(parts: Iterable[Any]) -> str:
    """Join a JSON path as `a.b[2].c`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def describe_error(error: ValidationError, root: str = "request body") -> str:
    """Turn a jsonschema error into `<field> <what is wrong>`."""
    subject, problem = explain_error(error, root)
    joiner = " " if error.validator in _PHRASED else ": "
    return f"{subject}{joiner}{problem}"


def explain_error(
    error: ValidationError,
    root: str = "request body",
) -> tuple[str, str]:
    """Split a jsonschema error into the field it is about and what is wrong."""
    where = field_path(error.absolute_path)
    kind = error.validator
    value: Any = error.instance
    if _is_secret(error.absolute_path) or _holds_secret(value):
        # The answer, the journal and the log must never echo a credential.
        value = _HIDDEN
    # jsonschema types these as possibly unset; errors from a validator carry them.
    schema: Any = error.schema
    expected_value: Any = error.validator_value

    if kind == "required":
        missing = _missing_property(error)
        return (f"{where}.{missing}" if where else missing), "is required"
    if kind == "additionalProperties":
        # Field names are no secret: read them even where values are hidden.
        instance: Any = error.instance
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        names = ", ".join(f"{where}.{e}" if where else e for e in extra)
        return names, "is not a documented field"

    subject = where or root
    if kind == "type":
        expected = _TYPE_NAMES.get(str(expected_value), str(expected_value))
        return subject, f"must be {expected}, got {_show(value)}"
    if kind == "minLength":
        return subject, "must not be empty"
    if kind in ("enum", "const"):
        allowed = expected_value if kind == "enum" else [expected_value]
        choices = ", ".join(_show(a) for a in allowed)
        return subject, f"must be one of {choices}, got {_show(value)}"
    if kind == "pattern" and "description" in schema:
        # The pattern itself reads badly; its schema says in words what fits.
        return subject, f"{_show(value)} is not allowed: {schema['description']}"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return subject, f"is out of range: {error.message}"
    if value is _HIDDEN:
        return subject, f"does not match the documented {kind}"
    return subject, error.message


def _closed(schema: Any) -> Any:
    """Copy `schema`, closing every object schema that lists its properties."""
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copy = {key: _closed(value) for key, value in schema.items()}
    if "properties" in copy and "additionalProperties" not in copy:
        copy["additionalProperties"] = False
    return copy


def _missing_property(error: ValidationError) -> str:
    present = error.instance if isinstance(error.instance, dict) else {}
    required: Any = error.validator_value
    for name in required:
        if name not in present:
            return str(name)
    return str(required[0])


def _is_secret(path: Iterable[Any]) -> bool:
    return next(iter(path), None) in _SECRET_FIELDS


def _holds_secret(value: Any) -> bool:
    """Whether a value shown whole (a body that is no object) holds credentials."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if _SECRET_KEYS & set(item):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _show(value: Any) -> str:
    """Render a JSON value the way the client sent it, shortened."""
    if value is _HIDDEN:
        return "***"
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= 60 else text[:57] + "..."
