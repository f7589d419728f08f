"""Time and peak memory of writing an N-row export result, the way an export does.

Prints one JSON line: rows, seconds, baseline_rss_mb (after the rows are
built), peak_rss_mb (the process's high-water mark after the write).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from ges_mock.export_csv import write_result_csv
from ges_mock.obs import resolve_export_target, write_atomically
from ges_mock.results import AlgorithmResult

__all__ = ["main"]


def peak_rss_mb() -> float:
    """The process's resident high-water mark so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rows = [(vertex, vertex % 97) for vertex in range(count)]
    result = AlgorithmResult(
        scalars=(("modularity", 0.5), ("community_num", 97)),
        rows_field="community",
        rows=rows,
    )
    baseline = peak_rss_mb()

    with tempfile.TemporaryDirectory(prefix="ges-bench-rows-") as root:
        target = resolve_export_target(Path(root), "bench/", "rows", default_name="x")
        began = time.perf_counter()
        write_atomically(target, lambda handle: write_result_csv(handle, result, 1.0))
        seconds = time.perf_counter() - began
        size = target.path.stat().st_size

    print(json.dumps({"rows": count, "seconds": seconds, "bytes": size,
                      "baseline_rss_mb": baseline, "peak_rss_mb": peak_rss_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
