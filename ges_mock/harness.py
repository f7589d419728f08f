"""Test handles on a running mock: journal, verification, reset, scenarios, clock.

`GesMock` talks to the admin API over HTTP, so it works from any thread
and against any running mock; `AsyncGesMock` calls the same operations
in-process, for a mock running on the test's own event loop.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from aiohttp import web

from .admin_access import ADMIN_TOKEN_HEADER
from .errors import GesMockError
from .journal import ADMIN_PREFIX
from .resources import bundled_scenario

__all__ = [
    "AsyncGesMock",
    "GesMock",
    "describe_verification",
    "scenario_text",
]

T = TypeVar("T")
ADMIN_TIMEOUT = 30.0
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class _Call(Generic[T]):
    """One admin operation to run, and how to read its answer."""

    method: str
    path: str
    query: dict[str, str]
    body: bytes
    pick: Callable[[Any], T]


class _Calls:
    """The admin calls behind every handle method, shared by both handles."""

    def __init__(
        self,
        url: str,
        obs_root: Path,
        obs_url: str | None = None,
        *,
        admin_url: str | None = None,
        admin_token: str | None = None,
    ) -> None:
        self.url = url
        self.obs_root = obs_root
        self.obs_url = obs_url
        # The admin routes' base URL when served on their own port, and their token.
        self.admin_url = admin_url or url
        self.admin_token = admin_token

    def api(self, project: str = "my-project", graph: str = "movie") -> str:
        """Base URL of a graph's business-plane API."""
        return f"{self.url}/ges/v1.0/{project}/graphs/{graph}"

    def obs_client(self, access_key: str = "any-ak", secret_key: str = "any-sk") -> Any:
        """An `obs.ObsClient` (esdk-obs-python) pointed at the mock's OBS read side.

        Pass the scenario's `obs.credentials` when it sets them; any keys
        work otherwise.
        """
        if self.obs_url is None:
            raise GesMockError(
                "this ges-mock has no OBS read side (obs_url is None); "
                "start it with an OBS port"
            )
        try:
            import obs
        except ImportError as err:
            raise GesMockError(
                "obs_client() needs the OBS SDK: pip install esdk-obs-python"
            ) from err
        return obs.ObsClient(
            access_key_id=access_key,
            secret_access_key=secret_key,
            server=self.obs_url,
            path_style=True,
        )

    def _journal(self, filters: dict[str, Any]) -> _Call[list[dict[str, Any]]]:
        return _call("GET", "requests", _query(filters), pick=lambda p: p["requests"])

    def _count(self, filters: dict[str, Any]) -> _Call[int]:
        return _call(
            "GET", "requests/count", _query(filters), pick=lambda p: p["count"]
        )

    def _clear_journal(self) -> _Call[int]:
        return _call("DELETE", "requests", pick=lambda p: p["cleared"])

    def _verify(self, criteria: dict[str, Any]) -> _Call[dict[str, Any]]:
        return _call("POST", "verify", body=_json(criteria))

    def _reset(
        self, scenario: str | None, obs_files: bool, restore: bool
    ) -> _Call[dict[str, Any]]:
        options: dict[str, Any] = {"obs_files": obs_files, "restore": restore}
        if scenario is not None:
            options["scenario"] = scenario
        return _call("POST", "reset", body=_json(options))

    def _load(
        self, scenario: str | Path, base_dir: Path | None, default: bool
    ) -> _Call[str]:
        text, source = scenario_text(scenario, base_dir)
        query = {"source": source, "default": "true" if default else "false"}
        return _call(
            "POST", "scenarios", query, text.encode(), pick=lambda p: p["name"]
        )

    def _use(self, name: str) -> _Call[str]:
        body = _json({"scenario": name})
        return _call(
            "POST", "scenarios/default", body=body, pick=lambda p: p["default"]
        )

    def _advance(self, seconds: float, scenario: str | None) -> _Call[dict[str, Any]]:
        options: dict[str, Any] = {"seconds": seconds}
        if scenario is not None:
            options["scenario"] = scenario
        return _call("POST", "clock/advance", body=_json(options))

    def _files(self) -> _Call[list[dict[str, Any]]]:
        return _call("GET", "files", pick=lambda p: p["files"])


class GesMock(_Calls):
    """A handle on a running mock, through its admin API over HTTP."""

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        """Journaled requests, oldest first, passing the filters."""
        return self._run(self._journal(filters))

    def count(self, **filters: Any) -> int:
        """How many journaled requests pass the filters."""
        return self._run(self._count(filters))

    def clear_journal(self) -> int:
        """Forget every journaled request; return how many there were."""
        return self._run(self._clear_journal())

    def verify(self, **criteria: Any) -> dict[str, Any]:
        """Match the journal against criteria: count, requests, near misses."""
        return self._run(self._verify(criteria))

    def assert_requests(self, count: int = 1, **criteria: Any) -> list[dict[str, Any]]:
        """Fail the test unless exactly `count` journaled requests match."""
        outcome = self.verify(**criteria)
        if outcome["count"] != count:
            raise AssertionError(describe_verification(count, criteria, outcome))
        return list(outcome["requests"])

    def reset(
        self,
        scenario: str | None = None,
        *,
        obs_files: bool = False,
        restore: bool = False,
    ) -> dict[str, Any]:
        """Forget jobs, counters and journal (of one scenario, or all)."""
        return self._run(self._reset(scenario, obs_files, restore))

    def load_scenario(
        self,
        scenario: str | Path,
        *,
        base_dir: Path | None = None,
        default: bool = True,
    ) -> str:
        """Load or replace a scenario (YAML, file or bundled name); return its name."""
        return self._run(self._load(scenario, base_dir, default))

    def use_scenario(self, name: str) -> str:
        """Make the loaded scenario `name` answer requests that name none."""
        return self._run(self._use(name))

    def advance(self, seconds: float, scenario: str | None = None) -> dict[str, Any]:
        """Move a scenario's virtual clock forward (the default scenario's if None)."""
        return self._run(self._advance(seconds, scenario))

    def files(self) -> list[dict[str, Any]]:
        """Files written under the OBS root: key, size, sha256."""
        return self._run(self._files())

    def _run(self, call: _Call[T]) -> T:
        url = self.admin_url + ADMIN_PREFIX + call.path
        if call.query:
            url += "?" + urllib.parse.urlencode(call.query)
        headers = {ADMIN_TOKEN_HEADER: self.admin_token} if self.admin_token else {}
        request = urllib.request.Request(
            url, data=call.body or None, headers=headers, method=call.method
        )
        try:
            with urllib.request.urlopen(request, timeout=ADMIN_TIMEOUT) as answer:
                payload = json.loads(answer.read())
        except urllib.error.HTTPError as err:
            raise _admin_error(call, err.code, err.read()) from None
        return call.pick(payload)


class AsyncGesMock(_Calls):
    """A handle on a mock running on the current event loop, called in-process."""

    def __init__(
        self,
        app: web.Application,
        url: str,
        obs_root: Path,
        obs_url: str | None = None,
    ) -> None:
        super().__init__(url, obs_root, obs_url)
        self.app = app

    async def journal(self, **filters: Any) -> list[dict[str, Any]]:
        """Journaled requests, oldest first, passing the filters."""
        return await self._run(self._journal(filters))

    async def count(self, **filters: Any) -> int:
        """How many journaled requests pass the filters."""
        return await self._run(self._count(filters))

    async def clear_journal(self) -> int:
        """Forget every journaled request; return how many there were."""
        return await self._run(self._clear_journal())

    async def verify(self, **criteria: Any) -> dict[str, Any]:
        """Match the journal against criteria: count, requests, near misses."""
        return await self._run(self._verify(criteria))

    async def assert_requests(
        self, count: int = 1, **criteria: Any
    ) -> list[dict[str, Any]]:
        """Fail the test unless exactly `count` journaled requests match."""
        outcome = await self.verify(**criteria)
        if outcome["count"] != count:
            raise AssertionError(describe_verification(count, criteria, outcome))
        return list(outcome["requests"])

    async def reset(
        self,
        scenario: str | None = None,
        *,
        obs_files: bool = False,
        restore: bool = False,
    ) -> dict[str, Any]:
        """Forget jobs, counters and journal (of one scenario, or all)."""
        return await self._run(self._reset(scenario, obs_files, restore))

    async def load_scenario(
        self,
        scenario: str | Path,
        *,
        base_dir: Path | None = None,
        default: bool = True,
    ) -> str:
        """Load or replace a scenario (YAML, file or bundled name); return its name."""
        return await self._run(self._load(scenario, base_dir, default))

    async def use_scenario(self, name: str) -> str:
        """Make the loaded scenario `name` answer requests that name none."""
        return await self._run(self._use(name))

    async def advance(
        self, seconds: float, scenario: str | None = None
    ) -> dict[str, Any]:
        """Move a scenario's virtual clock forward (the default scenario's if None)."""
        return await self._run(self._advance(seconds, scenario))

    async def files(self) -> list[dict[str, Any]]:
        """Files written under the OBS root: key, size, sha256."""
        return await self._run(self._files())

    async def _run(self, call: _Call[T]) -> T:
        from .admin import dispatch

        path = ADMIN_PREFIX + call.path
        status, payload = await dispatch(
            self.app, call.method, path, call.query, call.body
        )
        if status >= 400:
            raise _admin_error(call, status, json.dumps(payload).encode())
        return call.pick(payload)


def scenario_text(
    scenario: str | Path, base_dir: Path | None = None
) -> tuple[str, str]:
    """Return (YAML text, source name) for YAML text, a file, or a bundled name.

    A relative file name is looked up under `base_dir` first, then the
    working directory.
    """
    if isinstance(scenario, str) and "\n" in scenario:
        return scenario, "inline.yaml"
    path = Path(scenario)
    candidates = (
        [base_dir / path] if base_dir is not None and not path.is_absolute() else []
    )
    for candidate in [*candidates, path]:
        if candidate.is_file():
            return candidate.read_text("utf-8"), candidate.name
    if isinstance(scenario, Path) or path.suffix in YAML_SUFFIXES:
        raise GesMockError(f"scenario file {str(scenario)!r} does not exist")
    _, text = bundled_scenario(str(scenario))
    return text, f"{scenario}.yaml"


def describe_verification(
    expected: int, criteria: dict[str, Any], outcome: dict[str, Any]
) -> str:
    """Explain a failed verification: what was wanted, seen, and the near misses."""
    wanted = ", ".join(f"{k}={v!r}" for k, v in criteria.items()) or "anything"
    lines = [
        f"expected {expected} request(s) matching {wanted}, got {outcome['count']}"
    ]
    for entry in outcome["requests"]:
        lines.append(
            f"  matched #{entry['seq']} {entry['method']} {entry['path']} "
            f"-> {entry['status']}"
        )
    if outcome["near_misses"]:
        lines.append("near misses:")
    for miss in outcome["near_misses"]:
        request = miss["request"]
        lines.append(
            f"  #{request['seq']} {request['method']} {request['path']} "
            f"-> {request['status']}: {'; '.join(miss['differences'])}"
        )
    return "\n".join(lines)


def _call(
    method: str,
    path: str,
    query: dict[str, str] | None = None,
    body: bytes = b"",
    pick: Callable[[Any], Any] = lambda payload: payload,
) -> _Call[Any]:
    return _Call(method, path, query or {}, body, pick)


def _query(filters: dict[str, Any]) -> dict[str, str]:
    return {name: str(value) for name, value in filters.items() if value is not None}


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


def _admin_error(call: _Call[Any], status: int, raw: bytes) -> GesMockError:
    try:
        message = json.loads(raw)["error"]
    except (ValueError, KeyError, TypeError):
        message = raw.decode("utf-8", errors="replace")
    return GesMockError(f"admin {call.method} {call.path} answered {status}: {message}")
