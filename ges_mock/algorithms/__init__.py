"""The exportable algorithms, computed with networkx on a scenario's graph."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
else:  # loaded on first use, so a server starts without it
    from ..lazy import networkx as nx
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from ..resources import load_schema
from ..results import AlgorithmResult, Layout
from ..validation import describe_error
from .centrality import CENTRALITY
from .common import Algorithm, AlgorithmError
from .community import COMMUNITY
from .paths import PATHS
from .ranking import RANKING

__all__ = [
    "ALGORITHMS",
    "ALIASES",
    "DOCUMENT_ALGORITHMS",
    "AlgorithmError",
    "canonical_name",
    "compute",
    "layout_of",
    "parameter_problem",
]

PARAMETERS_SCHEMA = "algorithm-parameters"

ALGORITHMS: dict[str, Algorithm] = {
    algorithm.name: algorithm
    for algorithm in [*RANKING, *COMMUNITY, *PATHS, *CENTRALITY]
}

# The export document's spellings, and the names the algorithm pages use.
ALIASES: dict[str, str] = {
    "connect_component": "connected_component",
    "traingle_count": "triangle_count",
}

# The twenty algorithms the export document lists, in its order and spelling.
DOCUMENT_ALGORITHMS: tuple[str, ...] = (
    "pagerank",
    "personalrank",
    "pixie",
    "louvain",
    "label_propagation",
    "connect_component",
    "kcore",
    "sssp",
    "shortest_path",
    "shortest_path_of_vertex_sets",
    "all_shortest_paths",
    "n_paths",
    "traingle_count",
    "cluster_coefficient",
    "degree_correlation",
    "closeness",
    "link_prediction",
    "betweenness",
    "edge_betweenness",
    "od_betweenness",
)


def canonical_name(name: str) -> str | None:
    """Return the algorithm's own name for `name`, or None if it is not one."""
    name = ALIASES.get(name, name)
    return name if name in ALGORITHMS else None


def layout_of(name: str) -> Layout:
    """Return the result layout of algorithm `name` (either spelling)."""
    return ALGORITHMS[ALIASES.get(name, name)].layout


def parameter_problem(name: str, parameters: Any) -> str | None:
    """Check `parameters` against the algorithm's schema; None when they are valid.

    Messages name the parameter as `parameters.<name>`.
    """
    body = {"parameters": parameters}
    error = best_match(_parameters_validator(ALIASES.get(name, name)).iter_errors(body))
    if error is not None:
        return describe_error(error)
    return _window_problem(parameters)


def _window_problem(parameters: Mapping[str, Any]) -> str | None:
    # A rule between two fields, which the schema's per-field ranges cannot say.
    start, end = parameters.get("start_time"), parameters.get("end_time")
    if start is not None and end is not None and start > end:
        return (
            f"parameters.start_time ({start}) must not be after "
            f"parameters.end_time ({end})"
        )
    return None


def compute(
    name: str,
    graph: nx.Graph[str],
    parameters: Mapping[str, Any],
    seed: int,
) -> AlgorithmResult:
    """Run algorithm `name` on `graph`; AlgorithmError when it cannot run."""
    return ALGORITHMS[ALIASES.get(name, name)].compute(graph, parameters, seed)


@cache
def _parameters_validator(name: str) -> Draft202012Validator:
    definitions = load_schema(PARAMETERS_SCHEMA)["$defs"]
    schema = {
        "type": "object",
        "properties": {"parameters": {"$ref": f"#/$defs/{name}"}},
        "$defs": definitions,
    }
    # Checked against the meta-schema by the tests, not at start.
    return Draft202012Validator(schema)
