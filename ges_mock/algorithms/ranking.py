"""Ranking algorithms: pagerank, personalrank and pixie."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
else:  # loaded on first use, so a server starts without it
    from ..lazy import networkx as nx

from ..results import AlgorithmResult, ColumnRows, Layout
from .common import Algorithm, AlgorithmError, as_view, value_rows, vertex, vertices

__all__ = ["RANKING"]


def _pagerank(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    personalization: dict[str, float] | None = None,
) -> dict[str, float]:
    try:
        ranks: dict[str, float] = nx.pagerank(
            as_view(graph, parameters),
            alpha=float(parameters.get("alpha", 0.85)),
            personalization=personalization,
            max_iter=int(parameters.get("max_iterations", 1000)),
            tol=float(parameters.get("convergence", 1e-5)),
        )
    except nx.PowerIterationFailedConvergence as err:
        iterations = parameters.get("max_iterations", 1000)
        raise AlgorithmError(
            f"rank did not converge in {iterations} iterations"
        ) from err
    return ranks


def pagerank(
    graph: nx.Graph[str], parameters: Mapping[str, Any], seed: int
) -> AlgorithmResult:
    """networkx PageRank of every vertex; the ranks sum to 1."""
    ranks = _pagerank(graph, parameters)
    return PAGERANK.result((), value_rows(graph, ranks))


def personalrank(
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """PageRank personalised on `source`: every restart jumps back to it."""
    source = vertex(graph, parameters, "source")
    ranks = _pagerank(graph, parameters, personalization={source: 1.0})
    return PERSONALRANK.result((("source", source),), value_rows(graph, ranks))


def pixie(graph: nx.Graph[str], parameters: Mapping[str, Any], seed: int) -> AlgorithmResult:
    """Random walks with restart from `sources`, seeded; score = share of visits.

    Each of the `N` steps restarts at a random source with probability
    `alpha` (or when the walker is stuck), else moves to a random neighbour.
    Rows hold the visited vertices other than the sources, most visited first.
    """
    view = as_view(graph, parameters)
    sources = vertices(view, parameters, "sources")
    alpha = float(parameters.get("alpha", 0.15))
    steps = int(parameters.get("N", 10_000))
    walker = random.Random(seed)

    visits: dict[str, int] = {}
    here = walker.choice(sources)
    for _ in range(steps):
        neighbours = list(view.neighbors(here))
        if not neighbours or walker.random() < alpha:
            here = walker.choice(sources)
            continue
        here = walker.choice(neighbours)
        visits[here] = visits.get(here, 0) + 1

    position = {node: index for index, node in enumerate(view.nodes)}
    chosen = set(sources)
    found = [n for n in visits if n not in chosen]
    found.sort(key=lambda n: (-visits[n], position[n]))
    scores = [visits[n] / steps for n in found]
    rows = ColumnRows(found, scores)
    return PIXIE.result((("sources", ",".join(sources)),), rows)


PAGERANK = Layout("pagerank")
PERSONALRANK = Layout("personalrank")
PIXIE = Layout("pixie")

RANKING = [
    Algorithm("pagerank", PAGERANK, pagerank),
    Algorithm("personalrank", PERSONALRANK, personalrank),
    Algorithm("pixie", PIXIE, pixie),
]
