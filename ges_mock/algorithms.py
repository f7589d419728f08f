"""The exportable algorithms, computed with networkx on a scenario's graph."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from .results import AlgorithmResult

__all__ = ["ALGORITHMS", "compute", "louvain"]

Algorithm = Callable[[nx.Graph, Mapping[str, Any], int], AlgorithmResult]


def louvain(graph: nx.Graph, parameters: Mapping[str, Any], seed: int) -> AlgorithmResult:
    """Louvain communities, numbered 1.. in the order of their first vertex."""
    weight = parameters.get("weight")
    communities = nx.community.louvain_communities(
        graph,
        weight=weight or "weight",
        threshold=float(parameters.get("convergence", 1e-5)),
        seed=seed,
    )
    position = {node: index for index, node in enumerate(graph.nodes)}
    ordered = sorted(communities, key=lambda c: min(position[n] for n in c))
    community_of = {n: number for number, c in enumerate(ordered, 1) for n in c}

    modularity = nx.community.modularity(graph, ordered, weight=weight or "weight")
    rows = [(node, community_of[node]) for node in graph.nodes]
    return AlgorithmResult(
        scalars=(("modularity", modularity), ("community_num", len(ordered))),
        rows_field="community",
        rows=rows,
    )


ALGORITHMS: dict[str, Algorithm] = {
    "louvain": louvain,
}


def compute(
    name: str,
    graph: nx.Graph,
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """Run algorithm `name` on `graph`."""
    return ALGORITHMS[name](graph, parameters, seed)
