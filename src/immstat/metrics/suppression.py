"""Small-cell suppression — the only place it happens, so no surface can bypass it.

Rules (README "Privacy rules"):

* primary: a record-derived count of 1 … min_cell-1 is suppressed (value null, flag set); 0 shows;
* small-n: rates, shares, means and medians from fewer than min_cell records are suppressed, and so
  is a share whose numerator or complement is 1 … min_cell-1 (it would reveal a small count);
* complementary: along every dimension (each category dimension, and time up its calendar
  hierarchy: day → week and month, month → fiscal year, fiscal year → all time), no group may hold
  exactly one suppressed cell, because the group's total is derivable from a coarser query; the
  smallest other non-zero cell of such a group is suppressed too, repeated until stable;
* audit: the released cells plus every coarser query's released margins must not let anyone solve
  for a small cell (``metrics/audit.py``); if they do, more cells are suppressed until they don't.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from immstat.core.calendar import fiscal_year
from immstat.metrics import audit

ADDITIVE_KINDS = ("count", "count_distinct", "per_day")
AUDIT_MAX_CELLS = 5000  # larger tables get the group rules only (see README, Privacy rules)
PARENT_GRAIN = {"day": ("month", "week"), "week": (None,), "month": ("fy",), "fy": (None,)}


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
    return [pd.Series("all", index=period.index)]  # ISO weeks nest only in "all time"


def complementary(frame: pd.DataFrame, suppressed: pd.Series, dims: list[str],
                  grain: str | None) -> pd.Series:
    """Extend ``suppressed`` until no group has exactly one suppressed cell.

    A lone suppressed cell's partner is the group's open cell (not suppressed, n > 0) that
    strands the fewest other groups (see :func:`_strands`), then the smallest, then the first.
    Groups are visited in a fixed order and per-group counts are kept incrementally (numpy),
    so a table of thousands of cells takes milliseconds."""
    groupings = _groupings(frame, dims, grain)
    if not groupings or len(frame) == 0:
        return suppressed.copy()
    mask = suppressed.to_numpy(dtype=bool).copy()
    n = frame["n"].astype("float64").to_numpy()
    ids = np.array([_group_ids(keys, len(frame)) for keys in groupings])  # cell → group
    groups = [_members(row) for row in ids]
    sizes = [len(grouping) for grouping in groups]
    hidden = [np.bincount(ids[g], weights=mask, minlength=sizes[g]) for g in range(len(groups))]
    open_ = [np.bincount(ids[g], weights=~mask & (n > 0), minlength=sizes[g])
             for g in range(len(groups))]
    changed = True
    while changed:
        changed = False
        for g, grouping in enumerate(groups):
            for k in np.flatnonzero(hidden[g] == 1):
                index = grouping[k]
                candidates = index[~mask[index] & (n[index] > 0)]
                if len(candidates) == 0:
                    continue
                strands = _strands(candidates, g, ids, hidden, open_)
                best = candidates[np.lexsort((candidates, n[candidates], strands))[0]]
                mask[best] = True
                for h in range(len(groups)):
                    hidden[h][ids[h, best]] += 1
                    open_[h][ids[h, best]] -= 1
                changed = True
    return pd.Series(mask, index=suppressed.index)


def _strands(cells: np.ndarray, own: int, ids: np.ndarray, hidden, open_) -> np.ndarray:
    """Per open cell: how many of its other groups suppressing it would leave with a lone,
    unfixable suppressed cell (no suppressed cell yet and no other open cell)."""
    count = np.zeros(len(cells), dtype=np.int64)
    for h in range(len(ids)):
        if h != own:
            group = ids[h, cells]
            count += (hidden[h][group] == 0) & (open_[h][group] == 1)
    return count


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


def _group_ids(keys: list[pd.Series], length: int) -> np.ndarray:
    """Per cell: the number of its combination of ``keys``, in order of first appearance."""
    ids = np.zeros(length, dtype=np.int64)
    for key in keys:
        codes, uniques = pd.factorize(key.to_numpy(), use_na_sentinel=False)
        ids = pd.factorize(ids * len(uniques) + codes)[0]
    return ids


def _members(ids: np.ndarray) -> list[np.ndarray]:
    """Positional index arrays (ascending) of the cells of each group id."""
    order = np.argsort(ids, kind="stable")
    return np.split(order, np.cumsum(np.bincount(ids))[:-1])


def apply(frame: pd.DataFrame, kind: str, dims: list[str], grain: str | None,
          min_cell: int, audited: bool = True) -> tuple[pd.DataFrame, int]:
    """Null suppressed values, add the ``suppressed`` flag; return (frame, cells suppressed).

    Cells are decided in a fixed order (sorted by their keys), so the same query always
    suppresses the same cells whatever order the engine returned them in."""
    frame = frame.reset_index(drop=True)
    keys = [*dims, "period"] if grain else list(dims)
    order = frame.sort_values(keys, kind="stable").index if keys else frame.index
    cells = frame.loc[order].reset_index(drop=True)
    primary = primary_mask(cells, kind, min_cell).reset_index(drop=True)
    mask = primary
    if kind in ADDITIVE_KINDS:
        mask = complementary(cells, mask, dims, grain)
        if audited and 0 < len(cells) <= AUDIT_MAX_CELLS and primary.any():
            mask = _audited(cells, primary, mask, kind, dims, grain, min_cell)
    mask = pd.Series(mask.to_numpy(dtype=bool), index=order).reindex(frame.index)
    frame["suppressed"] = mask.to_numpy(dtype=bool)
    frame["value"] = frame["value"].astype("float64").where(~frame["suppressed"])
    return frame, int(frame["suppressed"].sum())


def _audited(frame, primary, mask, kind, dims, grain, min_cell) -> pd.Series:
    equations = released_margins(frame, kind, dims, grain, min_cell)
    n = frame["n"].astype("float64").to_numpy()
    prim = primary.to_numpy(dtype=bool)
    for _ in range(len(frame)):
        leaks = audit.disclosed(len(frame), prim, mask.to_numpy(dtype=bool), equations)
        if not leaks:
            break
        near = {i for eq in equations if leaks[0] in eq for i in eq}
        pool = [i for i in (near or range(len(frame))) if not mask.iloc[i] and n[i] > 0]
        pool = pool or [i for i in range(len(frame)) if not mask.iloc[i] and n[i] > 0]
        if not pool:
            break
        mask = mask.copy()
        mask.iloc[min(pool, key=lambda i: (n[i], i))] = True
        mask = complementary(frame, mask, dims, grain)
    return mask


def released_margins(frame: pd.DataFrame, kind: str, dims: list[str], grain: str | None,
                     min_cell: int) -> list[list[int]]:
    """Cell index lists whose totals some coarser query releases — every query up the lattice of
    dropped dimensions and rolled-up periods, each suppressed as ImmStat would release it."""
    equations: list[list[int]] = []
    seen: set = set()
    n = frame["n"].astype("float64").to_numpy()

    def visit(keys: pd.DataFrame, cell_row: np.ndarray, dims: list[str], grain: str | None):
        """``cell_row``: for each cell of the table, its row in the view ``keys``."""
        for coarse_dims, coarse_grain, period in _views(keys, dims, grain):
            view_id = (tuple(sorted(coarse_dims)), coarse_grain)
            if view_id in seen:
                continue
            seen.add(view_id)
            table = pd.DataFrame({d: keys[d].to_numpy() for d in coarse_dims})
            if coarse_grain:
                table["period"] = period.to_numpy()
            codes = _group_ids([table[c] for c in table.columns], len(keys))
            first = np.unique(codes, return_index=True)[1]
            coarse = (table.iloc[first].reset_index(drop=True) if len(table.columns)
                      else pd.DataFrame(index=range(len(first))))
            coarse_of_cell = codes[cell_row]
            coarse["n"] = np.bincount(coarse_of_cell, weights=n, minlength=len(first))
            coarse["value"] = coarse["n"]
            out, _ = apply(coarse, kind, coarse_dims, coarse_grain, min_cell, audited=False)
            order = np.argsort(coarse_of_cell, kind="stable")
            bounds = np.cumsum(np.bincount(coarse_of_cell, minlength=len(first)))[:-1]
            fine = np.split(order, bounds)
            equations.extend(fine[r].tolist() for r in np.flatnonzero(~out["suppressed"].to_numpy()))
            visit(coarse.drop(columns=["n", "value"]), coarse_of_cell, coarse_dims, coarse_grain)

    keys = pd.DataFrame({d: frame[d].astype("string").fillna("∅") for d in dims})
    if grain:
        keys["period"] = frame["period"].to_numpy()
    visit(keys, np.arange(len(frame)), list(dims), grain)
    return equations


def _views(keys: pd.DataFrame, dims: list[str], grain: str | None):
    """The queries one step coarser: one dimension dropped, or the period rolled up a level."""
    period = keys["period"] if grain else None
    for d in dims:
        yield [o for o in dims if o != d], grain, period
    if grain:
        for parent_grain, parent in zip(PARENT_GRAIN.get(grain, ()), parent_periods(period, grain)):
            yield list(dims), parent_grain, parent
