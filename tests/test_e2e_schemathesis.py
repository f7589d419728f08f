"""Property-based checks of every operation against the served /openapi.json.

schemathesis generates requests, valid and invalid, for each operation of
the document `ges-mock serve` publishes, and checks that no answer is a
server error and that every answer conforms to the document.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import schemathesis
from schemathesis import GenerationMode
from conftest import TOKEN, _check_and_stop
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mockproc import MockProcess, start_mock_process
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

# Examples per operation: enough to reach every documented error, and the
# whole module stays well under a minute.
MAX_EXAMPLES = 30
# The operations the document describes, all of them fuzzed.
OPERATIONS = 5
# The default scenario's project and graph, so requests get past the 404s.
KNOWN_GRAPH = {"project_id": "p1", "graph_name": "movie"}


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProcess]:
    """A `ges-mock serve` of its own, so generated requests touch no other test."""
    obs_root = tmp_path_factory.mktemp("schemathesis") / "obs"
    server = start_mock_process(obs_root)
    yield server
    _check_and_stop(server)


def test_every_operation__answers_within_the_document(
    fuzzed_server: MockProcess,
) -> None:
    document = schemathesis.openapi.from_url(fuzzed_server.url + "/openapi.json")
    failures: dict[str, str] = {}
    checked = []

    for loaded in document.get_all_operations():
        operation = loaded.ok()
        for name, strategy in _strategies(operation).items():
            label = f"{operation.label} ({name})"
            try:
                _fuzz(strategy, fuzzed_server.url)
            except Exception as err:  # every finding is reported at the end
                failures[label] = f"{type(err).__name__}: {err}"
        checked.append(operation.label)

    answered = requests.get(
        fuzzed_server.url + "/__admin/requests/count?status=200", timeout=10
    )
    assert len(checked) == OPERATIONS
    assert failures == {}
    # Some generated requests got all the way through, not only to a 4xx.
    assert answered.json()["count"] > 0


def _strategies(
    operation: schemathesis.APIOperation,
) -> dict[str, st.SearchStrategy[schemathesis.Case]]:
    """Valid and invalid requests, and valid ones on the scenario's own graph."""
    known = {
        name: value
        for name, value in KNOWN_GRAPH.items()
        if name in str(operation.path)
    }
    return {
        "positive": operation.as_strategy(GenerationMode.POSITIVE),
        "negative": operation.as_strategy(GenerationMode.NEGATIVE),
        "known graph": operation.as_strategy(
            GenerationMode.POSITIVE, path_parameters=known
        ),
    }


def _fuzz(strategy: st.SearchStrategy[schemathesis.Case], url: str) -> None:
    """Run generated requests; raise on the first failing check."""

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(
            base_url=url,
            headers=TOKEN,
            checks=[not_a_server_error, response_schema_conformance],
        )

    run()
