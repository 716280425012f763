"""Rows arriving in parts (reader blocks) regrouped into batches of a fixed size."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa


class Pending:
    """Consecutive rows collected into batches of ``batch_rows`` (the last may be shorter).

    Parts may differ in width (an xlsx block with a value further right): missing columns are
    null. Dictionary-encoded columns get one dictionary per batch."""

    def __init__(self, batch_rows: int, first: int):
        self.batch_rows, self.first = batch_rows, first
        self.parts: list[pa.Table] = []
        self.rows = 0

    def add(self, part: pa.Table) -> Iterator[tuple[int, pa.Table]]:
        """Take ``part``; yield (first row number, table) for each batch now complete."""
        self.parts.append(part)
        self.rows += part.num_rows
        if self.rows >= self.batch_rows:
            yield from self._take(self.rows - self.rows % self.batch_rows)

    def flush(self) -> Iterator[tuple[int, pa.Table]]:
        """The rows still waiting, as a last (short) batch."""
        if self.rows:
            yield from self._take(self.rows)

    def _take(self, n: int) -> Iterator[tuple[int, pa.Table]]:
        whole = concat(self.parts)
        for offset in range(0, n, self.batch_rows):
            part = whole.slice(offset, min(self.batch_rows, n - offset))
            yield self.first + offset, part.unify_dictionaries().combine_chunks()
        rest = whole.slice(n)
        self.parts, self.rows, self.first = [rest], rest.num_rows, self.first + n


def concat(tables: list[pa.Table]) -> pa.Table:
    """Tables of (possibly) different widths, stacked; missing columns are null text."""
    width = max(t.num_columns for t in tables)
    widened = []
    for table in tables:
        for c in range(table.num_columns, width):
            table = table.append_column(f"c{c}", pa.nulls(table.num_rows, pa.string()))
        widened.append(table)
    return pa.concat_tables(widened)
