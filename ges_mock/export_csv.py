"""The exported CSV layout: the document's comment header, then one row per item."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from .results import AlgorithmResult

__all__ = ["format_header", "write_result_csv"]

_ROWS_PER_BATCH = 10_000


def format_header(result: AlgorithmResult, runtime: float) -> str:
    """Return the comment lines, spaced exactly as the document's sample.

    The sample puts a space after the first `#` only, ends every scalar
    line with a comma except `data_total_size`, and closes with the rows'
    field name.
    """
    scalars = [*result.scalars, ("runtime", runtime)]
    lines = [f"#{name}: {_format_value(value)}," for name, value in scalars]
    lines.append(f"#data_total_size: {result.total}")
    lines.append(f"#{result.rows_field}:")
    lines[0] = "# " + lines[0][1:]
    return "\n".join(lines) + "\n"


def write_result_csv(handle: TextIO, result: AlgorithmResult, runtime: float) -> None:
    """Write the header and every row, streaming the rows in batches."""
    handle.write(format_header(result, runtime))
    writer = csv.writer(handle, lineterminator="\n")
    rows = result.rows
    for start in range(0, len(rows), _ROWS_PER_BATCH):
        writer.writerows(rows[start : start + _ROWS_PER_BATCH])


def _format_value(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)
