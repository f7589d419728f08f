"""Rules as loaded from scenario text: matching, counters, located load errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ges_mock.errors import ScenarioError
from ges_mock.rules import MISSING, Delay, RequestView, RuleState, first_match
from ges_mock.scenario import Scenario, load_scenario_text
from ges_mock.world import World

GRAPHS = "graphs:\n  movie:\n    data: {builtin: karate_club}\n"


def _load(rules: str, name: str = "flaky.yaml") -> Scenario:
    return load_scenario_text(f"name: r\n{GRAPHS}rules:\n{rules}", source=name)


def _problems(rules: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        _load(rules)
    return caught.value.problems


def _view(**kwargs: object) -> RequestView:
    values: dict[str, object] = {
        "method": "POST",
        "path": "/ges/v1.0/p1/graphs/movie/jobs/j1/action",
        "match_info": {"project_id": "p1", "graph_name": "movie", "job_id": "j1"},
        "query": {"action_id": "export-result"},
        "headers": {},
        "body": MISSING,
    }
    values.update(kwargs)
    return RequestView(**values)  # type: ignore[arg-type]


def test_load__undocumented_status_names_file_line_and_field() -> None:
    problems = _problems("""\
  - match: {endpoint: status}
    respond: {status: 404}
  - match: {endpoint: export}
    respond:
      status: 299
""")

    assert problems == [
        (
            "flaky.yaml:10: rules[1].respond.status: 299 is not a documented status, "
            "expected one of 200, 400, 401, 403, 404, 500, 503 or off_contract: true"
        ),
    ]


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        (
            "  - respond: {status: 200, body: {job: 1}}",
            (
                "flaky.yaml:6: rules[0].respond.body: does not match "
                "schemas/export-result.response.json: jobId is required; "
                "set off_contract: true to send it anyway"
            ),
        ),
        (
            "  - match: {endpoint: status}\n"
            "    respond: {status: 200, body: {status: 1}}",
            (
                "flaky.yaml:7: rules[0].respond.body: does not match "
                "schemas/job-status.response.json: data is required; "
                "set off_contract: true to send it anyway"
            ),
        ),
        (
            "  - respond: {status: 400, body: {errorMessage: x, errorCode: E1}}",
            (
                "flaky.yaml:6: rules[0].respond.body: does not match "
                "schemas/error.response.json: errorCode: 'E1' does not match "
                "'^(GES\\\\.[0-9]{4})?$'; set off_contract: true to send it anyway"
            ),
        ),
        (
            "  - respond: {status: 401, body: {error_msg: x, error_code: APIGW.0301}}",
            (
                "flaky.yaml:6: rules[0].respond.body: does not match "
                "schemas/gateway-error.response.json: request_id is required; "
                "set off_contract: true to send it anyway"
            ),
        ),
        (
            "  - respond: {status: 200}",
            "flaky.yaml:6: rules[0].respond.body: is required for status 200",
        ),
        (
            "  - match: {}",
            (
                "flaky.yaml:6: rules[0]: gives nothing to do, expected respond, delay, "
                "fault or sequence"
            ),
        ),
        (
            "  - sequence: [normal]\n    delay: 1",
            (
                "flaky.yaml:6: rules[0]: sequence cannot go with respond, delay or "
                "fault "
                "beside it; put them in its steps"
            ),
        ),
        (
            "  - fault: connection_closed\n    respond: {status: 503}",
            (
                "flaky.yaml:6: rules[0].fault: connection_closed sends no answer, so "
                "respond cannot go with it"
            ),
        ),
        (
            "  - delay: {min: 2, max: 1}",
            "flaky.yaml:6: rules[0].delay.max: 1 is less than min 2",
        ),
        (
            "  - match: {headers: {X-A: {regex: '('}}}\n    respond: {status: 503}",
            (
                "flaky.yaml:6: rules[0].match.headers.X-A.regex: '(' is not a valid "
                "regular "
                "expression: missing ), unterminated subpattern at position 0"
            ),
        ),
        (
            "  - match: {endpoint: export, method: GET}\n    respond: {status: 503}",
            (
                "flaky.yaml:6: rules[0].match.endpoint: 'export' already names the "
                "method "
                "and path; drop method and path"
            ),
        ),
        (
            "  - match: {path: '/x/{a}', path_params: {b: 1}}\n"
            "    respond: {status: 503}",
            (
                "flaky.yaml:6: rules[0].match.path_params.b: 'b' is not a path "
                "parameter, "
                "expected one of a"
            ),
        ),
        (
            "  - fault: explode",
            (
                'flaky.yaml:6: rules[0].fault: must be one of "connection_closed", '
                '"truncated_body", "not_json", got "explode"'
            ),
        ),
        (
            "  - respond: {status: '5xx'}",
            'flaky.yaml:6: rules[0].respond.status: must be an integer, got "5xx"',
        ),
    ],
)
def test_load__problem(rules: str, problem: str) -> None:
    assert _problems(rules) == [problem]


def test_load__off_contract_allows_any_status_and_body() -> None:
    scenario = _load("  - off_contract: true\n    respond: {status: 299, body: [1]}")

    canned = scenario.rules[0].steps[0].respond

    assert canned is not None
    assert (canned.status, canned.body) == (299, [1])


def test_match__first_rule_wins_and_conditions_combine() -> None:
    scenario = _load("""\
  - match: {endpoint: status}
    respond: {status: 503}
  - match:
      endpoint: export
      query: {action_id: export-result}
      headers: {x-auth-token: {regex: 'ro-[0-9]+'}}
      body: {obsParameters.accessKey: AK}
    respond: {status: 500}
  - match: {endpoint: any}
    respond: {status: 400}
""")
    body = {"obsParameters": {"accessKey": "AK"}}

    hit = first_match(
        scenario.rules, _view(headers={"x-auth-token": "ro-1"}, body=body)
    )
    wrong_token = first_match(
        scenario.rules, _view(headers={"x-auth-token": "rw"}, body=body)
    )

    assert hit is scenario.rules[1]
    assert wrong_token is scenario.rules[2]


def test_match__body_values_keep_their_json_type() -> None:
    scenario = _load("  - match: {body: {n: 1}}\n    respond: {status: 503}")

    assert first_match(scenario.rules, _view(body={"n": 1})) is scenario.rules[0]
    assert first_match(scenario.rules, _view(body={"n": "1"})) is None
    assert first_match(scenario.rules, _view(body={"n": True})) is None


def test_state__counts_per_rule_and_reset_forgets(tmp_path: Path) -> None:
    scenario = _load("""\
  - sequence: [{respond: {status: 503}}, normal]
  - respond: {status: 500}
""")
    world = World(scenario, tmp_path)
    first, second = scenario.rules

    counts = [
        world.rule_state.hit(first),
        world.rule_state.hit(first),
        world.rule_state.hit(second),
    ]
    actions = [first.action_for(n).is_normal for n in range(3)]
    world.reset()

    assert counts == [0, 1, 0]
    assert actions == [False, True, True]
    assert world.rule_state.count(first) == 0


def test_state__delay_ranges_are_seeded() -> None:
    delay = Delay(0.1, 0.9)

    one = [RuleState(7).seconds(delay) for _ in range(1)]
    same = RuleState(7)
    two = [same.seconds(delay), same.seconds(delay)]
    other = RuleState(8).seconds(delay)

    assert one[0] == two[0]
    assert two[0] != two[1]
    assert other != two[0]
    assert all(0.1 <= s <= 0.9 for s in [*two, other])
