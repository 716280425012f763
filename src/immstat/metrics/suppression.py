"""Small-cell suppression — the only place it happens, so no surface can bypass it.

Rules (README "Privacy rules"):

* primary: a record-derived count of 1 … min_cell-1 is suppressed (value null, flag set); 0 shows;
* small-n: rates, shares, means and medians from fewer than min_cell records are suppressed, and so
  is a share whose numerator or complement is 1 … min_cell-1 (it would reveal a small count);
* complementary: along every dimension (each category dimension, and time up its calendar
  hierarchy: day → week and month, month → fiscal year, fiscal year → all time), no group may hold
  exactly one suppressed cell, because the group's total is derivable from a coarser query; the
  smallest other non-zero cell of such a group is suppressed too, repeated until stable.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..fiscal import fiscal_year

ADDITIVE_KINDS = ("count", "count_distinct", "per_day")


def primary_mask(frame: pd.DataFrame, kind: str, min_cell: int) -> pd.Series:
    """Cells to suppress on their own."""
    n = frame["n"].astype("float64")
    small = lambda x: (x > 0) & (x < min_cell)  # noqa: E731
    if kind in ADDITIVE_KINDS:
        return small(n)
    mask = n < min_cell
    if kind == "share":
        num = frame["numerator"].astype("float64")
        mask |= small(num) | small(n - num)
    return mask


def parent_periods(period: pd.Series, grain: str | None) -> list[pd.Series]:
    """Coarser calendar periods each cell's period belongs to (its complementary groups)."""
    if grain is None or period.empty:
        return []
    if grain == "fy":
        return [pd.Series("all", index=period.index)]
    days = period.map(lambda d: d if isinstance(d, dt.date) else pd.Timestamp(d).date())
    if grain == "day":
        month = days.map(lambda d: d.replace(day=1))
        week = days.map(lambda d: d - dt.timedelta(days=d.weekday()))
        return [month, week]
    if grain == "month":
        return [days.map(fiscal_year)]
    return []  # ISO weeks nest in no month or fiscal year


def complementary(frame: pd.DataFrame, suppressed: pd.Series, dims: list[str],
                  grain: str | None) -> pd.Series:
    """Extend ``suppressed`` until no group has exactly one suppressed cell."""
    suppressed = suppressed.copy()
    groupings = _groupings(frame, dims, grain)
    if not groupings or len(frame) == 0:
        return suppressed
    n = frame["n"].astype("float64").to_numpy()
    changed = True
    while changed:
        changed = False
        for keys in groupings:
            for _, index in _groups(keys, len(frame)):
                cells = suppressed.iloc[index].to_numpy()
                if cells.sum() != 1:
                    continue
                candidates = [i for i in index if not suppressed.iloc[i] and n[i] > 0]
                if not candidates:
                    continue
                smallest = min(candidates, key=lambda i: (n[i], i))
                suppressed.iloc[smallest] = True
                changed = True
    return suppressed


def _groupings(frame: pd.DataFrame, dims: list[str], grain: str | None) -> list[list[pd.Series]]:
    """For each dimension: the key columns whose combination forms its groups."""
    columns = {d: frame[d].astype("string").fillna("∅") for d in dims}
    period = frame["period"].astype("string") if grain else None
    out = []
    for d in dims:  # category dimension d: group by everything else
        keys = [columns[o] for o in dims if o != d]
        if period is not None:
            keys.append(period)
        out.append(keys)
    if grain:
        others = [columns[o] for o in dims]
        for parent in parent_periods(frame["period"], grain):
            out.append(others + [parent.astype("string")])
    return out


def _groups(keys: list[pd.Series], length: int):
    if not keys:
        yield None, list(range(length))
        return
    combined = pd.Series(list(zip(*[k.to_numpy() for k in keys])))
    for key, index in combined.groupby(combined, sort=False).indices.items():
        yield key, list(np.asarray(index))


def apply(frame: pd.DataFrame, kind: str, dims: list[str], grain: str | None,
          min_cell: int) -> tuple[pd.DataFrame, int]:
    """Null suppressed values, add the ``suppressed`` flag; return (frame, cells suppressed)."""
    frame = frame.reset_index(drop=True)
    mask = primary_mask(frame, kind, min_cell).reset_index(drop=True)
    if kind in ADDITIVE_KINDS:
        mask = complementary(frame, mask, dims, grain)
    frame["suppressed"] = mask.to_numpy(dtype=bool)
    frame["value"] = frame["value"].astype("float64").where(~frame["suppressed"])
    return frame, int(frame["suppressed"].sum())
