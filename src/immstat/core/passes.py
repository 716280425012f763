"""Grouped counts over very many records, split into passes that fit DuckDB's memory limit.

A ``count(DISTINCT …)`` does not spill to disk, and even a grouped step over every distinct value
ran out of memory at 100 M records under the 1 GB limit. Counts of distinct values over disjoint
sets add up, so such counts run in passes over the sets ``hash(value) % passes == part``, at most
:data:`ROWS_PER_PASS` records each (one pass below that).
"""

from __future__ import annotations

ROWS_PER_PASS = 10_000_000


def passes(rows: int) -> int:
    """Passes for ``rows`` records."""
    return max(1, -(-int(rows) // ROWS_PER_PASS))


def part_sql(expr: str, count: int, part: int) -> str:
    """SQL condition: ``expr``'s hash falls in pass ``part`` of ``count``."""
    return f"hash({expr}) % {count} = {part}"
