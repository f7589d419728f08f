"""The closest rules a request missed, and which criterion failed."""

from __future__ import annotations

from ges_mock.rule_misses import closest_rules
from ges_mock.rules import RequestView
from ges_mock.scenario import load_scenario_text

SCENARIO = """\
name: r
graphs:
  movie:
    data: {builtin: karate_club}
rules:
  - name: status-503
    match: {endpoint: status}
    respond: {status: 503}
  - name: readonly-token
    match:
      endpoint: export
      headers: {X-Auth-Token: {regex: '^t-'}}
      body: {obsParameters.accessKey: AK}
    respond: {status: 500}
"""


def test_closest_rules__most_criteria_met_first_with_the_failed_ones() -> None:
    rules = load_scenario_text(SCENARIO).rules
    view = RequestView(
        method="POST",
        path="/ges/v1.0/p1/graphs/movie/jobs/j1/action",
        match_info={},
        query={"action_id": "export-result"},
        headers={"X-Auth-Token": "abc"},
        body={"obsParameters": {"accessKey": "AK"}},
    )

    closest = closest_rules(rules, view)

    assert closest[0] == {
        "rule": "readonly-token",
        "matched": 3,
        "failed": ["headers.X-Auth-Token: expected regex '^t-', got '***'"],
    }
    assert (closest[1]["rule"], closest[1]["matched"]) == ("status-503", 0)
    assert closest[1]["failed"][0] == "method: expected 'GET', got 'POST'"
