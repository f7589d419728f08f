"""Community and structure algorithms: communities, components, cores, triangles."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import networkx as nx
else:  # loaded on first use, so a server starts without it
    from ..lazy import networkx as nx

from ..results import AlgorithmResult, ColumnRows, Layout, first_cell
from .common import Algorithm, AlgorithmError, value_rows, weight_of

__all__ = ["COMMUNITY", "number_communities"]


def number_communities(
    graph: nx.Graph[str],
    communities: Iterable[Iterable[str]],
) -> list[set[str]]:
    """Order communities by their first vertex in graph order."""
    position = {node: index for index, node in enumerate(graph.nodes)}
    groups = [set(c) for c in communities]
    return sorted(groups, key=lambda c: min(position[n] for n in c))


def _membership(
    graph: nx.Graph[str], groups: list[set[str]], labels: list[Any]
) -> ColumnRows:
    label_of = {n: label for label, group in zip(labels, groups) for n in group}
    nodes = list(graph.nodes)
    return ColumnRows(nodes, [label_of[n] for n in nodes])


def louvain(
    graph: nx.Graph[str], parameters: Mapping[str, Any], seed: int
) -> AlgorithmResult:
    """Louvain communities, numbered 1.. in the order of their first vertex."""
    weight = weight_of(parameters)
    communities = nx.community.louvain_communities(
        graph,
        weight=weight,
        threshold=float(parameters.get("convergence", 1e-5)),
        seed=seed,
    )
    ordered = number_communities(graph, communities)
    modularity = nx.community.modularity(graph, ordered, weight=weight)

    rows = _membership(graph, ordered, list(range(1, len(ordered) + 1)))
    scalars = (("modularity", modularity), ("community_num", len(ordered)))
    return LOUVAIN.result(scalars, rows)


def label_propagation(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """networkx asynchronous label propagation, seeded; labels numbered 1.."""
    # LIMITATION: `initial` (a property with starting labels) is accepted but
    # unused; every vertex starts with its own label.
    view = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    communities = nx.community.asyn_lpa_communities(view, seed=seed)
    ordered = number_communities(graph, communities)
    rows = _membership(graph, ordered, list(range(1, len(ordered) + 1)))
    return LABEL_PROPAGATION.result((), rows)


def connected_component(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """Weakly connected components; a component's id is its first vertex's id."""
    parts = (
        nx.weakly_connected_components(cast("nx.DiGraph[str]", graph))
        if graph.is_directed()
        else nx.connected_components(graph)
    )
    ordered = number_communities(graph, parts)
    position = {node: index for index, node in enumerate(graph.nodes)}
    ids = [min(group, key=position.__getitem__) for group in ordered]
    largest = max(range(len(ordered)), key=lambda i: (len(ordered[i]), -i))

    rows = _membership(graph, ordered, ids)
    scalars = (("Max_WCC_size", len(ordered[largest])), ("Max_WCC_id", ids[largest]))
    return CONNECTED_COMPONENT.result(scalars, rows)


def kcore(graph: nx.Graph[str], parameters: Mapping[str, Any], seed: int) -> AlgorithmResult:
    """networkx core numbers of the vertices whose coreness is at least `k`."""
    view = _without_loops(graph)
    cores = nx.core_number(view)
    k = int(parameters["k"])
    kept = [n for n in graph.nodes if cores[n] >= k]
    return KCORE.result((), ColumnRows(kept, [cores[n] for n in kept]))


def _without_loops(graph: nx.Graph[str]) -> nx.Graph[str]:
    """An undirected graph without self-loops, as core numbers need."""
    if not graph.is_directed() and nx.number_of_selfloops(graph) == 0:
        return graph
    view = nx.Graph(graph)
    view.remove_edges_from(list(nx.selfloop_edges(view)))
    return view


def triangle_count(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """networkx triangles per vertex; the total is a third of their sum.

    With `statistics` true only the total is kept, and there are no rows.
    """
    view = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    per_vertex = cast("dict[str, int]", nx.triangles(view))
    total = sum(per_vertex.values()) // 3
    rows = (
        []
        if parameters.get("statistics", False)
        else value_rows(graph, per_vertex, "q")
    )
    return TRIANGLE_COUNT.result((("triangle_count", total),), rows)


def cluster_coefficient(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """networkx average clustering coefficient of the graph."""
    value = float(nx.average_clustering(graph))
    return CLUSTER_COEFFICIENT.result((), [(value,)])


def degree_correlation(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """networkx degree assortativity coefficient of the graph.

    networkx answers NaN when the degrees at the edges' ends do not vary
    (a regular graph, say); NaN is no JSON number, so the job fails instead.
    """
    value = float(nx.degree_assortativity_coefficient(graph))
    if not math.isfinite(value):
        raise AlgorithmError(
            "degree_correlation is undefined on this graph: "
            "the degrees at the ends of its edges do not vary"
        )
    return DEGREE_CORRELATION.result((), [(value,)])


LOUVAIN = Layout("community")
LABEL_PROPAGATION = Layout("community")
CONNECTED_COMPONENT = Layout("community")
KCORE = Layout("coreness")
# The reference gives triangle_count no paging fields: every row is shown.
TRIANGLE_COUNT = Layout("vertex_triangles", is_paged=False)
CLUSTER_COEFFICIENT = Layout("cluster_coefficient", is_paged=False, shown=first_cell)
DEGREE_CORRELATION = Layout("degree_correlation", is_paged=False, shown=first_cell)

COMMUNITY = [
    Algorithm("louvain", LOUVAIN, louvain),
    Algorithm("label_propagation", LABEL_PROPAGATION, label_propagation),
    Algorithm("connected_component", CONNECTED_COMPONENT, connected_component),
    Algorithm("kcore", KCORE, kcore),
    Algorithm("triangle_count", TRIANGLE_COUNT, triangle_count),
    Algorithm("cluster_coefficient", CLUSTER_COEFFICIENT, cluster_coefficient),
    Algorithm("degree_correlation", DEGREE_CORRELATION, degree_correlation),
]
