"""An algorithm's result: scalar outputs plus rows, shown as status outputs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

__all__ = [
    "AlgorithmResult",
    "Cell",
    "ColumnRows",
    "Layout",
    "Row",
    "edge_item",
    "first_cell",
    "first_row",
    "pair_item",
    "path_item",
]

Cell = str | int | float
Row = Sequence[Cell]


def pair_item(row: Row) -> Any:
    """Show a (vertex, value) row as the document's `{vertexId: value}`."""
    return {str(row[0]): row[1]}


def edge_item(row: Row) -> Any:
    """Show a (source, target, value) row as `{"source", "target", "value"}`."""
    return {"source": row[0], "target": row[1], "value": row[2]}


def path_item(row: Row) -> Any:
    """Show a path row as the list of its vertex ids."""
    return list(row)


def first_cell(rows: Sequence[Row]) -> Any:
    """Show a one-value result as that value (None when there is no row)."""
    return rows[0][0] if len(rows) else None


def first_row(rows: Sequence[Row]) -> Any:
    """Show a one-path result as the path (empty when there is none)."""
    return list(rows[0]) if len(rows) else []


class ColumnRows(Sequence[tuple[Cell, ...]]):
    """Rows kept as columns, made into tuples only when read.

    A million (vertex, value) rows as tuples cost well over 100 MB; as a
    list of ids and an array of values they cost a few bytes per row.
    """

    def __init__(self, *columns: Sequence[Any]) -> None:
        sizes = {len(column) for column in columns}
        if len(sizes) != 1:
            raise ValueError(
                f"columns must have one length, got lengths {sorted(sizes)}"
            )
        self._columns = columns
        self._size = sizes.pop()

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> tuple[Cell, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Cell, ...]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return list(zip(*(column[index] for column in self._columns)))
        return tuple(column[index] for column in self._columns)

    def __iter__(self) -> Iterator[tuple[Cell, ...]]:
        return zip(*self._columns)


@dataclass(frozen=True)
class AlgorithmResult:
    """What a finished algorithm job holds.

    `scalars` are the outputs before the rows, in the document's order;
    `rows` are the CSV rows, shown in status outputs as `item(row)` under
    `rows_field`, a page at a time when `is_paged`. An unpaged result with
    `shown` shows all its rows as `shown(rows)` instead (a single value or
    a single path).
    """

    scalars: tuple[tuple[str, Any], ...]
    rows_field: str
    rows: Sequence[Row]
    is_paged: bool = True
    item: Callable[[Row], Any] = field(default=pair_item)
    shown: Callable[[Sequence[Row]], Any] | None = None

    @property
    def total(self) -> int:
        """Number of rows, the `data_total_size` of the result."""
        return len(self.rows)

    def outputs(self, runtime: float, offset: int, limit: int) -> dict[str, Any]:
        """Return the status call's `outputs` for one page of rows."""
        outputs: dict[str, Any] = dict(self.scalars)
        if not self.is_paged:
            if self.shown is not None:
                outputs[self.rows_field] = self.shown(self.rows)
            else:
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


@dataclass(frozen=True)
class Layout:
    """How one algorithm's result is laid out: its rows' field, paging, items."""

    rows_field: str
    is_paged: bool = True
    item: Callable[[Row], Any] = pair_item
    shown: Callable[[Sequence[Row]], Any] | None = None

    def result(
        self,
        scalars: tuple[tuple[str, Any], ...],
        rows: Sequence[Row],
    ) -> AlgorithmResult:
        """Return a result in this layout."""
        return AlgorithmResult(
            scalars=scalars,
            rows_field=self.rows_field,
            rows=rows,
            is_paged=self.is_paged,
            item=self.item,
            shown=self.shown,
        )
