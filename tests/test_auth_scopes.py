"""Forbidden tokens, everywhere or only on some projects and graphs: 403 GES.8020."""

from __future__ import annotations

import pytest

from ges_mock.auth import authenticate
from ges_mock.errors import ContractError
from ges_mock.scenario import load_scenario_text

SCENARIO = """\
name: scopes
auth:
  forbidden_tokens:
    - everywhere
    - {token: ro, graphs: [movie]}
    - {token: tenant, projects: [p2]}
graphs:
  movie: {data: {builtin: karate_club}}
"""


@pytest.mark.parametrize(
    ("token", "project", "graph", "refused"),
    [
        ("everywhere", "p1", "other", True),
        ("ro", "p1", "movie", True),
        ("ro", "p1", "other", False),
        ("tenant", "p2", "other", True),
        ("tenant", "p1", "movie", False),
        ("anyone", "p2", "movie", False),
    ],
)
def test_forbidden__scope(token: str, project: str, graph: str, refused: bool) -> None:
    auth = load_scenario_text(SCENARIO).auth

    try:
        authenticate(token, project, graph, auth, "rid")
    except ContractError as err:
        outcome = (err.status, err.body)
    else:
        outcome = None

    expected = (
        403,
        {
            "errorMessage": f"user has no permission to operate graph [{graph}]",
            "errorCode": "GES.8020",
        },
    )
    assert outcome == (expected if refused else None)
