"""Graph data a scenario names: the built-in karate club or an inline edge list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

__all__ = ["build_graph", "karate_club"]


def karate_club() -> nx.Graph:
    """Zachary's karate club with vertex ids "1".."34", as GES would number them."""
    graph = nx.karate_club_graph()
    mapping = {node: str(node + 1) for node in graph.nodes}
    relabelled: nx.Graph = nx.relabel_nodes(graph, mapping, copy=True)
    # networkx stores meeting counts as `weight`; GES defaults every edge to 1.
    for _, _, data in relabelled.edges(data=True):
        data.clear()
    return relabelled


def build_graph(spec: Mapping[str, Any]) -> nx.Graph:
    """Build the graph a scenario's `data` entry describes."""
    if "builtin" in spec:
        if spec["builtin"] != "karate_club":
            raise ValueError(f"unknown built-in graph {spec['builtin']!r}")
        return karate_club()

    graph: nx.Graph = nx.DiGraph() if spec.get("directed", False) else nx.Graph()
    for edge in spec["edges"]:
        source, target = str(edge[0]), str(edge[1])
        if len(edge) > 2:
            graph.add_edge(source, target, weight=float(edge[2]))
        else:
            graph.add_edge(source, target)
    return graph
