"""Rules built from scenario files, canned answers checked against the contract."""

from __future__ import annotations

import re
from typing import Any

from jsonschema.exceptions import best_match

from .errors import ScenarioError
from .rules import (
    ENDPOINTS,
    MISSING,
    Action,
    Canned,
    Delay,
    Fault,
    Match,
    Matcher,
    Rule,
    compile_path,
)
from .validation import describe_error, field_path, validator_for
from .yaml_source import YamlDocument

__all__ = ["DEFAULT_BODIES", "DOCUMENTED_STATUSES", "build_rules"]

DOCUMENTED_STATUSES = (200, 400, 401, 403, 404, 500, 503)
# What a canned answer without a body sends, one documented body per status.
DEFAULT_BODIES: dict[int, Any] = {
    400: {"errorMessage": "parameter format is wrong", "errorCode": "GES.8000"},
    401: {
        "error_msg": "Incorrect IAM authentication information: decrypt token fail",
        "error_code": "APIGW.0301",
        "request_id": "${request_id}",
    },
    403: {
        "errorMessage": "user has no permission to operate graph [${graph_name}]",
        "errorCode": "GES.8020",
    },
    404: {
        "error_msg": (
            "The API does not exist or has not been published in the environment"
        ),
        "error_code": "APIGW.0101",
        "request_id": "${request_id}",
    },
    500: {"errorMessage": "internal error while querying", "errorCode": "GES.8002"},
    503: {"errorMessage": "engine service unavailable", "errorCode": "GES.8602"},
}
ROUTE_PARAMETERS = ("project_id", "graph_name", "job_id")
_GATEWAY_KEYS = ("error_msg", "error_code", "request_id")


def build_rules(
    data: list[dict[str, Any]], source: str, document: YamlDocument
) -> list[Rule]:
    """Build a scenario's rules; ScenarioError lists every problem, located.

    `data` has already passed the scenario schema.
    """
    loader = _RuleLoader(source, document)
    rules = [loader.rule(index, item) for index, item in enumerate(data)]
    if loader.problems:
        raise ScenarioError(loader.problems)
    return rules


class _RuleLoader:
    """Turns the `rules` list into Rule objects, collecting located problems."""

    def __init__(self, source: str, document: YamlDocument) -> None:
        self.source = source
        self.document = document
        self.problems: list[str] = []

    def problem(self, where: list[Any], message: str) -> None:
        line = self.document.line_of(where)
        self.problems.append(f"{self.source}:{line}: {field_path(where)}: {message}")

    def rule(self, index: int, data: dict[str, Any]) -> Rule:
        where: list[Any] = ["rules", index]
        match, endpoint = self.match([*where, "match"], data.get("match", {}))
        off_contract = bool(data.get("off_contract", False))

        if "sequence" in data:
            if any(key in data for key in ("respond", "delay", "fault")):
                self.problem(
                    where,
                    "sequence cannot go with respond, delay or fault "
                    "beside it; put them in its steps",
                )
            steps = tuple(
                self.action([*where, "sequence", number], step, endpoint, off_contract)
                for number, step in enumerate(data["sequence"])
            )
        else:
            action = self.action(where, data, endpoint, off_contract)
            if action.is_normal:
                self.problem(
                    where,
                    "gives nothing to do, expected respond, delay, fault or sequence",
                )
            steps = (action,)

        return Rule(index, str(data.get("name", f"rules[{index}]")), match, steps)

    def action(
        self, where: list[Any], data: Any, endpoint: str, off_contract: bool
    ) -> Action:
        if data == "normal":
            return Action()
        respond = None
        if "respond" in data:
            respond = self.canned(
                [*where, "respond"], data["respond"], endpoint, off_contract
            )
        delay = (
            self.delay([*where, "delay"], data["delay"]) if "delay" in data else None
        )
        fault = Fault(data["fault"]) if "fault" in data else None
        if fault is Fault.CONNECTION_CLOSED and respond is not None:
            self.problem(
                [*where, "fault"],
                "connection_closed sends no answer, so respond cannot go with it",
            )
        return Action(
            respond=respond,
            delay=delay,
            fault=fault,
            is_off_contract=off_contract or fault is not None,
        )

    def canned(
        self,
        where: list[Any],
        data: dict[str, Any],
        endpoint: str,
        off_contract: bool,
    ) -> Canned:
        status = int(data["status"])
        if not off_contract and status not in DOCUMENTED_STATUSES:
            documented = ", ".join(map(str, DOCUMENTED_STATUSES))
            self.problem(
                [*where, "status"],
                f"{status} is not a documented status, "
                f"expected one of {documented} "
                f"or off_contract: true",
            )

        body = data.get("body", MISSING)
        if body is MISSING:
            body = None if off_contract else DEFAULT_BODIES.get(status)
            if body is None and not off_contract and status == 200:
                self.problem([*where, "body"], "is required for status 200")
        elif not off_contract and status in DOCUMENTED_STATUSES:
            problem = contract_problem(status, endpoint, body)
            if problem is not None:
                self.problem([*where, "body"], problem)
        return Canned(status=status, body=body, headers=dict(data.get("headers", {})))

    def delay(self, where: list[Any], data: Any) -> Delay:
        if not isinstance(data, dict):
            return Delay(float(data), float(data))
        low, high = float(data["min"]), float(data["max"])
        if low > high:
            self.problem(
                [*where, "max"], f"{data['max']!r} is less than min {data['min']!r}"
            )
        return Delay(low, high)

    def match(self, where: list[Any], data: dict[str, Any]) -> tuple[Match, str]:
        endpoint = data.get("endpoint", "any")
        method, template = data.get("method"), data.get("path")
        if endpoint != "any" and (method is not None or template is not None):
            self.problem(
                [*where, "endpoint"],
                f"{endpoint!r} already names the method and path; drop method and path",
            )
        if endpoint in ENDPOINTS:
            method, template = ENDPOINTS[endpoint]

        known = _parameters(template) if template else ROUTE_PARAMETERS
        for name in data.get("path_params", {}):
            if name not in known:
                self.problem(
                    [*where, "path_params", name],
                    f"{name!r} is not a path parameter, expected one of "
                    f"{', '.join(known) or 'none'}",
                )

        match = Match(
            method=method.upper() if method else None,
            path=compile_path(template) if template else None,
            **{
                section: self.matchers([*where, section], data.get(section, {}))
                for section in ("path_params", "query", "headers", "body")
            },
        )
        return match, endpoint

    def matchers(self, where: list[Any], data: dict[str, Any]) -> dict[str, Matcher]:
        return {
            name: self.matcher([*where, name], value) for name, value in data.items()
        }

    def matcher(self, where: list[Any], data: Any) -> Matcher:
        if not isinstance(data, dict):
            return Matcher("equals", data)
        kind, value = next(iter(data.items()))
        if kind != "regex":
            return Matcher(kind, value)
        try:
            return Matcher("regex", value, re.compile(value))
        except re.error as err:
            self.problem(
                [*where, "regex"], f"{value!r} is not a valid regular expression: {err}"
            )
            return Matcher("present", False)


def contract_problem(status: int, endpoint: str, body: Any) -> str | None:
    """Say how a canned `body` breaks the contract for `status`, or None."""
    candidates = _schemas_for(status, endpoint, body)
    for name in candidates:
        if not any(True for _ in validator_for(name).iter_errors(body)):
            return None

    name = candidates[0]
    error = best_match(validator_for(name).iter_errors(body))
    assert error is not None
    return (
        f"does not match schemas/{name}.json: {describe_error(error, root='body')}; "
        "set off_contract: true to send it anyway"
    )


def _schemas_for(status: int, endpoint: str, body: Any) -> list[str]:
    """Response schemas a body may follow, the likeliest first."""
    keys = body if isinstance(body, dict) else {}
    if status == 200:
        if endpoint == "export":
            return ["export-result.response"]
        if endpoint == "status":
            return ["job-status.response"]
        if "status" in keys:
            return ["job-status.response", "export-result.response"]
        return ["export-result.response", "job-status.response"]
    if any(key in keys for key in _GATEWAY_KEYS):
        return ["gateway-error.response", "error.response"]
    return ["error.response", "gateway-error.response"]


def _parameters(template: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", template))
