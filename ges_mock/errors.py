"""Errors: contract errors answered to clients, and the mock's own errors."""

from __future__ import annotations

from typing import Any

__all__ = [
    "ContractError",
    "GesMockError",
    "ScenarioError",
    "error_body",
]


class GesMockError(Exception):
    """Base of the mock's own errors (scenario files, CLI, admin API)."""


class ScenarioError(GesMockError):
    """A scenario file that cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class ContractError(Exception):
    """An error the contract documents, answered as its JSON error body.

    `body` replaces the engine-style body when the answer must take another
    shape, such as the API gateway's snake_case 401.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.body = body if body is not None else error_body(code, message)
        self.headers = headers or {}


def error_body(code: str, message: str) -> dict[str, Any]:
    """Return the GES business-plane error body."""
    return {"errorMessage": message, "errorCode": code}
