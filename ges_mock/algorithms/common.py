"""What every algorithm shares: its signature, its errors, parameter helpers."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
else:  # loaded on first use, so a server starts without it
    from ..lazy import networkx as nx

from ..results import AlgorithmResult, ColumnRows, Layout

__all__ = [
    "Algorithm",
    "AlgorithmError",
    "Compute",
    "as_view",
    "value_rows",
    "vertex",
    "vertices",
    "weight_of",
]

Compute = Callable[["nx.Graph[str]", Mapping[str, Any], int], AlgorithmResult]


class AlgorithmError(Exception):
    """The algorithm cannot run on this graph with these parameters (GES.8402)."""


@dataclass(frozen=True)
class Algorithm:
    """An exportable algorithm: its result layout and how to compute it."""

    name: str
    layout: Layout
    compute: Compute


def vertex(graph: nx.Graph[str], parameters: Mapping[str, Any], name: str) -> str:
    """Return the vertex id parameter `name`, which must be a vertex of `graph`."""
    vertex_id = str(parameters[name])
    if vertex_id not in graph:
        raise AlgorithmError(f"vertex [{vertex_id}] of parameter {name} is not found")
    return vertex_id


def vertices(graph: nx.Graph[str], parameters: Mapping[str, Any], name: str) -> list[str]:
    """Return a list of vertex ids: a JSON array or a comma-separated string."""
    raw = parameters[name]
    items: Iterable[Any] = raw.split(",") if isinstance(raw, str) else raw
    ids = list(dict.fromkeys(str(item).strip() for item in items))
    for vertex_id in ids:
        if vertex_id not in graph:
            raise AlgorithmError(
                f"vertex [{vertex_id}] of parameter {name} is not found"
            )
    return ids


def as_view(graph: nx.Graph[str], parameters: Mapping[str, Any]) -> nx.Graph[str]:
    """The graph as `directed` asks: a directed graph may be read undirected."""
    if graph.is_directed() and not parameters.get("directed", True):
        undirected: nx.Graph[str] = graph.to_undirected(as_view=True)
        return undirected
    return graph


def weight_of(parameters: Mapping[str, Any]) -> str:
    """The edge property holding weights; an edge without it weighs 1."""
    return str(parameters.get("weight") or "weight")


def value_rows(
    graph: nx.Graph[str], values: Mapping[str, float], typecode: str = "d"
) -> ColumnRows:
    """One (vertex, value) row per vertex in graph order, kept as two columns."""
    nodes = list(graph.nodes)
    return ColumnRows(nodes, array(typecode, (values[node] for node in nodes)))
