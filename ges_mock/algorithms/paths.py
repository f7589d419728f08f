"""Path algorithms: distances, shortest paths, path counts and link prediction."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import islice, takewhile
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import networkx as nx
else:  # loaded on first use, so a server starts without it
    from ..lazy import networkx as nx

from ..results import (
    AlgorithmResult,
    ColumnRows,
    Layout,
    first_cell,
    first_row,
    path_item,
)
from .common import Algorithm, as_view, vertex, vertices, weight_of

__all__ = ["PATHS"]


def sssp(graph: nx.Graph[str], parameters: Mapping[str, Any], seed: int) -> AlgorithmResult:
    """Distances from `source` to every vertex it reaches, in graph order."""
    view = as_view(graph, parameters)
    source = vertex(view, parameters, "source")
    lengths = nx.single_source_dijkstra_path_length(view, source, weight="weight")
    reached = [n for n in view.nodes if n in lengths]
    rows = ColumnRows(reached, [float(lengths[n]) for n in reached])
    return SSSP.result((("source", source),), rows)


def _one_path(view: nx.Graph[str], source: str, target: str, weight: str) -> AlgorithmResult:
    try:
        path = nx.shortest_path(view, source, target, weight=weight)
    except nx.NetworkXNoPath:
        path = []
    rows = [tuple(path)] if path else []
    return SHORTEST_PATH.result((("source", source), ("target", target)), rows)


def shortest_path(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """networkx shortest path from `source` to `target` (no row when there is none)."""
    view = as_view(graph, parameters)
    source = vertex(view, parameters, "source")
    target = vertex(view, parameters, "target")
    return _one_path(view, source, target, weight_of(parameters))


def time_window_shortest_path(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """Shortest path using only edges whose time lies in [start_time, end_time].

    An edge's time is its `filter_name` property (default `time`); an edge
    without it lies outside every window.
    """
    view = as_view(graph, parameters)
    source = vertex(view, parameters, "source")
    target = vertex(view, parameters, "target")
    name = str(parameters.get("filter_name", "time"))
    start = float(parameters["start_time"])
    end = float(parameters["end_time"])

    def is_inside(u: str, v: str) -> bool:
        time = view.edges[u, v].get(name)
        return time is not None and start <= float(time) <= end

    window = nx.subgraph_view(view, filter_edge=is_inside)
    return _one_path(window, source, target, weight_of(parameters))


def shortest_path_of_vertex_sets(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """The shortest of the shortest paths from any of `sources` to any of `targets`.

    Ties go to the target listed first; no row when no target is reachable.
    """
    view = as_view(graph, parameters)
    sources = vertices(view, parameters, "sources")
    targets = vertices(view, parameters, "targets")
    found = nx.multi_source_dijkstra(view, set(sources), weight="weight")
    # With no target the stubs' union narrows to the two dictionaries.
    lengths, paths = cast("tuple[dict[str, float], dict[str, list[str]]]", found)
    reached = [t for t in targets if t in lengths]
    if not reached:
        scalars = (("source", ""), ("target", ""))
        return SHORTEST_PATH.result(scalars, [])

    best = min(reached, key=lambda t: lengths[t])
    path = tuple(paths[best])
    return SHORTEST_PATH.result((("source", path[0]), ("target", path[-1])), [path])


def all_shortest_paths(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """Every shortest path from `source` to `target`, one per row, sorted."""
    view = as_view(graph, parameters)
    source = vertex(view, parameters, "source")
    target = vertex(view, parameters, "target")
    try:
        found = sorted(tuple(p) for p in nx.all_shortest_paths(view, source, target))
    except nx.NetworkXNoPath:
        found = []
    return _paths_result(source, target, found)


def n_paths(
    graph: nx.Graph[str], parameters: Mapping[str, Any], seed: int
) -> AlgorithmResult:
    """Up to `n` simple paths of at most `k` hops, shortest first (networkx Yen)."""
    view = as_view(graph, parameters)
    source = vertex(view, parameters, "source")
    target = vertex(view, parameters, "target")
    most = int(parameters.get("n", 10))
    hops = int(parameters.get("k", 3))
    try:
        candidates = nx.shortest_simple_paths(view, source, target)
        # Yen's algorithm yields shortest first: stop at the first too long.
        short = takewhile(lambda p: len(p) - 1 <= hops, candidates)
        found = [tuple(p) for p in islice(short, most)]
    except nx.NetworkXNoPath:
        found = []
    return _paths_result(source, target, found)


def link_prediction(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """The Jaccard index of the neighbourhoods of `source` and `target`."""
    view = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    source = vertex(view, parameters, "source")
    target = vertex(view, parameters, "target")
    _, _, value = next(iter(nx.jaccard_coefficient(view, [(source, target)])))
    scalars = (("source", source), ("target", target))
    return LINK_PREDICTION.result(scalars, [(float(value),)])


def _paths_result(
    source: str, target: str, found: list[tuple[str, ...]]
) -> AlgorithmResult:
    scalars = (("source", source), ("target", target), ("paths_number", len(found)))
    return PATHS_LAYOUT.result(scalars, found)


SSSP = Layout("distance")
SHORTEST_PATH = Layout("path", is_paged=False, shown=first_row)
PATHS_LAYOUT = Layout("paths", item=path_item)
LINK_PREDICTION = Layout("link_prediction", is_paged=False, shown=first_cell)

PATHS = [
    Algorithm("sssp", SSSP, sssp),
    Algorithm("shortest_path", SHORTEST_PATH, shortest_path),
    Algorithm("time_window_shortest_path", SHORTEST_PATH, time_window_shortest_path),
    Algorithm(
        "shortest_path_of_vertex_sets", SHORTEST_PATH, shortest_path_of_vertex_sets
    ),
    Algorithm("all_shortest_paths", PATHS_LAYOUT, all_shortest_paths),
    Algorithm("n_paths", PATHS_LAYOUT, n_paths),
    Algorithm("link_prediction", LINK_PREDICTION, link_prediction),
]
