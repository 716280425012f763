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

from ..fiscal import fiscal_year
from . import audit

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
    """Extend ``suppressed`` until no group has exactly one suppressed cell."""
    suppressed = suppressed.copy()
    groupings = _groupings(frame, dims, grain)
    if not groupings or len(frame) == 0:
        return suppressed
    n = frame["n"].astype("float64").to_numpy()
    groups = [list(_groups(keys, len(frame))) for keys in groupings]
    member_of = [[None] * len(frame) for _ in groups]  # cell → its group (index list) per grouping
    for g, grouping in enumerate(groups):
        for index in grouping:
            for i in index:
                member_of[g][i] = index
    changed = True
    while changed:
        changed = False
        for g, grouping in enumerate(groups):
            for index in grouping:
                if suppressed.iloc[index].sum() != 1:
                    continue
                candidates = [i for i in index if not suppressed.iloc[i] and n[i] > 0]
                if not candidates:
                    continue
                best = min(candidates, key=lambda i: (_strands(i, g, member_of, suppressed, n), n[i], i))
                suppressed.iloc[best] = True
                changed = True
    return suppressed


def _strands(cell: int, own: int, member_of, suppressed: pd.Series, n) -> int:
    """How many other groups suppressing ``cell`` would leave with a lone, unfixable suppressed cell."""
    count = 0
    for g, members in enumerate(member_of):
        if g == own:
            continue
        index = members[cell]
        already = suppressed.iloc[index].sum()
        others = [i for i in index if i != cell and not suppressed.iloc[i] and n[i] > 0]
        if already == 0 and not others:
            count += 1
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


def _groups(keys: list[pd.Series], length: int):
    """Positional index lists of the cells sharing each combination of ``keys``."""
    if not keys:
        yield list(range(length))
        return
    combined = pd.Series(list(zip(*[k.to_numpy() for k in keys])))
    for index in combined.groupby(combined, sort=False).indices.values():
        yield [int(i) for i in np.asarray(index)]


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

    def visit(keys: pd.DataFrame, members: list[list[int]], dims: list[str], grain: str | None):
        for coarse_dims, coarse_grain, period in _views(keys, dims, grain):
            view_id = (tuple(sorted(coarse_dims)), coarse_grain)
            if view_id in seen:
                continue
            seen.add(view_id)
            table = pd.DataFrame({d: keys[d] for d in coarse_dims})
            if coarse_grain:
                table["period"] = period.to_numpy()
            cols = list(table.columns) or None
            groups = (table.groupby(cols, sort=False, dropna=False).indices.values() if cols
                      else [np.arange(len(keys))])
            rows, fine = [], []
            for idx in groups:
                idx = list(map(int, idx))
                cells = sorted({c for r in idx for c in members[r]})
                rows.append(table.iloc[idx[0]].to_dict() if cols else {})
                fine.append(cells)
            coarse = pd.DataFrame(rows, columns=table.columns)
            coarse["n"] = [n[c].sum() for c in fine]
            coarse["value"] = coarse["n"]
            out, _ = apply(coarse, kind, coarse_dims, coarse_grain, min_cell, audited=False)
            equations.extend(c for c, hidden in zip(fine, out["suppressed"]) if not hidden)
            visit(coarse.drop(columns=["n", "value"]), fine, coarse_dims, coarse_grain)

    keys = pd.DataFrame({d: frame[d].astype("string").fillna("∅") for d in dims})
    if grain:
        keys["period"] = frame["period"].to_numpy()
    visit(keys, [[i] for i in range(len(frame))], list(dims), grain)
    return equations


def _views(keys: pd.DataFrame, dims: list[str], grain: str | None):
    """The queries one step coarser: one dimension dropped, or the period rolled up a level."""
    period = keys["period"] if grain else None
    for d in dims:
        yield [o for o in dims if o != d], grain, period
    if grain:
        for parent_grain, parent in zip(PARENT_GRAIN.get(grain, ()), parent_periods(period, grain)):
            yield list(dims), parent_grain, parent
