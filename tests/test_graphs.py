"""Graph sources a scenario can name, and the scenario errors they give."""

from __future__ import annotations

from pathlib import Path

import pytest

from ges_mock.errors import ScenarioError
from ges_mock.graphs import GraphDataError, build_graph, generated_graph
from ges_mock.results import ColumnRows
from ges_mock.scenario import load_scenario_file


def test_csv__positional_rows_with_optional_weight(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("# a comment\n1,2\n2,3,4.5\n")

    graph = build_graph({"csv": "e.csv", "directed": True}, tmp_path)

    assert graph.is_directed()
    assert list(graph.edges(data=True)) == [("1", "2", {}), ("2", "3", {"weight": 4.5})]


def test_csv__header_names_edge_properties(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("source,target,time\na,b,3\n")

    graph = build_graph({"csv": "e.csv"}, tmp_path)

    assert graph.edges["a", "b"] == {"time": 3.0}


@pytest.mark.parametrize("name", ["../outside.csv", "/etc/passwd", "sub/../../x.csv"])
def test_csv__never_outside_the_scenario_directory(tmp_path: Path, name: str) -> None:
    with pytest.raises(GraphDataError, match="csv must name a file inside"):
        build_graph({"csv": name}, tmp_path / "scenario")


def test_csv__bad_weight_names_the_row(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("1,2,heavy\n")

    with pytest.raises(
        GraphDataError, match=r"e.csv data row 1: weight must be a number"
    ):
        build_graph({"csv": "e.csv"}, tmp_path)


def test_generated__same_graph_for_a_seed() -> None:
    first, second = generated_graph(200, 3, 5), generated_graph(200, 3, 5)

    assert list(first.edges) == list(second.edges)
    assert list(first.nodes)[:3] == ["1", "2", "3"] and first.number_of_nodes() == 200


def test_scenario__missing_csv_is_a_located_error(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("graphs:\n  g:\n    data: {csv: none.csv}\n")

    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(scenario)

    assert caught.value.problems[0].startswith(
        f"{scenario}:3: graphs.g.data: cannot read csv"
    )


def test_scenario__declared_job_with_bad_parameters(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "graphs:\n  g:\n    data: {builtin: karate_club}\n"
        "    jobs:\n      - id: j\n        algorithm: kcore\n        parameters: {k: -1}\n"
    )

    with pytest.raises(ScenarioError) as caught:
        load_scenario_file(scenario)

    assert caught.value.problems == [
        f"{scenario}:7: graphs.g.jobs.0.parameters: parameters.k is out of range: "
        "-1 is less than the minimum of 0"
    ]


def test_column_rows__tuples_only_when_read() -> None:
    rows = ColumnRows(["a", "b", "c"], [1.0, 2.0, 3.0])

    assert len(rows) == 3 and rows[1] == ("b", 2.0)
    assert rows[1:] == [("b", 2.0), ("c", 3.0)]
    assert list(rows) == [("a", 1.0), ("b", 2.0), ("c", 3.0)]


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("", "is empty"),
        ("#c", "starts with '#'"),
        ("a,b", "holds ','; ids hold no comma, quote or control character"),
        ('a"b', "holds '\"'; ids hold no comma, quote or control character"),
        ("e\nf", "holds '\\n'; ids hold no comma, quote or control character"),
        ("e\x85f", "holds '\\x85'; ids hold no comma, quote or control character"),
        ("e\u2028f", "holds '\\u2028'; ids hold no comma, quote or control character"),
    ],
)
def test_edges__vertex_ids_that_would_break_the_csv_are_refused(
    source: str, problem: str
) -> None:
    with pytest.raises(GraphDataError) as raised:
        build_graph({"edges": [["a", "b"], [source, "b"]]})

    assert str(raised.value) == f"edges[1]: source {source!r} {problem}"
