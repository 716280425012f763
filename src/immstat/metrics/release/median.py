"""Medians per cell from counts per (cell, value), so no step holds every value of a cell.

A median aggregate keeps all of a group's values in memory (it cannot spill to disk); at tens of
millions of linked records one national cell alone would hold them all. A grouped count by
(cell, value) spills, and is small for values like days (a few thousand distinct). The median is
then read off the cumulative counts: DuckDB's exact, interpolated median (``quantile_cont(0.5)``:
the mean of the two middle values, as ``lower·½ + upper·½``, when the count is even).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def from_counts(counts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``counts`` (``keys``…, ``_x`` a value, ``n`` its records) → one row per cell of ``keys``:
    the cell's ``keys``, ``value`` (the median of ``_x``) and ``n`` (its records). No keys: one
    national row, ``value`` NaN and ``n`` 0 when there are no records."""
    if counts.empty and not keys:
        return pd.DataFrame({"value": [np.nan], "n": [0]})
    if counts.empty:
        return pd.DataFrame({**{k: counts[k] for k in keys}, "value": [], "n": []})
    group = (counts.groupby(keys, sort=False, dropna=False).ngroup().to_numpy() if keys
             else np.zeros(len(counts), dtype=np.int64))
    x = counts["_x"].to_numpy(dtype="float64")
    order = np.lexsort((x, group))
    x, n, group = x[order], counts["n"].to_numpy(dtype=np.int64)[order], group[order]
    cumulative = np.cumsum(n)
    first = np.r_[0, np.flatnonzero(np.diff(group)) + 1]  # each cell's first row, sorted
    last = np.r_[first[1:] - 1, len(group) - 1]
    before = cumulative[first] - n[first]  # records of the cells sorted before it
    total = cumulative[last] - before
    lower = x[np.searchsorted(cumulative, before + (total - 1) // 2, side="right")]
    upper = x[np.searchsorted(cumulative, before + total // 2, side="right")]
    share = np.where(total % 2 == 0, 0.5, 0.0)
    value = lower * (1.0 - share) + upper * share  # DuckDB's interpolation, to the last bit
    cells = counts.iloc[order[first]][keys].reset_index(drop=True)
    return cells.assign(value=value, n=total)
