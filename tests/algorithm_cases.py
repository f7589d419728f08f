"""Parameters that run each of the document's twenty algorithms on the karate club."""

from __future__ import annotations

from typing import Any

__all__ = ["PARAMETERS"]

PARAMETERS: dict[str, dict[str, Any]] = {
    "pagerank": {"alpha": 0.85, "convergence": 1e-7},
    "personalrank": {"source": "1", "convergence": 1e-7},
    "pixie": {"sources": ["1", "34"], "alpha": 0.2, "N": 5000},
    "louvain": {"convergence": 1e-5},
    "label_propagation": {},
    "connect_component": {},
    "kcore": {"k": 2},
    "sssp": {"source": "1"},
    "shortest_path": {"source": "1", "target": "17"},
    "shortest_path_of_vertex_sets": {"sources": "5,6", "targets": ["30", "27"]},
    "all_shortest_paths": {"source": "1", "target": "34"},
    "n_paths": {"source": "1", "target": "34", "n": 5, "k": 3},
    "traingle_count": {},
    "cluster_coefficient": {},
    "degree_correlation": {},
    "closeness": {"source": "1"},
    "link_prediction": {"source": "1", "target": "34"},
    "betweenness": {},
    "edge_betweenness": {},
    "od_betweenness": {"sources": ["1", "2"], "targets": ["34", "33"]},
}
