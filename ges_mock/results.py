"""An algorithm's result: scalar outputs plus rows, shown as status outputs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["AlgorithmResult", "Cell", "pair_item"]

Cell = str | int | float


def pair_item(row: Sequence[Cell]) -> Any:
    """Show a (vertex, value) row as the document's `{vertexId: value}`."""
    return {str(row[0]): row[1]}


@dataclass(frozen=True)
class AlgorithmResult:
    """What a finished algorithm job holds.

    `scalars` are the outputs before the rows, in the document's order;
    `rows` are the CSV rows, shown in status outputs as `item(row)` under
    `rows_field`, a page at a time when `is_paged`.
    """

    scalars: tuple[tuple[str, Any], ...]
    rows_field: str
    rows: Sequence[Sequence[Cell]]
    is_paged: bool = True
    item: Callable[[Sequence[Cell]], Any] = field(default=pair_item)

    @property
    def total(self) -> int:
        """Number of rows, the `data_total_size` of the result."""
        return len(self.rows)

    def outputs(self, runtime: float, offset: int, limit: int) -> dict[str, Any]:
        """Return the status call's `outputs` for one page of rows."""
        outputs: dict[str, Any] = dict(self.scalars)
        if not self.is_paged:
            outputs[self.rows_field] = [self.item(row) for row in self.rows]
            outputs["runtime"] = runtime
            return outputs

        page = self.rows[offset : offset + limit]
        outputs[self.rows_field] = [self.item(row) for row in page]
        outputs["runtime"] = runtime
        outputs["data_return_size"] = len(page)
        outputs["data_offset"] = offset
        outputs["data_total_size"] = self.total
        return outputs
