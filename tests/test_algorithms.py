"""Each algorithm against networkx on the karate club, as GES numbers it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

from algorithm_cases import PARAMETERS
from ges_mock.algorithms import (
    ALGORITHMS,
    DOCUMENT_ALGORITHMS,
    AlgorithmError,
    canonical_name,
    compute,
    parameter_problem,
)
from ges_mock.graphs import karate_club
from ges_mock.results import AlgorithmResult

GRAPH = karate_club()
SEED = 7


def _run(name: str, **overrides: Any) -> AlgorithmResult:
    return compute(name, GRAPH, {**PARAMETERS[name], **overrides}, SEED)


def _values(result: AlgorithmResult) -> dict[str, Any]:
    return {str(row[0]): row[1] for row in result.rows}


def _is_graph_path(path: Any) -> bool:
    return all(GRAPH.has_edge(u, v) for u, v in zip(path, path[1:]))


def _check_pagerank(result: AlgorithmResult) -> None:
    expected = nx.pagerank(GRAPH, alpha=0.85, tol=1e-7)
    assert sum(_values(result).values()) == pytest.approx(1.0)
    assert _values(result) == pytest.approx(expected)


def _check_personalrank(result: AlgorithmResult) -> None:
    expected = nx.pagerank(GRAPH, personalization={"1": 1}, tol=1e-7)
    assert result.scalars == (("source", "1"),)
    assert _values(result) == pytest.approx(expected)
    assert max(_values(result), key=_values(result).__getitem__) == "1"


def _check_pixie(result: AlgorithmResult) -> None:
    scores = [row[1] for row in result.rows]
    assert scores == sorted(scores, reverse=True)
    assert 0 < sum(scores) <= 1
    assert {row[0] for row in result.rows} <= set(GRAPH) - {"1", "34"}
    assert _run("pixie").rows[:] == result.rows[:]


def _check_louvain(result: AlgorithmResult) -> None:
    communities: dict[Any, set[str]] = {}
    for vertex, community in result.rows:
        communities.setdefault(community, set()).add(str(vertex))
    modularity = nx.community.modularity(GRAPH, communities.values())
    assert dict(result.scalars) == {
        "modularity": pytest.approx(modularity),
        "community_num": len(communities),
    }


def _check_label_propagation(result: AlgorithmResult) -> None:
    communities: dict[Any, set[str]] = {}
    for vertex, community in result.rows:
        communities.setdefault(community, set()).add(str(vertex))
    expected = nx.community.asyn_lpa_communities(GRAPH, seed=SEED)
    assert sorted(map(sorted, communities.values())) == sorted(map(sorted, expected))


def _check_connect_component(result: AlgorithmResult) -> None:
    assert dict(result.scalars) == {"Max_WCC_size": 34, "Max_WCC_id": "1"}
    assert set(_values(result).values()) == {"1"}


def _check_kcore(result: AlgorithmResult) -> None:
    cores = nx.core_number(GRAPH)
    assert _values(result) == {v: c for v, c in cores.items() if c >= 2}


def _check_sssp(result: AlgorithmResult) -> None:
    lengths = nx.single_source_shortest_path_length(GRAPH, "1")
    assert _values(result) == {v: float(d) for v, d in lengths.items()}


def _check_shortest_path(result: AlgorithmResult) -> None:
    path = list(result.rows[0])
    assert dict(result.scalars) == {"source": "1", "target": "17"}
    assert path[0] == "1" and path[-1] == "17" and _is_graph_path(path)
    assert len(path) - 1 == nx.shortest_path_length(GRAPH, "1", "17")


def _check_shortest_path_of_vertex_sets(result: AlgorithmResult) -> None:
    path = list(result.rows[0])
    best = min(nx.shortest_path_length(GRAPH, s, t) for s in "56" for t in ("30", "27"))
    assert path[0] in {"5", "6"} and path[-1] in {"30", "27"}
    assert _is_graph_path(path) and len(path) - 1 == best


def _check_all_shortest_paths(result: AlgorithmResult) -> None:
    expected = sorted(tuple(p) for p in nx.all_shortest_paths(GRAPH, "1", "34"))
    assert [tuple(r) for r in result.rows] == expected
    assert dict(result.scalars)["paths_number"] == len(expected)


def _check_n_paths(result: AlgorithmResult) -> None:
    paths = [list(r) for r in result.rows]
    assert dict(result.scalars)["paths_number"] == len(paths) == 5
    assert all(_is_graph_path(p) and len(set(p)) == len(p) for p in paths)
    assert all(p[0] == "1" and p[-1] == "34" and len(p) - 1 <= 3 for p in paths)


def _check_traingle_count(result: AlgorithmResult) -> None:
    per_vertex = _values(result)
    assert per_vertex == nx.triangles(GRAPH)
    assert dict(result.scalars)["triangle_count"] == sum(per_vertex.values()) // 3 == 45


def _check_cluster_coefficient(result: AlgorithmResult) -> None:
    assert result.rows == [(pytest.approx(nx.average_clustering(GRAPH)),)]
    assert result.rows[0][0] == pytest.approx(0.5706, abs=1e-4)


def _check_degree_correlation(result: AlgorithmResult) -> None:
    assert result.rows[0][0] == pytest.approx(
        nx.degree_assortativity_coefficient(GRAPH)
    )
    assert result.rows[0][0] == pytest.approx(-0.4756, abs=1e-4)


def _check_closeness(result: AlgorithmResult) -> None:
    assert result.rows == [(pytest.approx(nx.closeness_centrality(GRAPH, "1")),)]


def _check_link_prediction(result: AlgorithmResult) -> None:
    ((_, _, expected),) = nx.jaccard_coefficient(GRAPH, [("1", "34")])
    assert result.rows == [(pytest.approx(expected),)]


def _check_betweenness(result: AlgorithmResult) -> None:
    assert _values(result) == pytest.approx(nx.betweenness_centrality(GRAPH))


def _check_edge_betweenness(result: AlgorithmResult) -> None:
    expected = nx.edge_betweenness_centrality(GRAPH)
    got = {(row[0], row[1]): row[2] for row in result.rows}
    assert len(got) == GRAPH.number_of_edges() == 78
    assert got == pytest.approx(expected)


def _check_od_betweenness(result: AlgorithmResult) -> None:
    expected = nx.betweenness_centrality_subset(
        GRAPH, ["1", "2"], ["34", "33"], normalized=False
    )
    assert _values(result) == pytest.approx(expected)


CHECKS: dict[str, Callable[[AlgorithmResult], None]] = {
    name: globals()[f"_check_{name}"] for name in DOCUMENT_ALGORITHMS
}


@pytest.mark.parametrize("name", DOCUMENT_ALGORITHMS)
def test_algorithm__agrees_with_networkx(name: str) -> None:
    result = _run(name)

    CHECKS[name](result)
    assert parameter_problem(name, PARAMETERS[name]) is None
    assert result.total == len(result.rows)


@pytest.mark.parametrize("name", DOCUMENT_ALGORITHMS)
def test_algorithm__same_result_for_the_same_seed(name: str) -> None:
    first, second = _run(name), _run(name)

    assert first.scalars == second.scalars
    assert list(first.rows) == list(second.rows)


def test_names__both_spellings_name_one_algorithm() -> None:
    assert canonical_name("connect_component") == "connected_component"
    assert canonical_name("connected_component") == "connected_component"
    assert canonical_name("traingle_count") == canonical_name("triangle_count")
    assert canonical_name("pagerank2") is None
    assert len(DOCUMENT_ALGORITHMS) == 20
    assert {canonical_name(n) for n in DOCUMENT_ALGORITHMS} <= set(ALGORITHMS)


def test_time_window_shortest_path__uses_only_edges_inside_the_window() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", time=1.0)
    graph.add_edge("b", "c", time=5.0)
    graph.add_edge("a", "c", time=9.0)
    window = {"source": "a", "target": "c", "start_time": 0, "end_time": 6}

    inside = compute("time_window_shortest_path", graph, window, 0)
    wider = compute("time_window_shortest_path", graph, {**window, "end_time": 10}, 0)
    none = compute("time_window_shortest_path", graph, {**window, "end_time": 2}, 0)

    assert list(inside.rows) == [("a", "b", "c")]
    assert list(wider.rows) == [("a", "c")]
    assert list(none.rows) == [] and none.outputs(0.1, 0, 10)["path"] == []


def test_triangle_count__statistics_keeps_only_the_total() -> None:
    result = _run("traingle_count", statistics=True)

    assert result.outputs(0.5, 0, 10) == {
        "triangle_count": 45,
        "vertex_triangles": [],
        "runtime": 0.5,
    }


def test_degree_correlation_of_a_regular_graph__is_an_algorithm_error() -> None:
    # networkx gives NaN here, which no JSON status body or CSV may carry.
    triangle = nx.Graph([("a", "b"), ("b", "c"), ("c", "a")])
    with pytest.raises(AlgorithmError, match="degree_correlation is undefined"):
        compute("degree_correlation", triangle, {}, SEED)


def test_unknown_vertex__is_an_algorithm_error() -> None:
    with pytest.raises(AlgorithmError, match=r"vertex \[99\] of parameter source"):
        _run("sssp", source=99)


@pytest.mark.parametrize(
    ("name", "parameters", "problem"),
    [
        (
            "pagerank",
            {"alpha": 1.5},
            "parameters.alpha is out of range: 1.5 is greater",
        ),
        ("kcore", {}, "parameters.k is required"),
        ("kcore", {"k": "2"}, 'parameters.k must be an integer, got "2"'),
        (
            "n_paths",
            {"source": 1, "target": 2, "k": 11},
            "parameters.k is out of range",
        ),
        (
            "louvain",
            {"resolution": 1},
            "parameters.resolution is not a documented field",
        ),
        (
            "time_window_shortest_path",
            {"source": "1", "target": "2", "start_time": 5, "end_time": 2},
            "parameters.start_time (5) must not be after parameters.end_time (2)",
        ),
    ],
)
def test_parameters__are_checked_per_algorithm(
    name: str, parameters: dict[str, Any], problem: str
) -> None:
    message = parameter_problem(name, parameters)

    assert message is not None and message.startswith(problem)
