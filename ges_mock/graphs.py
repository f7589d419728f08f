"""Graph data a scenario names: built-in, inline edges, an edge-list CSV, generated."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
else:  # loaded on first use, so a server starts without it
    from .lazy import networkx as nx

__all__ = [
    "GraphDataError",
    "build_graph",
    "deferred_graph",
    "generated_graph",
    "karate_club",
]

_POSITIONAL = ("source", "target", "weight")


class GraphDataError(ValueError):
    """A scenario's graph data cannot be built; the message names why."""


# Control characters (C0, DEL, C1) and the Unicode line and paragraph
# separators, which str.splitlines() also breaks on.
_ID_FORBIDDEN = re.compile(r'[,"\x00-\x1f\x7f-\x9f\u2028\u2029]')


def karate_club() -> nx.Graph[str]:
    """Zachary's karate club with vertex ids "1".."34", as GES would number them."""
    graph = nx.karate_club_graph()
    mapping = {node: str(node + 1) for node in graph.nodes}
    relabelled: nx.Graph[str] = nx.relabel_nodes(graph, mapping, copy=True)
    # networkx stores meeting counts as `weight`; GES defaults every edge to 1.
    for _, _, data in relabelled.edges(data=True):
        data.clear()
    return relabelled


def generated_graph(vertices: int, edges_per_vertex: int, seed: int) -> nx.Graph[str]:
    """A Barabasi-Albert graph (networkx) with ids "1".."N", the same for a seed."""
    _check_generated(vertices, edges_per_vertex)
    # LIMITATION: the graph lives in networkx dictionaries, about 1 KB per
    # vertex: a million vertices take seconds to build and about 1 GB.
    source = nx.barabasi_albert_graph(vertices, edges_per_vertex, seed=seed)
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(str(node + 1) for node in source.nodes)
    graph.add_edges_from((str(u + 1), str(v + 1)) for u, v in source.edges)
    return graph


def deferred_graph(spec: Mapping[str, Any]) -> Callable[[], nx.Graph[str]] | None:
    """A builder for a graph that cannot fail once its spec is checked, or None.

    Built-in and generated graphs are checked here and built on first use,
    so a server starts without loading networkx; edge lists are built at
    once (their errors belong to loading).
    """
    if "builtin" in spec:
        if spec["builtin"] != "karate_club":
            raise GraphDataError(f"unknown built-in graph {spec['builtin']!r}")
        return karate_club
    if "generated" in spec:
        options = spec["generated"]
        vertices = int(options["vertices"])
        edges_per_vertex = int(options["edges_per_vertex"])
        seed = int(options.get("seed", 0))
        _check_generated(vertices, edges_per_vertex)
        return lambda: generated_graph(vertices, edges_per_vertex, seed)
    return None


def _check_generated(vertices: int, edges_per_vertex: int) -> None:
    if not 1 <= edges_per_vertex < vertices:
        raise GraphDataError(
            f"generated.edges_per_vertex must be from 1 to vertices - 1 "
            f"({vertices - 1}), got {edges_per_vertex!r}"
        )


def build_graph(spec: Mapping[str, Any], base_dir: Path | None = None) -> nx.Graph[str]:
    """Build the graph a scenario's `data` entry describes.

    A `csv` path is read relative to `base_dir`, the scenario file's
    directory, and must stay inside it.
    """
    if "builtin" in spec:
        if spec["builtin"] != "karate_club":
            raise GraphDataError(f"unknown built-in graph {spec['builtin']!r}")
        return karate_club()
    if "generated" in spec:
        options = spec["generated"]
        return generated_graph(
            int(options["vertices"]),
            int(options["edges_per_vertex"]),
            int(options.get("seed", 0)),
        )

    graph: nx.Graph[str] = nx.DiGraph() if spec.get("directed", False) else nx.Graph()
    if "csv" in spec:
        _add_csv_edges(graph, _inside(base_dir, str(spec["csv"])))
        return graph
    for index, edge in enumerate(spec["edges"]):
        _add_edge(graph, dict(zip(_POSITIONAL, edge)), where=f"edges[{index}]")
    return graph


def _inside(base_dir: Path | None, name: str) -> Path:
    if base_dir is None:
        raise GraphDataError(f"csv {name!r} needs a scenario file to be read beside")
    base = os.path.realpath(base_dir)
    path = os.path.realpath(os.path.join(base, name))
    if os.path.isabs(name) or os.path.commonpath([base, path]) != base:
        raise GraphDataError(
            f"csv must name a file inside the scenario's directory {base}, got {name!r}"
        )
    return Path(path)


def _add_csv_edges(graph: nx.Graph[str], path: Path) -> None:
    """Read `source,target[,weight]` rows; a first row naming `source` is a header.

    A header may name more columns (such as `time`): each becomes an edge
    property; `#` lines and blank lines are skipped.
    """
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.reader(handle) if r and not r[0].startswith("#")]
    except OSError as err:
        raise GraphDataError(f"cannot read csv {str(path)!r}: {err.strerror}") from err

    names: Sequence[str] = _POSITIONAL
    if rows and rows[0][0].strip() == "source":
        names = [cell.strip() for cell in rows.pop(0)]
    for number, row in enumerate(rows, 1):
        if len(row) < 2 or len(row) > len(names):
            raise GraphDataError(
                f"{path.name} data row {number}: expected 2 to {len(names)} columns "
                f"({', '.join(names)}), got {row!r}"
            )
        _add_edge(graph, dict(zip(names, row)), where=f"{path.name} data row {number}")


def _add_edge(graph: nx.Graph[str], cells: Mapping[str, Any], where: str = "edge") -> None:
    source, target = str(cells["source"]).strip(), str(cells["target"]).strip()
    for end, vertex in (("source", source), ("target", target)):
        problem = _vertex_id_problem(vertex)
        if problem is not None:
            raise GraphDataError(f"{where}: {end} {vertex!r} {problem}")
    properties = {}
    for name, value in _extra(cells):
        try:
            properties[name] = float(value)
        except ValueError as err:
            raise GraphDataError(
                f"{where}: {name} must be a number, got {value!r}"
            ) from err
    graph.add_edge(source, target, **properties)


def _vertex_id_problem(vertex: str) -> str | None:
    """Why `vertex` cannot be an id in the exported CSV, or None.

    Ids are written bare into rows and into the `#` header lines: a comma,
    quote or line break would split them, and a leading `#` would make a
    row read as a comment.
    """
    if not vertex:
        return "is empty"
    if vertex.startswith("#"):
        return "starts with '#'"
    bad = _ID_FORBIDDEN.search(vertex)
    if bad is not None:
        return f"holds {bad.group()!r}; ids hold no comma, quote or control character"
    return None


def _extra(cells: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    return (
        (k, v) for k, v in cells.items() if k not in ("source", "target") and v != ""
    )
