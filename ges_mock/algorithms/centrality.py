"""Centrality algorithms: betweenness (vertex, edge, origin-destination), closeness."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import networkx as nx
else:  # loaded on first use, so a server starts without it
    from ..lazy import networkx as nx

from ..results import AlgorithmResult, ColumnRows, Layout, edge_item, first_cell
from .common import Algorithm, as_view, value_rows, vertex, vertices

__all__ = ["CENTRALITY"]


def betweenness(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """networkx normalised betweenness centrality of every vertex."""
    values = nx.betweenness_centrality(as_view(graph, parameters), normalized=True)
    return BETWEENNESS.result((), value_rows(graph, values))


def edge_betweenness(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """networkx normalised edge betweenness, one (source, target, value) per edge."""
    view = as_view(graph, parameters)
    values = nx.edge_betweenness_centrality(view, normalized=True)
    edges = list(view.edges)
    rows = ColumnRows(
        [u for u, _ in edges],
        [v for _, v in edges],
        [values[edge] for edge in edges],
    )
    return EDGE_BETWEENNESS.result((), rows)


def od_betweenness(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """Betweenness counting only shortest paths from `sources` to `targets`.

    networkx's `betweenness_centrality_subset`, not normalised: each vertex
    gets the sum over origin-destination pairs of the share of their
    shortest paths through it.
    """
    view = as_view(graph, parameters)
    sources = vertices(view, parameters, "sources")
    targets = vertices(view, parameters, "targets")
    values = nx.betweenness_centrality_subset(view, sources, targets, normalized=False)
    return OD_BETWEENNESS.result((), value_rows(graph, values))


def closeness(
    graph: nx.Graph[str], parameters: Mapping[str, Any], seed: int
) -> AlgorithmResult:
    """networkx closeness centrality of `source`."""
    source = vertex(graph, parameters, "source")
    value = float(cast("float", nx.closeness_centrality(graph, u=source)))
    return CLOSENESS.result((("source", source),), [(value,)])


BETWEENNESS = Layout("betweenness")
EDGE_BETWEENNESS = Layout("edge_betweenness", item=edge_item)
OD_BETWEENNESS = Layout("od_betweenness")
CLOSENESS = Layout("closeness", is_paged=False, shown=first_cell)

CENTRALITY = [
    Algorithm("betweenness", BETWEENNESS, betweenness),
    Algorithm("edge_betweenness", EDGE_BETWEENNESS, edge_betweenness),
    Algorithm("od_betweenness", OD_BETWEENNESS, od_betweenness),
    Algorithm("closeness", CLOSENESS, closeness),
]
