"""A compiled yes/no check for the plain subset of JSON Schema the request bodies use.

jsonschema stays the source of truth: a schema that uses any keyword outside
the subset compiles to nothing and is always checked by jsonschema, and a
body the compiled check refuses is handed to jsonschema for the message.
The compiled check only answers "valid" sooner, and only where it is sure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["Check", "compile_check"]

Check = Callable[[Any], bool]

# Keywords that never change whether an instance is valid.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "examples", "default"}
)
_SUPPORTED = frozenset(
    {"type", "required", "properties", "additionalProperties", "minLength",
     "maxLength", "items"}
)


def compile_check(schema: Any) -> Check | None:
    """Return a fast validity check for `schema`, or None if it uses other keywords."""
    if schema is True:
        return _accept
    if not isinstance(schema, Mapping):
        return None
    unknown = set(schema) - _SUPPORTED - _ANNOTATIONS
    if unknown:
        return None

    checks: list[Check] = []
    for keyword in ("type", "minLength", "maxLength", "required", "properties",
                    "additionalProperties", "items"):
        if keyword in schema:
            check = _COMPILERS[keyword](schema[keyword], schema)
            if check is None:
                return None
            checks.append(check)
    return _all_of(checks)


def _all_of(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    return lambda instance: all(check(instance) for check in checks)


def _accept(instance: Any) -> bool:
    return True


def _type(value: Any, schema: Mapping[str, Any]) -> Check | None:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(n in _TYPE_TESTS for n in names):
        return None
    tests = [_TYPE_TESTS[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda instance: any(test(instance) for test in tests)


def _min_length(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return lambda instance: not isinstance(instance, str) or len(instance) >= value


def _max_length(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return lambda instance: not isinstance(instance, str) or len(instance) <= value


def _required(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
        return None
    names = tuple(value)
    return lambda instance: not isinstance(instance, dict) or all(
        name in instance for name in names
    )


def _properties(value: Any, schema: Mapping[str, Any]) -> Check | None:
    if not isinstance(value, Mapping):
        return None
    compiled: dict[str, Check] = {}
    for name, subschema in value.items():
        check = compile_check(subschema)
        if check is None:
            return None
        compiled[name] = check
    pairs = tuple(compiled.items())

    def check_properties(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        for name, check in pairs:
            if name in instance and not check(instance[name]):
                return False
        return True

    return check_properties


def _additional(value: Any, schema: Mapping[str, Any]) -> Check | None:
    declared = frozenset(schema.get("properties", {}))
    if value is True:
        return _accept
    check = None if value is False else compile_check(value)
    if value is not False and check is None:
        return None

    def check_additional(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        extra = [name for name in instance if name not in declared]
        if check is None:
            return not extra
        return all(check(instance[name]) for name in extra)

    return check_additional


def _items(value: Any, schema: Mapping[str, Any]) -> Check | None:
    check = compile_check(value)
    if check is None:
        return None
    return lambda instance: not isinstance(instance, list) or all(
        check(item) for item in instance
    )


def _is_integer(instance: Any) -> bool:
    if isinstance(instance, bool):
        return False
    if isinstance(instance, int):
        return True
    return isinstance(instance, float) and instance.is_integer()


_TYPE_TESTS: dict[str, Check] = {
    "object": lambda instance: isinstance(instance, dict),
    "array": lambda instance: isinstance(instance, list),
    "string": lambda instance: isinstance(instance, str),
    "integer": _is_integer,
    "number": lambda i: isinstance(i, (int, float)) and not isinstance(i, bool),
    "boolean": lambda instance: isinstance(instance, bool),
    "null": lambda instance: instance is None,
}
_COMPILERS: dict[str, Callable[[Any, Mapping[str, Any]], Check | None]] = {
    "type": _type,
    "minLength": _min_length,
    "maxLength": _max_length,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "items": _items,
}
